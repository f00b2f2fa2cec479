"""Tool use end to end through real clients: the offline model calls tools with input taken from the
user's words, streams that input, and answers from the results, in every dialect."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from tests.tooling import (
    CLAUDE,
    CURRENCY_SCHEMA,
    NOVA,
    TOOL_USE_ID,
    TOOLS,
    WEATHER_SCHEMA,
    results_turn,
    tool_uses,
    user,
)


def converse(client, *messages, tool_config=TOOLS, model=NOVA):
    return client.converse(modelId=model, messages=list(messages), toolConfig=tool_config)


def test_a_tool_loop_calls_the_tool_with_the_users_words_and_answers_from_its_result(runtime):
    question = user("What's the weather in Paris?")
    first = converse(runtime, question)
    assert first["stopReason"] == "tool_use"
    (use,) = tool_uses(first["output"]["message"])
    assert use["name"] == "get_weather" and use["input"] == {"city": "Paris"}
    assert TOOL_USE_ID.match(use["toolUseId"])
    jsonschema.validate(use["input"], WEATHER_SCHEMA)
    result = results_turn([use], [{"temperature_c": 18, "conditions": "light rain"}])
    final = converse(runtime, question, first["output"]["message"], result)
    assert final["stopReason"] == "end_turn"
    text = final["output"]["message"]["content"][0]["text"]
    assert "18" in text and "light rain" in text and "Paris" in text


def test_two_cities_make_two_calls_in_one_turn_with_stable_ids(runtime):
    ask = user("What's the weather in Paris and in Oslo?")
    uses = tool_uses(converse(runtime, ask)["output"]["message"])
    assert [u["input"]["city"] for u in uses] == ["Paris", "Oslo"]
    assert len({u["toolUseId"] for u in uses}) == 2
    again = tool_uses(converse(runtime, ask)["output"]["message"])
    assert [u["toolUseId"] for u in again] == [u["toolUseId"] for u in uses]


def test_numbers_and_enum_values_come_from_the_prompt(runtime):
    (use,) = tool_uses(converse(runtime, user("How much is 250 dollars in yen?"))["output"]["message"])
    assert use == {**use, "name": "convert_currency", "input": {"amount": 250, "to": "JPY"}}
    jsonschema.validate(use["input"], CURRENCY_SCHEMA)


@pytest.mark.parametrize(
    ("choice", "expected"),
    [({"tool": {"name": "convert_currency"}}, "convert_currency"), ({"any": {}}, "get_weather")],
)
def test_a_forced_tool_choice_always_calls_a_tool(runtime, choice, expected):
    reply = converse(runtime, user("Tell me a joke."), tool_config={**TOOLS, "toolChoice": choice})
    assert reply["stopReason"] == "tool_use"
    (use,) = tool_uses(reply["output"]["message"])
    assert use["name"] == expected
    jsonschema.validate(use["input"], CURRENCY_SCHEMA if expected == "convert_currency" else WEATHER_SCHEMA)


def test_auto_answers_in_text_when_no_tool_matches(runtime):
    reply = converse(runtime, user("Tell me a joke."), tool_config={**TOOLS, "toolChoice": {"auto": {}}})
    assert reply["stopReason"] == "end_turn" and not tool_uses(reply["output"]["message"])


def test_an_error_result_is_acknowledged_as_an_error(runtime):
    question = user("What's the weather in Atlantis?")
    first = converse(runtime, question)
    uses = tool_uses(first["output"]["message"])
    failed = {
        "role": "user",
        "content": [
            {
                "toolResult": {
                    "toolUseId": uses[0]["toolUseId"],
                    "content": [{"text": "Unknown city"}],
                    "status": "error",
                }
            }
        ],
    }
    text = converse(runtime, question, first["output"]["message"], failed)["output"]["message"]["content"][0]["text"]
    assert "error" in text and "Unknown city" in text


def test_tool_definitions_count_as_input_tokens(runtime):
    bare = runtime.converse(modelId=NOVA, messages=[user("Tell me a joke.")])["usage"]["inputTokens"]
    with_tools = converse(runtime, user("Tell me a joke."))["usage"]["inputTokens"]
    assert with_tools > bare + 20


def collect_stream(events) -> tuple[list[dict], str]:
    """Tool calls rebuilt from a ConverseStream the way the documentation says: start, JSON pieces, stop."""
    calls, open_calls, stop = [], {}, None
    for event in events:
        if "contentBlockStart" in event:
            start = event["contentBlockStart"]
            open_calls[start["contentBlockIndex"]] = {**start["start"]["toolUse"], "pieces": []}
        elif "contentBlockDelta" in event and "toolUse" in event["contentBlockDelta"]["delta"]:
            delta = event["contentBlockDelta"]
            open_calls[delta["contentBlockIndex"]]["pieces"].append(delta["delta"]["toolUse"]["input"])
        elif "contentBlockStop" in event and event["contentBlockStop"]["contentBlockIndex"] in open_calls:
            call = open_calls.pop(event["contentBlockStop"]["contentBlockIndex"])
            calls.append(
                {"toolUseId": call["toolUseId"], "name": call["name"], "input": json.loads("".join(call.pop("pieces")))}
            )
        elif "messageStop" in event:
            stop = event["messageStop"]["stopReason"]
    return calls, stop


def test_converse_stream_over_http_sends_tool_input_in_pieces(http_runtime, runtime):
    ask = user("What's the weather in Paris and in Oslo?")
    streamed = http_runtime.converse_stream(modelId=NOVA, messages=[ask], toolConfig=TOOLS)["stream"]
    calls, stop = collect_stream(streamed)
    assert stop == "tool_use"
    assert calls == tool_uses(converse(runtime, ask)["output"]["message"])


def invoke(client, model: str, body: dict, stream: bool = False):
    """A native body through InvokeModel (the decoded JSON) or its stream (the decoded chunks)."""
    if stream:
        response = client.invoke_model_with_response_stream(modelId=model, body=json.dumps(body))
        return [json.loads(event["chunk"]["bytes"]) for event in response["body"]]
    return json.loads(client.invoke_model(modelId=model, body=json.dumps(body))["body"].read())


CLAUDE_TOOLS = [
    {"name": "get_weather", "description": "Get the current weather for a city.", "input_schema": WEATHER_SCHEMA}
]


def claude_body(*messages, **extra) -> dict:
    return {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 500, "messages": list(messages), **extra}


def test_claude_native_tool_use_round_trip(runtime):
    ask = {"role": "user", "content": "What's the weather in Paris?"}
    reply = invoke(runtime, CLAUDE, claude_body(ask, tools=CLAUDE_TOOLS, tool_choice={"type": "auto"}))
    assert reply["stop_reason"] == "tool_use"
    (use,) = [b for b in reply["content"] if b["type"] == "tool_use"]
    assert re.fullmatch(r"toolu_bdrk_01[A-Za-z0-9]{22}", use["id"]) and use["input"] == {"city": "Paris"}
    result = {"role": "user", "content": [{"type": "tool_result", "tool_use_id": use["id"], "content": "21 C, sunny"}]}
    final = invoke(
        runtime,
        CLAUDE,
        claude_body(ask, {"role": "assistant", "content": reply["content"]}, result, tools=CLAUDE_TOOLS),
    )
    assert final["stop_reason"] == "end_turn" and "21 C, sunny" in final["content"][0]["text"]


def test_claude_native_stream_sends_input_json_deltas(runtime):
    body = claude_body({"role": "user", "content": "Weather in Oslo?"}, tools=CLAUDE_TOOLS, tool_choice={"type": "any"})
    chunks = invoke(runtime, CLAUDE, body, stream=True)
    start = next(c for c in chunks if c["type"] == "content_block_start" and c["content_block"]["type"] == "tool_use")
    pieces = [
        c["delta"]["partial_json"]
        for c in chunks
        if c["type"] == "content_block_delta" and c["index"] == start["index"]
    ]
    assert json.loads("".join(pieces)) == {"city": "Oslo"}
    assert [c for c in chunks if c["type"] == "message_delta"][0]["delta"]["stop_reason"] == "tool_use"


def test_nova_native_tool_use_and_stream(runtime):
    body = {"schemaVersion": "messages-v1", "messages": [user("What's the weather in Paris?")], "toolConfig": TOOLS}
    reply = invoke(runtime, NOVA, body)
    assert reply["stopReason"] == "tool_use"
    assert tool_uses(reply["output"]["message"])[0]["input"] == {"city": "Paris"}
    chunks = invoke(runtime, NOVA, body, stream=True)
    calls, stop = collect_stream(chunks)
    assert stop == "tool_use" and calls == tool_uses(reply["output"]["message"])


def test_count_tokens_counts_the_tools(runtime):
    def count(tool_config=None):
        converse_input = {"messages": [user("Hello")], **({"toolConfig": tool_config} if tool_config else {})}
        return runtime.count_tokens(modelId=NOVA, input={"converse": converse_input})["inputTokens"]

    assert count(TOOLS) > count()

"""Prompt caching, extended thinking and citations through real boto3 clients (service tiers: test_tiers.py):
each rule with its status, code and exact message, and every new response in botocore's output shapes."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.validate import ParamValidator

from helpers.offline import cache_rules, reasoning, shapes
from helpers.offline.emulator import Emulator
from helpers.offline.inprocess import attach
from helpers.paths import DATA
from tests.conftest import error_of, text_message

# migrate_models: keep-file (these tests replay 2025-06-01, when Claude 3.7 Sonnet was active)
SONNET_37 = "us.anthropic.claude-3-7-sonnet-20250219-v1:0"  # caching (1,024 minimum, 5m) and thinking in 2025-06
SONNET_45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"  # 1h TTL too
LONG = "You are a careful assistant for the workbook's travel desk. " * 120  # well above 1,024 tokens
THINK = {"thinking": {"type": "enabled", "budget_tokens": 1024}}


@pytest.fixture(autouse=True)
def mid_2025(monkeypatch):
    """Bedrock as of 2025-06-01: Claude 3.7 Sonnet, whose 5-minute-only cache and 1,024-token minimum
    these tests use, was active then (it reached end of life on 2026-04-28)."""
    monkeypatch.setenv("BEDROCK_OFFLINE_AS_OF", "2025-06-01")


def valid(payload: dict, operation: str = "Converse", member: str | None = None) -> None:
    shape = shapes.service_model("bedrock-runtime").operation_model(operation).output_shape
    if member:
        shape = shape.members["stream"].members[member]
    payload = {k: v for k, v in payload.items() if k != "ResponseMetadata"}
    report = ParamValidator().validate(payload, shape)
    assert not report.has_errors(), report.generate_report()


def cached_call(client, model=SONNET_37, ttl=None, question="Where do I book trains?"):
    point = {"type": "default", **({"ttl": ttl} if ttl else {})}
    return client.converse(
        modelId=model, system=[{"text": LONG}, {"cachePoint": point}], messages=[text_message(question)]
    )


def test_cache_write_then_read_then_expiry_on_the_emulators_clock(runtime, emulator):
    first = cached_call(runtime)
    usage = first["usage"]
    assert usage["cacheWriteInputTokens"] > 1024 and usage["cacheReadInputTokens"] == 0
    assert usage["cacheDetails"] == [{"ttl": "5m", "inputTokens": usage["cacheWriteInputTokens"]}]
    second = cached_call(runtime, question="And buses?")["usage"]
    assert second["cacheReadInputTokens"] == usage["cacheWriteInputTokens"] and second["cacheWriteInputTokens"] == 0
    assert second["inputTokens"] < usage["cacheWriteInputTokens"]
    assert second["totalTokens"] == second["inputTokens"] + second["outputTokens"] + second["cacheReadInputTokens"]
    emulator.clock.advance(299)
    assert cached_call(runtime)["usage"]["cacheReadInputTokens"] > 0  # a hit refreshes the TTL
    emulator.clock.advance(301)
    expired = cached_call(runtime)["usage"]
    assert expired["cacheReadInputTokens"] == 0 and expired["cacheWriteInputTokens"] == usage["cacheWriteInputTokens"]
    valid(first)


def test_cache_is_per_account_and_short_prefixes_are_not_cached(runtime, emulator):
    other = boto3.client(
        "bedrock-runtime", region_name="us-east-1", aws_access_key_id="AKIAOTHERACCOUNT0000", aws_secret_access_key="x"
    )
    attach(other, emulator)
    cached_call(runtime)
    assert cached_call(runtime)["usage"]["cacheReadInputTokens"] > 0
    assert cached_call(other)["usage"]["cacheReadInputTokens"] == 0
    short = runtime.converse(
        modelId=SONNET_37,
        system=[{"text": "Be brief."}, {"cachePoint": {"type": "default"}}],
        messages=[text_message("hi")],
    )["usage"]
    assert short["cacheWriteInputTokens"] == 0 and short["cacheReadInputTokens"] == 0 and "cacheDetails" not in short


def test_one_hour_ttl_where_the_model_has_it_and_refused_where_not(runtime, emulator, monkeypatch):
    with pytest.raises(ClientError) as excinfo:
        cached_call(runtime, ttl="1h")
    assert error_of(excinfo) == (
        400,
        "ValidationException",
        cache_rules.MSG_TTL_UNSUPPORTED.format(path="system.0", ttl="1h"),
    )
    monkeypatch.setenv("BEDROCK_OFFLINE_AS_OF", "2026-11-30")
    client = boto3.client(
        "bedrock-runtime", region_name="us-east-1", aws_access_key_id="AKIAEXAMPLE000000000", aws_secret_access_key="x"
    )
    attach(client, later := Emulator())
    usage = cached_call(client, model=SONNET_45, ttl="1h")["usage"]
    assert usage["cacheDetails"] == [{"ttl": "1h", "inputTokens": usage["cacheWriteInputTokens"]}]
    later.clock.advance(301)
    assert cached_call(client, model=SONNET_45, ttl="1h")["usage"]["cacheReadInputTokens"] > 0


def test_cache_checkpoint_rules(runtime):
    point = {"cachePoint": {"type": "default"}}
    system = [{"text": LONG}, point, {"text": "a"}, point, {"text": "b"}, point, {"text": "c"}, point]
    messages = [{"role": "user", "content": [{"text": "hi"}, point]}]
    with pytest.raises(ClientError) as excinfo:
        runtime.converse(modelId=SONNET_37, system=system, messages=messages)
    assert error_of(excinfo) == (
        400,
        "ValidationException",
        cache_rules.MSG_TOO_MANY_CHECKPOINTS.format(limit=4, found=5),
    )
    text = "I will answer."
    turns = [
        text_message("hi"),
        {
            "role": "assistant",
            "content": [
                {"reasoningContent": {"reasoningText": {"text": text, "signature": reasoning.sign(text)}}},
                point,
            ],
        },
        text_message("go on"),
    ]
    with pytest.raises(ClientError) as excinfo:
        runtime.converse(modelId=SONNET_37, messages=turns, additionalModelRequestFields=THINK)
    assert error_of(excinfo) == (400, "ValidationException", cache_rules.MSG_CACHE_AFTER_REASONING)


def test_claude_native_cache_control_reports_creation_then_read(runtime):
    body = {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 200,
        "system": [{"type": "text", "text": LONG, "cache_control": {"type": "ephemeral"}}],
        "messages": [{"role": "user", "content": "Where do I book trains?"}],
    }
    usages = [
        json.loads(runtime.invoke_model(modelId=SONNET_37, body=json.dumps(body))["body"].read())["usage"] for _ in "ab"
    ]
    assert usages[0]["cache_creation_input_tokens"] > 1024 and usages[0]["cache_read_input_tokens"] == 0
    assert usages[1]["cache_read_input_tokens"] == usages[0]["cache_creation_input_tokens"]


def test_nova_native_cache_point_counts(runtime):
    body = {
        "schemaVersion": "messages-v1",
        "system": [{"text": LONG}, {"cachePoint": {"type": "default"}}],
        "messages": [{"role": "user", "content": [{"text": "Where do I book trains?"}]}],
    }
    usages = [
        json.loads(runtime.invoke_model(modelId="amazon.nova-lite-v1:0", body=json.dumps(body))["body"].read())["usage"]
        for _ in "ab"
    ]
    assert (
        usages[0]["cacheWriteInputTokenCount"] > 1000
        and usages[1]["cacheReadInputTokenCount"] == usages[0]["cacheWriteInputTokenCount"]
    )


def test_reasoning_block_before_the_answer_round_trips_and_counts_as_output(runtime):
    ask = [text_message("Plan a three-city rail trip.")]
    plain = runtime.converse(modelId=SONNET_37, messages=ask, inferenceConfig={"maxTokens": 4000})
    response = runtime.converse(
        modelId=SONNET_37, messages=ask, inferenceConfig={"maxTokens": 4000}, additionalModelRequestFields=THINK
    )
    content = response["output"]["message"]["content"]
    thought = content[0]["reasoningContent"]["reasoningText"]
    assert thought["text"] and thought["signature"] == reasoning.sign(thought["text"]) and "text" in content[1]
    assert response["usage"]["outputTokens"] > plain["usage"]["outputTokens"]
    valid(response)
    turns = [*ask, {"role": "assistant", "content": content}, text_message("Thanks, and the cost?")]
    again = runtime.converse(modelId=SONNET_37, messages=turns, additionalModelRequestFields=THINK)
    assert "reasoningContent" in again["output"]["message"]["content"][0]
    altered = json.loads(json.dumps(content))
    altered[0]["reasoningContent"]["reasoningText"]["text"] += " (edited)"
    with pytest.raises(ClientError) as excinfo:
        runtime.converse(
            modelId=SONNET_37,
            messages=[*ask, {"role": "assistant", "content": altered}, text_message("and?")],
            additionalModelRequestFields=THINK,
        )
    assert error_of(excinfo) == (400, "ValidationException", reasoning.MSG_BAD_SIGNATURE.format(index=1, block=0))


def test_reasoning_streams_text_then_signature(http_runtime):
    stream = http_runtime.converse_stream(
        modelId=SONNET_37, messages=[text_message("Plan a trip.")], additionalModelRequestFields=THINK
    )["stream"]
    events = list(stream)
    pieces = [
        e["contentBlockDelta"]["delta"]["reasoningContent"]
        for e in events
        if "contentBlockDelta" in e and e["contentBlockDelta"]["contentBlockIndex"] == 0
    ]
    assert len(pieces) > 2 and "signature" in pieces[-1] and all("text" in p for p in pieces[:-1])
    assert pieces[-1]["signature"] == reasoning.sign("".join(p["text"] for p in pieces[:-1]))


@pytest.mark.parametrize(
    "fields, config, message",
    [
        ({"thinking": {"type": "enabled", "budget_tokens": 1000}}, {}, reasoning.MSG_BUDGET_MIN),
        (THINK, {"maxTokens": 1024}, reasoning.MSG_BUDGET_ABOVE_MAX),
        (THINK, {"maxTokens": 4000, "temperature": 0.5}, reasoning.MSG_THINKING_TEMPERATURE),
    ],
)
def test_thinking_rules(runtime, fields, config, message):
    with pytest.raises(ClientError) as excinfo:
        runtime.converse(
            modelId=SONNET_37,
            messages=[text_message("hi")],
            inferenceConfig=config,
            additionalModelRequestFields=fields,
        )
    assert error_of(excinfo) == (400, "ValidationException", message)


def test_thinking_on_a_model_without_it_and_thinking_first_with_tools(runtime):
    body = {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 300,
        "messages": [{"role": "user", "content": "hi"}],
    }
    with pytest.raises(ClientError) as excinfo:
        runtime.invoke_model(modelId="anthropic.claude-3-haiku-20240307-v1:0", body=json.dumps({**body, **THINK}))
    assert error_of(excinfo) == (400, "ValidationException", reasoning.MSG_THINKING_UNSUPPORTED)
    tool = {"toolSpec": {"name": "get_weather", "inputSchema": {"json": {"type": "object"}}}}
    use = {"toolUse": {"toolUseId": "tooluse_AbCdEfGhIjKlMnOpQrStUv", "name": "get_weather", "input": {}}}
    result = {"toolResult": {"toolUseId": "tooluse_AbCdEfGhIjKlMnOpQrStUv", "content": [{"text": "sunny"}]}}
    turns = [text_message("weather?"), {"role": "assistant", "content": [use]}, {"role": "user", "content": [result]}]
    with pytest.raises(ClientError) as excinfo:
        runtime.converse(
            modelId=SONNET_37, messages=turns, toolConfig={"tools": [tool]}, additionalModelRequestFields=THINK
        )
    assert error_of(excinfo) == (
        400,
        "ValidationException",
        reasoning.MSG_THINKING_FIRST.format(index=1, found="tool_use"),
    )


def test_claude_native_thinking_blocks_and_stream(runtime):
    body = {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 3000,
        "messages": [{"role": "user", "content": "hi"}],
        **THINK,
    }
    answer = json.loads(runtime.invoke_model(modelId=SONNET_37, body=json.dumps(body))["body"].read())
    assert answer["content"][0]["type"] == "thinking" and answer["content"][0]["signature"]
    chunks = [
        json.loads(e["chunk"]["bytes"])
        for e in runtime.invoke_model_with_response_stream(modelId=SONNET_37, body=json.dumps(body))["body"]
    ]
    kinds = [c["delta"]["type"] for c in chunks if c["type"] == "content_block_delta" and c["index"] == 0]
    assert kinds[0] == "thinking_delta" and kinds[-1] == "signature_delta"


def document(name: str, fmt: str) -> dict:
    data = (DATA / "samples" / name).read_bytes()
    return {
        "document": {"format": fmt, "name": "Release notes", "source": {"bytes": data}, "citations": {"enabled": True}}
    }


def test_citations_quote_the_document_where_they_say(runtime, http_runtime):
    doc = document("release_notes.md", "md")
    messages = [{"role": "user", "content": [{"text": "What changed in this release?"}, doc]}]
    response = runtime.converse(modelId=SONNET_37, messages=messages)
    cited = response["output"]["message"]["content"][0]["citationsContent"]
    citation = cited["citations"][0]
    where = citation["location"]["documentChar"]
    text = (DATA / "samples" / "release_notes.md").read_text(encoding="utf-8")
    assert text[where["start"] : where["end"]] == citation["sourceContent"][0]["text"] and where["documentIndex"] == 0
    valid(response)
    events = list(http_runtime.converse_stream(modelId=SONNET_37, messages=messages)["stream"])
    deltas = [e["contentBlockDelta"]["delta"] for e in events if "contentBlockDelta" in e]
    assert deltas[-1]["citation"]["sourceContent"][0]["text"] == citation["sourceContent"][0]["text"]
    for event in events:
        kind = next(iter(event))
        valid(event[kind], "ConverseStream", kind)


def test_usage_prices_cache_reads_below_and_writes_above_plain_input(runtime):
    from helpers import usage

    model = "anthropic.claude-3-7-sonnet-20250219-v1:0"
    plain = usage.cost(model, {"inputTokens": 10_000, "outputTokens": 0})
    written = usage.cost(model, {"inputTokens": 0, "outputTokens": 0, "cacheWriteInputTokens": 10_000})
    read = usage.cost(model, {"inputTokens": 0, "outputTokens": 0, "cacheReadInputTokens": 10_000})
    assert read == pytest.approx(plain / 10) and written == pytest.approx(plain * 1.25)
    hour = {
        "inputTokens": 0,
        "outputTokens": 0,
        "cacheWriteInputTokens": 10,
        "cacheDetails": [{"ttl": "1h", "inputTokens": 10_000}],
    }
    assert usage.cost(model, hour) == pytest.approx(plain * 2)

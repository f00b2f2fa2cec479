"""helpers.streaming and helpers.invoke against the emulator through real boto3."""

import json

import pytest

from conftest import text_message
from helpers import invoke, streaming
from helpers.offline import faults as faults_of
from helpers.offline.fault_plan import STREAM_FAULT_MESSAGES

HAIKU = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
NOVA = "us.amazon.nova-lite-v1:0"
ASK = dict(modelId=HAIKU, messages=[text_message("Tell me about rivers.")], inferenceConfig={"maxTokens": 400})


def test_collect_returns_what_converse_returns(runtime):
    expected = runtime.converse(**ASK)
    expected.pop("ResponseMetadata")
    pieces = []
    timer = streaming.StreamTimer()
    collected = streaming.collect(runtime.converse_stream(**ASK), on_text=pieces.append, timer=timer)
    assert collected == expected
    assert "".join(pieces) == expected["output"]["message"]["content"][0]["text"]
    assert 0 <= timer.first_token_ms <= timer.total_ms
    assert timer.summary().startswith("time to first token (measured) ")


def test_a_conversation_continues_identically_after_a_stream(runtime):
    first = runtime.converse(**ASK)["output"]["message"]
    streamed = streaming.collect(runtime.converse_stream(**ASK))["output"]["message"]
    follow_up = text_message("And about lakes?")
    after_converse = runtime.converse(modelId=HAIKU, messages=ASK["messages"] + [first, follow_up])
    after_stream = runtime.converse(modelId=HAIKU, messages=ASK["messages"] + [streamed, follow_up])
    assert after_stream["output"] == after_converse["output"]


def test_text_pieces_and_events(runtime):
    text = "".join(streaming.text_pieces(runtime.converse_stream(**ASK)))
    assert text == runtime.converse(**ASK)["output"]["message"]["content"][0]["text"]
    kinds = [kind for kind, _ in streaming.events(runtime.converse_stream(**ASK))]
    assert kinds[0] == "messageStart" and kinds[-1] == "metadata"


def test_collect_folds_tool_use_and_reasoning_events():
    events = [
        {"messageStart": {"role": "assistant"}},
        {"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"reasoningContent": {"text": "Think"}}}},
        {"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"reasoningContent": {"signature": "sig"}}}},
        {"contentBlockDelta": {"contentBlockIndex": 1, "delta": {"text": "Let me look."}}},
        {"contentBlockStart": {"contentBlockIndex": 2, "start": {"toolUse": {"toolUseId": "t1", "name": "find"}}}},
        {"contentBlockDelta": {"contentBlockIndex": 2, "delta": {"toolUse": {"input": '{"q": "ri'}}}},
        {"contentBlockDelta": {"contentBlockIndex": 2, "delta": {"toolUse": {"input": 'vers"}'}}}},
        {"contentBlockStop": {"contentBlockIndex": 2}},
        {"messageStop": {"stopReason": "tool_use"}},
        {"metadata": {"usage": {"inputTokens": 1, "outputTokens": 2, "totalTokens": 3}, "metrics": {"latencyMs": 9}}},
    ]
    result = streaming.collect({"stream": events})
    assert result == {
        "output": {
            "message": {
                "role": "assistant",
                "content": [
                    {"reasoningContent": {"reasoningText": {"text": "Think", "signature": "sig"}}},
                    {"text": "Let me look."},
                    {"toolUse": {"toolUseId": "t1", "name": "find", "input": {"q": "rivers"}}},
                ],
            }
        },
        "stopReason": "tool_use",
        "usage": {"inputTokens": 1, "outputTokens": 2, "totalTokens": 3},
        "metrics": {"latencyMs": 9},
    }


@pytest.mark.parametrize("reader", ["collect", "text_pieces"])
def test_a_broken_stream_keeps_the_text_received(runtime, reader):
    full = runtime.converse(**ASK)["output"]["message"]["content"][0]["text"]
    faults_of(runtime).fail_stream(after=6, error="modelStreamErrorException")
    seen = []
    with pytest.raises(streaming.StreamInterrupted) as excinfo:
        if reader == "collect":
            streaming.collect(runtime.converse_stream(**ASK), on_text=seen.append)
        else:
            seen.extend(streaming.text_pieces(runtime.converse_stream(**ASK)))
    error = excinfo.value
    assert error.code == "modelStreamErrorException"
    assert error.reason == STREAM_FAULT_MESSAGES["modelStreamErrorException"]
    assert error.text == "".join(seen) and len(seen) == 5  # messageStart + 5 deltas arrived
    assert full.startswith(error.text)
    assert f"{len(error.text)} characters of text had arrived" in str(error)
    if reader == "collect":
        assert error.partial["output"]["message"]["content"] == [{"text": error.text}]


# ---- native bodies ------------------------------------------------------------------------------
MESSAGES = [
    {
        "role": "user",
        "content": [{"image": {"format": "png", "source": {"bytes": b"\x89PNG"}}}, {"text": "What is it?"}],
    },
    {"role": "assistant", "content": [{"text": "A picture."}]},
    {"role": "user", "content": [{"text": "Describe it."}]},
]


def test_nova_body_round_trip():
    body = invoke.nova_body(MESSAGES, system="Be brief.", max_tokens=500, top_p=0.9, top_k=20, temperature=0.7)
    assert body["schemaVersion"] == "messages-v1"
    assert body["system"] == [{"text": "Be brief."}]
    assert body["inferenceConfig"] == {"maxTokens": 500, "temperature": 0.7, "topP": 0.9, "topK": 20}
    assert body["messages"][0]["content"][0]["image"]["source"]["bytes"] == "iVBORw=="
    json.dumps(body)  # ready to send
    back = invoke.to_converse(body)
    assert back["messages"] == MESSAGES
    assert back["system"] == [{"text": "Be brief."}]
    assert back["inferenceConfig"] == {"maxTokens": 500, "temperature": 0.7, "topP": 0.9}


def test_claude_body_round_trip():
    body = invoke.claude_body(MESSAGES, max_tokens=300, system=["Be brief."], temperature=0.5, top_k=200)
    assert body["anthropic_version"] == "bedrock-2023-05-31"
    assert body["messages"][0]["content"][0] == {
        "type": "image",
        "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw=="},
    }
    assert (body["system"], body["temperature"], body["top_k"]) == ("Be brief.", 0.5, 200)
    back = invoke.to_converse(body)
    assert back["messages"] == MESSAGES
    assert back["inferenceConfig"] == {"maxTokens": 300, "temperature": 0.5}


@pytest.mark.parametrize(
    "build", [invoke.nova_body, lambda m: invoke.claude_body(m, max_tokens=10)], ids=["nova", "claude"]
)
def test_documents_are_converse_only(build):
    messages = [
        {
            "role": "user",
            "content": [{"text": "Sum up"}, {"document": {"format": "txt", "name": "n", "source": {"bytes": b"x"}}}],
        }
    ]
    with pytest.raises(ValueError, match="document blocks are not part of the .* Invoke body; send them with Converse"):
        build(messages)


@pytest.mark.parametrize(
    "model_id, build",
    [
        (NOVA, lambda m: invoke.nova_body(m, max_tokens=400)),
        (HAIKU, lambda m: invoke.claude_body(m, max_tokens=400)),
    ],
    ids=["nova", "claude"],
)
def test_invoke_stream_collects_into_the_invoke_response(runtime, model_id, build):
    body = build(ASK["messages"])
    whole = invoke.invoke(runtime, model_id, body)
    timer = streaming.StreamTimer()
    pieces = []
    response = runtime.invoke_model_with_response_stream(modelId=model_id, body=json.dumps(body))
    collected = invoke.collect(response, on_text=pieces.append, timer=timer)
    whole.pop("id", None), collected.pop("id", None)  # Claude's message id names the request
    assert collected == whole
    assert "".join(pieces) == invoke.to_message(whole)["content"][0]["text"]
    assert timer.first_token_ms is not None and timer.total_ms >= timer.first_token_ms


def test_invoke_stream_failure_keeps_the_text(runtime):
    faults_of(runtime).fail_stream(after=4, error="throttlingException")
    response = runtime.invoke_model_with_response_stream(
        modelId=NOVA, body=json.dumps(invoke.nova_body(ASK["messages"]))
    )
    with pytest.raises(streaming.StreamInterrupted) as excinfo:
        invoke.collect(response)
    assert excinfo.value.code == "throttlingException"
    assert excinfo.value.text and excinfo.value.partial["output"]["message"]["content"][0]["text"] == excinfo.value.text


def test_to_message_for_both_dialects(runtime):
    nova = invoke.invoke(runtime, NOVA, invoke.nova_body(ASK["messages"]))
    claude = invoke.invoke(runtime, HAIKU, invoke.claude_body(ASK["messages"], max_tokens=400))
    assert invoke.to_message(nova) == nova["output"]["message"]
    assert invoke.to_message(claude) == {"role": "assistant", "content": [{"text": claude["content"][0]["text"]}]}


def test_claude_2_prompts_map_to_messages():
    prompt = "You are terse.\n\nHuman: Name a river.\n\nAssistant: The Nile.\n\nHuman: Another?\n\nAssistant:"
    system, messages = invoke.completion_to_messages(prompt)
    assert system == [{"text": "You are terse."}]
    assert messages == [text_message("Name a river."), text_message("The Nile.", "assistant"), text_message("Another?")]
    assert invoke.messages_to_completion(messages, system) == prompt
    with pytest.raises(ValueError, match="Human:"):
        invoke.completion_to_messages("\n\nAssistant: hello")


# ---- one collector for every stream: indexes, block kinds, unknown chunks ---------------------------------

CLAUDE_2 = "anthropic.claude-v2:1"  # migrate_models: keep (Text Completions; EOL 2025, replayed)


def test_claude_2_text_completion_stream_collects_into_its_body(replay_day, runtime):
    body = {"prompt": invoke.messages_to_completion(ASK["messages"]), "max_tokens_to_sample": 300}
    whole = invoke.invoke(runtime, CLAUDE_2, body)
    pieces = []
    response = runtime.invoke_model_with_response_stream(modelId=CLAUDE_2, body=json.dumps(body))
    assert invoke.collect(response, on_text=pieces.append) == whole
    assert "".join(pieces) == whole["completion"] and len(pieces) > 1


def _stream_of(chunks):
    return {"body": [{"chunk": {"bytes": json.dumps(chunk).encode()}} for chunk in chunks]}


def test_nova_chunks_keep_blocks_by_index_and_parse_tool_input():
    chunks = [
        {"messageStart": {"role": "assistant"}},
        {"contentBlockDelta": {"delta": {"text": "Let me check."}, "contentBlockIndex": 0}},
        {"contentBlockStop": {"contentBlockIndex": 0}},
        {
            "contentBlockStart": {
                "start": {"toolUse": {"toolUseId": "tooluse_1", "name": "weather"}},
                "contentBlockIndex": 1,
            }
        },
        {"contentBlockDelta": {"delta": {"toolUse": {"input": '{"city": "Li'}}, "contentBlockIndex": 1}},
        {"contentBlockDelta": {"delta": {"toolUse": {"input": 'sbon"}'}}, "contentBlockIndex": 1}},
        {"contentBlockStop": {"contentBlockIndex": 1}},
        {"messageStop": {"stopReason": "tool_use"}},
        {"metadata": {"usage": {"inputTokens": 5, "outputTokens": 9, "totalTokens": 14}}},
    ]
    assert invoke.collect(_stream_of(chunks)) == {
        "output": {
            "message": {
                "role": "assistant",
                "content": [
                    {"text": "Let me check."},
                    {"toolUse": {"toolUseId": "tooluse_1", "name": "weather", "input": {"city": "Lisbon"}}},
                ],
            }
        },
        "stopReason": "tool_use",
        "usage": {"inputTokens": 5, "outputTokens": 9, "totalTokens": 14},
    }


def test_claude_chunks_assemble_tool_input_json():
    chunks = [
        {"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant", "content": []}},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Checking."}},
        {"type": "content_block_stop", "index": 0},
        {
            "type": "content_block_start",
            "index": 1,
            "content_block": {"type": "tool_use", "id": "toolu_1", "name": "w", "input": {}},
        },
        {"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": '{"n": '}},
        {"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": "3}"}},
        {"type": "content_block_stop", "index": 1},
        {"type": "message_delta", "delta": {"stop_reason": "tool_use"}, "usage": {"output_tokens": 7}},
        {"type": "message_stop"},
    ]
    body = invoke.collect(_stream_of(chunks))
    assert body["content"] == [
        {"type": "text", "text": "Checking."},
        {"type": "tool_use", "id": "toolu_1", "name": "w", "input": {"n": 3}},
    ]
    assert (body["stop_reason"], body["usage"]) == ("tool_use", {"output_tokens": 7})


@pytest.mark.parametrize(
    "chunks",
    [
        [{"somethingNew": {}}],
        [{"messageStart": {"role": "assistant"}}, {"type": "message_start", "message": {}}],
        [{"type": "message_start", "message": {"role": "assistant"}}, {"type": "content_block_teleport", "index": 0}],
        [
            {"messageStart": {"role": "assistant"}},
            {"contentBlockDelta": {"delta": {"citation": {}}, "contentBlockIndex": 0}},
        ],
        [],
    ],
    ids=["unknown-dialect", "mixed-dialects", "unknown-claude-type", "unknown-delta", "no-chunks"],
)
def test_a_chunk_no_collector_knows_raises(chunks):
    with pytest.raises(streaming.UnknownEvent):
        invoke.collect(_stream_of(chunks))


def test_converse_stream_collector_refuses_a_text_delta_into_a_tool_block():
    events = [
        {"messageStart": {"role": "assistant"}},
        {"contentBlockStart": {"contentBlockIndex": 0, "start": {"toolUse": {"toolUseId": "t", "name": "f"}}}},
        {"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"text": "oops"}}},
    ]
    with pytest.raises(streaming.UnknownEvent, match="text delta arrived for block 0, which is a toolUse block"):
        streaming.collect({"stream": events})


def test_converse_stream_collector_raises_on_an_unknown_event():
    with pytest.raises(streaming.UnknownEvent, match="Unknown stream event 'newEvent'"):
        streaming.collect({"stream": [{"messageStart": {"role": "assistant"}}, {"newEvent": {}}]})

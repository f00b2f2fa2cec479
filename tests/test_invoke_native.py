"""InvokeModel and InvokeModelWithResponseStream with Nova and Claude native bodies, via real boto3."""

import base64
import json

import pytest
from botocore.exceptions import ClientError, EventStreamError

from conftest import error_of, text_message
from helpers.offline import faults as faults_of

NOVA = "us.amazon.nova-lite-v1:0"
HAIKU = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
CLAUDE_3_HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"  # migrate_models: keep (EOL 2026-09-10)
NOVA_BODY = {
    "schemaVersion": "messages-v1",
    "system": [{"text": "Act as a creative writing assistant."}],
    "messages": [{"role": "user", "content": [{"text": "Tell me about rivers."}]}],
    "inferenceConfig": {"maxTokens": 500, "topP": 0.9, "topK": 20, "temperature": 0.7},
}
CLAUDE_BODY = {
    "anthropic_version": "bedrock-2023-05-31",
    "max_tokens": 300,
    "system": "Be brief.",
    "messages": [{"role": "user", "content": "Tell me about rivers."}],
}


def invoke(client, model_id, body, **kwargs):
    response = client.invoke_model(modelId=model_id, body=json.dumps(body), **kwargs)
    return response, json.loads(response["body"].read())


def stream_chunks(client, model_id, body, **kwargs):
    response = client.invoke_model_with_response_stream(modelId=model_id, body=json.dumps(body), **kwargs)
    return response, [json.loads(event["chunk"]["bytes"]) for event in response["body"]]


def converse_equivalent(client, model_id):
    return client.converse(
        modelId=model_id,
        system=[{"text": "Act as a creative writing assistant."}],
        messages=[text_message("Tell me about rivers.")],
        inferenceConfig={"maxTokens": 500, "topP": 0.9, "temperature": 0.7},
    )


# ---- Nova --------------------------------------------------------------------------------------
@pytest.mark.parametrize("client", ["runtime", "http_runtime"])
def test_nova_invoke_response_and_headers(client, request):
    runtime = request.getfixturevalue(client)
    response, body = invoke(runtime, NOVA, NOVA_BODY)
    expected = converse_equivalent(runtime, NOVA)
    assert body == {
        "output": {"message": {"content": expected["output"]["message"]["content"], "role": "assistant"}},
        "stopReason": "end_turn",
        "usage": {**expected["usage"], "cacheReadInputTokenCount": 0, "cacheWriteInputTokenCount": 0},
    }
    headers = response["ResponseMetadata"]["HTTPHeaders"]
    assert response["contentType"] == "application/json"
    assert headers["x-amzn-bedrock-input-token-count"] == str(expected["usage"]["inputTokens"])
    assert headers["x-amzn-bedrock-output-token-count"] == str(expected["usage"]["outputTokens"])
    assert headers["x-amzn-bedrock-invocation-latency"] == str(expected["metrics"]["latencyMs"])


@pytest.mark.parametrize("client", ["runtime", "http_runtime"])
def test_nova_stream_chunks(client, request):
    runtime = request.getfixturevalue(client)
    _, whole = invoke(runtime, NOVA, NOVA_BODY)
    response, chunks = stream_chunks(runtime, NOVA, NOVA_BODY)
    assert response["contentType"] == "application/json"
    assert response["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "application/vnd.amazon.eventstream"
    keys = [next(iter(chunk)) for chunk in chunks]
    deltas = [c["contentBlockDelta"] for c in chunks if "contentBlockDelta" in c]
    assert keys == ["messageStart"] + ["contentBlockDelta"] * len(deltas) + [
        "contentBlockStop",
        "messageStop",
        "metadata",
    ]
    assert "".join(d["delta"]["text"] for d in deltas) == whole["output"]["message"]["content"][0]["text"]
    assert chunks[-2] == {"messageStop": {"stopReason": "end_turn"}}
    usage = whole["usage"]
    assert chunks[-1]["metadata"] == {"usage": usage, "metrics": {}, "trace": {}}
    metrics = chunks[-1]["amazon-bedrock-invocationMetrics"]
    assert (metrics["inputTokenCount"], metrics["outputTokenCount"]) == (usage["inputTokens"], usage["outputTokens"])
    assert 0 < metrics["firstByteLatency"] < metrics["invocationLatency"]


def test_nova_image_bytes_are_base64(runtime):
    png = base64.b64decode(  # a 1 x 1 white PNG
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC"
    )
    body = {
        **NOVA_BODY,
        "messages": [
            {
                "role": "user",
                "content": [
                    {"image": {"format": "png", "source": {"bytes": base64.b64encode(png).decode()}}},
                    {"text": "What is this?"},
                ],
            }
        ],
    }
    _, answer = invoke(runtime, NOVA, body)
    assert "a PNG image of 1 x 1 pixels" in answer["output"]["message"]["content"][0]["text"]


NOVA_ERRORS = [
    ({**NOVA_BODY, "top_p": 0.9}, "#: extraneous key [top_p] is not permitted"),
    (
        {**NOVA_BODY, "inferenceConfig": {"maxTokens": 5001}},
        "#/inferenceConfig/maxTokens: 5001 is not less or equal to 5000",
    ),
    (
        {**NOVA_BODY, "inferenceConfig": {"max_tokens": 10}},
        "#/inferenceConfig: extraneous key [max_tokens] is not permitted",
    ),
    ({k: v for k, v in NOVA_BODY.items() if k != "messages"}, "#: required key [messages] not found"),
    (
        {
            **NOVA_BODY,
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"text": "Summarise"},
                        {"document": {"format": "txt", "name": "notes", "source": {"bytes": "aGk="}}},
                    ],
                }
            ],
        },
        "#/messages/0/content/1: extraneous key [document] is not permitted",
    ),
    (
        {**NOVA_BODY, "inferenceConfig": {"temperature": "warm"}},
        "#/inferenceConfig/temperature: expected type: Number, found: String",
    ),
    (
        {
            **NOVA_BODY,
            "messages": [{"role": "user", "content": [{"image": {"format": "png", "source": {"bytes": "%%%"}}}]}],
        },
        "#/messages/0/content/0/image/source/bytes: expected base64-encoded bytes",
    ),
]


@pytest.mark.parametrize("body, detail", NOVA_ERRORS, ids=lambda v: v if isinstance(v, str) else "")
def test_nova_validation(runtime, body, detail):
    with pytest.raises(ClientError) as excinfo:
        invoke(runtime, NOVA, body)
    assert error_of(excinfo) == (
        400,
        "ValidationException",
        f"Malformed input request: {detail}, please reformat your input and try again.",
    )


def test_nova_conversation_rules_match_converse(runtime):
    body = {**NOVA_BODY, "messages": [{"role": "assistant", "content": [{"text": "Hi"}]}]}
    with pytest.raises(ClientError) as excinfo:
        invoke(runtime, NOVA, body)
    assert error_of(excinfo)[2].startswith("A conversation must start with a user message.")


# ---- Claude ------------------------------------------------------------------------------------
@pytest.mark.parametrize("client", ["runtime", "http_runtime"])
def test_claude_invoke_response(client, request):
    runtime = request.getfixturevalue(client)
    _, body = invoke(runtime, HAIKU, CLAUDE_BODY)
    expected = runtime.converse(
        modelId=HAIKU,
        system=[{"text": "Be brief."}],
        messages=[text_message("Tell me about rivers.")],
        inferenceConfig={"maxTokens": 300},
    )
    assert body["id"].startswith("msg_bdrk_") and len(body["id"]) == 33
    assert {k: v for k, v in body.items() if k != "id"} == {
        "type": "message",
        "role": "assistant",
        "model": "claude-haiku-4-5-20251001",
        "content": [{"type": "text", "text": expected["output"]["message"]["content"][0]["text"]}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": expected["usage"]["inputTokens"], "output_tokens": expected["usage"]["outputTokens"]},
    }
    assert invoke(runtime, HAIKU, CLAUDE_BODY)[1] == body  # deterministic, id included


def test_claude_block_content_and_stop_sequence(runtime):
    body = {
        **CLAUDE_BODY,
        "messages": [{"role": "user", "content": [{"type": "text", "text": "Tell me about rivers."}]}],
        "stop_sequences": ["offline"],
    }
    _, answer = invoke(runtime, HAIKU, body)
    assert answer["stop_reason"] == "stop_sequence"
    assert answer["stop_sequence"] == "offline"
    assert "offline" not in answer["content"][0]["text"]


@pytest.mark.parametrize("client", ["runtime", "http_runtime"])
def test_claude_stream_chunks(client, request):
    runtime = request.getfixturevalue(client)
    _, whole = invoke(runtime, HAIKU, CLAUDE_BODY)
    _, chunks = stream_chunks(runtime, HAIKU, CLAUDE_BODY)
    types = [c["type"] for c in chunks]
    deltas = [c for c in chunks if c["type"] == "content_block_delta"]
    assert types == ["message_start", "content_block_start"] + ["content_block_delta"] * len(deltas) + [
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    assert all(d["delta"]["type"] == "text_delta" and d["index"] == 0 for d in deltas)
    assert "".join(d["delta"]["text"] for d in deltas) == whole["content"][0]["text"]
    start = chunks[0]["message"]
    assert (start["content"], start["stop_reason"], start["model"]) == ([], None, whole["model"])
    assert chunks[-2]["delta"] == {"stop_reason": "end_turn", "stop_sequence": None}
    assert chunks[-2]["usage"] == {"output_tokens": whole["usage"]["output_tokens"]}
    assert chunks[-1]["amazon-bedrock-invocationMetrics"]["outputTokenCount"] == whole["usage"]["output_tokens"]


PREFIX = '#: subject must not be valid against schema {"required":["messages"]}'
CLAUDE_ERRORS = [
    (
        {k: v for k, v in CLAUDE_BODY.items() if k != "anthropic_version"},
        PREFIX + "#: required key [anthropic_version] not found",
    ),
    ({k: v for k, v in CLAUDE_BODY.items() if k != "max_tokens"}, PREFIX + "#: required key [max_tokens] not found"),
    ({**CLAUDE_BODY, "stream": True}, PREFIX + "#: extraneous key [stream] is not permitted"),
    (
        {"messages": CLAUDE_BODY["messages"], "inferenceConfig": {}},
        PREFIX + "#: required key [max_tokens] not found#: required key [anthropic_version] not found"
        "#: extraneous key [inferenceConfig] is not permitted",
    ),
    ({**CLAUDE_BODY, "max_tokens": 4097}, PREFIX + "#/max_tokens: 4097 is not less or equal to 4096"),
    ({**CLAUDE_BODY, "temperature": 1.5}, PREFIX + "#/temperature: 1.5 is not less or equal to 1"),
    (
        {**CLAUDE_BODY, "messages": [{"role": "user", "content": []}]},
        PREFIX + "#/messages/0/content: expected type: String, found: JSONArray"
        "#/messages/0/content: expected minimum item count: 1, found: 0",
    ),
]


@pytest.mark.parametrize("body, detail", CLAUDE_ERRORS, ids=lambda v: v if isinstance(v, str) else "")
def test_claude_malformed_input_verbatim(replay_day, runtime, body, detail):
    """Claude 3 Haiku's schema (with its text-completion prefix), on a day the model was ACTIVE."""
    with pytest.raises(ClientError) as excinfo:
        invoke(runtime, CLAUDE_3_HAIKU, body)
    assert error_of(excinfo) == (
        400,
        "ValidationException",
        f"Malformed input request: {detail}, please reformat your input and try again.",
    )


def test_claude_3_5_stream_key_error_reads_as_bedrock_facts_quote_it(runtime):
    """Messages-only schema (Claude 3.5): no text-completion prefix before the detail."""
    with pytest.raises(ClientError) as excinfo:
        invoke(runtime, "us.anthropic.claude-sonnet-4-6", {**CLAUDE_BODY, "stream": True})
    assert error_of(excinfo) == (
        400,
        "ValidationException",
        "Malformed input request: #: extraneous key [stream] is not permitted, please reformat your input and try again.",
    )


@pytest.mark.parametrize(
    "messages, message",
    [
        ([], "messages: at least one message is required"),
        ([{"role": "assistant", "content": "Hi"}], 'messages: first message must use the "user" role'),
        (
            [{"role": "user", "content": "Hi"}, {"role": "user", "content": "Again"}],
            'messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row',
        ),
        ([{"role": "user", "content": "  "}], "messages: text content blocks must be non-empty"),
    ],
)
def test_claude_conversation_rules(runtime, messages, message):
    with pytest.raises(ClientError) as excinfo:
        invoke(runtime, HAIKU, {**CLAUDE_BODY, "messages": messages})
    assert error_of(excinfo) == (400, "ValidationException", message)


# ---- both --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"contentType": "text/plain"}, "The provided Content Type is invalid or not supported for this model"),
        ({"accept": "text/html"}, "The provided Accept Type is invalid or not supported for this model"),
    ],
)
@pytest.mark.parametrize("operation", ["invoke_model", "invoke_model_with_response_stream"])
def test_content_types_other_than_json_are_refused(runtime, operation, kwargs, message):
    with pytest.raises(ClientError) as excinfo:
        getattr(runtime, operation)(modelId=NOVA, body=json.dumps(NOVA_BODY), **kwargs)
    assert error_of(excinfo) == (400, "ValidationException", message)


def test_json_content_types_are_accepted(runtime):
    _, body = invoke(runtime, NOVA, NOVA_BODY, contentType="application/json", accept="*/*")
    assert body["stopReason"] == "end_turn"


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b""], ids=["text", "array", "empty"])
def test_body_that_is_not_a_json_object(runtime, raw):
    with pytest.raises(ClientError) as excinfo:
        runtime.invoke_model(modelId=HAIKU, body=raw)
    assert error_of(excinfo) == (
        400,
        "ValidationException",
        "Malformed input request, please reformat your input and try again.",
    )


def test_models_without_an_offline_native_dialect(legacy_user, runtime):
    with pytest.raises(ClientError) as excinfo:
        invoke(runtime, "amazon.titan-text-express-v1", {"inputText": "Hi"})
    status, code, message = error_of(excinfo)
    assert (status, code) == (400, "ValidationException")
    assert message.startswith(
        "The offline emulator speaks the Invoke API of Amazon Nova and Anthropic Claude models only"
    )


def test_unknown_model(runtime):
    with pytest.raises(ClientError) as excinfo:
        invoke(runtime, "amazon.nova-ultra-v9:0", NOVA_BODY)
    assert error_of(excinfo) == (400, "ValidationException", "The provided model identifier is invalid.")


@pytest.mark.parametrize("model_id, body", [(NOVA, NOVA_BODY), (HAIKU, CLAUDE_BODY)], ids=["nova", "claude"])
def test_stream_errors_after_n_chunks(runtime, model_id, body):
    faults_of(runtime).fail_stream(after=3, error="modelTimeoutException")
    response = runtime.invoke_model_with_response_stream(modelId=model_id, body=json.dumps(body))
    received = []
    with pytest.raises(EventStreamError) as excinfo:
        for event in response["body"]:
            received.append(event)
    assert len(received) == 3
    assert excinfo.value.response["Error"]["Code"] == "modelTimeoutException"


def test_count_tokens_with_an_invoke_body(runtime):
    counted = runtime.count_tokens(
        modelId="amazon.nova-lite-v1:0", input={"invokeModel": {"body": json.dumps(NOVA_BODY)}}
    )
    _, answer = invoke(runtime, "amazon.nova-lite-v1:0", NOVA_BODY)
    assert counted["inputTokens"] == answer["usage"]["inputTokens"]

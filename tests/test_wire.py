"""The wire, attacked: malformed and hostile requests over real HTTP always get Bedrock's error JSON
with `x-amzn-ErrorType` (never a 500, a traceback or a hang), and the control plane's filters and
pagination behave like Bedrock's, in-process and over HTTP."""

from __future__ import annotations

import json

import pytest
import rawhttp
from botocore.exceptions import ClientError

from conftest import error_of, text_message
from helpers.offline import tokens
from helpers.offline.errors import MSG_INPUT_TOO_LONG, MSG_INVALID_MODEL, MSG_START_WITH_USER
from helpers.offline.server import BedrockHandler

HAIKU = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
ERROR_TYPE_SUFFIX = ":http://internal.amazon.com/coral/com.amazon.bedrock/"
HELLO = [text_message("Hello there.")]


def assert_error(answer, status: int, code: str, message: str) -> None:
    """Bedrock's error wire format: status, x-amzn-ErrorType, JSON content type, {"message": ...}."""
    assert answer.status == status
    assert answer.headers["x-amzn-errortype"] == code + ERROR_TYPE_SUFFIX
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == {"message": message}


def validation(answer, message: str) -> None:
    assert_error(answer, 400, "ValidationException", message)


# ---- hostile bodies ---------------------------------------------------------------------------------


def test_invalid_json(server):
    validation(
        rawhttp.converse(server.url, HAIKU, b'{"messages": [}'),
        "The request body is not valid JSON: Expecting value: line 1 column 15 (char 14).",
    )


def test_body_that_is_not_utf8(server):
    answer = rawhttp.converse(server.url, HAIKU, b"\xff\xfe{}")
    assert (answer.status, answer.error_type) == (400, "ValidationException")
    assert answer.message.startswith("The request body is not valid JSON")


@pytest.mark.parametrize("payload", [b"[1, 2]", b'"messages"', b"42", b"null"])
def test_json_that_is_not_an_object(server, payload):
    validation(rawhttp.converse(server.url, HAIKU, payload), "The request body must be a JSON object.")


@pytest.mark.parametrize(
    "body, message",
    [
        (
            {"messages": [{"role": 5, "content": "x"}]},
            "2 validation errors detected: "
            "Value '5' at 'messages.1.member.role' failed to satisfy constraint: Member must be a string; "
            "Value 'x' at 'messages.1.member.content' failed to satisfy constraint: Member must be a list",
        ),
        (
            {"messages": {}},
            "1 validation error detected: Value '{...}' at 'messages' failed to satisfy constraint: "
            "Member must be a list",
        ),
        (
            {"messages": [{"role": "user", "content": [{"text": ["a"]}]}]},
            "1 validation error detected: Value '[...]' at 'messages.1.member.content.1.member.text' "
            "failed to satisfy constraint: Member must be a string",
        ),
        (
            {"messages": HELLO, "inferenceConfig": {"maxTokens": "ten"}},
            "1 validation error detected: Value 'ten' at 'inferenceConfig.maxTokens' failed to satisfy "
            "constraint: Member must be an integer",
        ),
        (
            {"messages": HELLO, "inferenceConfig": {"temperature": True}},
            "1 validation error detected: Value 'true' at 'inferenceConfig.temperature' failed to satisfy "
            "constraint: Member must be a number",
        ),
        (
            {"messages": [{"role": "user", "content": [{}]}]},
            "1 validation error detected: Value '{...}' at 'messages.1.member.content.1.member' failed to "
            "satisfy constraint: Member must have exactly one field set",
        ),
        (
            {"messages": [None]},
            "1 validation error detected: Value null at 'messages.1.member' failed to satisfy constraint: "
            "Member must not be null",
        ),
        ({"system": [{"text": "Be brief."}]}, MSG_START_WITH_USER),  # botocore's model: messages optional
    ],
)
def test_wrong_types(server, body, message):
    validation(rawhttp.converse(server.url, HAIKU, body), message)


@pytest.mark.parametrize(
    "body, path",
    [
        ({"messages": [{"role": "user", "content": [{"text": None}]}]}, "messages.1.member.content.1.member"),
        (
            {"messages": [{"role": "user", "content": [{"text": "Hi", "image": None}]}]},
            "messages.1.member.content.1.member",
        ),
        ({"messages": HELLO, "system": [{"text": None}]}, "system.1.member"),
    ],
)
def test_null_union_members_set_nothing(server, body, path):
    validation(
        rawhttp.converse(server.url, HAIKU, body),
        f"1 validation error detected: Value '{{...}}' at '{path}' failed to satisfy constraint: "
        "Member must have exactly one field set",
    )


def test_count_tokens_ignores_members_it_does_not_define(server):
    """CountTokens' converse input has no inferenceConfig: a malformed one is ignored, not read."""
    body = {"input": {"converse": {"messages": HELLO, "inferenceConfig": "hot"}}}
    answer = rawhttp.send(server.url, "POST", f"/model/{HAIKU}/count-tokens", json.dumps(body).encode())
    assert answer.status == 200
    assert answer.json() == {"inputTokens": tokens.count("Hello there.") + tokens.MESSAGE_OVERHEAD}


def test_count_tokens_with_a_null_input(server):
    body = {"input": {"converse": None}}
    validation(
        rawhttp.send(server.url, "POST", f"/model/{HAIKU}/count-tokens", json.dumps(body).encode()),
        "1 validation error detected: Value '{...}' at 'input' failed to satisfy constraint: "
        "Member must have exactly one field set",
    )


@pytest.mark.parametrize(
    "model_id, body, message",
    [
        (
            "amazon.nova-lite-v1:0",
            {"schemaVersion": "messages-v1", "messages": [{"role": "user", "content": [{}]}]},
            "Malformed input request: #/messages/0/content/0: minimum size: [1], found: [0], "
            "please reformat your input and try again.",
        ),
        (
            "amazon.nova-lite-v1:0",
            {"messages": [{"role": "user", "content": [{"text": "Hi", "video": {"format": "mp4", "source": {}}}]}]},
            "Malformed input request: #/messages/0/content/0: maximum size: [1], found: [2], "
            "please reformat your input and try again.",
        ),
        (
            HAIKU,
            {
                "anthropic_version": "bedrock-2023-05-31",
                "max_tokens": 10,
                "messages": [
                    {"role": "user", "content": [{"type": "image", "source": {"type": "base64", "data": {"x": 1}}}]}
                ],
            },
            "Malformed input request: #: image source data must be base64-encoded, "
            "please reformat your input and try again.",
        ),
    ],
)
@pytest.mark.parametrize("operation", ["invoke", "invoke-with-response-stream"])
def test_hostile_native_bodies(server, model_id, body, message, operation):
    path = f"/model/{rawhttp.quote(model_id, safe='')}/{operation}"
    validation(rawhttp.send(server.url, "POST", path, json.dumps(body).encode()), message)


@pytest.mark.parametrize("opening, closing", [(b"[", b"]"), (b'{"a":', b"}")])
def test_deep_nesting(server, opening, closing):
    depth = 100_000
    validation(
        rawhttp.converse(server.url, HAIKU, opening * depth + b"1" + closing * depth),
        "The request body is nested too deeply to be processed.",
    )


def test_deep_nesting_inside_a_valid_request(server):
    body = '{"messages": [], "additionalModelRequestFields": ' + '{"k": ' * 100_000 + "{}" + "}" * 100_000 + "}"
    validation(
        rawhttp.converse(server.url, HAIKU, body.encode()), "The request body is nested too deeply to be processed."
    )


def test_huge_user_text_is_refused_before_tokenizing(server):
    body = {"messages": [text_message("x" * 20_000_000)]}
    validation(rawhttp.converse(server.url, HAIKU, body), MSG_INPUT_TOO_LONG)


def test_huge_system_prompt(server):
    body = {"messages": HELLO, "system": [{"text": "word " * 1_000_000}]}
    validation(rawhttp.converse(server.url, HAIKU, body), MSG_INPUT_TOO_LONG)


def test_input_just_over_the_context_window(runtime):
    """The exact count decides near the limit: 200,000 tokens of input is one too many for Haiku."""
    text = " a" * (200_000 - 3 + 1)  # plus 3 tokens for the message
    with pytest.raises(ClientError) as excinfo:
        runtime.converse(modelId=HAIKU, messages=[text_message(text)])
    assert error_of(excinfo) == (400, "ValidationException", MSG_INPUT_TOO_LONG)
    fits = runtime.converse(modelId=HAIKU, messages=[text_message(text[2:])], inferenceConfig={"maxTokens": 1})
    assert fits["usage"]["inputTokens"] == 200_000


def test_oversized_content_length_is_refused_without_reading(server, monkeypatch):
    monkeypatch.setattr(BedrockHandler, "timeout", 5)  # were the body awaited, this would be a 408
    request = (
        f"POST {rawhttp.converse_path(HAIKU)} HTTP/1.1\r\nHost: localhost\r\n"
        "Content-Type: application/json\r\nContent-Length: 999999999999\r\n\r\n"
    )
    validation(rawhttp.send_bytes(server.url, request.encode()), "The request body is larger than the service accepts.")


@pytest.mark.parametrize(
    "framing",
    ["Content-Length: -5\r\n", "Content-Length: lots\r\n", "Transfer-Encoding: chunked\r\n\r\nzz\r\n"],
)
def test_malformed_framing(server, framing):
    request = f"POST {rawhttp.converse_path(HAIKU)} HTTP/1.1\r\nHost: localhost\r\n{framing}\r\n"
    validation(
        rawhttp.send_bytes(server.url, request.encode()),
        "The request's Content-Length or chunked transfer encoding is malformed.",
    )


def test_truncated_body_times_out_instead_of_hanging(monkeypatch):
    """The client promises 100 bytes, sends 15 and waits: the server gives up after its socket timeout."""
    monkeypatch.setattr(BedrockHandler, "timeout", 0.5)
    from helpers.offline.server import running

    with running(port=0) as server:
        request = (
            f"POST {rawhttp.converse_path(HAIKU)} HTTP/1.1\r\nHost: localhost\r\n"
            'Content-Length: 100\r\n\r\n{"messages": ['
        )
        answer = rawhttp.send_bytes(server.url, request.encode(), timeout=30)
    assert_error(answer, 408, "RequestTimeoutException", "Timed out waiting for the rest of the request body.")


def test_body_cut_short_by_the_client(server):
    """The client promises 100 bytes, sends 15 and hangs up its sending side."""
    request = (
        f'POST {rawhttp.converse_path(HAIKU)} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{{"messages": ['
    )
    validation(
        rawhttp.send_bytes(server.url, request.encode(), half_close=True),
        "The request's Content-Length or chunked transfer encoding is malformed.",
    )


def test_chunked_request_body_is_accepted(server):
    body = json.dumps({"messages": HELLO}).encode()
    half = len(body) // 2
    chunks = b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (half, body[:half], len(body) - half, body[half:])
    request = (
        f"POST {rawhttp.converse_path(HAIKU)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()
    answer = rawhttp.send_bytes(server.url, request + chunks)
    assert answer.status == 200
    assert answer.json()["stopReason"] == "end_turn"


def test_hostile_host_header_and_request_target(server):
    request = b"GET [::1 HTTP/1.1\r\nHost: [\r\nConnection: close\r\n\r\n"
    assert_error(
        rawhttp.send_bytes(server.url, request),
        404,
        "UnknownOperationException",
        "The requested operation is not recognized by the service.",
    )


# ---- paths and methods ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/nope", "/model/x", "/model/x/conversation", "/model//converse/extra"])
def test_unknown_paths(server, path):
    assert_error(
        rawhttp.send(server.url, "POST", path, b"{}"),
        404,
        "UnknownOperationException",
        "The requested operation is not recognized by the service.",
    )


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"])
def test_wrong_method(server, method):
    path = rawhttp.converse_path(HAIKU)
    assert_error(
        rawhttp.send(server.url, method, path), 405, "ValidationException", f"Method {method} is not allowed on {path}."
    )


def test_wrong_method_on_the_control_plane(server):
    assert_error(
        rawhttp.send(server.url, "POST", "/foundation-models", b"{}"),
        405,
        "ValidationException",
        "Method POST is not allowed on /foundation-models.",
    )


def test_unknown_model_over_raw_http(server):
    validation(rawhttp.converse(server.url, "not-a-model", {"messages": HELLO}), MSG_INVALID_MODEL)


def test_keep_alive_connection_survives_an_error(server):
    """After a 400 the same connection serves the next request (the error body was complete)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("POST", rawhttp.converse_path(HAIKU), body=b"[]")
        first = connection.getresponse()
        first.read()
        connection.request("POST", rawhttp.converse_path(HAIKU), body=json.dumps({"messages": HELLO}).encode())
        second = connection.getresponse()
        assert (first.status, second.status) == (400, 200)
        assert json.loads(second.read())["stopReason"] == "end_turn"
    finally:
        connection.close()


# ---- control plane ----------------------------------------------------------------------------------


@pytest.fixture(params=["in-process", "http"])
def any_control(request):
    """The same control-plane client code against both transports."""
    return request.getfixturevalue("control" if request.param == "in-process" else "http_control")


def model_ids(response) -> list[str]:
    return [summary["modelId"] for summary in response["modelSummaries"]]


@pytest.mark.parametrize("provider", ["anthropic", "Anthropic", "ANTHROPIC"])
def test_by_provider_is_case_insensitive(any_control, provider):
    ids = model_ids(any_control.list_foundation_models(byProvider=provider))
    assert ids and all(i.startswith("anthropic.") for i in ids)
    assert "anthropic.claude-haiku-4-5-20251001-v1:0" in ids
    assert "anthropic.claude-sonnet-4-6" in ids


def test_unfiltered_list_holds_every_provider(any_control):
    providers = {s["providerName"] for s in any_control.list_foundation_models()["modelSummaries"]}
    assert {"Anthropic", "Amazon", "Meta"} <= providers


def test_by_output_modality(any_control):
    embedding = any_control.list_foundation_models(byOutputModality="EMBEDDING")["modelSummaries"]
    assert [s["modelId"] for s in embedding] == [
        "amazon.titan-embed-text-v2:0",
        "amazon.nova-2-multimodal-embeddings-v1:0",
    ]
    image = model_ids(any_control.list_foundation_models(byOutputModality="IMAGE"))
    assert image == []  # Nova Canvas, the only image model, reached end of life on 2026-09-30


def test_by_inference_type(any_control):
    on_demand = model_ids(any_control.list_foundation_models(byInferenceType="ON_DEMAND"))
    assert "amazon.nova-micro-v1:0" in on_demand
    assert "anthropic.claude-sonnet-4-6" not in on_demand  # profile-only
    assert model_ids(any_control.list_foundation_models(byInferenceType="PROVISIONED")) == []


def test_filters_combine(any_control):
    ids = model_ids(any_control.list_foundation_models(byProvider="amazon", byOutputModality="TEXT"))
    assert "amazon.nova-lite-v1:0" in ids
    assert "amazon.titan-embed-text-v2:0" not in ids and "amazon.nova-canvas-v1:0" not in ids


@pytest.mark.parametrize(
    "query, message",
    [
        (
            "byOutputModality=AUDIO",
            "1 validation error detected: Value 'AUDIO' at 'byOutputModality' failed to "
            "satisfy constraint: Member must satisfy enum value set: [TEXT, IMAGE, EMBEDDING]",
        ),
        (
            "byInferenceType=SERVERLESS",
            "1 validation error detected: Value 'SERVERLESS' at 'byInferenceType' failed "
            "to satisfy constraint: Member must satisfy enum value set: [ON_DEMAND, PROVISIONED]",
        ),
    ],
)
def test_invalid_filter_enum(server, query, message):
    validation(rawhttp.send(server.url, "GET", f"/foundation-models?{query}"), message)


def test_invalid_filter_enum_through_boto3(any_control):
    with pytest.raises(ClientError) as excinfo:
        any_control.list_foundation_models(byOutputModality="VIDEO")
    assert error_of(excinfo) == (
        400,
        "ValidationException",
        "1 validation error detected: Value 'VIDEO' at 'byOutputModality' failed to satisfy constraint: "
        "Member must satisfy enum value set: [TEXT, IMAGE, EMBEDDING]",
    )


def test_get_foundation_model(any_control):
    details = any_control.get_foundation_model(modelIdentifier="amazon.nova-pro-v1:0")["modelDetails"]
    assert details["modelId"] == "amazon.nova-pro-v1:0"
    assert details["modelArn"] == "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0"
    assert details["providerName"] == "Amazon"
    assert "VIDEO" in details["inputModalities"]
    assert details["modelLifecycle"] == {"status": "ACTIVE"}


def test_get_foundation_model_unknown(any_control):
    with pytest.raises(ClientError) as excinfo:
        any_control.get_foundation_model(modelIdentifier="anthropic.claude-0-v0:0")
    assert error_of(excinfo) == (400, "ValidationException", MSG_INVALID_MODEL)


def test_inference_profiles_paginate(any_control):
    everything = any_control.list_inference_profiles()
    assert "nextToken" not in everything
    expected = [p["inferenceProfileId"] for p in everything["inferenceProfileSummaries"]]
    assert "us.anthropic.claude-sonnet-4-6" in expected

    seen, token, pages = [], None, 0
    while True:
        page = any_control.list_inference_profiles(maxResults=3, **({"nextToken": token} if token else {}))
        assert len(page["inferenceProfileSummaries"]) <= 3
        seen += [p["inferenceProfileId"] for p in page["inferenceProfileSummaries"]]
        pages += 1
        token = page.get("nextToken")
        if not token:
            break
    assert seen == expected
    assert pages == -(-len(expected) // 3)


def test_inference_profiles_through_the_boto3_paginator(any_control):
    paginator = any_control.get_paginator("list_inference_profiles")
    ids = [
        p["inferenceProfileId"]
        for page in paginator.paginate(PaginationConfig={"PageSize": 4})
        for p in page["inferenceProfileSummaries"]
    ]
    assert ids == [p["inferenceProfileId"] for p in any_control.list_inference_profiles()["inferenceProfileSummaries"]]


def test_inference_profiles_by_type(any_control):
    system = any_control.list_inference_profiles(typeEquals="SYSTEM_DEFINED")["inferenceProfileSummaries"]
    assert system and {p["type"] for p in system} == {"SYSTEM_DEFINED"}
    assert any_control.list_inference_profiles(typeEquals="APPLICATION")["inferenceProfileSummaries"] == []


@pytest.mark.parametrize(
    "query, message",
    [
        (
            "maxResults=1001",
            "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy "
            "constraint: Member must have value less than or equal to 1000",
        ),
        (
            "maxResults=0",
            "1 validation error detected: Value '0' at 'maxResults' failed to satisfy "
            "constraint: Member must have value greater than or equal to 1",
        ),
        ("maxResults=many", "maxResults must be an integer."),
        ("nextToken=not-a-token", "The provided pagination token is invalid."),
    ],
)
def test_inference_profile_paging_errors(server, query, message):
    validation(rawhttp.send(server.url, "GET", f"/inference-profiles?{query}"), message)


def test_request_ids_are_the_uuid4_the_standard_library_makes_from_the_same_digits():
    import hashlib
    import uuid

    from helpers.offline.wire import uuid4_text

    for seed in range(2000):
        digits = hashlib.sha256(str(seed).encode()).hexdigest()
        assert uuid4_text(digits) == str(uuid.UUID(bytes=bytes.fromhex(digits[:32]), version=4))

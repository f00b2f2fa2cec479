"""ConverseStream through real boto3: the same Generation as Converse, cut into Bedrock's events."""

import json
import threading

import boto3
import pytest
from botocore.eventstream import EventStreamBuffer
from botocore.exceptions import ClientError, EventStreamError

import helpers.offline.streams as streams
from conftest import DUMMY, NO_RETRY, REGION, error_of, text_message
from helpers.offline import Emulator, attach
from helpers.offline import faults as faults_of
from helpers.offline.dialects import converse_stream
from helpers.offline.fault_plan import STREAM_FAULT_MESSAGES
from helpers.offline.server import arm_faults
from helpers.offline.wire import Headers, Request

SONNET = "global.anthropic.claude-sonnet-4-6"
PLAYLIST = dict(
    modelId=SONNET,
    system=[
        {
            "text": "You are an app that creates playlists for a radio station that plays rock and pop music. "
            "Only return song names and the artist."
        }
    ],
    messages=[text_message("Create a list of 3 pop songs.")],
    inferenceConfig={"temperature": 0.5},
    additionalModelRequestFields={"top_k": 200},
)


def event_list(response):
    return [next(iter(event.items())) for event in response["stream"]]


@pytest.mark.parametrize("client", ["runtime", "http_runtime"])
def test_events_in_bedrocks_order_and_same_answer_as_converse(client, request):
    runtime = request.getfixturevalue(client)
    expected = runtime.converse(**PLAYLIST)
    events = event_list(runtime.converse_stream(**PLAYLIST))
    kinds = [kind for kind, _ in events]
    deltas = [payload for kind, payload in events if kind == "contentBlockDelta"]
    assert kinds == ["messageStart"] + ["contentBlockDelta"] * len(deltas) + [
        "contentBlockStop",
        "messageStop",
        "metadata",
    ]
    assert len(deltas) > 10  # token-sized pieces, not one blob
    assert events[0][1] == {"role": "assistant"}
    assert all(d["contentBlockIndex"] == 0 for d in deltas)
    assert "".join(d["delta"]["text"] for d in deltas) == expected["output"]["message"]["content"][0]["text"]
    assert events[-2][1] == {"stopReason": expected["stopReason"]}
    assert events[-1][1] == {"usage": expected["usage"], "metrics": expected["metrics"]}


def test_response_headers(runtime):
    headers = runtime.converse_stream(**PLAYLIST)["ResponseMetadata"]["HTTPHeaders"]
    assert headers["content-type"] == "application/vnd.amazon.eventstream"
    assert headers["x-amzn-requestid"]


def test_raw_frames_carry_padding_and_event_headers(emulator):
    body = json.dumps({"messages": [text_message("Tell me about rivers.")]}).encode()
    request = Request(
        "POST", f"http://x/model/{SONNET}/converse-stream", Headers({"content-type": "application/json"}), body
    )
    buffer = EventStreamBuffer()
    for chunk in emulator.handle(request).chunks():
        buffer.add_data(chunk)
    messages = list(buffer)
    assert {m.headers[":message-type"] for m in messages} == {"event"}
    assert {m.headers[":content-type"] for m in messages} == {"application/json"}
    assert all(json.loads(m.payload)["p"] for m in messages)


def test_max_tokens_cuts_the_stream(runtime):
    events = event_list(runtime.converse_stream(**{**PLAYLIST, "inferenceConfig": {"maxTokens": 5}}))
    assert sum(kind == "contentBlockDelta" for kind, _ in events) == 5
    assert events[-2][1] == {"stopReason": "max_tokens"}
    assert events[-1][1]["usage"]["outputTokens"] == 5


def test_validation_errors_come_before_the_stream(runtime):
    with pytest.raises(ClientError) as excinfo:
        runtime.converse_stream(modelId=SONNET, messages=[text_message("hi", role="assistant")])
    assert error_of(excinfo) == (
        400,
        "ValidationException",
        "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
    )


@pytest.mark.parametrize("error", [e for e in STREAM_FAULT_MESSAGES if e != "modelTimeoutException"])
def test_errors_injected_after_n_events(runtime, error):
    faults_of(runtime).fail_stream(after=4, error=error)
    received = []
    with pytest.raises(EventStreamError) as excinfo:
        for event in runtime.converse_stream(**PLAYLIST)["stream"]:
            received.append(event)
    assert len(received) == 4
    assert excinfo.value.response["Error"] == {"Code": error, "Message": STREAM_FAULT_MESSAGES[error]}
    # the fault was used up: the next stream is whole
    assert event_list(runtime.converse_stream(**PLAYLIST))[-1][0] == "metadata"


def test_server_injects_stream_errors_for_every_client(server, http_runtime):
    spec = json.dumps({"stream_error": "throttlingException", "after": 1}).encode()
    arm_faults(server.url, json.loads(spec), "AKIADUMMYDUMMYDUMMY0")  # faults are per access key id
    stream = http_runtime.converse_stream(**PLAYLIST)["stream"]
    with pytest.raises(EventStreamError) as excinfo:
        list(stream)
    assert excinfo.value.response["Error"]["Code"] == "throttlingException"


def test_unknown_stream_fault_is_refused(runtime):
    with pytest.raises(ValueError, match="Unknown stream fault 'boom'"):
        faults_of(runtime).fail_stream(error="boom")


def test_frames_are_flushed_one_by_one_over_http(server, http_runtime, monkeypatch):
    """The emulator holds the rest of the answer until the client has seen the first delta: if frames
    were buffered until the end, the client would never see it and the gate would time out."""
    seen_first_delta = threading.Event()
    gate_opened = []
    real_events = converse_stream.stream

    def gated(generation, *rest):
        for index, event in enumerate(real_events(generation, *rest)):
            if index == 2:
                gate_opened.append(seen_first_delta.wait(timeout=10))
            yield event

    monkeypatch.setattr(converse_stream, "stream", gated)
    for event in http_runtime.converse_stream(**PLAYLIST)["stream"]:
        if "contentBlockDelta" in event:
            seen_first_delta.set()
    assert gate_opened == [True]


def test_stream_delay_paces_events(monkeypatch):
    pauses = []
    monkeypatch.setattr(streams.time, "sleep", pauses.append)
    paced = Emulator(stream_delay=0.02)
    client = boto3.client("bedrock-runtime", region_name=REGION, config=NO_RETRY, **DUMMY)
    attach(client, paced)
    events = event_list(client.converse_stream(**PLAYLIST))
    assert pauses == [0.02] * (len(events) - 1)


def test_a_failure_inside_the_emulator_mid_stream_ends_it_as_bedrock_would(runtime, monkeypatch):
    def broken(generation, *rest):
        yield "messageStart", {"role": "assistant"}
        yield "contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Hi"}}
        raise RuntimeError("a bug")

    monkeypatch.setattr(converse_stream, "stream", broken)
    received = []
    with pytest.raises(EventStreamError) as excinfo:
        for event in runtime.converse_stream(**PLAYLIST)["stream"]:
            received.append(event)
    assert len(received) == 2
    assert excinfo.value.response["Error"] == {"Code": "internalServerException", "Message": streams.INTERNAL_ERROR}


def test_tools_in_streaming_mode_need_a_model_that_streams_tool_use(runtime):
    tools = {
        "tools": [
            {
                "toolSpec": {
                    "name": "top_song",
                    "description": "The most popular song of a station.",
                    "inputSchema": {"json": {"type": "object", "properties": {}}},
                }
            }
        ]
    }
    request = dict(messages=[text_message("What is the most popular song on WZPZ?")], toolConfig=tools)
    with pytest.raises(ClientError) as excinfo:
        runtime.converse_stream(modelId="amazon.nova-micro-v1:0", **request)
    assert error_of(excinfo) == (400, "ValidationException", "This model doesn't support tool use in streaming mode.")
    events = list(runtime.converse_stream(modelId="amazon.nova-lite-v1:0", **request)["stream"])
    assert "messageStop" in events[-2]

"""The standalone server over HTTP/2 cleartext (h2c), as the AWS SDK for JavaScript v3 uses it by
default, driven here by the `h2` library as a client with a deliberately small flow-control window."""

import json
import socket

import pytest
from botocore.eventstream import EventStreamBuffer
from h2.config import H2Configuration
from h2.connection import H2Connection
from h2.events import DataReceived, ResponseReceived, StreamEnded
from h2.settings import SettingCodes

from conftest import text_message
from helpers.offline import h2c

HAIKU = "global.anthropic.claude-haiku-4-5-20251001-v1%3A0"


def h2_post(server, path: str, body: dict, window: int = 65535) -> tuple[dict, bytes]:
    """One POST over a fresh h2c connection; returns (response headers, body bytes)."""
    sock = socket.create_connection(server.server_address[:2], timeout=10)
    connection = H2Connection(H2Configuration(client_side=True, header_encoding="utf-8"))
    connection.initiate_connection()
    connection.update_settings({SettingCodes.INITIAL_WINDOW_SIZE: window})
    stream_id = connection.get_next_available_stream_id()
    connection.send_headers(
        stream_id,
        [
            (":method", "POST"),
            (":path", path),
            (":scheme", "http"),
            (":authority", "localhost"),
            ("content-type", "application/json"),
        ],
    )
    connection.send_data(stream_id, json.dumps(body).encode(), end_stream=True)
    sock.sendall(connection.data_to_send())
    headers, data, ended = {}, bytearray(), False
    try:
        while not ended:
            received = sock.recv(65536)
            assert received, "the server closed the connection mid-response"
            for event in connection.receive_data(received):
                if isinstance(event, ResponseReceived):
                    headers = dict(event.headers)
                elif isinstance(event, DataReceived):
                    data += event.data
                    connection.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, StreamEnded):
                    ended = True
            sock.sendall(connection.data_to_send())
    finally:
        sock.close()
    return headers, bytes(data)


def decode(data: bytes) -> list[tuple[str, dict]]:
    buffer = EventStreamBuffer()
    buffer.add_data(data)
    return [(m.headers[":event-type"], json.loads(m.payload)) for m in buffer]


@pytest.mark.parametrize("window", [4096, 256])
def test_converse_stream_over_h2c(server, runtime, window):
    request = {"messages": [text_message("Tell me about rivers.")]}
    headers, data = h2_post(server, f"/model/{HAIKU}/converse-stream", request, window)
    assert headers[":status"] == "200"
    assert headers["content-type"] == "application/vnd.amazon.eventstream"
    assert "transfer-encoding" not in headers and "content-length" not in headers
    events = decode(data)
    expected = runtime.converse(modelId="global.anthropic.claude-haiku-4-5-20251001-v1:0", **request)
    text = "".join(p["delta"]["text"] for kind, p in events if kind == "contentBlockDelta")
    assert text == expected["output"]["message"]["content"][0]["text"]
    assert len(data) > window  # the answer only fits by waiting for the client's window updates
    assert events[-1][0] == "metadata"


def test_json_answers_and_errors_over_h2c(server):
    headers, data = h2_post(server, f"/model/{HAIKU}/converse", {"messages": [text_message("Hi")]})
    assert headers[":status"] == "200" and json.loads(data)["stopReason"] == "end_turn"
    assert headers["content-length"] == str(len(data))
    headers, data = h2_post(server, f"/model/{HAIKU}/converse", {"messages": [text_message("Hi", "assistant")]})
    assert headers[":status"] == "400"
    assert headers["x-amzn-errortype"].startswith("ValidationException:")
    assert json.loads(data)["message"].startswith("A conversation must start with a user message.")


def test_preface_detection():
    assert h2c.is_preface(b"PRI * HTTP/2.0")
    assert not h2c.is_preface(b"POST /model")
    assert not h2c.is_preface(b"PR")  # too short to tell

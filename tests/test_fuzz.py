"""Property-based fuzzing of the standalone server (issue 10): requests generated from botocore's own
input shapes for every operation the emulator serves, serialised by botocore's rest-json serializer
without its client-side validation, and byte-level mutations of valid requests over HTTP/1.1 and
HTTP/2. Whatever arrives, the answer is Bedrock's: no 5xx, no dropped connection, no traceback text.
Bounded to well under 30 s by example counts (hypothesis' database and deadlines are off)."""

from __future__ import annotations

import http.client
import io
import json
import socket
from urllib.parse import quote, urlencode

import hpack
import pytest
import rawhttp
from botocore.serialize import create_serializer
from h2.config import H2Configuration
from h2.connection import H2Connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import text_message
from helpers.offline import h2c, shapes
from helpers.offline.wire import ROUTER

MODEL_IDS = [
    "global.anthropic.claude-haiku-4-5-20251001-v1:0",
    "amazon.nova-lite-v1:0",
    "us.amazon.nova-pro-v1:0",
    "global.anthropic.claude-sonnet-4-6",
]
SERVED = sorted({(route.service, route.operation) for route in ROUTER.routes})
FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
MAX_DEPTH = 5
TEXT = st.text(max_size=12) | st.sampled_from(["", " ", "\ud800", "user", "assistant", "{}", "a" * 300])


def strategy(shape, depth: int = 0):
    """Values for a botocore shape: any type it declares, bounds and enums ignored on purpose (the
    server must check them), nesting cut at MAX_DEPTH."""
    kind = shape.type_name
    if kind == "structure":
        if shape.metadata.get("document"):
            return st.recursive(
                st.none() | st.integers() | TEXT, lambda inner: st.lists(inner, max_size=2), max_leaves=4
            )
        members = shape.members
        if depth >= MAX_DEPTH:
            return st.fixed_dictionaries(
                {
                    name: strategy(members[name], MAX_DEPTH + 1)
                    for name in shape.required_members
                    if members[name].type_name != "structure"
                }
            )
        if shape.is_union if hasattr(shape, "is_union") else shape.metadata.get("union"):
            return st.sampled_from(sorted(members)).flatmap(
                lambda name: st.fixed_dictionaries({name: strategy(members[name], depth + 1)})
            )
        required = {name: strategy(members[name], depth + 1) for name in shape.required_members}
        optional = {name: strategy(member, depth + 1) for name, member in members.items() if name not in required}
        return st.fixed_dictionaries(required, optional=optional)
    if kind == "list":
        return st.lists(strategy(shape.member, depth + 1), max_size=2 if depth < MAX_DEPTH else 0)
    if kind == "map":
        return st.dictionaries(TEXT, strategy(shape.value, depth + 1), max_size=2 if depth < MAX_DEPTH else 0)
    if kind == "string":
        enum = shape.metadata.get("enum")
        return st.sampled_from([*enum, "bogus"]) if enum else TEXT
    if kind in ("integer", "long"):
        return st.integers(-5, 2**31 - 1)
    if kind in ("float", "double"):
        return st.floats(-10, 10, allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "blob":
        return st.binary(max_size=48) | st.sampled_from(
            [b"\x89PNG\r\n\x1a\n" + b"\0" * 20, b"%PDF-1.7", b"\0\0\0\x08moov"]
        )
    if kind == "timestamp":
        return st.datetimes()
    return st.none()


def request_for(service: str, operation: str):
    model = shapes.service_model(service).operation_model(operation)
    serializer = create_serializer("rest-json", include_validation=False)
    params = strategy(model.input_shape)
    labels = {
        "modelId": MODEL_IDS,
        "modelIdentifier": MODEL_IDS,
        "inferenceProfileIdentifier": ["us.amazon.nova-lite-v1:0"],
    }

    def with_labels(value: dict):
        return st.fixed_dictionaries(
            {k: st.sampled_from(v) | TEXT.filter(bool) for k, v in labels.items() if k in model.input_shape.members}
        ).map(lambda chosen: {**value, **chosen})

    def serialize(value: dict):
        try:
            return serializer.serialize_to_request(value, model)
        except UnicodeEncodeError:  # botocore cannot put a lone surrogate in a URL: no client sends one
            return None

    return params.flatmap(with_labels).map(serialize).filter(lambda request: request is not None)


def _header(value) -> bytes:
    """A header value as a client can send it: one line, any bytes (no SDK sends CR or LF in one)."""
    return str(value).replace("\r", " ").replace("\n", " ").encode("utf-8", "surrogatepass")


def assert_bedrock_answer(status: int, headers: dict, body: bytes) -> None:
    assert status < 500, (status, body[:300])
    assert b"Traceback" not in body and b'File "' not in body
    if status >= 400:
        assert headers.get("x-amzn-errortype"), headers
        assert "message" in json.loads(body)


@given(data=st.data())
@FUZZ
def test_requests_from_botocore_shapes(server, data):
    service, operation = data.draw(st.sampled_from(SERVED), label="operation")
    request = data.draw(request_for(service, operation), label="request")
    query = urlencode(request["query_string"], doseq=True, encoding="utf-8", errors="surrogatepass")
    path = quote(request["url_path"], safe="/%:", errors="surrogatepass") + (f"?{query}" if query else "")
    body = request["body"] if isinstance(request["body"], bytes) else str(request["body"] or "").encode()
    headers = {k: _header(v) for k, v in request["headers"].items()}
    connection = http.client.HTTPConnection(*server.server_address[:2], timeout=30)
    try:
        connection.request(request["method"], path, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read()
        assert_bedrock_answer(response.status, {k.lower(): v for k, v in response.getheaders()}, answer)
    finally:
        connection.close()


VALID_BODY = json.dumps(
    {"messages": [text_message("Tell me about rivers.")], "inferenceConfig": {"maxTokens": 20}}
).encode()
VALID_HTTP1 = (
    f"POST {rawhttp.converse_path(MODEL_IDS[0])} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
    f"Content-Length: {len(VALID_BODY)}\r\nConnection: close\r\n\r\n"
).encode() + VALID_BODY


@st.composite
def mutated(draw, original: bytes, start: int = 0):
    """`original` with a few bytes flipped, inserted, deleted or the tail cut, after `start`."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(start, max(start, len(data) - 1)))
        action = draw(st.sampled_from(["flip", "insert", "delete", "cut", "duplicate"]))
        if action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(
                st.binary(min_size=1, max_size=8) | st.sampled_from([b"\r\n", b"\x00", b"{", b'"', b"\\ud800"])
            )
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 8))]
        elif action == "cut":
            del data[max(at, start + 1) :]
        elif action == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 32))]
    return bytes(data)


def http1_exchange(server, data: bytes) -> bytes:
    """Everything the server sends back after `data` and the end of our sending side."""
    with socket.create_connection(server.server_address[:2], timeout=30) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


@given(data=mutated(VALID_HTTP1))
@FUZZ
def test_mutated_http1_bytes(server, data):
    received = http1_exchange(server, data)
    if not data.strip(b"\r\n\t "):
        return  # nothing was asked
    assert received, "the server closed the connection without an answer"
    response = http.client.HTTPResponse(_Received(received))  # the first answer; more may follow
    response.begin()
    body = response.read() if response.getheader("transfer-encoding") != "chunked" else b""
    assert_bedrock_answer(response.status, {k.lower(): v for k, v in response.getheaders()}, body)


class _Received:
    """Bytes already read from a socket, as http.client.HTTPResponse wants a socket."""

    def __init__(self, data: bytes):
        self.data = data

    def makefile(self, mode: str):
        return io.BytesIO(self.data)


def http2_request() -> bytes:
    client = H2Connection(H2Configuration(client_side=True, header_encoding="utf-8"))
    client.initiate_connection()
    headers = [(":method", "POST"), (":path", rawhttp.converse_path(MODEL_IDS[1])), (":scheme", "http")]
    client.send_headers(1, [*headers, (":authority", "localhost"), ("content-type", "application/json")])
    client.send_data(1, VALID_BODY, end_stream=True)
    return client.data_to_send()


VALID_HTTP2 = http2_request()
PREFACE = len(h2c.PREFACE_START) + 10  # the connection preface stays intact, or this is not HTTP/2


def server_frames(sock) -> tuple[list[tuple[int, int, int, bytes]], str]:
    """(type, flags, stream id, payload) of every frame the server sends, until the connection ends or
    stays quiet, and how it ended: 'closed' or 'quiet'. Read frame by frame rather than by an h2
    client, which would refuse answers to the streams a mutation invented."""
    buffer, frames = b"", []
    sock.settimeout(0.2)
    while True:
        try:
            received = sock.recv(65536)
        except TimeoutError:
            return frames, "quiet"
        if not received:
            return frames, "closed"
        buffer += received
        while len(buffer) >= 9 and len(buffer) >= 9 + int.from_bytes(buffer[:3], "big"):
            length = int.from_bytes(buffer[:3], "big")
            stream_id = int.from_bytes(buffer[5:9], "big") & 0x7FFFFFFF
            frames.append((buffer[3], buffer[4], stream_id, buffer[9 : 9 + length]))
            buffer = buffer[9 + length :]


HEADERS, DATA, GOAWAY, END_STREAM, PADDED, PRIORITY = 1, 0, 7, 0x1, 0x8, 0x20


def statuses(frames) -> list[int]:
    decoder, found = hpack.Decoder(), []
    decoder.max_allowed_table_size = 2**32  # a mutation may have raised SETTINGS_HEADER_TABLE_SIZE
    for kind, flags, _, payload in frames:
        if kind == HEADERS:
            start = (1 if flags & PADDED else 0) + (5 if flags & PRIORITY else 0)
            end = len(payload) - (payload[0] if flags & PADDED else 0)
            found += [int(v) for k, v in decoder.decode(payload[start:end]) if k == ":status"]
    return found


@given(data=mutated(VALID_HTTP2, start=PREFACE))
@settings(FUZZ, max_examples=40)  # a quiet connection costs its 0.2 s wait
def test_mutated_http2_bytes(server, data):
    """The server answers, ends the connection with GOAWAY, or waits for more; never a 5xx, a
    traceback or a silent hang-up."""
    with socket.create_connection(server.server_address[:2], timeout=30) as sock:
        sock.sendall(data)
        frames, ending = server_frames(sock)
    assert all(status < 500 for status in statuses(frames))
    assert not any(b"Traceback" in payload for kind, _, _, payload in frames if kind == DATA)
    if ending == "closed":
        assert any(kind == GOAWAY for kind, *_ in frames), "the server dropped the connection without GOAWAY"


@pytest.mark.parametrize("service, operation", SERVED)
def test_every_served_operation_has_an_input_shape(service, operation):
    """The fuzzer draws from each of these; an operation botocore does not know would be skipped."""
    assert shapes.service_model(service).operation_model(operation).input_shape is not None

"""Issue 10: the emulator survives hostile input and shared use. One test (or a few) per finding of
the probe, each through a real client: boto3 in-process, boto3 or raw bytes over HTTP/1.1, the `h2`
library over HTTP/2, or the server as its own process."""

from __future__ import annotations

import json
import socket
import struct
import subprocess
import sys
import textwrap
import zlib

import boto3
import pytest
import rawhttp
from botocore.exceptions import ClientError
from h2.config import H2Configuration
from h2.connection import H2Connection
from h2.errors import ErrorCodes
from h2.events import ConnectionTerminated, DataReceived, ResponseReceived, StreamEnded, StreamReset

from conftest import DUMMY, NO_RETRY, REGION, error_of, text_message
from helpers.offline import h2c, tokens
from helpers.offline.media import MSG_IMAGE_NOT_PROCESSED
from helpers.offline.server import CONTROL_PATH, MSG_CROSS_SITE, MSG_FRAMING, MSG_JSON_ONLY, arm_faults, running
from helpers.offline.wire import MSG_BODY_TOO_LARGE, MSG_TOO_DEEP
from helpers.paths import REPO

HAIKU = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
NOVA = "amazon.nova-lite-v1:0"
HELLO = [text_message("Hello there.")]
KEY = DUMMY["aws_access_key_id"]


def validation(answer: rawhttp.Answer, message: str) -> None:
    assert (answer.status, answer.error_type, answer.message) == (400, "ValidationException", message)


def signed_as(key: str) -> dict:
    """An Authorization header naming `key`, as a SigV4-signing client sends it (the emulator reads
    who signed, it does not verify signatures)."""
    return {"Authorization": f"AWS4-HMAC-SHA256 Credential={key}/20261130/us-east-1/bedrock/aws4_request"}


def png(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height, without the pixels (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def with_image(data: bytes, fmt: str = "png") -> list[dict]:
    return [
        {"role": "user", "content": [{"text": "What is this?"}, {"image": {"format": fmt, "source": {"bytes": data}}}]}
    ]


# ---- 1. a lone UTF-16 surrogate ---------------------------------------------------------------------


def test_lone_surrogate_echoed_in_an_answer(server):
    answer = rawhttp.converse(server.url, HAIKU, b'{"messages":[{"role":"user","content":[{"text":"hi \\ud800"}]}]}')
    assert answer.status == 200
    assert 'says: "hi \ufffd"' in answer.json()["output"]["message"]["content"][0]["text"]


def test_lone_surrogate_echoed_in_a_validation_message(server):
    body = b'{"messages":[{"role":"\\udc00","content":[{"text":"hi"}]}]}'
    answer = rawhttp.converse(server.url, HAIKU, body)
    assert (answer.status, answer.error_type) == (400, "ValidationException")
    assert answer.message.startswith("1 validation error detected: Value '\ufffd' at 'messages.1.member.role'")


def test_lone_surrogate_in_process_is_a_client_error(runtime):
    """botocore writes the surrogate as a JSON escape; the answer must be a ClientError, not a crash."""
    with pytest.raises(ClientError) as excinfo:
        runtime.converse(modelId=HAIKU, messages=[{"role": "\ud800", "content": [{"text": "hi"}]}])
    status, code, message = error_of(excinfo)
    assert (status, code) == (400, "ValidationException") and "'\ufffd'" in message
    answer = runtime.converse(modelId=HAIKU, messages=[text_message("pair \U0001f600 and lone \ud800")])
    assert "pair \U0001f600 and lone \ufffd" in answer["output"]["message"]["content"][0]["text"]


def test_lone_surrogate_in_a_stream(http_runtime):
    events = http_runtime.converse_stream(modelId=HAIKU, messages=[text_message("lone \udbff here")])["stream"]
    text = "".join(e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e)
    assert "lone \ufffd here" in text


# ---- 2. a searchResult block whose source is a string -------------------------------------------------


def test_search_result_with_a_string_source(runtime):
    block = {"searchResult": {"source": "https://example.com/rivers", "title": "Rivers", "content": [{"text": "Wet."}]}}
    messages = [{"role": "user", "content": [{"text": "Summarise the result."}, block]}]
    try:
        answer = runtime.converse(modelId=NOVA, messages=messages)
    except ClientError as error:  # a refusal is fine, as long as it is Bedrock's own
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] < 500, error
    else:
        assert answer["stopReason"] == "end_turn"


# ---- 3. a truncated MP4 box -----------------------------------------------------------------------------


@pytest.mark.parametrize("inner", [b"mvhd", b"trak"])
def test_truncated_mp4_box_is_described(runtime, inner):
    leaf = struct.pack(">I4s", 8, b"tkhd") if inner == b"trak" else b""
    box = struct.pack(">I4s", 8 + len(leaf), inner) + leaf
    video = struct.pack(">I4s", 8 + len(box), b"moov") + box
    content = [{"text": "What is in the video?"}, {"video": {"format": "mp4", "source": {"bytes": video}}}]
    answer = runtime.converse(modelId=NOVA, messages=[{"role": "user", "content": content}])
    assert "its header could not be read" in answer["output"]["message"]["content"][0]["text"]


# ---- 4. the fault endpoint's input ---------------------------------------------------------------------


def control(server, body: bytes, key: str = KEY, **headers) -> rawhttp.Answer:
    return rawhttp.send(server.url, "POST", CONTROL_PATH, body, headers={**signed_as(key), **headers})


def test_fault_endpoint_refuses_deep_nesting_and_keeps_the_connection(server):
    validation(control(server, b'{"error":' + b"[" * 100_000 + b"]" * 100_000 + b"}"), MSG_TOO_DEEP)
    assert control(server, b'{"count": 1}').json() == {"pending": 1}


@pytest.mark.parametrize(
    "spec, message",
    [
        ({"operations": "Converse"}, 'operations must be a list of operation names, e.g. ["Converse"]'),
        ({"operations": ["Conversation"]}, "Unknown operation 'Conversation'; choose from: "),
        ({"count": 1.5}, "count must be a whole number from 1 to 1000"),
        ({"count": "2"}, "count must be a whole number from 1 to 1000"),
        ({"count": True}, "count must be a whole number from 1 to 1000"),
        ({"count": 1e9}, "count must be a whole number from 1 to 1000"),
        ({"stream_error": "throttlingException", "after": "3"}, "after must be a whole number of events, 0 or more"),
        ({"error": "ThrottlingException", "colour": "red"}, "Unknown field 'colour' in a fault request; allowed: "),
    ],
)
def test_fault_endpoint_schema_is_strict(server, spec, message):
    answer = control(server, json.dumps(spec).encode())
    assert (answer.status, answer.error_type) == (400, "ValidationException")
    assert answer.message.startswith(message)
    assert control(server, b"{}").json() == {"pending": 1}  # nothing was armed by the refused requests


# ---- 5. the token cache is bounded by bytes --------------------------------------------------------------


def test_token_cache_is_bounded_by_bytes():
    import tracemalloc

    limit = 24 * 1024 * 1024  # the cache's 16 MB budget plus what its estimate may miss
    tokens.CACHE.clear()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(150):  # 150 distinct 20,000-character prompts held about 50 MB before the bound
            tokens.count(f"prompt {i} " + "lorem ipsum dolor sit amet " * 740)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
        tokens.CACHE.clear()
    assert grown < limit, f"{grown / 1e6:.1f} MB held"


# ---- 6. HTTP/2 request bodies are limited ----------------------------------------------------------------


def h2_exchange(server, streams: list[tuple[list, bytes | None]], reset: tuple[int, ...] = ()) -> dict:
    """Send requests (headers, body) on one h2c connection, optionally resetting some stream ids right
    away; returns {stream_id: (status, body)} for every answered stream and '_goaway' if one came."""
    sock = socket.create_connection(server.server_address[:2], timeout=10)
    connection = H2Connection(H2Configuration(client_side=True, header_encoding="utf-8"))
    connection.initiate_connection()
    ids = []
    for headers, body in streams:
        stream_id = connection.get_next_available_stream_id()
        ids.append(stream_id)
        connection.send_headers(stream_id, headers, end_stream=body is None)
        if body:  # b"": headers only, the body never comes
            while body:
                size = min(
                    len(body), connection.max_outbound_frame_size, connection.local_flow_control_window(stream_id)
                )
                if size <= 0:
                    break  # the server refused the body before taking it all
                connection.send_data(stream_id, body[:size])
                body = body[size:]
            if not body:
                connection.end_stream(stream_id)
    for stream_id in reset:
        connection.reset_stream(stream_id, ErrorCodes.CANCEL)
    sock.sendall(connection.data_to_send())
    answers, pending, statuses, data = {}, set(ids) - set(reset), {}, {}
    try:
        while pending:
            received = sock.recv(65536)
            if not received:
                answers["_closed"] = True
                break
            for event in connection.receive_data(received):
                if isinstance(event, ResponseReceived):
                    statuses[event.stream_id] = dict(event.headers)[":status"]
                elif isinstance(event, DataReceived):
                    data[event.stream_id] = data.get(event.stream_id, b"") + event.data
                    connection.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, (StreamEnded, StreamReset)) and event.stream_id in statuses:
                    answers[event.stream_id] = (int(statuses[event.stream_id]), data.get(event.stream_id, b""))
                    pending.discard(event.stream_id)
                elif isinstance(event, ConnectionTerminated):
                    answers["_goaway"] = event.error_code
            sock.sendall(connection.data_to_send())
    finally:
        sock.close()
    return answers


def h2_headers(path: str, **extra) -> list:
    fields = [(":method", "POST"), (":path", path), (":scheme", "http"), (":authority", "localhost")]
    return fields + [("content-type", "application/json")] + list(extra.items())


CONVERSE_PATH = rawhttp.converse_path(HAIKU)


def test_http2_body_over_the_limit_is_refused(server, monkeypatch):
    monkeypatch.setattr(h2c, "MAX_BODY_BYTES", 4096)
    body = json.dumps({"messages": [text_message("x" * 10_000)]}).encode()
    answers = h2_exchange(server, [(h2_headers(CONVERSE_PATH), body)])
    status, data = answers[1]
    assert (status, json.loads(data)["message"]) == (400, MSG_BODY_TOO_LARGE)


def test_http2_declared_length_over_the_limit_is_refused_before_reading(server):
    headers = h2_headers(CONVERSE_PATH, **{"content-length": str(10**12)})
    answers = h2_exchange(server, [(headers, b"")])
    status, data = answers[1]
    assert (status, json.loads(data)["message"]) == (400, MSG_BODY_TOO_LARGE)


# ---- 7. one reset stream does not close the connection ---------------------------------------------------


def test_http2_reset_stream_leaves_the_others_answered(server):
    body = json.dumps({"messages": HELLO}).encode()
    request = (h2_headers(CONVERSE_PATH), body)
    answers = h2_exchange(server, [request, request, request], reset=(1,))
    assert "_closed" not in answers and "_goaway" not in answers
    assert [answers[i][0] for i in (3, 5)] == [200, 200]
    assert json.loads(answers[5][1])["stopReason"] == "end_turn"


def test_http2_protocol_error_ends_with_goaway(server):
    sock = socket.create_connection(server.server_address[:2], timeout=10)
    try:
        settings = b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"
        data_on_stream_zero = b"\x00\x00\x01\x00\x00\x00\x00\x00\x00x"  # forbidden: RFC 9113, 6.1
        sock.sendall(h2c.PREFACE_START + b"\r\n\r\nSM\r\n\r\n" + settings + data_on_stream_zero)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    finally:
        sock.close()
    assert b"\x07\x00\x00\x00\x00\x00" in received  # a GOAWAY frame (type 7) on stream 0


# ---- 8. images: pixels from the header, a decode budget, Bedrock's answer to damaged bytes -------------


def test_image_header_claiming_huge_size_is_refused(runtime):
    with pytest.raises(ClientError) as excinfo:
        runtime.converse(modelId=NOVA, messages=with_image(png(100_000, 100_000)))
    status, code, message = error_of(excinfo)
    assert (status, code) == (400, "ValidationException")
    assert "100000 x 100000 pixels, which exceeds the maximum of 8000 pixels" in message


@pytest.mark.parametrize("data", [b"not an image at all", png(4, 4)[:20]])
def test_corrupt_image_bytes_are_refused(runtime, data):
    with pytest.raises(ClientError) as excinfo:
        runtime.converse(modelId=NOVA, messages=with_image(data))
    assert error_of(excinfo) == (400, "ValidationException", MSG_IMAGE_NOT_PROCESSED)


def test_empty_image_bytes_are_refused(server):
    """botocore refuses empty bytes before sending (min length 1); other clients reach the server."""
    body = {
        "messages": [
            {"role": "user", "content": [{"text": "Hi"}, {"image": {"format": "png", "source": {"bytes": ""}}}]}
        ]
    }
    answer = rawhttp.converse(server.url, NOVA, body)
    assert (answer.status, answer.error_type) == (400, "ValidationException")


INSPECT_BIG_PNG = textwrap.dedent(
    """
    import resource, struct, sys, zlib
    from helpers.offline import media
    side = 8000
    row = b"\\0" + bytes(range(256)) * (side * 3 // 256) + b"\\0" * (side * 3 % 256)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    data = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seen = media.inspect_image(data, "png")
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(len(data), seen.facts["width"], seen.facts["height"], grown // 1024)
    """
)


def test_large_image_is_measured_without_decoding_it_whole():
    result = subprocess.run(
        [sys.executable, "-c", INSPECT_BIG_PNG], capture_output=True, text=True, cwd=str(REPO), timeout=120
    )
    assert result.returncode == 0, result.stderr
    size, width, height, grown_mb = map(int, result.stdout.split())
    assert size < 1_000_000 and (width, height) == (8000, 8000)
    assert grown_mb < 64, f"inspecting an {size:,}-byte PNG grew the process by {grown_mb} MB"


# ---- 9. the listen backlog ------------------------------------------------------------------------------


def test_a_classroom_connecting_at_once_is_queued():
    """Nobody accepts while 64 clients connect: each completes its handshake only if the kernel's
    accept queue (the listen backlog) holds it; with a backlog of 5 the rest wait for SYN retries."""
    from helpers.offline.server import BedrockServer

    server = BedrockServer("127.0.0.1", 0)  # listening, not serving
    sockets = []
    try:
        for _ in range(64):
            sockets.append(socket.create_connection(server.server_address[:2], timeout=0.5))
    finally:
        for sock in sockets:
            sock.close()
        server.server_close()
    assert len(sockets) == 64


# ---- 10. IPv6 loopback ----------------------------------------------------------------------------------


def test_module_serves_on_ipv6_loopback():
    try:
        socket.socket(socket.AF_INET6).bind(("::1", 0))
    except OSError:
        pytest.skip("this machine has no IPv6 loopback")
    process = subprocess.Popen(
        [sys.executable, "-m", "helpers.offline", "--host", "::1", "--port", "0"],
        cwd=str(REPO),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = process.stdout.readline().split()[-1]
        assert url.startswith("http://[::1]:"), url + process.stderr.read()
        client = boto3.client("bedrock-runtime", region_name=REGION, endpoint_url=url, config=NO_RETRY, **DUMMY)
        assert client.converse(modelId=HAIKU, messages=HELLO)["stopReason"] == "end_turn"
    finally:
        process.terminate()
        process.wait(timeout=10)


# ---- 11. strict HTTP/1.1 framing ------------------------------------------------------------------------


def raw_post(framing: str, body: bytes = b"") -> bytes:
    head = f"POST {CONVERSE_PATH} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{framing}\r\n"
    return head.encode() + body


BODY = json.dumps({"messages": HELLO}).encode()


@pytest.mark.parametrize(
    "request_bytes",
    [
        raw_post(f"Content-Length: {len(BODY)}\r\nContent-Length: {len(BODY) + 1}\r\n", BODY + b" "),
        raw_post("Transfer-Encoding: xchunked\r\n", b"%x\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY)),
        raw_post("Transfer-Encoding: chunked, identity\r\n", b"%x\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY)),
        raw_post(
            f"Transfer-Encoding: chunked\r\nContent-Length: {len(BODY)}\r\n",
            b"%x\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY),
        ),
        raw_post(f"Content-Length: +{len(BODY)}\r\n", BODY),
    ],
    ids=["two-lengths", "xchunked", "chunked-then-identity", "chunked-and-length", "signed-length"],
)
def test_ambiguous_framing_is_refused(server, request_bytes):
    validation(rawhttp.send_bytes(server.url, request_bytes), MSG_FRAMING)


@pytest.mark.parametrize(
    "chunks",
    [
        b"%x\r\n%s" % (len(BODY) + 50, BODY),
        b"%x\r\n%s\r\n" % (len(BODY), BODY),
        b"%x\r\n%sXY0\r\n\r\n" % (len(BODY), BODY),
    ],
    ids=["chunk-cut-short", "no-last-chunk", "no-crlf-after-chunk"],
)
def test_truncated_chunked_body_is_not_processed(server, chunks):
    answer = rawhttp.send_bytes(server.url, raw_post("Transfer-Encoding: chunked\r\n", chunks), half_close=True)
    validation(answer, MSG_FRAMING)


def test_repeated_identical_lengths_and_trailers_are_fine(server):
    answer = rawhttp.send_bytes(server.url, raw_post(f"Content-Length: {len(BODY)}\r\n" * 2, BODY))
    assert answer.status == 200
    chunked = b"%x\r\n%s\r\n0\r\nX-Trailer: yes\r\n\r\n" % (len(BODY), BODY)
    assert rawhttp.send_bytes(server.url, raw_post("Transfer-Encoding: Chunked\r\n", chunked)).status == 200


# ---- 12. nothing of the emulator's reaches a notebook's stderr ------------------------------------------


IN_PROCESS_FAILURES = textwrap.dedent(
    """
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError
    from helpers.offline import attach
    from helpers.offline.wire import ROUTER
    from helpers.paths import REPO

    client = boto3.client("bedrock-runtime", region_name="us-east-1", aws_access_key_id="AKIAEXAMPLE",
                          aws_secret_access_key="x", config=Config(retries={"total_max_attempts": 1}))
    attach(client)
    pdf = (REPO / "data" / "sample.pdf").read_bytes() if (REPO / "data" / "sample.pdf").exists() else None
    pdf = pdf or next((REPO / "data").rglob("*.pdf")).read_bytes()
    damaged = pdf.replace(b"startxref", b"startxreg").replace(b"%%EOF", b"")
    content = [{"text": "Read it."}, {"document": {"format": "pdf", "name": "damaged", "source": {"bytes": damaged}}}]
    answer = client.converse(modelId="amazon.nova-lite-v1:0", messages=[{"role": "user", "content": content}])
    print(answer["stopReason"])
    route = next(r for r in ROUTER.routes if r.operation == "Converse")
    route.handler = lambda call: 1 / 0  # a bug of ours
    try:
        client.converse(modelId="amazon.nova-lite-v1:0", messages=[{"role": "user", "content": [{"text": "Hi"}]}])
    except ClientError as error:
        print(error.response["Error"]["Code"])
    """
)


def test_in_process_failures_stay_out_of_stderr():
    result = subprocess.run(
        [sys.executable, "-c", IN_PROCESS_FAILURES], capture_output=True, text=True, cwd=str(REPO), timeout=120
    )
    assert result.stdout.split() == ["end_turn", "InternalServerException"], result.stderr
    assert result.stderr == ""


# ---- 13. a web page cannot arm faults ------------------------------------------------------------------


def test_cross_site_text_plain_post_is_refused(server, http_runtime):
    answer = control(server, b'{"count": 1e9}', **{"Content-Type": "text/plain", "Origin": "http://evil.example"})
    assert (answer.status, answer.error_type, answer.message) == (403, "AccessDeniedException", MSG_CROSS_SITE)
    answer = control(server, b'{"count": 5}', **{"Content-Type": "text/plain"})
    assert (answer.status, answer.error_type, answer.message) == (415, "UnsupportedMediaTypeException", MSG_JSON_ONLY)
    assert http_runtime.converse(modelId=HAIKU, messages=HELLO)["stopReason"] == "end_turn"


@pytest.mark.parametrize(
    "headers",
    [{"Host": "attacker.example:8765"}, {"Origin": "http://attacker.example"}, {"Origin": "null"}],
    ids=["dns-rebinding-host", "foreign-origin", "opaque-origin"],
)
def test_fault_requests_from_other_sites_are_refused(server, headers):
    answer = control(server, b'{"count": 1}', **headers)
    assert (answer.status, answer.error_type) == (403, "AccessDeniedException")


def test_same_origin_fault_request_is_accepted(server):
    host = f"127.0.0.1:{server.server_address[1]}"
    answer = control(server, b'{"count": 1}', Host=host, Origin=f"http://{host}")
    assert answer.json() == {"pending": 1}


# ---- 14. faults belong to the caller's access key id ------------------------------------------------------


def client_for(server, key: str):
    credentials = {"aws_access_key_id": key, "aws_secret_access_key": "dummy"}
    return boto3.client("bedrock-runtime", region_name=REGION, endpoint_url=server.url, config=NO_RETRY, **credentials)


def test_faults_hit_only_the_learner_who_set_them(server):
    alice, bob = client_for(server, "AKIALEARNERALICE0000"), client_for(server, "AKIALEARNERBOB000000")
    assert arm_faults(server.url, {"error": "ServiceUnavailableException", "count": 2}, "AKIALEARNERALICE0000") == {
        "pending": 2
    }
    assert bob.converse(modelId=HAIKU, messages=HELLO)["stopReason"] == "end_turn"
    for _ in range(2):
        with pytest.raises(ClientError) as excinfo:
            alice.converse(modelId=HAIKU, messages=HELLO)
        assert error_of(excinfo)[1] == "ServiceUnavailableException"
    assert alice.converse(modelId=HAIKU, messages=HELLO)["stopReason"] == "end_turn"
    assert arm_faults(server.url, None, "AKIALEARNERBOB000000", method="GET") == {"pending": 0}


def test_learner_keys_admit_only_registered_callers():
    with running(port=0, learner_keys={"AKIALEARNERALICE0000"}) as server:
        assert client_for(server, "AKIALEARNERALICE0000").converse(modelId=HAIKU, messages=HELLO)["stopReason"]
        with pytest.raises(ClientError) as excinfo:
            client_for(server, "AKIASOMEONEELSE00000").converse(modelId=HAIKU, messages=HELLO)
        assert error_of(excinfo) == (
            403,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        )
        refused = rawhttp.send(server.url, "POST", CONTROL_PATH, b'{"count": 1}')
        assert (refused.status, refused.error_type) == (403, "UnrecognizedClientException")


def test_empty_lines_before_the_request_line_are_skipped(server):
    """Found by the fuzzer: http.server hung up without an answer on a leading empty line."""
    request = b"\r\nGET /foundation-models HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    assert rawhttp.send_bytes(server.url, request).status == 200

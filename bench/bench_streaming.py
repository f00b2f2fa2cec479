"""Issue 3 targets: what streaming through the emulator costs on top of botocore, how quickly a
streamed frame reaches a client over the server, and how fast the event-stream encoder is.

1. A 2,000-token ConverseStream read through boto3 in-process vs the same boto3 client decoding the
   same pre-encoded frames from a canned `before-send` response (botocore alone): target <= 1.5x.
2. Over the server (its own process): from the emulator writing the first delta frame to the client's
   boto3 loop seeing it, both ends reading the machine's monotonic clock: target <= 5 ms.
3. Encoding frames vs botocore decoding the same frames, time per frame: target <= 1x (the encoder
   is never the bottleneck of a stream).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import boto3
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.eventstream import EventStreamBuffer

from helpers.offline import Emulator, attach, eventstream, replies, streams
from helpers.offline.wire import Headers, Request
from helpers.paths import REPO

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from timing import compare, row  # noqa: E402

MODEL = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
PROMPT = "Write a very long essay about rivers."
LONG_ANSWER = " ".join(f"River {i} flows past the old mill and on to the sea." for i in range(200))  # 2,400+ tokens
KWARGS = dict(
    modelId=MODEL, messages=[{"role": "user", "content": [{"text": PROMPT}]}], inferenceConfig={"maxTokens": 2000}
)
DUMMY = dict(
    region_name="us-east-1",
    aws_access_key_id="AKIABENCHBENCHBENCH0",
    aws_secret_access_key="x",
    config=Config(retries={"mode": "standard", "max_attempts": 1}),
)


class _Frames:
    """A canned raw body that hands botocore the same frames, one chunk each, as the emulator does."""

    def __init__(self, frames: list[bytes]):
        self.frames = frames

    def stream(self, **_):
        yield from self.frames


def _drain(client) -> int:
    return sum(1 for _ in client.converse_stream(**KWARGS)["stream"])


def _long_answers():
    """Make the offline model answer PROMPT with LONG_ANSWER for the duration of the benchmark."""
    original = replies.find
    replies.find = lambda prompt: LONG_ANSWER if prompt.last_user_text() == PROMPT else original(prompt)
    return original


def in_process() -> dict:
    emulator = Emulator()
    emulated = boto3.client("bedrock-runtime", **DUMMY)
    attach(emulated, emulator)
    path = f"https://bedrock-runtime.us-east-1.amazonaws.com/model/{MODEL}/converse-stream"
    body = (
        b'{"messages":[{"role":"user","content":[{"text":"'
        + PROMPT.encode()
        + b'"}]}],"inferenceConfig":{"maxTokens":2000}}'
    )
    frames = list(emulator.handle(Request("POST", path, Headers({}), body)).chunks())
    canned = boto3.client("bedrock-runtime", **DUMMY)
    headers = {"Content-Type": streams.CONTENT_TYPE}
    canned.meta.events.register_first(
        "before-send", lambda request, **_: AWSResponse(request.url, 200, headers, _Frames(frames))
    )
    events = _drain(emulated)
    assert events == _drain(canned) == len(frames) and events > 2000, events
    ours, floor, ratio = compare(lambda: _drain(emulated), lambda: _drain(canned), calls=4, rounds=11)
    return row(
        "2,000-token stream in-process / botocore decoding canned frames",
        ratio,
        "x",
        1.5,
        f"{ours * 1e3:.1f} ms vs {floor * 1e3:.1f} ms per stream of {events} events",
    )


# The server runs in its own process, as it does for real clients (one process would make the
# client wait for the GIL while the server thread produces the rest of the stream). It prints the
# CLOCK_MONOTONIC time, shared by all processes on the machine, at which it hands the first delta
# frame to the socket.
SERVER = """
import sys, time
from helpers.offline import replies, streams
from helpers.offline.server import BedrockServer
long_answer, prompt = sys.argv[1], sys.argv[2]
original_find, original_frames = replies.find, streams._frames
replies.find = lambda p: long_answer if p.last_user_text() == prompt else original_find(p)
def timed_frames(call, events):
    for index, frame in enumerate(original_frames(call, events)):
        if index == 1:
            print("written", time.monotonic(), flush=True)
        yield frame
streams._frames = timed_frames
server = BedrockServer("127.0.0.1", 0)
print("url", server.url, flush=True)
server.serve_forever()
"""


def first_delta_delay(streams_read: int = 40) -> dict:
    """Milliseconds from the server writing the first delta frame to the client's loop seeing it."""
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, LONG_ANSWER, PROMPT], stdout=subprocess.PIPE, text=True, cwd=str(REPO)
    )
    delays = []
    try:
        url = server.stdout.readline().split()[1]
        client = boto3.client("bedrock-runtime", endpoint_url=url, **DUMMY)
        for attempt in range(streams_read + 1):
            for event in client.converse_stream(**KWARGS)["stream"]:
                if "contentBlockDelta" in event:
                    seen = time.monotonic()
                    break
            written = float(server.stdout.readline().split()[1])
            if attempt:  # the first stream warms up the connection
                delays.append((seen - written) * 1e3)
    finally:
        server.terminate()
        server.wait(timeout=10)
    median, worst = statistics.median(delays), max(delays)
    return row(
        "server: first delta written -> seen by boto3 (median)",
        median,
        "ms",
        5.0,
        f"worst of {len(delays)}: {worst:.2f} ms",
    )


def encode_vs_decode(count: int = 20000) -> dict:
    payloads = [{"contentBlockIndex": 0, "delta": {"text": f" word{i % 97}"}} for i in range(count)]

    def encode():
        return [eventstream.event_frame("contentBlockDelta", p) for p in payloads]

    data = b"".join(encode())

    def decode():
        buffer = EventStreamBuffer()
        buffer.add_data(data)
        return sum(1 for _ in buffer)

    assert decode() == count
    ours, floor, ratio = compare(encode, decode, calls=1, rounds=5)
    return row(
        "event-stream encode / botocore decode (time per frame)",
        ratio,
        "x",
        1.0,
        f"encoder {count / ours:,.0f} frames/s, decoder {count / floor:,.0f} frames/s",
    )


def run() -> list[dict]:
    original = _long_answers()
    try:
        return [in_process(), first_delta_delay(), encode_vs_decode()]
    finally:
        replies.find = original


if __name__ == "__main__":
    for r in run():
        print(r)

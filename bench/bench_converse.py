"""Issue 2 targets: what the emulator adds on top of botocore, in-process and over HTTP, and how
long `import helpers` takes.

1. Converse through the in-process emulator vs the same boto3 client answered by a canned response
   from a `before-send` handler (what botocore itself costs): target <= 1.3x.
2. The emulator server's round trip vs a minimal HTTP server returning canned bytes, both in their
   own processes, over one keep-alive connection with the same request bytes: target <= 2x.
3. `import helpers` plus the client module a notebook's setup cell uses, beyond interpreter start-up:
   target <= 0.3 s.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3
from botocore.awsrequest import AWSResponse
from botocore.config import Config

from helpers.offline import Emulator, attach

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from timing import compare, row  # noqa: E402

MODEL = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
KWARGS = dict(
    modelId=MODEL,
    system=[{"text": "You are a concise assistant."}],
    messages=[{"role": "user", "content": [{"text": "Create a list of 3 pop songs."}]}],
    inferenceConfig={"maxTokens": 200, "temperature": 0.5},
)
DUMMY = dict(
    region_name="us-east-1",
    aws_access_key_id="AKIABENCHBENCHBENCH0",
    aws_secret_access_key="x",
    config=Config(retries={"mode": "standard", "max_attempts": 1}),
)


class _Canned:
    def __init__(self, body: bytes):
        self.body = body

    def stream(self, **_):
        yield self.body


def in_process() -> dict:
    emulated = boto3.client("bedrock-runtime", **DUMMY)
    attach(emulated, Emulator())
    canned_body = json.dumps({k: v for k, v in emulated.converse(**KWARGS).items() if k != "ResponseMetadata"}).encode()
    canned = boto3.client("bedrock-runtime", **DUMMY)
    headers = {"Content-Type": "application/json", "Content-Length": str(len(canned_body))}
    canned.meta.events.register_first(
        "before-send", lambda request, **_: AWSResponse(request.url, 200, headers, _Canned(canned_body))
    )
    ours, floor, ratio = compare(lambda: emulated.converse(**KWARGS), lambda: canned.converse(**KWARGS))
    return row(
        "converse in-process / botocore canned",
        ratio,
        "x",
        1.3,
        f"{ours * 1e6:.0f} us vs {floor * 1e6:.0f} us per call",
    )


@contextlib.contextmanager
def _serving(*command: str):
    """Run a server in its own process (as learners run the emulator); yield its port."""
    process = subprocess.Popen([sys.executable, *command], stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        line = process.stdout.readline()
        yield int(line.rsplit(":", 1)[1].strip().rstrip("/"))
    finally:
        process.terminate()
        process.wait(timeout=10)


def _poster(port: int, path: str, body: bytes, headers: dict):
    connection = http.client.HTTPConnection("127.0.0.1", port)

    def post():
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read()
        assert response.status == 200, response.status
        return answer

    return post


def over_http() -> dict:
    path = "/model/global.anthropic.claude-haiku-4-5-20251001-v1%3A0/converse"
    body = json.dumps({k: v for k, v in KWARGS.items() if k != "modelId"}).encode()
    headers = {
        "Content-Type": "application/json",
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKIABENCHBENCHBENCH0/20250101/us-east-1/bedrock/aws4_request",
    }
    with _serving("-m", "helpers.offline", "--port", "0") as port, tempfile.NamedTemporaryFile() as canned_body:
        reply = _poster(port, path, body, headers)
        canned_body.write(reply())
        canned_body.flush()
        with _serving(str(HERE / "canned_server.py"), canned_body.name) as canned_port:
            floor = _poster(canned_port, path, body, headers)
            ours, base, ratio = compare(reply, floor)
    return row(
        "converse server / canned HTTP server",
        ratio,
        "x",
        2.0,
        f"{ours * 1e6:.0f} us vs {base * 1e6:.0f} us per round trip (servers in their own processes)",
    )


def _seconds(code: str, repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        best = min(best, time.perf_counter() - start)
    return best


def import_time() -> dict:
    floor = _seconds("pass")
    ours = _seconds("import helpers, helpers.clients")
    return row(
        "import helpers (+clients) beyond start-up",
        ours - floor,
        "s",
        0.3,
        f"{ours:.3f} s vs interpreter start {floor:.3f} s",
    )


def run() -> list[dict]:
    return [in_process(), over_http(), import_time()]


if __name__ == "__main__":
    for r in run():
        print(r)

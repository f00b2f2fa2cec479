"""Clients that know nothing of the workbook, against the standalone server: the plain boto3 scripts
of the Bedrock and Nova documentation, and the AWS SDK for JavaScript v3 (its own event-stream decoder)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import require
from helpers.offline import tokens
from helpers.offline.server import arm_faults
from helpers.paths import REPO

HERE = Path(__file__).parent
JS_SDK = REPO / "test-artifacts" / "js-sdk"
JS_PACKAGE = "@aws-sdk/client-bedrock-runtime@3.1162.0"  # pinned: later releases may require Node 22


def plain_env(server) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME=server.url,
        AWS_ACCESS_KEY_ID="AKIADUMMYDUMMYDUMMY0",
        AWS_SECRET_ACCESS_KEY="dummy",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    return env


def run_script(name: str, server) -> str:
    done = subprocess.run(
        [sys.executable, str(HERE / "scripts" / name)],
        env=plain_env(server),
        cwd=HERE / "scripts",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_plain_converse_stream_loop(server, runtime):
    expected = runtime.converse(
        modelId="global.anthropic.claude-sonnet-4-6",
        messages=[{"role": "user", "content": [{"text": "Create a list of 3 pop songs."}]}],
        system=[
            {
                "text": "You are an app that creates playlists for a radio station that plays rock and pop music. "
                "Only return song names and the artist."
            }
        ],
        inferenceConfig={"temperature": 0.5},
        additionalModelRequestFields={"top_k": 200},
    )
    out = run_script("converse_stream_plain.py", server)
    answer = expected["output"]["message"]["content"][0]["text"]
    assert f"\nRole: assistant\n{answer}\nStop reason: end_turn\n" in out
    assert f"Input tokens: {expected['usage']['inputTokens']}\n" in out
    assert f":Total tokens: {expected['usage']['totalTokens']}\n" in out
    assert f"Latency: {expected['metrics']['latencyMs']} milliseconds" in out


def test_plain_nova_invoke_stream_loop(server, runtime):
    body = {
        "schemaVersion": "messages-v1",
        "system": [
            {
                "text": "Act as a creative writing assistant. When the user provides you with a topic, "
                "write a short story about that topic."
            }
        ],
        "messages": [{"role": "user", "content": [{"text": "A camping trip"}]}],
        "inferenceConfig": {"maxTokens": 500, "topP": 0.9, "topK": 20, "temperature": 0.7},
    }
    story = json.loads(runtime.invoke_model(modelId="us.amazon.nova-lite-v1:0", body=json.dumps(body))["body"].read())
    text = story["output"]["message"]["content"][0]["text"]
    assert text.startswith("The Lantern at Pine Hollow")  # the scripted story, not the fallback
    out = run_script("nova_invoke_stream_plain.py", server)
    assert "Awaiting first token...\nTime to first token: 0:00:" in out
    assert text in out
    assert out.endswith(f"\nTotal chunks: {len(tokens.pieces(text))}\n")  # one chunk per token piece


@pytest.fixture(scope="module")
def js_sdk():
    """@aws-sdk/client-bedrock-runtime from npm, installed once into test-artifacts/ (git-ignored)."""
    node, npm = require("node"), require("npm")
    if not (JS_SDK / "node_modules" / "@aws-sdk" / "client-bedrock-runtime").exists():
        JS_SDK.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--silent", JS_PACKAGE], cwd=JS_SDK, check=True, timeout=600
        )
    shutil.copy(HERE / "js" / "decode_streams.mjs", JS_SDK / "decode_streams.mjs")
    return node


def run_js(node, server, mode: str, transport: str) -> dict:
    done = subprocess.run(
        [node, str(JS_SDK / "decode_streams.mjs"), server.url, mode, transport],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


TRANSPORTS = pytest.mark.parametrize("transport", ["http2", "http1"])  # http2: the SDK's default, over h2c


@TRANSPORTS
def test_javascript_sdk_decodes_both_streams(js_sdk, server, runtime, transport):
    decoded = run_js(js_sdk, server, "whole", transport)
    ask = [{"role": "user", "content": [{"text": "Tell me about rivers."}]}]
    converse = runtime.converse(modelId="global.anthropic.claude-haiku-4-5-20251001-v1:0", messages=ask)
    events = decoded["converseEvents"]
    assert events[0] == "messageStart" and events[-3:] == ["contentBlockStop", "messageStop", "metadata"]
    assert decoded["converseText"] == converse["output"]["message"]["content"][0]["text"]
    assert decoded["stopReason"] == "end_turn"
    assert decoded["usage"] == converse["usage"]
    nova = json.loads(
        runtime.invoke_model(
            modelId="us.amazon.nova-lite-v1:0",
            body=json.dumps({"schemaVersion": "messages-v1", "messages": ask, "inferenceConfig": {"maxTokens": 500}}),
        )["body"].read()
    )
    assert decoded["invokeContentType"] == "application/json"
    assert decoded["chunks"][0] == "messageStart" and decoded["chunks"][-1] == "metadata"
    assert decoded["invokeText"] == nova["output"]["message"]["content"][0]["text"]


@TRANSPORTS
def test_javascript_sdk_sees_a_stream_error_as_its_exception(js_sdk, server, transport):
    spec = json.dumps({"stream_error": "throttlingException", "after": 3}).encode()
    arm_faults(server.url, json.loads(spec), "AKIADUMMYDUMMYDUMMY0")  # the key the JS client signs with
    decoded = run_js(js_sdk, server, "broken", transport)
    assert decoded["received"] == ["messageStart", "contentBlockDelta", "contentBlockDelta"]
    assert decoded["error"]["name"] == "ThrottlingException"
    assert decoded["error"]["message"].startswith("Too many requests, please wait before trying again.")


@pytest.mark.parametrize("mode", ["converse", "stream"])
def test_a_plain_tool_loop_completes_against_the_server(server, mode):
    """The user guide's tool loop: the tool is called with the call sign from the prompt, its result
    goes back, and the final answer states it."""
    done = subprocess.run(
        [sys.executable, str(HERE / "scripts" / "tool_loop_plain.py"), *(["stream"] if mode == "stream" else [])],
        env=plain_env(server),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == 'Requesting tool top_song with input {"sign": "WZPZ"}'
    assert "Elemental Hotel" in done.stdout and "8 Storey Hike" in done.stdout
    assert len([line for line in lines if line.startswith("Requesting tool")]) == 1


def test_plain_caching_thinking_and_citations_against_the_server(server):
    """The issue's plain script: a cache write then a read on a repeated 5,000-token system prompt, a signed
    reasoning block that round-trips, reasoning deltas in a stream, citations found where they point."""
    lines = dict(line.split(" ", 1) for line in run_script("features_plain.py", server).splitlines())
    cache = json.loads(lines["cache"])
    assert cache["first"]["cacheWriteInputTokens"] > 5000 and cache["first"].get("cacheReadInputTokens", 0) == 0
    assert cache["second"]["cacheReadInputTokens"] == cache["first"]["cacheWriteInputTokens"]
    assert cache["second"]["inputTokens"] < 100
    thinking = json.loads(lines["thinking"])
    assert thinking == {"kinds": ["reasoningContent", "text"], "next": "end_turn"}
    stream = json.loads(lines["stream"])
    assert stream["reasoning"] > 2 and stream["text"] > 0
    citations = json.loads(lines["citations"])
    assert citations and all(citations)

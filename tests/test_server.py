"""The standalone server as outsiders use it: many clients at once, a plain boto3 script that knows
nothing of this project, the AWS CLI, and `python -m helpers.offline` itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest
import rawhttp

from conftest import DUMMY, NO_RETRY, REGION, text_message
from helpers.offline.replies import load as load_replies
from helpers.paths import REPO

HAIKU = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
SONNET = "global.anthropic.claude-sonnet-4-6"
THREADS, CALLS = 8, 10


def outsider_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment with dummy credentials and no AWS configuration of this machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "BEDROCK_"))}
    env.update(
        HOME=str(tmp_path),
        AWS_ACCESS_KEY_ID="AKIAEXAMPLEOUTSIDER0",
        AWS_SECRET_ACCESS_KEY="dummy",
        AWS_REGION=REGION,
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=str(tmp_path / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    env.update(extra)
    return env


def test_concurrent_clients_all_get_their_own_answer(server):
    def conversation(thread: int) -> list[tuple[str, str]]:
        client = boto3.client("bedrock-runtime", region_name=REGION, endpoint_url=server.url, config=NO_RETRY, **DUMMY)
        answers = []
        for call in range(CALLS):
            prompt = f"Thread {thread} asks question number {call}."
            response = client.converse(modelId=HAIKU, messages=[text_message(prompt)])
            answers.append((prompt, response["output"]["message"]["content"][0]["text"]))
        return answers

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = [answer for answers in pool.map(conversation, range(THREADS)) for answer in answers]
    assert len(results) == THREADS * CALLS
    for prompt, text in results:
        assert f'Your last message says: "{prompt}"' in text


def test_a_stalled_client_does_not_block_others(server):
    """One connection sends half a request and waits; everybody else is still served."""
    import socket

    port = server.server_address[1]
    with socket.create_connection(("127.0.0.1", port), timeout=30) as stalled:
        stalled.sendall(
            f"POST {rawhttp.converse_path(HAIKU)} HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{{".encode()
        )
        answer = rawhttp.converse(server.url, HAIKU, {"messages": [text_message("Are you there?")]})
    assert answer.status == 200
    assert "Are you there?" in answer.json()["output"]["message"]["content"][0]["text"]


OUTSIDER_SCRIPT = textwrap.dedent(
    """
    import boto3

    client = boto3.client("bedrock-runtime")
    model_id = "global.anthropic.claude-sonnet-4-6"
    system = [{"text": "You are an app that creates playlists for a radio station that plays rock and pop music. "
                       "Only return song names and the artist."}]
    messages = [{"role": "user", "content": [{"text": "Create a list of 3 pop songs."}]}]
    for follow_up in [None, "Make sure the songs are by artists from the United Kingdom."]:
        if follow_up:
            messages.append({"role": "user", "content": [{"text": follow_up}]})
        response = client.converse(
            modelId=model_id,
            messages=messages,
            system=system,
            inferenceConfig={"temperature": 0.5},
            additionalModelRequestFields={"top_k": 200},
        )
        message = response["output"]["message"]
        messages.append(message)
        print("---", response["stopReason"], response["usage"]["totalTokens"])
        print(message["content"][0]["text"])
    print("=== roles:", ",".join(m["role"] for m in messages))
    """
)


def test_plain_boto3_script_holds_a_conversation(server, tmp_path):
    script = tmp_path / "outsider.py"
    script.write_text(OUTSIDER_SCRIPT)
    env = outsider_env(tmp_path, AWS_ENDPOINT_URL_BEDROCK_RUNTIME=server.url)
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    turns = done.stdout.split("---")[1:]
    assert len(turns) == 2
    replies = load_replies()
    for turn, prompt in zip(
        turns, ["create a list of 3 pop songs.", "make sure the songs are by artists from the united kingdom."]
    ):
        header, _, text = turn.partition("\n")
        assert header.split()[0] == "end_turn"
        variants = next(e for e in replies[prompt] if "system_contains" in e)["replies"]
        assert text.split("=== roles")[0].strip() in variants
    assert "Dua Lipa" in turns[1] or "Adele" in turns[1]
    assert done.stdout.rstrip().endswith("=== roles: user,assistant,user,assistant")


def test_aws_cli_lists_claude_models(server, tmp_path):
    aws = Path(sys.executable).with_name("aws")
    if not aws.exists():
        pytest.skip("the AWS CLI is installed with the test extra")
    done = subprocess.run(
        [
            str(aws),
            "bedrock",
            "list-foundation-models",
            "--by-provider",
            "anthropic",
            "--query",
            "modelSummaries[*].modelId",
            "--output",
            "json",
            "--endpoint-url",
            server.url,
        ],
        env=outsider_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    ids = json.loads(done.stdout)
    assert "anthropic.claude-sonnet-4-6" in ids
    assert ids and all(i.startswith("anthropic.claude") for i in ids)


def run_module(*args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "helpers.offline", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "example.com"])
def test_module_refuses_remote_hosts(host):
    process = run_module("--port", "0", "--host", host)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert out == ""
    assert f"Refusing to listen on {host}: the emulator accepts any credentials. Pass --allow-remote" in err


def test_module_serves_on_loopback(tmp_path):
    process = run_module("--port", "0")
    try:
        first = process.stdout.readline().strip()
        prefix = "Offline Bedrock emulator listening on "
        assert first.startswith(prefix + "http://127.0.0.1:")
        url = first[len(prefix) :]
        assert process.stdout.readline().strip() == (
            f"export AWS_ENDPOINT_URL_BEDROCK_RUNTIME={url} AWS_ENDPOINT_URL_BEDROCK={url}"
        )
        client = boto3.client("bedrock-runtime", region_name=REGION, endpoint_url=url, config=NO_RETRY, **DUMMY)
        response = client.converse(modelId=HAIKU, messages=[text_message("Ping from a test.")])
        assert response["stopReason"] == "end_turn"
        control = boto3.client("bedrock", region_name=REGION, endpoint_url=url, config=NO_RETRY, **DUMMY)
        base = HAIKU.removeprefix("global.")  # GetFoundationModel takes the model id, not a profile
        assert control.get_foundation_model(modelIdentifier=base)["modelDetails"]["modelId"] == base
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert process.returncode is not None

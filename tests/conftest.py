"""Shared fixtures: real boto3 clients answered by the emulator in-process and over real HTTP."""

from __future__ import annotations

import os
import shutil

import boto3
import pytest
from botocore.config import Config

from helpers.offline import Emulator, attach
from helpers.offline.inprocess import shared_emulator
from helpers.offline.server import running

REGION = "us-east-1"
DUMMY = {"aws_access_key_id": "AKIADUMMYDUMMYDUMMY0", "aws_secret_access_key": "dummy"}
NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})  # max_attempts counts retries, not calls


def require(tool: str) -> str:
    """Path of an external tool; skip without it locally, fail in CI (WORKBOOK_REQUIRE_ALL=1)."""
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is not installed (.ci/run installs it)"
        if os.environ.get("WORKBOOK_REQUIRE_ALL"):
            pytest.fail(message)
        pytest.skip(message)
    return path


# Every test meets Bedrock as of the catalog's own day (data/catalog.json `asOf`), whatever the shell
# running pytest sets. Tests of behaviour only retired models show (Claude 2 Text Completions, the
# Claude 3 schema prefixes) replay an older day with `replay_day`, as a learner replays an old tutorial.
REPLAY_DAY = "2024-12-15"  # every seed example's model was ACTIVE that day


@pytest.fixture(autouse=True)
def bedrock_day(monkeypatch):
    monkeypatch.delenv("BEDROCK_OFFLINE_AS_OF", raising=False)
    monkeypatch.delenv("BEDROCK_OFFLINE_ACTIVE_USER_OF", raising=False)


@pytest.fixture
def replay_day(monkeypatch):
    """Bedrock as of REPLAY_DAY; request it before `runtime`/`server` (or via usefixtures), which read the clock."""
    monkeypatch.setenv("BEDROCK_OFFLINE_AS_OF", REPLAY_DAY)
    shared_emulator.cache_clear()  # helpers' clients share one emulator, which reads the clock once
    yield REPLAY_DAY
    shared_emulator.cache_clear()


@pytest.fixture
def legacy_user(monkeypatch):
    """The caller counts as an active user of every Legacy model (Titan Text Express on the catalog's day)."""
    monkeypatch.setenv("BEDROCK_OFFLINE_ACTIVE_USER_OF", "*")
    shared_emulator.cache_clear()
    yield
    shared_emulator.cache_clear()


@pytest.fixture
def emulator():
    """A fresh emulator, so tests never share faults or access rules."""
    return Emulator()


@pytest.fixture
def runtime(emulator):
    """bedrock-runtime client answered in-process by a fresh emulator, without retries."""
    client = boto3.client("bedrock-runtime", region_name=REGION, config=NO_RETRY, **DUMMY)
    attach(client, emulator)
    return client


@pytest.fixture
def control(emulator):
    client = boto3.client("bedrock", region_name=REGION, config=NO_RETRY, **DUMMY)
    attach(client, emulator)
    return client


@pytest.fixture
def server():
    """The standalone server on a free loopback port."""
    with running(port=0) as srv:
        yield srv


@pytest.fixture
def http_runtime(server):
    """A plain boto3 client that knows nothing of the project, pointed at the server."""
    return boto3.client("bedrock-runtime", region_name=REGION, endpoint_url=server.url, config=NO_RETRY, **DUMMY)


@pytest.fixture
def http_control(server):
    return boto3.client("bedrock", region_name=REGION, endpoint_url=server.url, config=NO_RETRY, **DUMMY)


def text_message(text: str, role: str = "user") -> dict:
    return {"role": role, "content": [{"text": text}]}


def error_of(excinfo) -> tuple[int, str, str]:
    """(HTTP status, error code, message) of a botocore ClientError."""
    response = excinfo.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"]["Message"]

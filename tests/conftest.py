"""Shared fixtures: real boto3 clients answered by the emulator in-process and over real HTTP."""

from __future__ import annotations

import os
import shutil

import boto3
import pytest
from botocore.config import Config

from helpers.offline import Emulator, attach
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


# The suite's dialect, wire and helper tests were written against Bedrock as of this day, when the
# seed models were current; they replay it (helpers/offline/lifecycle.py). Tests of today's catalog
# (test_catalog_lifecycle.py) override `bedrock_day`.
SUITE_DAY = "2025-06-01"


@pytest.fixture(autouse=True)
def bedrock_day(monkeypatch):
    monkeypatch.setenv("BEDROCK_OFFLINE_AS_OF", SUITE_DAY)
    monkeypatch.setenv("BEDROCK_OFFLINE_ACTIVE_USER_OF", "*")
    return SUITE_DAY


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

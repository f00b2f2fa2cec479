"""The AWS CLI, a client that knows nothing of this project, lists models from the emulator's server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import require
from helpers.offline.catalog import Catalog
from helpers.offline.lifecycle import Clock

REGION = "us-west-2"


def aws_cli() -> str:
    """The venv's `aws` (awscli is in the test extra), else one on PATH."""
    local = Path(sys.executable).parent / ("aws.cmd" if os.name == "nt" else "aws")
    return str(local) if local.exists() else require("aws")


def test_list_anthropic_model_ids(server, tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),  # no ~/.aws of the machine
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "dummy-secret-for-the-offline-emulator",
    }
    command = [
        aws_cli(),
        "bedrock",
        "list-foundation-models",
        "--region=us-west-2",
        "--by-provider",
        "anthropic",
        "--query",
        "modelSummaries[*].modelId",
        "--endpoint-url",
        server.url,
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    catalog = Catalog.load()
    clock = Clock.from_env(catalog.as_of)  # the suite's day (conftest.bedrock_day)
    expected = [
        m["modelId"]
        for m in catalog.models.values()
        if m["providerName"] == "Anthropic" and catalog.in_region(m, REGION) and clock.listed(m)
    ]
    assert json.loads(result.stdout) == expected
    assert "anthropic.claude-haiku-4-5-20251001-v1:0" in expected and len(expected) == 7  # ACTIVE and Legacy

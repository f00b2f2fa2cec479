"""helpers.models: ListFoundationModels and ListInferenceProfiles as DataFrames and plain ids."""

from __future__ import annotations

import json

import boto3
import pytest

import helpers.models as models
from conftest import DUMMY, NO_RETRY
from helpers.offline import attach
from helpers.paths import DATA


@pytest.fixture
def west(emulator):
    client = boto3.client("bedrock", region_name="us-west-2", config=NO_RETRY, **DUMMY)
    attach(client, emulator)
    return client


@pytest.fixture
def frame(west):
    return models.models_frame(west)


def test_frame_has_one_row_per_listed_model(west, frame):
    listed = {s["modelId"] for s in west.list_foundation_models()["modelSummaries"]}
    assert set(models.ids(frame)) == listed
    assert list(frame.columns) == models.COLUMNS
    haiku = frame.set_index("id").loc["anthropic.claude-haiku-4-5-20251001-v1:0"]
    assert (haiku["provider"], haiku["input"], haiku["output"], haiku["lifecycle"]) == (
        "Anthropic",
        "TEXT, IMAGE",
        "TEXT",
        "ACTIVE",
    )
    assert haiku["streaming"] and haiku["images"] and haiku["documents"] and not haiku["video"]
    assert not haiku["on_demand"]  # inference profiles only


def test_filters_are_passed_to_the_api(west):
    anthropic = models.models_frame(west, byProvider="anthropic")
    assert set(anthropic["provider"]) == {"Anthropic"} and len(anthropic) == 7  # ACTIVE and Legacy on 2026-11-30
    embeddings = models.models_frame(west, byOutputModality="EMBEDDING")
    assert models.ids(embeddings) == ["amazon.titan-embed-text-v2:0"]


def test_capability_queries(frame):
    assert models.ids(models.where(frame, video=True)) == [
        "amazon.nova-2-lite-v1:0",
        "amazon.nova-lite-v1:0",
        "amazon.nova-pro-v1:0",
    ]
    no_images = models.ids(models.where(frame, provider="ANTHROPIC", images=False))
    assert no_images == []  # the text-only Claude 3.5 Haiku and Claude 2.1 have reached end of life
    legacy = models.ids(models.where(frame, active=False))
    assert (
        "anthropic.claude-opus-4-1-20250805-v1:0" in legacy and "amazon.nova-lite-v1:0" not in legacy
    )  # migrate_models: keep
    assert "amazon.titan-embed-text-v2:0" not in models.ids(models.where(frame, streaming=True))
    assert models.ids(models.where(frame, system=False, text_output=True)) == ["amazon.titan-text-express-v1"]
    with pytest.raises(ValueError, match="Unknown feature"):
        models.where(frame, telepathy=True)


def test_feature_table_gaps_are_unknown_not_false(west, monkeypatch):
    table = dict(models.feature_table())
    table.pop("amazon.nova-micro-v1:0")
    monkeypatch.setattr(models, "feature_table", lambda: table)
    frame = models.models_frame(west)
    micro = frame.set_index("id").loc["amazon.nova-micro-v1:0"]
    assert micro["documents"] is __import__("pandas").NA
    assert "amazon.nova-micro-v1:0" not in models.ids(models.where(frame, documents=False))
    assert "amazon.nova-micro-v1:0" not in models.ids(models.where(frame, documents=True))


def test_feature_table_is_the_catalogs_documented_table():
    catalog = json.loads((DATA / "catalog.json").read_text())
    assert models.feature_table() == {m["modelId"]: m["capabilities"] for m in catalog["models"]}


def test_inference_profiles(west):
    profiles = models.inference_profiles(west)
    row = profiles.set_index("id").loc["us.anthropic.claude-sonnet-4-6"]
    assert row["model"] == "anthropic.claude-sonnet-4-6"
    assert row["regions"] == "us-east-1, us-east-2, us-west-2"
    assert profiles["id"].str.match(r"(us|global)\.").all()
    assert "global.anthropic.claude-sonnet-4-6" in set(profiles["id"])


def test_invocable_ids_follow_inference_types(frame):
    rows = frame.set_index("id", drop=False)
    assert models.invocable_id(rows.loc["amazon.nova-lite-v1:0"], "us-west-2") == "amazon.nova-lite-v1:0"
    assert (
        models.invocable_id(rows.loc["anthropic.claude-haiku-4-5-20251001-v1:0"], "us-west-2")
        == "us.anthropic.claude-haiku-4-5-20251001-v1:0"
    )
    assert models.profile_id("amazon.nova-pro-v1:0", "eu-central-1") == "eu.amazon.nova-pro-v1:0"
    assert models.profile_id("amazon.nova-pro-v1:0", "ap-northeast-1") == "apac.amazon.nova-pro-v1:0"
    with pytest.raises(ValueError, match="sa-east-1"):
        models.profile_id("amazon.nova-pro-v1:0", "sa-east-1")


def test_choose_model_returns_a_callable_id(west, emulator):
    assert models.choose_model(west, video=True) == "us.amazon.nova-2-lite-v1:0"
    chosen = models.choose_model(west, provider="anthropic", documents=True, tools=True)
    assert chosen == "us.anthropic.claude-haiku-4-5-20251001-v1:0"
    runtime = boto3.client("bedrock-runtime", region_name="us-west-2", config=NO_RETRY, **DUMMY)
    attach(runtime, emulator)
    reply = runtime.converse(modelId=chosen, messages=[{"role": "user", "content": [{"text": "Hi"}]}])
    assert reply["stopReason"] == "end_turn"
    with pytest.raises(LookupError, match="No ACTIVE model in us-west-2 offers: video, tools"):
        models.choose_model(west, provider="meta", video=True, tools=True)


def test_availability_per_region(monkeypatch):
    monkeypatch.setenv("BEDROCK_MODE", "offline")
    table = models.availability(
        ["anthropic.claude-opus-4-6-v1", "amazon.nova-pro-v1:0", "amazon.nova-canvas-v1:0"],
        ["us-east-1", "us-west-2", "eu-central-1"],
    )
    assert table.to_dict("index") == {
        "anthropic.claude-opus-4-6-v1": {"us-east-1": True, "us-west-2": True, "eu-central-1": True},
        "amazon.nova-pro-v1:0": {"us-east-1": True, "us-west-2": True, "eu-central-1": True},
        "amazon.nova-canvas-v1:0": {"us-east-1": False, "us-west-2": False, "eu-central-1": False},  # EOL 2026-09-30
    }


def test_import_helpers_does_not_import_pandas():
    import subprocess
    import sys

    code = "import sys, helpers, helpers.models, helpers.troubleshoot, helpers.iam; print('pandas' in sys.modules)"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
        == "False"
    )

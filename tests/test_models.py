"""helpers.models: ListFoundationModels and ListInferenceProfiles as DataFrames and plain ids."""

from __future__ import annotations

import inspect
import json

import boto3
import pandas as pd
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


def test_feature_table_gaps_are_unknown_not_false(west, monkeypatch, capsys):
    table = dict(models.feature_table())
    table.pop("amazon.nova-micro-v1:0")
    monkeypatch.setattr(models, "feature_table", lambda: table)
    frame = models.models_frame(west)
    micro = frame.set_index("id").loc["amazon.nova-micro-v1:0"]
    assert micro["documents"] is pd.NA
    assert models.readable(frame).set_index("id").loc["amazon.nova-micro-v1:0", "documents"] == "unknown"
    for wanted in (False, True):
        kept = models.where(frame, documents=wanted)
        assert "amazon.nova-micro-v1:0" not in models.ids(kept)
        assert kept.attrs["unknown"] == ["amazon.nova-micro-v1:0"]
        assert "Left out 1 model(s) whose documents support is unknown" in capsys.readouterr().out


def test_where_says_how_many_models_it_left_out_as_unknown(frame, capsys):
    unknown = frame.loc[frame["citations"].isna(), "id"].tolist()
    assert unknown, "the catalog confirms citations for no model, so some are unknown"
    kept = models.where(frame, citations=True)
    assert kept.attrs["unknown"] == unknown and not set(models.ids(kept)) & set(unknown)
    assert f"Left out {len(unknown)} model(s) whose citations support is unknown" in capsys.readouterr().out
    models.where(frame, citations=True, quiet=True)
    assert capsys.readouterr().out == ""
    models.where(frame, images=True)  # a feature the API reports is never unknown
    assert capsys.readouterr().out == ""
    shown = models.readable(frame)
    assert set(shown.loc[frame["citations"].isna(), "citations"]) == {"unknown"}
    assert shown.loc[frame["documents"].notna(), "documents"].isin([True, False]).all()


def test_lifecycle_table_dates_and_states_come_from_the_catalog():
    table = models.lifecycle_table().set_index("id")
    assert table.attrs["day"] == models.catalog()["asOf"] == "2026-11-30"
    opus_41 = table.loc["anthropic.claude-opus-4-1-20250805-v1:0"]
    assert (opus_41["state"], opus_41["legacy"], opus_41["eol"]) == ("LEGACY", "2026-07-08", "2027-01-08")
    assert table.loc["anthropic.claude-3-haiku-20240307-v1:0", ["state", "eol"]].tolist() == ["EOL", "2026-09-10"]
    assert table.loc["anthropic.claude-3-sonnet-20240229-v1:0", "eol"] == "by 2026-11-30"  # reported, date unknown
    assert table.loc["anthropic.claude-sonnet-4-6", "state"] == "ACTIVE"
    assert set(table.index) == set(models.feature_table())
    replay = models.lifecycle_table("2024-12-15").set_index("id")
    assert replay.loc["anthropic.claude-3-sonnet-20240229-v1:0", "state"] == "ACTIVE"
    assert replay.loc["anthropic.claude-sonnet-4-6", "state"] == "UNLAUNCHED"


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
    haiku = rows.loc["anthropic.claude-haiku-4-5-20251001-v1:0"]
    assert models.invocable_id(haiku, "us-west-2") == "us.anthropic.claude-haiku-4-5-20251001-v1:0"
    assert models.invocable_id(haiku, "us-west-2", prefer_global=True) == f"global.{haiku['id']}"
    nova = rows.loc["amazon.nova-lite-v1:0"]  # no global. profile: the base id, on demand
    assert models.invocable_id(nova, "us-west-2", prefer_global=True) == "amazon.nova-lite-v1:0"


GEOGRAPHIES = json.loads((DATA / "catalog.json").read_text())["geographies"]


@pytest.mark.parametrize("prefix", sorted(GEOGRAPHIES))
def test_profile_id_knows_every_geography_of_the_catalog(prefix):
    model = next(m for m in models.catalog()["models"] if prefix in (m.get("profiles") or []))
    region = GEOGRAPHIES[prefix]["regions"][-1]
    assert models.profile_id(model["modelId"], region, geography=prefix) == f"{prefix}.{model['modelId']}"
    assert models.base_model_id(f"{prefix}.{model['modelId']}") == model["modelId"]


def test_profile_id_picks_the_regions_own_geography():
    sonnet = "anthropic.claude-sonnet-4-6"  # profiles: global, us, eu, jp, au
    assert models.profile_id(sonnet, "eu-central-1") == f"eu.{sonnet}"
    assert models.profile_id(sonnet, "ap-northeast-3") == f"jp.{sonnet}"
    assert models.profile_id(sonnet, "ap-southeast-4") == f"au.{sonnet}"
    assert models.profile_id("anthropic.claude-sonnet-4-20250514-v1:0", "ap-south-1").startswith("apac.")
    assert models.profile_id(f"global.{sonnet}", "us-east-2") == f"us.{sonnet}"  # from any id of the model


def test_profile_id_fails_clearly_naming_the_fix():
    with pytest.raises(ValueError, match=r"routes from sa-east-1.*Fix: create the client in one of those regions"):
        models.profile_id("amazon.nova-pro-v1:0", "sa-east-1")
    with pytest.raises(
        ValueError, match=r"nova-pro-v1:0 can be called from ap-northeast-1; its profiles route from: us"
    ):
        models.profile_id("amazon.nova-pro-v1:0", "ap-northeast-1")  # the catalog lists us. and eu. only
    with pytest.raises(ValueError, match=r"claude-v2:1 has no .*inference profile.*base id"):
        models.profile_id("anthropic.claude-v2:1", "us-east-1")
    with pytest.raises(ValueError, match="Unknown geography 'asia'"):
        models.profile_id("amazon.nova-pro-v1:0", "us-east-1", geography="asia")


def test_base_model_id_strips_only_geography_prefixes():
    assert models.base_model_id("global.anthropic.claude-sonnet-4-6") == "anthropic.claude-sonnet-4-6"
    arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0"
    assert models.base_model_id(arn) == "amazon.nova-lite-v1:0"
    assert models.base_model_id("amazon.nova-lite-v1:0") == "amazon.nova-lite-v1:0"
    assert models.base_model_id("meta.llama4-maverick-17b-instruct-v1:0") == "meta.llama4-maverick-17b-instruct-v1:0"
    with pytest.raises(ValueError, match="non-empty string"):
        models.base_model_id("")


def test_widgets_use_the_one_prefix_vocabulary():
    import helpers.widgets as widgets

    assert not hasattr(widgets, "_base_model")
    assert "models.base_model_id" in inspect.getsource(widgets.Compare)


def test_choose_model_returns_a_callable_id(west, emulator):
    assert models.choose_model(west, video=True) == "global.amazon.nova-2-lite-v1:0"  # global. first
    chosen = models.choose_model(west, provider="anthropic", documents=True, tools=True)
    assert chosen == "global.anthropic.claude-haiku-4-5-20251001-v1:0"
    assert models.choose_model(west, images=False, tools=True) == "amazon.nova-micro-v1:0"  # no global. profile
    runtime = boto3.client("bedrock-runtime", region_name="us-west-2", config=NO_RETRY, **DUMMY)
    attach(runtime, emulator)
    reply = runtime.converse(modelId=chosen, messages=[{"role": "user", "content": [{"text": "Hi"}]}])
    assert reply["stopReason"] == "end_turn"
    with pytest.raises(LookupError, match="No ACTIVE model in us-west-2 offers: video, tools"):
        models.choose_model(west, provider="meta", video=True, tools=True)
    with pytest.raises(LookupError, match=r"offers: structured_output \(\d+ more might, but their support is unknown"):
        models.choose_model(west, provider="meta", structured_output=True)


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

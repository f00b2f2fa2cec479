"""Bedrock as of the catalog's day: lifecycle (EOL, Legacy, not yet launched), geography and global.
profiles, profile-only models and newer models' sampling rules, through real boto3 clients."""

# migrate_models: keep-file (retired ids are what these tests are about)

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import boto3
import pytest
from botocore.exceptions import ClientError

from conftest import DUMMY, NO_RETRY, REGION, error_of, text_message
from helpers.offline import Emulator, attach
from helpers.offline.catalog import Catalog
from helpers.offline.errors import MSG_INVALID_MODEL, msg_on_demand_unsupported
from helpers.offline.lifecycle import MSG_END_OF_LIFE, MSG_LEGACY, Clock
from helpers.offline.model_rules import MSG_TEMPERATURE_WITH_TOP_P, msg_deprecated
from helpers.paths import DATA, REPO

SEED_SONNET = "anthropic.claude-3-sonnet-20240229-v1:0"  # the seeds' Claude 3 Sonnet
SONNET_46 = "anthropic.claude-sonnet-4-6"
GLOBAL_SONNET_46 = "global.anthropic.claude-sonnet-4-6"
OPUS_41 = "us.anthropic.claude-opus-4-1-20250805-v1:0"  # Legacy on the catalog's day
OPUS_47 = "us.anthropic.claude-opus-4-7"
REPLAY_DAY = dt.date(2024, 12, 15)
CATALOG_DAY = "2026-11-30"


def clients_on(day: dt.date | None = None, active_user_of=frozenset()):
    emulator = Emulator(clock=Clock(day, frozenset(active_user_of)) if day else None)
    runtime = boto3.client("bedrock-runtime", region_name=REGION, config=NO_RETRY, **DUMMY)
    control = boto3.client("bedrock", region_name=REGION, config=NO_RETRY, **DUMMY)
    attach(runtime, emulator)
    attach(control, emulator)
    return runtime, control


def converse(client, model_id: str, **extra) -> dict:
    return client.converse(modelId=model_id, messages=[text_message("Hello from the lifecycle tests.")], **extra)


def refused(client, model_id: str, **extra) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as excinfo:
        converse(client, model_id, **extra)
    return error_of(excinfo)


# ---- the clock ------------------------------------------------------------------------------------
def test_the_clock_defaults_to_the_catalogs_day():
    assert Catalog.load().as_of == CATALOG_DAY
    assert Emulator().clock.day == dt.date(2026, 11, 30)


def test_the_environment_sets_another_day(monkeypatch, runtime):
    monkeypatch.setenv("BEDROCK_OFFLINE_AS_OF", "2024-12-15")
    assert Emulator().clock.day == REPLAY_DAY
    replayed = boto3.client("bedrock-runtime", region_name=REGION, config=NO_RETRY, **DUMMY)
    attach(replayed, Emulator())
    assert converse(replayed, SEED_SONNET)["stopReason"] == "end_turn"
    monkeypatch.setenv("BEDROCK_OFFLINE_AS_OF", "30/11/2026")
    with pytest.raises(ValueError, match="BEDROCK_OFFLINE_AS_OF must be a date as YYYY-MM-DD"):
        Emulator()


# ---- end of life, Legacy, not yet launched ---------------------------------------------------------
def test_seed_model_past_eol_is_refused_by_default(runtime):
    assert refused(runtime, SEED_SONNET) == (404, "ResourceNotFoundException", MSG_END_OF_LIFE)


def test_seed_model_past_eol_is_refused_over_http(http_runtime):
    assert refused(http_runtime, SEED_SONNET) == (404, "ResourceNotFoundException", MSG_END_OF_LIFE)


@pytest.mark.parametrize(
    "model_id",
    [
        SEED_SONNET,
        "anthropic.claude-3-haiku-20240307-v1:0",
        "anthropic.claude-3-5-sonnet-20240620-v1:0",
        "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
        "us.anthropic.claude-3-5-haiku-20241022-v1:0",
        "us.anthropic.claude-3-opus-20240229-v1:0",
        "anthropic.claude-v2:1",
        "amazon.nova-micro-v1:0",
        "amazon.nova-lite-v1:0",
        "amazon.nova-pro-v1:0",
        "us.amazon.nova-premier-v1:0",
    ],
)
def test_every_seed_model_id_works_as_of_2024_12_15(model_id):
    runtime, _ = clients_on(REPLAY_DAY)
    assert converse(runtime, model_id)["stopReason"] == "end_turn"


def test_legacy_model_refuses_callers_who_are_not_active_users():
    runtime, _ = clients_on()
    assert refused(runtime, OPUS_41) == (404, "ResourceNotFoundException", MSG_LEGACY)
    active, _ = clients_on(dt.date(2026, 11, 30), {"anthropic.claude-opus-4-1-20250805-v1:0"})
    assert converse(active, OPUS_41)["stopReason"] == "end_turn"


def test_active_user_switch_from_the_environment(monkeypatch):
    monkeypatch.setenv("BEDROCK_OFFLINE_ACTIVE_USER_OF", "*")
    runtime = boto3.client("bedrock-runtime", region_name=REGION, config=NO_RETRY, **DUMMY)
    attach(runtime, Emulator())
    assert converse(runtime, OPUS_41)["stopReason"] == "end_turn"
    assert refused(runtime, SEED_SONNET) == (404, "ResourceNotFoundException", MSG_END_OF_LIFE)  # EOL stays EOL


def test_models_not_yet_launched_are_invalid_identifiers():
    runtime, control = clients_on(REPLAY_DAY)
    assert refused(runtime, GLOBAL_SONNET_46) == (400, "ValidationException", MSG_INVALID_MODEL)
    with pytest.raises(ClientError) as excinfo:
        control.get_foundation_model(modelIdentifier=SONNET_46)
    assert error_of(excinfo) == (400, "ValidationException", MSG_INVALID_MODEL)


def test_the_legacy_to_eol_boundary_follows_the_published_date():
    sonnet_4 = "us.anthropic.claude-sonnet-4-20250514-v1:0"  # Legacy 2026-04-14, EOL 2026-10-14
    before, _ = clients_on(dt.date(2026, 10, 13), {"*"})
    assert converse(before, sonnet_4)["stopReason"] == "end_turn"
    on_the_day, _ = clients_on(dt.date(2026, 10, 14), {"*"})
    assert refused(on_the_day, sonnet_4) == (404, "ResourceNotFoundException", MSG_END_OF_LIFE)


# ---- control plane at the clock's day --------------------------------------------------------------
def _listed(control) -> dict[str, str]:
    return {s["modelId"]: s["modelLifecycle"]["status"] for s in control.list_foundation_models()["modelSummaries"]}


def test_list_foundation_models_reports_lifecycle_as_of_the_day():
    _, control = clients_on()
    today = _listed(control)
    assert today[SONNET_46] == "ACTIVE" and today["amazon.nova-2-lite-v1:0"] == "ACTIVE"
    assert today["anthropic.claude-opus-4-1-20250805-v1:0"] == "LEGACY"
    assert SEED_SONNET not in today and "amazon.nova-premier-v1:0" not in today  # past EOL: docs page only
    _, replay = clients_on(REPLAY_DAY)
    then = _listed(replay)
    assert then[SEED_SONNET] == "ACTIVE" and SONNET_46 not in then


def test_list_foundation_models_over_http_lists_current_models(http_control):
    listed = _listed(http_control)
    current = {
        SONNET_46,
        "anthropic.claude-opus-4-6-v1",
        "anthropic.claude-sonnet-4-5-20250929-v1:0",
        "anthropic.claude-opus-4-5-20251101-v1:0",
        "anthropic.claude-haiku-4-5-20251001-v1:0",
        "amazon.nova-micro-v1:0",
        "amazon.nova-lite-v1:0",
        "amazon.nova-pro-v1:0",
        "amazon.nova-2-lite-v1:0",
        "meta.llama4-maverick-17b-instruct-v1:0",
    }
    assert {m: listed.get(m) for m in current} == dict.fromkeys(current, "ACTIVE")


def test_get_foundation_model_of_an_eol_model_is_invalid():
    _, control = clients_on()
    with pytest.raises(ClientError) as excinfo:
        control.get_foundation_model(modelIdentifier=SEED_SONNET)
    assert error_of(excinfo) == (400, "ValidationException", MSG_INVALID_MODEL)
    details = control.get_foundation_model(modelIdentifier="anthropic.claude-opus-4-1-20250805-v1:0")["modelDetails"]
    assert details["modelLifecycle"] == {"status": "LEGACY"} and details["inferenceTypesSupported"] == [
        "INFERENCE_PROFILE"
    ]


# ---- geography and global profiles ------------------------------------------------------------------
def test_global_profile_answers_over_http(http_runtime):
    response = converse(http_runtime, GLOBAL_SONNET_46)
    assert response["stopReason"] == "end_turn" and response["output"]["message"]["content"][0]["text"]


@pytest.mark.parametrize(
    ("region", "profile_id"),
    [
        ("us-east-1", "us.anthropic.claude-haiku-4-5-20251001-v1:0"),
        ("eu-central-1", "eu.anthropic.claude-sonnet-4-6"),
        ("ap-northeast-1", "jp.anthropic.claude-sonnet-4-6"),
        ("ap-southeast-2", "au.anthropic.claude-sonnet-4-6"),
        ("eu-west-1", "global.anthropic.claude-opus-4-6-v1"),
        ("us-west-2", "global.amazon.nova-2-lite-v1:0"),
    ],
)
def test_geography_profiles_resolve_from_their_regions(region, profile_id):
    runtime = boto3.client("bedrock-runtime", region_name=region, config=NO_RETRY, **DUMMY)
    attach(runtime, Emulator())
    assert converse(runtime, profile_id)["stopReason"] == "end_turn"


def test_a_profile_named_from_outside_its_geography_is_invalid(runtime):
    assert refused(runtime, "jp.anthropic.claude-sonnet-4-6") == (400, "ValidationException", MSG_INVALID_MODEL)


def test_list_inference_profiles_shows_global_and_geography_profiles(control):
    ids = {
        p["inferenceProfileId"] for p in control.list_inference_profiles(maxResults=1000)["inferenceProfileSummaries"]
    }
    assert {GLOBAL_SONNET_46, "us.anthropic.claude-sonnet-4-6", "us.amazon.nova-2-lite-v1:0"} <= ids
    assert "us.anthropic.claude-3-sonnet-20240229-v1:0" not in ids  # its model is past EOL
    profile = control.get_inference_profile(inferenceProfileIdentifier=GLOBAL_SONNET_46)
    assert (
        profile["inferenceProfileName"] == "Global Anthropic Claude Sonnet 4.6" and profile["type"] == "SYSTEM_DEFINED"
    )


@pytest.mark.parametrize("model_id", [SONNET_46, "amazon.nova-2-lite-v1:0", "anthropic.claude-haiku-4-5-20251001-v1:0"])
def test_profile_only_models_refuse_their_base_id(runtime, model_id):
    assert refused(runtime, model_id) == (400, "ValidationException", msg_on_demand_unsupported(model_id))


# ---- newer models' sampling and reasoning rules ----------------------------------------------------
def test_temperature_with_top_p_is_refused_on_newer_claude(runtime):
    both = {"inferenceConfig": {"temperature": 0.5, "topP": 0.9}}
    assert refused(runtime, GLOBAL_SONNET_46, **both) == (400, "ValidationException", MSG_TEMPERATURE_WITH_TOP_P)
    assert converse(runtime, GLOBAL_SONNET_46, inferenceConfig={"temperature": 0.5})["stopReason"] == "end_turn"
    assert converse(runtime, GLOBAL_SONNET_46, inferenceConfig={"topP": 0.9})["stopReason"] == "end_turn"
    assert converse(runtime, "us.amazon.nova-lite-v1:0", **both)["stopReason"] == "end_turn"  # Nova takes both


def test_temperature_with_top_p_through_invoke_model(runtime):
    body = {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 100,
        "temperature": 0.2,
        "top_p": 0.5,
        "messages": [{"role": "user", "content": "Hello"}],
    }
    with pytest.raises(ClientError) as excinfo:
        runtime.invoke_model(modelId=GLOBAL_SONNET_46, body=json.dumps(body))
    assert error_of(excinfo) == (400, "ValidationException", MSG_TEMPERATURE_WITH_TOP_P)


@pytest.mark.parametrize(
    ("extra", "parameter"),
    [
        ({"inferenceConfig": {"temperature": 0.3}}, "temperature"),
        ({"inferenceConfig": {"topP": 0.3}}, "top_p"),
        ({"additionalModelRequestFields": {"top_k": 5}}, "top_k"),
    ],
)
def test_opus_4_7_no_longer_accepts_sampling_parameters(runtime, extra, parameter):
    assert refused(runtime, OPUS_47, **extra) == (400, "ValidationException", msg_deprecated(parameter))
    assert converse(runtime, OPUS_47)["stopReason"] == "end_turn"


def test_thinking_only_where_reasoning_is_supported():
    runtime, _ = clients_on(dt.date(2025, 6, 1))
    thinking = {"additionalModelRequestFields": {"thinking": {"type": "enabled", "budget_tokens": 1024}}}
    status, code, message = refused(runtime, "anthropic.claude-3-haiku-20240307-v1:0", **thinking)
    assert (status, code) == (400, "ValidationException")
    assert message.endswith("#: extraneous key [thinking] is not permitted, please reformat your input and try again.")
    assert converse(runtime, "us.anthropic.claude-sonnet-4-20250514-v1:0", **thinking)["stopReason"] == "end_turn"


# ---- the server's --as-of ----------------------------------------------------------------------------
def _serve(*args: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "helpers.offline", "--port", "0", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = process.stdout.readline().strip()
    return process, first.rsplit(" ", 1)[-1]


@pytest.mark.parametrize(("args", "works"), [((), False), (("--as-of", "2024-12-15"), True)])
def test_server_as_of_replays_the_seed_model(args, works):
    process, url = _serve(*args)
    try:
        client = boto3.client("bedrock-runtime", region_name=REGION, endpoint_url=url, config=NO_RETRY, **DUMMY)
        if works:
            assert converse(client, SEED_SONNET)["stopReason"] == "end_turn"
        else:
            assert refused(client, SEED_SONNET) == (404, "ResourceNotFoundException", MSG_END_OF_LIFE)
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_server_refuses_a_malformed_as_of():
    process = subprocess.run(
        [sys.executable, "-m", "helpers.offline", "--port", "0", "--as-of", "yesterday"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert process.returncode == 2
    assert "BEDROCK_OFFLINE_AS_OF must be a date as YYYY-MM-DD, not 'yesterday'." in process.stderr


# ---- the data ----------------------------------------------------------------------------------------
def test_every_model_is_dated_and_sourced():
    catalog = json.loads((DATA / "catalog.json").read_text())
    assert catalog["asOf"] == catalog["read"] == CATALOG_DAY
    for model in catalog["models"]:
        assert model["read"] == CATALOG_DAY, model["modelId"]
        assert set(model["sources"]) <= set(catalog["sources"]), model["modelId"]
        assert model["sources"] or model["unconfirmed"], model["modelId"]
        assert set(model["lifecycle"]) >= {"launch", "legacy", "eol"}, model["modelId"]
        assert set(model["profiles"]) <= set(catalog["geographies"]), model["modelId"]


# ---- Titan Text Embeddings V2 through InvokeModel ---------------------------------------------------
TITAN_V2 = "amazon.titan-embed-text-v2:0"


def embed(client, **body) -> dict:
    response = client.invoke_model(modelId=TITAN_V2, body=json.dumps(body), contentType="application/json")
    return json.loads(response["body"].read())


@pytest.mark.parametrize("dimensions", [None, 512, 256])
def test_titan_embeddings_have_the_documented_sizes_and_unit_length(runtime, dimensions):
    body = {"inputText": "Bedrock embeds text."} | ({"dimensions": dimensions} if dimensions else {})
    answer = embed(runtime, **body)
    assert len(answer["embedding"]) == (dimensions or 1024)
    assert answer["embeddingsByType"] == {"float": answer["embedding"]}
    assert answer["inputTextTokenCount"] > 0
    assert sum(v * v for v in answer["embedding"]) == pytest.approx(1.0, abs=1e-3)  # normalize defaults to true


def test_titan_embeddings_are_deterministic_and_honour_normalize_and_binary(runtime, http_runtime):
    first = embed(runtime, inputText="same text", dimensions=256)
    assert embed(http_runtime, inputText="same text", dimensions=256) == first
    assert embed(runtime, inputText="other text", dimensions=256)["embedding"] != first["embedding"]
    raw = embed(runtime, inputText="same text", dimensions=256, normalize=False)["embedding"]
    assert sum(v * v for v in raw) != pytest.approx(1.0, abs=1e-3)
    both = embed(runtime, inputText="same text", dimensions=256, embeddingTypes=["float", "binary"])
    assert both["embeddingsByType"]["binary"] == [1 if v > 0 else 0 for v in first["embedding"]]


def test_titan_embeddings_refuse_an_undocumented_size(runtime):
    with pytest.raises(ClientError) as excinfo:
        embed(runtime, inputText="x", dimensions=100)
    assert error_of(excinfo) == (
        400,
        "ValidationException",
        "Malformed input request: #/dimensions: 100 is not one of [1024, 512, 256], "
        "please reformat your input and try again.",
    )

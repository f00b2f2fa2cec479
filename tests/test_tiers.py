"""Service tiers and latency-optimized inference follow each model, as on Bedrock, through real clients.

A model the user guide's "Service tiers" table lists serves priority and flex and echoes them; any other
model refuses them with Bedrock's ValidationException; `default` works everywhere. Latency-optimized
inference is served only through an inference profile from a Region that offers it; elsewhere the request
runs at standard latency and the response says so. Facts and sources: data/catalog.json."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from helpers import models
from helpers.offline import tiers
from helpers.offline.emulator import Emulator
from helpers.offline.inprocess import attach
from helpers.paths import DATA
from tests.conftest import DUMMY, NO_RETRY, error_of, text_message

CATALOG = json.loads((DATA / "catalog.json").read_text(encoding="utf-8"))
ACTIVE = set(models.lifecycle_table().query("state == 'ACTIVE'")["id"])  # callable on the catalog's day
CHAT_MODELS = [m for m in CATALOG["models"] if m["capabilities"]["converse"] and m["modelId"] in ACTIVE]
NOVA_PRO = "amazon.nova-pro-v1:0"  # priority, flex; latency-optimized through us. from us-east-1/2, us-west-2
NOVA_PRO_US = "us.amazon.nova-pro-v1:0"
NOVA_2_LITE_US = "us.amazon.nova-2-lite-v1:0"  # priority and flex
NOVA_LITE = "amazon.nova-lite-v1:0"  # neither
HAIKU_45_US = "us.anthropic.claude-haiku-4-5-20251001-v1:0"  # neither, and no latency-optimized inference
HI = [text_message("hi")]


def test_the_catalog_offers_priority_and_flex_only_where_the_user_guide_lists_them():
    offered = {m["modelId"]: m["serviceTiers"] for m in CATALOG["models"] if "serviceTiers" in m}
    assert offered == {
        "amazon.nova-pro-v1:0": ["priority", "flex"],
        "amazon.nova-premier-v1:0": ["priority", "flex"],
        "amazon.nova-2-lite-v1:0": ["priority", "flex"],
    }
    assert all("service-tiers-models" in m["sources"] for m in CATALOG["models"] if m["modelId"] in offered)


@pytest.mark.parametrize("model_id", [NOVA_PRO, NOVA_2_LITE_US])
def test_a_model_that_offers_flex_and_priority_serves_and_echoes_them(runtime, model_id):
    served = {t: runtime.converse(modelId=model_id, messages=HI, serviceTier={"type": t}) for t in tiers.TIERS}
    for tier, response in served.items():
        assert response["serviceTier"] == {"type": tier}
    latency = {tier: response["metrics"]["latencyMs"] for tier, response in served.items()}
    assert latency["priority"] < latency["default"] < latency["flex"]


def test_flex_is_echoed_at_the_end_of_a_stream_over_http(http_runtime):
    events = list(
        http_runtime.converse_stream(modelId=NOVA_2_LITE_US, messages=HI, serviceTier={"type": "flex"})["stream"]
    )
    assert events[-1]["metadata"]["serviceTier"] == {"type": "flex"}


@pytest.mark.parametrize("model_id", [NOVA_LITE, HAIKU_45_US])
@pytest.mark.parametrize("tier", ["priority", "flex"])
def test_a_model_without_the_tier_refuses_it_in_bedrocks_words(runtime, http_runtime, model_id, tier):
    expected = (400, "ValidationException", "The provided service tier is not supported for this model")
    with pytest.raises(ClientError) as excinfo:
        runtime.converse(modelId=model_id, messages=HI, serviceTier={"type": tier})
    assert error_of(excinfo) == expected
    with pytest.raises(ClientError) as excinfo:
        http_runtime.converse_stream(modelId=model_id, messages=HI, serviceTier={"type": tier})
    assert error_of(excinfo) == expected


@pytest.mark.parametrize("model", CHAT_MODELS, ids=lambda m: m["modelId"])
def test_every_chat_model_serves_default_and_flex_only_if_the_catalog_offers_it(runtime, model):
    model_id = model["modelId"] if "ON_DEMAND" in model["inferenceTypesSupported"] else f"us.{model['modelId']}"
    assert runtime.converse(modelId=model_id, messages=HI, serviceTier={"type": "default"})["serviceTier"] == {
        "type": "default"
    }
    if "flex" in (model.get("serviceTiers") or []):
        assert runtime.converse(modelId=model_id, messages=HI, serviceTier={"type": "flex"})["serviceTier"]
    else:
        with pytest.raises(ClientError) as excinfo:
            runtime.converse(modelId=model_id, messages=HI, serviceTier={"type": "flex"})
        assert error_of(excinfo)[2] == tiers.MSG_TIER_UNSUPPORTED


def test_reserved_unknown_tiers_and_latencies_are_refused_on_every_model(runtime):
    for model_id in (NOVA_PRO, HAIKU_45_US):
        for tier, message in (("reserved", tiers.MSG_RESERVATION_NOT_FOUND), ("cheapest", tiers.MSG_INVALID_TIER)):
            with pytest.raises(ClientError) as excinfo:
                runtime.converse(modelId=model_id, messages=HI, serviceTier={"type": tier})
            assert error_of(excinfo) == (400, "ValidationException", message)
    with pytest.raises(ClientError) as excinfo:
        runtime.converse(modelId=NOVA_PRO, messages=HI, performanceConfig={"latency": "turbo"})
    assert error_of(excinfo)[2].endswith("Member must satisfy enum value set: [optimized, standard]")


def test_latency_optimized_through_a_profile_of_a_model_that_has_it(runtime, http_runtime):
    standard = runtime.converse(modelId=NOVA_PRO_US, messages=HI, performanceConfig={"latency": "standard"})
    fast = runtime.converse(modelId=NOVA_PRO_US, messages=HI, performanceConfig={"latency": "optimized"})
    assert standard["performanceConfig"] == {"latency": "standard"}
    assert fast["performanceConfig"] == {"latency": "optimized"}
    assert fast["metrics"]["latencyMs"] < standard["metrics"]["latencyMs"]
    both = http_runtime.converse(
        modelId=NOVA_PRO_US, messages=HI, serviceTier={"type": "flex"}, performanceConfig={"latency": "optimized"}
    )
    assert both["serviceTier"] == {"type": "flex"} and both["performanceConfig"] == {"latency": "optimized"}


@pytest.mark.parametrize("model_id", [HAIKU_45_US, NOVA_PRO])  # no latency-optimized version; a base id, no profile
def test_latency_optimized_elsewhere_runs_at_standard_latency_and_says_so(runtime, http_runtime, model_id):
    standard = runtime.converse(modelId=model_id, messages=HI)
    asked = runtime.converse(modelId=model_id, messages=HI, performanceConfig={"latency": "optimized"})
    assert asked["performanceConfig"] == {"latency": "standard"}
    assert asked["metrics"]["latencyMs"] == standard["metrics"]["latencyMs"]
    events = list(
        http_runtime.converse_stream(modelId=model_id, messages=HI, performanceConfig={"latency": "optimized"})[
            "stream"
        ]
    )
    assert events[-1]["metadata"]["performanceConfig"] == {"latency": "standard"}


def test_latency_optimized_follows_the_region_the_profile_is_called_from(monkeypatch):
    """Claude 3.5 Haiku (active in mid-2025) has it in us-east-2 and us-west-2, not us-east-1."""
    monkeypatch.setenv("BEDROCK_OFFLINE_AS_OF", "2025-06-01")
    emulator = Emulator()  # reads the clock when made
    served = {}
    for region in ("us-east-1", "us-east-2"):
        client = boto3.client("bedrock-runtime", region_name=region, config=NO_RETRY, **DUMMY)
        attach(client, emulator)
        response = client.converse(
            modelId="us.anthropic.claude-3-5-haiku-20241022-v1:0",
            messages=HI,
            performanceConfig={"latency": "optimized"},
        )
        served[region] = response["performanceConfig"]["latency"]
    assert served == {"us-east-1": "standard", "us-east-2": "optimized"}

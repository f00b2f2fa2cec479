"""Token + cost ledger over plain usage dicts, and the dated price table behind it."""

from __future__ import annotations

import json

import pytest

from helpers import usage
from helpers.paths import DATA


def test_price_table_is_dated_sourced_and_marked_to_verify():
    table = usage.price_table()
    assert table["as_of"] == "2025-06-01"
    assert "aws.amazon.com/bedrock/pricing" in table["source"]
    assert table["status"] == "to verify before quoting"
    assert table["per_tokens"] == 1_000_000


def test_every_converse_text_model_of_the_catalog_has_a_price():
    catalog = json.loads((DATA / "catalog.json").read_text())
    text_models = {m["modelId"] for m in catalog["models"] if m["capabilities"]["converse"]}
    assert text_models == set(usage.price_table()["prices"])


@pytest.mark.parametrize(
    "model_id",
    [
        "amazon.nova-lite-v1:0",
        "us.amazon.nova-lite-v1:0",
        "eu.amazon.nova-lite-v1:0",
        "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0",
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0",
    ],
)
def test_profiles_and_arns_are_priced_as_their_model(model_id):
    assert usage.base_model_id(model_id) == "amazon.nova-lite-v1:0"
    assert usage.price(model_id) == {"input": 0.06, "output": 0.24}


def test_cost_is_input_and_output_tokens_at_their_own_rates():
    # Nova Lite: 0.06 in / 0.24 out per 1M tokens
    assert usage.cost("amazon.nova-lite-v1:0", {"inputTokens": 1000, "outputTokens": 2000}) == pytest.approx(0.00054)
    # Claude Haiku 4.5: 1.00 / 5.00 (global. profile price, data/prices.json)
    assert usage.cost(
        "global.anthropic.claude-haiku-4-5-20251001-v1:0", {"inputTokens": 1_000_000, "outputTokens": 1_000_000}
    ) == pytest.approx(6.0)


def test_a_model_without_price_costs_none_and_reads_na():
    assert usage.cost("example.unknown-model-v1:0", {"inputTokens": 10, "outputTokens": 10}) is None
    assert usage.format_cost(None) == "n/a (no price listed)"


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"inputTokens": -1}, "usage['inputTokens'] must be a whole number of tokens >= 0, not -1."),
        ({"outputTokens": "12"}, "usage['outputTokens'] must be a whole number of tokens >= 0, not '12'."),
        ({"inputTokens": True}, "usage['inputTokens'] must be a whole number of tokens >= 0, not True."),
    ],
)
def test_malformed_usage_is_refused_with_the_key_named(bad, message):
    with pytest.raises(ValueError) as excinfo:
        usage.cost("amazon.nova-lite-v1:0", bad)
    assert str(excinfo.value) == message


def test_usage_must_be_a_dict_and_model_id_a_string():
    with pytest.raises(ValueError, match="usage must be the response's usage dict, not list"):
        usage.cost("amazon.nova-lite-v1:0", [])
    with pytest.raises(ValueError, match="A model id must be a non-empty string"):
        usage.price("")


def test_describe_is_one_line_with_tokens_cost_and_price_date():
    line = usage.describe("amazon.nova-micro-v1:0", {"inputTokens": 25, "outputTokens": 40, "totalTokens": 65})
    # 25 * 0.035 + 40 * 0.14 = 6.475 -> per 1M
    assert line == (
        "tokens: 25 in + 40 out = 65 | est. cost $0.000006 (prices as of 2025-06-01, to verify before quoting)"
    )


def test_ledger_rows_totals_and_frame(runtime):
    ledger = usage.Ledger()
    response = runtime.converse(
        modelId="amazon.nova-lite-v1:0", messages=[{"role": "user", "content": [{"text": "Hello there"}]}]
    )
    row = ledger.record("amazon.nova-lite-v1:0", response, stop_reason=response["stopReason"])
    assert row["input_tokens"] == response["usage"]["inputTokens"]
    assert row["output_tokens"] == response["usage"]["outputTokens"]
    assert row["stop_reason"] == "end_turn"
    ledger.add("amazon.nova-pro-v1:0", {"inputTokens": 100, "outputTokens": 10})
    totals = ledger.totals()
    assert totals["calls"] == 2
    assert totals["input_tokens"] == response["usage"]["inputTokens"] + 100
    assert totals["cost_usd"] == pytest.approx(row["cost_usd"] + (100 * 0.8 + 10 * 3.2) / 1e6)
    frame = ledger.frame()
    assert list(frame.columns) == usage.COLUMNS + ["latency_ms", "latency_source", "stop_reason"]
    assert (row["latency_ms"], row["latency_source"]) == (response["metrics"]["latencyMs"], "simulated offline")
    assert frame["total_tokens"].sum() == totals["total_tokens"]
    ledger.clear()
    assert ledger.summary() == "0 call(s): 0 in + 0 out = 0 tokens | est. cost $0.000000"


def test_ledger_total_cost_is_none_when_a_row_has_no_price():
    ledger = usage.Ledger()
    ledger.add("amazon.nova-lite-v1:0", {"inputTokens": 1, "outputTokens": 1})
    ledger.add("example.unknown-model-v1:0", {"inputTokens": 1, "outputTokens": 1})
    assert ledger.totals()["cost_usd"] is None
    assert ledger.summary().endswith("est. cost n/a (no price listed)")

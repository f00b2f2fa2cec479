"""Caching, thinking and citations on the models notebook 11 teaches with (Bedrock as of 2026-11-30),
through real boto3 clients: scripted reasoning for the notebook's prompts, citations that quote whole
sentences, usage and cost that count cache reads and writes, and exercise data that holds on the emulator."""

from __future__ import annotations

import json

import pytest

from helpers import usage
from helpers.exercises import feature_exercises
from helpers.offline import reasoning, replies
from helpers.paths import DATA
from tests.conftest import text_message

HAIKU = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
TRAINS = next(e for e in replies.load().values() for e in e if "reasoning" in e)  # the notebook's thinking prompt
THINK = {"thinking": {"type": "enabled", "budget_tokens": 1024}}


def test_a_scripted_prompt_gets_its_reasoning_before_its_reply(runtime):
    response = runtime.converse(
        modelId=HAIKU,
        messages=[text_message(TRAINS["prompt"])],
        inferenceConfig={"maxTokens": 2000},
        additionalModelRequestFields=THINK,
    )
    thought, answer = response["output"]["message"]["content"]
    text = thought["reasoningContent"]["reasoningText"]
    assert text["text"] == TRAINS["reasoning"] and text["signature"] == reasoning.sign(TRAINS["reasoning"])
    assert answer == {"text": TRAINS["reply"]}
    plain = runtime.converse(modelId=HAIKU, messages=[text_message(TRAINS["prompt"])])
    assert plain["output"]["message"]["content"] == [{"text": TRAINS["reply"]}]
    assert response["usage"]["outputTokens"] > plain["usage"]["outputTokens"]


def test_scripted_reasoning_is_cut_to_the_budget_and_other_prompts_get_the_honest_trace(runtime):
    short = {"thinking": {"type": "enabled", "budget_tokens": 1024}}
    long_reasoning = runtime.converse(
        modelId=HAIKU, messages=[text_message(TRAINS["prompt"])], additionalModelRequestFields=short
    )["output"]["message"]["content"][0]["reasoningContent"]["reasoningText"]["text"]
    assert long_reasoning == TRAINS["reasoning"]  # shorter than 1,024 tokens: whole
    other = runtime.converse(
        modelId=HAIKU, messages=[text_message("Plan a three-city rail trip.")], additionalModelRequestFields=short
    )["output"]["message"]["content"][0]["reasoningContent"]["reasoningText"]["text"]
    assert other.startswith("I am the workbook's offline stand-in for Claude Haiku 4.5; I do not reason")


def test_citations_quote_whole_sentences_without_markdown_markers(runtime):
    notes = (DATA / "samples" / "release_notes.md").read_bytes()
    document = {"format": "md", "name": "Release notes", "source": {"bytes": notes}, "citations": {"enabled": True}}
    for question, quote in (
        ("How long does the battery last now?", "Battery life up to 18 months with the new low-power sampling mode."),
        ("Which firmware version is this?", "Brightwater Field Sensor firmware 4.2"),
    ):
        message = {"role": "user", "content": [{"document": document}, {"text": question}]}
        cited = runtime.converse(modelId=HAIKU, messages=[message])["output"]["message"]["content"][0]
        citation = cited["citationsContent"]["citations"][0]
        where = citation["location"]["documentChar"]
        assert citation["sourceContent"][0]["text"] == quote
        assert notes.decode("utf-8")[where["start"] : where["end"]] == quote


def cached_call(client, question: str) -> dict:
    system = [{"text": feature_exercises.HANDBOOK}, {"cachePoint": {"type": "default", "ttl": "1h"}}]
    feature_exercises.check_cache_point(system)
    return client.converse(modelId=HAIKU, system=system, messages=[text_message(question)])


def test_usage_lines_and_ledger_count_cache_reads_and_writes(runtime):
    first, second = (cached_call(runtime, q)["usage"] for q in ("Where do I book trains?", "And buses?"))
    write, read = first["cacheWriteInputTokens"], second["cacheReadInputTokens"]
    assert write == read > feature_exercises.CACHE_MINIMUM
    line = usage.describe(HAIKU, first)
    assert line.startswith(
        f"tokens: {first['inputTokens']} in + {write} cache write + {first['outputTokens']} out = "
        f"{first['totalTokens']} | est. cost $"
    )
    assert "(prices as of 2026-11-30," in line  # Claude Haiku 4.5's own price date
    assert f"+ {read} cache read +" in usage.describe(HAIKU, second)
    ledger = usage.Ledger()
    rows = [ledger.add(HAIKU, u) for u in (first, second)]
    assert [r["total_tokens"] for r in rows] == [first["totalTokens"], second["totalTokens"]]
    assert rows[0]["cache_write_tokens"] == write and rows[1]["cache_read_tokens"] == read
    assert ledger.summary().startswith(
        f"2 call(s): {first['inputTokens'] + second['inputTokens']} in + {read} cache read + {write} cache write"
    )
    ledger.add(HAIKU, {"inputTokens": 10, "outputTokens": 5})
    frame = ledger.frame()
    assert frame["cache_read_tokens"].tolist() == [0, read, 0] and str(frame["cache_write_tokens"].dtype) == "int64"
    rates = usage.price(HAIKU)
    assert rows[0]["cost_usd"] == pytest.approx(
        (first["inputTokens"] * rates["input"] + write * 2.0 + first["outputTokens"] * rates["output"]) / 1e6
    )  # the 1-hour TTL: writes at 2x the input rate


def test_the_exercise_handbook_is_cached_for_an_hour_on_the_emulator(runtime, emulator):
    counted = runtime.count_tokens(
        modelId=HAIKU, input={"converse": {"messages": [text_message(feature_exercises.HANDBOOK)]}}
    )["inputTokens"]
    assert counted > feature_exercises.CACHE_MINIMUM
    first = cached_call(runtime, "Where do I book trains?")["usage"]
    assert first["cacheDetails"] == [{"ttl": "1h", "inputTokens": first["cacheWriteInputTokens"]}]
    emulator.clock.advance(50 * 60)
    assert cached_call(runtime, "And buses?")["usage"]["cacheReadInputTokens"] == first["cacheWriteInputTokens"]


def test_the_cache_pays_answer_follows_from_the_price_table():
    """Each workload priced with helpers.usage (with and without the cache), independently of the check."""
    model, minimum = feature_exercises.CACHE_MODEL, feature_exercises.CACHE_MINIMUM
    workloads = {  # prefix tokens, TTL, calls, minutes between calls
        "A": (6000, "5m", 1, 0),
        "B": (6000, "5m", 2, 1),
        "C": (6000, "5m", 3, 10),
        "D": (6000, "1h", 3, 10),
        "E": (2000, "5m", 10, 0),
    }

    def cached(prefix, ttl, calls, gap):
        if prefix < minimum:
            return calls * usage.cost(model, {"inputTokens": prefix, "outputTokens": 0})
        lives = {"5m": 5, "1h": 60}[ttl] > gap
        writes = 1 if lives else calls
        write = {"inputTokens": 0, "outputTokens": 0, "cacheDetails": [{"ttl": ttl, "inputTokens": prefix}]}
        read = {"inputTokens": 0, "outputTokens": 0, "cacheReadInputTokens": prefix}
        return writes * usage.cost(model, write) + (calls - writes) * usage.cost(model, read)

    cheaper = {
        letter
        for letter, (prefix, ttl, calls, gap) in workloads.items()
        if cached(prefix, ttl, calls, gap) < calls * usage.cost(model, {"inputTokens": prefix, "outputTokens": 0})
    }
    feature_exercises.check_cache_pays(cheaper)  # the check accepts exactly what the prices say
    listed = usage.cache_rates(model, usage.price(model))
    assert {k: listed[k] for k in ("cacheWrite5m", "cacheWrite1h", "cacheRead")} == {
        k: v for k, v in feature_exercises.RATES.items() if k != "input"
    }
    assert usage.price(model)["input"] == feature_exercises.RATES["input"]
    assert json.dumps(feature_exercises.FEATURE_SAMPLES["11-cache-pays"])  # plain data a learner can print

"""Wrong answers learners write in notebook 11's exercises, each with the check's exact message
(collected by tests/test_exercises.py)."""

from __future__ import annotations

from helpers.exercises.feature_exercises import HANDBOOK

POINT_1H = {"cachePoint": {"type": "default", "ttl": "1h"}}


def _point(**fields):
    return [{"text": HANDBOOK}, {"cachePoint": {"type": "default", **fields}}]


MISTAKES = [
    (
        "11-cache-point",
        lambda v: [POINT_1H, {"text": HANDBOOK}],
        "A cachePoint caches what comes before it: put it after the handbook's text block, at the end.",
    ),
    (
        "11-cache-point",
        lambda v: [{"text": HANDBOOK, "cachePoint": {"type": "default", "ttl": "1h"}}],
        "A content block holds one key: the cachePoint is a block of its own, after the text block.",
    ),
    (
        "11-cache-point",
        lambda v: [{"text": HANDBOOK}, {"cachePoint": {"type": "ephemeral", "ttl": "1h"}}],
        "Converse's cachePoint type is 'default', not 'ephemeral' ('ephemeral' is cache_control's word in "
        "Claude's native body).",
    ),
    ("11-cache-point", lambda v: _point(ttl="60m"), "'ttl' is '5m' or '1h', not '60m'."),
    (
        "11-cache-point",
        lambda v: _point(),
        "'ttl' is '5m' or '1h', not None.",
    ),
    (
        "11-cache-point",
        lambda v: _point(ttl="5m"),
        "The task asks for an hour: 'ttl': '1h' (without it the entry lives 5 minutes).",
    ),
    (
        "11-cache-point",
        lambda v: [{"text": "You answer travel questions."}, POINT_1H],
        "Put the whole handbook before the checkpoint: Claude Haiku 4.5 caches prefixes of at least 4,096 tokens, "
        "and a shorter one is silently not cached.",
    ),
    (
        "11-cache-point",
        lambda v: {"system": v},
        "Your system list must be a list, not dict.",
    ),
    (
        "11-thinking",
        lambda v: {"budget_tokens": 2000},
        "budget_tokens goes inside 'thinking': {'thinking': {'type': 'enabled', 'budget_tokens': ...}}.",
    ),
    (
        "11-thinking",
        lambda v: {"reasoningConfig": {"type": "enabled", "maxReasoningEffort": "low"}},
        "Claude's switch is the 'thinking' field: {'thinking': {'type': 'enabled', ...}}.",
    ),
    (
        "11-thinking",
        lambda v: {"thinking": {"type": "enabled", "budget_tokens": 500}},
        "Claude's budget is at least 1,024 tokens, not 500.",
    ),
    (
        "11-thinking",
        lambda v: {"thinking": {"type": "enabled", "budget_tokens": 3000}},
        "The budget must stay below maxTokens (3,000): thinking and answer share it.",
    ),
    (
        "11-thinking",
        lambda v: {"thinking": {"type": "enabled", "budgetTokens": 2000}},
        "Claude's native fields are snake_case: 'budget_tokens', not 'budgetTokens'.",
    ),
    ("11-thinking", lambda v: {"thinking": {"type": True, "budget_tokens": 2000}}, "'type' is 'enabled', not True."),
    (
        "11-thinking",
        lambda v: {**v, "temperature": 0.2},
        "Leave temperature out: with thinking on, Claude accepts only 1.",
    ),
    (
        "11-cache-pays",
        lambda v: {"A", "B", "D"},
        "Not A: a single call only writes the cache, at 1.25x the input price: it costs more than no cache.",
    ),
    (
        "11-cache-pays",
        lambda v: {"B", "C", "D"},
        "Not C: 10 minutes apart, a 5-minute entry has expired each time: every call writes again, at 1.25x.",
    ),
    (
        "11-cache-pays",
        lambda v: {"B", "D", "E"},
        "Not E: 2,000 tokens is below Claude Haiku 4.5's minimum of 4,096 tokens per checkpoint: nothing is cached, "
        "so nothing is saved (and nothing lost).",
    ),
    (
        "11-cache-pays",
        lambda v: {"B"},
        "D pays: the 1-hour entry outlives the 10-minute gaps, so one write at 2x and two reads at 0.1x cost less "
        "than three plain inputs (2.2 < 3).",
    ),
    (
        "11-cache-pays",
        lambda v: {"D"},
        "B pays: one write at 1.25x and one read at 0.1x cost less than two plain inputs (1.35 < 2).",
    ),
    ("11-cache-pays", lambda v: "BD", "Answer with a set of letters, e.g. {'A'}, not 'BD'."),
    ("11-cache-pays", lambda v: {"B", "F"}, "There is no workload 'F': choose among A, B, C, D, E."),
]

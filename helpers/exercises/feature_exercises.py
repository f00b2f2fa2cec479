"""Exercises of notebook 11 (beyond the basics): place a cache checkpoint, ask Claude to think with a
valid budget, and judge which workloads caching makes cheaper. Each check names the mistake learners
make; the figures are the model's own (data/catalog.json `promptCaching`, data/prices.json `cache`)."""

from __future__ import annotations

from .checks import Exercise, _dict, _list, need

# Claude Haiku 4.5 (global. profile), the notebook's model: it caches prefixes of 4,096 tokens or more.
CACHE_MODEL = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
CACHE_MINIMUM = 4096
TTLS = ("5m", "1h")
THINKING_MIN_BUDGET = 1024  # Anthropic's minimum, quoted in helpers/offline/reasoning.py
THINKING_MAX_TOKENS = 3000  # the maxTokens of the request in 11-thinking

# The handbook a learner caches in 11-cache-point: well above the model's minimum per checkpoint.
HANDBOOK = "\n".join(
    f"Rule {n}: for trips of {n + 1} days, book trains at least {n % 7 + 1} days ahead, keep receipts for every "
    f"ticket, and claim travel costs within {n % 4 + 2} weeks through the expenses portal."
    for n in range(1, 141)
)

# The workloads of 11-cache-pays: one system prompt reused across calls on Claude Haiku 4.5.
WORKLOADS = {
    "A": "a 6,000-token system prompt, cached (5m), sent once",
    "B": "a 6,000-token system prompt, cached (5m), sent twice within a minute",
    "C": "a 6,000-token system prompt, cached (5m), sent 3 times, 10 minutes apart",
    "D": "a 6,000-token system prompt, cached (1h), sent 3 times, 10 minutes apart",
    "E": "a 2,000-token system prompt, cached (5m), sent 10 times within a minute",
}
RATES = {"input": 1.0, "cacheWrite5m": 1.25, "cacheWrite1h": 2.0, "cacheRead": 0.1}  # USD per 1M, Haiku 4.5
WRONG_WORKLOAD = {
    "A": "a single call only writes the cache, at 1.25x the input price: it costs more than no cache.",
    "C": "10 minutes apart, a 5-minute entry has expired each time: every call writes again, at 1.25x.",
    "E": f"2,000 tokens is below Claude Haiku 4.5's minimum of {CACHE_MINIMUM:,} tokens per checkpoint: "
    "nothing is cached, so nothing is saved (and nothing lost).",
}
MISSED_WORKLOAD = {
    "B": "B pays: one write at 1.25x and one read at 0.1x cost less than two plain inputs (1.35 < 2).",
    "D": "D pays: the 1-hour entry outlives the 10-minute gaps, so one write at 2x and two reads at 0.1x "
    "cost less than three plain inputs (2.2 < 3).",
}


def check_cache_point(value) -> None:
    system = _list(value, "Your system list")
    for index, block in enumerate(system):
        block = _dict(block, f"system[{index}]")
        need(
            not ("text" in block and "cachePoint" in block),
            "A content block holds one key: the cachePoint is a block of its own, after the text block.",
        )
    kinds = [next(iter(block), None) for block in system]
    need("cachePoint" in kinds, "Add a checkpoint block: {'cachePoint': {'type': 'default', 'ttl': '1h'}}.")
    need(
        kinds[-1] == "cachePoint",
        "A cachePoint caches what comes before it: put it after the handbook's text block, at the end.",
    )
    need(kinds.count("cachePoint") == 1, "One checkpoint is enough: the whole system prompt is one prefix.")
    point = _dict(system[-1]["cachePoint"], "The cachePoint")
    need(
        point.get("type") == "default",
        f"Converse's cachePoint type is 'default', not {point.get('type')!r} "
        "('ephemeral' is cache_control's word in Claude's native body).",
    )
    need(point.get("ttl") in TTLS, f"'ttl' is '5m' or '1h', not {point.get('ttl')!r}.")
    need(point["ttl"] == "1h", "The task asks for an hour: 'ttl': '1h' (without it the entry lives 5 minutes).")
    cached = "".join(block.get("text", "") for block in system[:-1] if isinstance(block, dict))
    need(
        HANDBOOK in cached,
        f"Put the whole handbook before the checkpoint: Claude Haiku 4.5 caches prefixes of at least "
        f"{CACHE_MINIMUM:,} tokens, and a shorter one is silently not cached.",
    )


def check_thinking(value) -> None:
    fields = _dict(value, "additionalModelRequestFields")
    need(
        "budget_tokens" not in fields,
        "budget_tokens goes inside 'thinking': {'thinking': {'type': 'enabled', 'budget_tokens': ...}}.",
    )
    need("thinking" in fields, "Claude's switch is the 'thinking' field: {'thinking': {'type': 'enabled', ...}}.")
    need("temperature" not in fields, "Leave temperature out: with thinking on, Claude accepts only 1.")
    thinking = _dict(fields["thinking"], "'thinking'")
    need(thinking.get("type") == "enabled", f"'type' is 'enabled', not {thinking.get('type')!r}.")
    need("budgetTokens" not in thinking, "Claude's native fields are snake_case: 'budget_tokens', not 'budgetTokens'.")
    budget = thinking.get("budget_tokens")
    need(
        isinstance(budget, int) and not isinstance(budget, bool),
        f"'budget_tokens' is a whole number of tokens, not {budget!r}.",
    )
    need(budget >= THINKING_MIN_BUDGET, f"Claude's budget is at least {THINKING_MIN_BUDGET:,} tokens, not {budget}.")
    need(
        budget < THINKING_MAX_TOKENS,
        f"The budget must stay below maxTokens ({THINKING_MAX_TOKENS:,}): thinking and answer share it.",
    )


def check_cache_pays(value) -> None:
    need(
        isinstance(value, (set, list, tuple, frozenset)) and all(isinstance(v, str) for v in value),
        f"Answer with a set of letters, e.g. {{'A'}}, not {value!r}.",
    )
    chosen = {letter.strip().upper() for letter in value}
    unknown = chosen - set(WORKLOADS)
    need(not unknown, f"There is no workload {min(unknown, default='')!r}: choose among {', '.join(WORKLOADS)}.")
    for letter in sorted(chosen & set(WRONG_WORKLOAD)):
        need(False, f"Not {letter}: {WRONG_WORKLOAD[letter]}")
    for letter in sorted(set(MISSED_WORKLOAD) - chosen):
        need(False, MISSED_WORKLOAD[letter])


FEATURE_SAMPLES = {
    "11-cache-point": HANDBOOK,
    "11-cache-pays": {"workloads": WORKLOADS, "usd_per_million_tokens": RATES, "model": CACHE_MODEL},
}

FEATURE_EDITS = [
    Exercise(
        "11-cache-point",
        "11",
        "Cache the handbook in sample('11-cache-point') for an hour: write the `system` list of a Converse request "
        "to Claude Haiku 4.5.",
        check_cache_point,
        (
            "A cachePoint is a content block of its own; it caches everything before it.",
            "[{'text': handbook}, {'cachePoint': {'type': 'default', 'ttl': '1h'}}]",
        ),
        "the first call writes the handbook to the cache for an hour; the next ones read it.",
    ),
    Exercise(
        "11-thinking",
        "11",
        f"Write the additionalModelRequestFields that let Claude think before answering, for a request whose "
        f"maxTokens is {THINKING_MAX_TOKENS:,}.",
        check_thinking,
        (
            "Claude's field is 'thinking', with a type and a budget in tokens.",
            f"The budget is at least {THINKING_MIN_BUDGET:,} and below maxTokens.",
        ),
        "Claude reasons within its budget, then answers.",
    ),
]

# The decision the notebook asks for, beside the edits above (its judgement exercise).
FEATURE_JUDGEMENT = [
    Exercise(
        "11-cache-pays",
        "11",
        "Read the workloads in sample('11-cache-pays'): for which does caching make the calls cheaper?",
        check_cache_pays,
        (
            "Price each workload twice: with the cache (a write, then reads) and without (plain input).",
            "Check each prefix against the model's minimum, and each gap against the TTL.",
        ),
        "caching pays when the prefix is long enough and read again before it expires.",
    ),
]

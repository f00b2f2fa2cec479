"""Tokens and estimated cost of Bedrock calls, from the plain `usage` dicts every response carries.

    response = client.converse(modelId=model_id, messages=messages)
    print(usage.describe(model_id, response["usage"]))   # tokens: 25 in + 40 out = 65 | est. cost $0.000011
    ledger = usage.Ledger()
    ledger.record(model_id, response)                   # one row per call; ledger.frame() for pandas

Prices come from data/prices.json (USD per 1M tokens, dated and sourced). They are an estimate of what
the same call would cost live; offline nothing is billed. A model without a price shows "n/a".
Prompt-cache reads and writes (`cacheReadInputTokens`, `cacheWriteInputTokens`) are counted and priced
at their own rates: Bedrock's `inputTokens` leaves them out.
"""

from __future__ import annotations

import functools
import json

from .paths import DATA
from .streaming import reported_source

PRICE_TABLE = DATA / "prices.json"
# Cross-region inference profile ids are the model id behind a geography prefix.
PROFILE_PREFIXES = ("us-gov.", "global.", "apac.", "us.", "eu.", "ap.", "ca.", "jp.", "au.")
COLUMNS = ["model", "input_tokens", "output_tokens", "total_tokens", "cost_usd"]
CACHE_COLUMNS = ["cache_read_tokens", "cache_write_tokens"]  # only for calls that used the prompt cache


@functools.lru_cache(maxsize=1)
def price_table() -> dict:
    """The whole price file: `prices`, `as_of`, `source`, `status`, `per_tokens`."""
    with open(PRICE_TABLE, encoding="utf-8") as handle:
        return json.load(handle)


def base_model_id(model_id: str) -> str:
    """'us.amazon.nova-lite-v1:0' or an ARN -> 'amazon.nova-lite-v1:0' (the id prices are listed under)."""
    if not isinstance(model_id, str) or not model_id:
        raise ValueError(f"A model id must be a non-empty string, not {model_id!r}.")
    if model_id.startswith("arn:"):
        model_id = model_id.rsplit("/", 1)[-1]
    for prefix in PROFILE_PREFIXES:
        if model_id.startswith(prefix):
            return model_id[len(prefix) :]
    return model_id


def price(model_id: str) -> dict | None:
    """{'input': USD, 'output': USD} per 1M tokens, or None when the table has no price for it."""
    return price_table()["prices"].get(base_model_id(model_id))


def _tokens(usage: dict) -> tuple[int, int]:
    if not isinstance(usage, dict):
        raise ValueError(f"usage must be the response's usage dict, not {type(usage).__name__}.")
    counts = []
    for key in ("inputTokens", "outputTokens"):
        value = usage.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"usage[{key!r}] must be a whole number of tokens >= 0, not {value!r}.")
        counts.append(value)
    return counts[0], counts[1]


def cache_rates(model_id: str, rates: dict) -> dict:
    """Per-1M rates of cache writes (5m, 1h) and reads; the input rate where none is listed."""
    listed = price_table().get("cache", {}).get("rates", {}).get(base_model_id(model_id))
    return listed or {"cacheWrite5m": rates["input"], "cacheWrite1h": rates["input"], "cacheRead": rates["input"]}


def cache_cost(model_id: str, usage: dict, rates: dict) -> float:
    """USD-per-1M-weighted cache tokens: reads at the read rate, writes per TTL (cacheDetails), else 5m."""
    cached = cache_rates(model_id, rates)
    total = usage.get("cacheReadInputTokens", 0) * cached["cacheRead"]
    details = usage.get("cacheDetails") or [{"ttl": "5m", "inputTokens": usage.get("cacheWriteInputTokens", 0)}]
    for detail in details:
        total += detail["inputTokens"] * cached["cacheWrite1h" if detail["ttl"] == "1h" else "cacheWrite5m"]
    return total


def cost(model_id: str, usage: dict) -> float | None:
    """Estimated USD for one call: input and output tokens at the model's on-demand price, cache reads
    and writes at their own rates (data/prices.json `cache`)."""
    inp, out = _tokens(usage)
    rates = price(model_id)
    if rates is None:
        return None
    return (inp * rates["input"] + out * rates["output"] + cache_cost(model_id, usage, rates)) / price_table()[
        "per_tokens"
    ]


def format_cost(usd: float | None) -> str:
    """'$0.000123' (six decimals: single calls cost fractions of a cent) or 'n/a' without a price."""
    return "n/a (no price listed)" if usd is None else f"${usd:.6f}"


def cached_tokens(usage: dict) -> tuple[int, int]:
    """(cache reads, cache writes) of one call; (0, 0) when it used no prompt cache."""
    return usage.get("cacheReadInputTokens") or 0, usage.get("cacheWriteInputTokens") or 0


def price_date(model_id: str) -> str:
    """The day the model's price was read: its own entry in `sourcesByModel`, else the table's date."""
    table = price_table()
    return (table.get("sourcesByModel", {}).get(base_model_id(model_id)) or {}).get("read") or table["as_of"]


def describe(model_id: str, usage: dict) -> str:
    """One line: 'tokens: 25 in + 40 out = 65 | est. cost $0.000011 (prices as of 2025-06-01, to verify)';
    cache reads and writes, when there are any, between the input and the output."""
    inp, out = _tokens(usage)
    read, write = cached_tokens(usage)
    cached = (f" + {read} cache read" if read else "") + (f" + {write} cache write" if write else "")
    return (
        f"tokens: {inp} in{cached} + {out} out = {inp + read + write + out} | est. cost "
        f"{format_cost(cost(model_id, usage))} (prices as of {price_date(model_id)}, {price_table()['status']})"
    )


class Ledger:
    """Token and cost rows, one per call, over plain usage dicts; `frame()` for a pandas view."""

    def __init__(self):
        self.rows: list[dict] = []

    def add(self, model_id: str, usage: dict, **details) -> dict:
        """Record one call's usage (extra columns such as `stop_reason` go in `details`; cache reads and
        writes get columns of their own when the call used the cache)."""
        inp, out = _tokens(usage)
        read, write = cached_tokens(usage)
        cached = dict(zip(CACHE_COLUMNS, (read, write))) if read or write else {}
        row = {
            "model": model_id,
            "input_tokens": inp,
            "output_tokens": out,
            "total_tokens": inp + read + write + out,
            "cost_usd": cost(model_id, usage),
            **cached,
            **details,
        }
        self.rows.append(row)
        return row

    def record(self, model_id: str, response: dict, **details) -> dict:
        """Record a Converse (or collected ConverseStream) response, with its metrics.latencyMs and
        where that figure comes from (`latency_source`: simulated offline, reported by Bedrock live)."""
        latency = (response.get("metrics") or {}).get("latencyMs")
        if latency is not None:
            details = {"latency_ms": latency, "latency_source": reported_source(), **details}
        return self.add(model_id, response.get("usage") or {}, **details)

    def totals(self) -> dict:
        """Sum of tokens and cost; cost is None if any row has no price (a partial sum would mislead)."""
        costs = [row["cost_usd"] for row in self.rows]
        cached = {key: sum(row.get(key, 0) for row in self.rows) for key in CACHE_COLUMNS}
        return {
            "calls": len(self.rows),
            "input_tokens": sum(row["input_tokens"] for row in self.rows),
            **{key: count for key, count in cached.items() if count},
            "output_tokens": sum(row["output_tokens"] for row in self.rows),
            "total_tokens": sum(row["total_tokens"] for row in self.rows),
            "cost_usd": None if None in costs else sum(costs),
        }

    def summary(self) -> str:
        t = self.totals()
        read, write = t.get("cache_read_tokens"), t.get("cache_write_tokens")
        cached = (f" + {read} cache read" if read else "") + (f" + {write} cache write" if write else "")
        return (
            f"{t['calls']} call(s): {t['input_tokens']} in{cached} + {t['output_tokens']} out = "
            f"{t['total_tokens']} tokens | est. cost {format_cost(t['cost_usd'])}"
        )

    def frame(self):
        """The rows as a pandas DataFrame (pandas imported only here)."""
        import pandas as pd

        extra = [key for row in self.rows for key in row if key not in COLUMNS]
        frame = pd.DataFrame(self.rows, columns=COLUMNS + list(dict.fromkeys(extra)))
        cached = [key for key in CACHE_COLUMNS if key in frame]
        frame[cached] = frame[cached].fillna(0).astype(int)  # a call without the cache read and wrote 0
        return frame

    def clear(self) -> None:
        self.rows.clear()

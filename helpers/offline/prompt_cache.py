"""Prompt caching: the pipeline's cache step, between the rules and the generator.

A request marks cache checkpoints (Converse `cachePoint` blocks in toolConfig.tools, system and
messages; Claude's native `cache_control`; Nova's native `cachePoint`). Each checkpoint names the
prefix before it, read in Bedrock's order: tools, then system, then messages. Bedrock caches a prefix
only when it holds at least the model's minimum tokens per checkpoint (shorter ones are not cached
and the call still succeeds: AWS user guide, "Prompt caching", read 2026-11-30).

The cache is per account (the signing access key) and lives on the emulator's clock: the first call
writes each checkpoint's prefix (`cacheWriteInputTokens`, per TTL in `cacheDetails`), a call with the
same prefix within the TTL reads the longest one found (`cacheReadInputTokens`, refreshing its TTL),
and `inputTokens` counts only what was neither read nor written. Entries expire after their TTL;
memory is bounded by an entry count, oldest first. Rules (checkpoint count, TTLs) are in cache_rules.py;
the checkpoints themselves are read once per request, as `Prompt.checkpoints` (prompt.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from .prompt import Checkpoint, Prompt

TTL_SECONDS = {"5m": 300, "1h": 3600}
MAX_ENTRIES = 20_000  # digests and expiry times only: a few MB at most


@dataclass
class CacheUsage:
    read: int = 0
    write: int = 0
    details: list[dict] = field(default_factory=list)  # cache writes per TTL: [{"ttl", "inputTokens"}]


class PromptCache:
    """Prefix digests per account with their expiry on the emulator's clock, least recently used first."""

    def __init__(self, capacity: int = MAX_ENTRIES):
        self.capacity = capacity
        self._entries: OrderedDict[tuple[str, str], tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def read(self, key: tuple[str, str], now: float) -> bool:
        """Whether the prefix is cached; a hit refreshes its TTL, an expired entry is dropped."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return False
            expires, ttl = entry
            if now >= expires:
                del self._entries[key]
                return False
            self._entries[key] = (now + TTL_SECONDS[ttl], ttl)
            self._entries.move_to_end(key)
            return True

    def write(self, key: tuple[str, str], now: float, ttl: str) -> None:
        with self._lock:
            self._entries[key] = (now + TTL_SECONDS[ttl], ttl)
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def usage(points: list[Checkpoint], rules: dict, cache: PromptCache, account: str, now: float) -> CacheUsage:
    """Read the longest cached prefix, write the checkpoints after it."""
    eligible = [p for p in points if p.tokens >= rules["minTokensPerCheckpoint"]]
    result = CacheUsage()
    hit = max((i for i, p in enumerate(eligible) if cache.read((account, p.digest), now)), default=-1)
    if hit >= 0:
        result.read = eligible[hit].tokens
    written = result.read
    per_ttl: dict[str, int] = {}
    for point in eligible[hit + 1 :]:
        if point.tokens > written:
            per_ttl[point.ttl] = per_ttl.get(point.ttl, 0) + point.tokens - written
            written = point.tokens
        cache.write((account, point.digest), now, point.ttl)
    result.write = written - result.read
    result.details = [{"ttl": ttl, "inputTokens": count} for ttl, count in per_ttl.items()]
    return result


def step(call, prompt: Prompt) -> CacheUsage | None:
    """The pipeline's cache step: this caller's cache, on the emulator's clock; None when nothing was
    marked, or the model has no prompt caching (Bedrock then ignores checkpoints)."""
    rules = prompt.model.get("promptCaching")
    if not rules or not prompt.checkpoints:
        return None
    emulator = call.emulator
    account = call.request.access_key or "anonymous"
    return usage(prompt.checkpoints, rules, emulator.prompt_cache, account, emulator.clock.now())

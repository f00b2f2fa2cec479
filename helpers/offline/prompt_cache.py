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
memory is bounded by an entry count, oldest first. Rules (checkpoint count, TTLs) are in cache_rules.py.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from . import tokens
from .prompt import Prompt, block_tokens, tool_tokens

TTL_SECONDS = {"5m": 300, "1h": 3600}
MAX_ENTRIES = 20_000  # digests and expiry times only: a few MB at most


@dataclass(frozen=True)
class Checkpoint:
    tokens: int  # tokens of the prefix before it
    digest: str  # what the prefix holds (and for which model)
    ttl: str
    path: str  # where the marked block sits, as the model's errors name it (tools.0, system.0, messages.0.content.1)
    after_reasoning: bool = False


@dataclass
class CacheUsage:
    read: int = 0
    write: int = 0
    details: list[dict] = field(default_factory=list)  # cache writes per TTL: [{"ttl", "inputTokens"}]


def _canonical(value) -> str:
    """A stable text for hashing a prefix unit; media bytes are hashed, not copied."""

    def encode(obj):
        if isinstance(obj, (bytes, bytearray, memoryview)):
            return "sha256:" + hashlib.sha256(obj).hexdigest()
        return str(obj)

    return json.dumps(value, sort_keys=True, default=encode, ensure_ascii=False)


class _Prefix:
    def __init__(self, model_id: str):
        self.hash = hashlib.sha256(model_id.encode())
        self.tokens = 0
        self.points: list[Checkpoint] = []

    def add(self, unit, count: int) -> None:
        self.hash.update(_canonical(unit).encode("utf-8"))
        self.tokens += count

    def mark(self, point: dict, path: str, after_reasoning: bool = False) -> None:
        ttl = (point or {}).get("ttl") or "5m"
        self.points.append(Checkpoint(self.tokens, self.hash.hexdigest(), ttl, path, after_reasoning))


def marked(prompt: Prompt) -> bool:
    """Whether the request sets any checkpoint: most do not, and then nothing needs hashing."""
    return bool(
        prompt.system_cache
        or any("cachePoint" in tool for tool in prompt.tools)
        or any("cachePoint" in block for message in prompt.messages for block in message.get("content") or [])
    )


def checkpoints(prompt: Prompt) -> list[Checkpoint]:
    """Every checkpoint of the request, in Bedrock's order (tools, system, messages)."""
    if not marked(prompt):
        return []
    prefix = _Prefix(prompt.model["modelId"])
    for index, tool in enumerate(prompt.tools):
        if "cachePoint" in tool:
            prefix.mark(tool["cachePoint"], f"tools.{index - 1}")
        else:
            prefix.add(tool, tool_tokens(tool))
    for index in range(len(prompt.system) + 1):
        if index in prompt.system_cache:
            prefix.mark(prompt.system_cache[index], f"system.{index - 1}")
        if index < len(prompt.system):
            prefix.add(["system", prompt.system[index]], tokens.count(prompt.system[index]) + tokens.SYSTEM_OVERHEAD)
    for m, message in enumerate(prompt.messages):
        prefix.add(message.get("role"), tokens.MESSAGE_OVERHEAD)
        placed, previous = -1, None
        for block in message.get("content") or []:
            if "cachePoint" in block:
                after = previous is not None and "reasoningContent" in previous
                prefix.mark(block["cachePoint"], f"messages.{m}.content.{placed}", after)
                continue
            placed, previous = placed + 1, block
            prefix.add(block, block_tokens(block))
    return prefix.points


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


def usage(prompt: Prompt, cache: PromptCache, account: str, now: float) -> CacheUsage | None:
    """Read the longest cached prefix, write the checkpoints after it; None when nothing was marked
    (or the model has no prompt caching, whose checkpoints Bedrock ignores)."""
    rules = prompt.model.get("promptCaching")
    points = checkpoints(prompt)
    if not points or not rules:
        return None
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
    """The pipeline's cache step: this caller's cache, on the emulator's clock."""
    if not marked(prompt) or not prompt.model.get("promptCaching"):
        return None  # most requests: no checkpoint, so no account, clock or hashing needed
    emulator = call.emulator
    account = call.request.access_key or "anonymous"
    return usage(prompt, emulator.prompt_cache, account, emulator.clock.now())

"""Bedrock's rules for cache checkpoints, with the messages it sends (sources beside each; read 2026-11-30).

Dialect-independent: checked on the normalised Prompt with the other rules (rules.py), so Converse,
ConverseStream, Claude's `cache_control` and Nova's native `cachePoint` are held to the same limits,
taken from the model's `promptCaching` entry in data/catalog.json. A model without prompt caching
ignores checkpoints, as the cache step does.
"""

from __future__ import annotations

from .errors import BedrockError
from .prompt import Prompt

MODEL_ERRORS = "The model returned the following errors: "
# opencode#36517 and 0xPlaygrounds/rig#1673 quote it from live Converse calls (Claude with thinking).
MSG_CACHE_AFTER_REASONING = (
    "Cache point cannot be inserted after reasoning block. Please remove the invalid cache point and try again."
)
# Anthropic's words (sub2api#176, opencode-claude-auth#121); Bedrock's prefix for model errors is
# recorded elsewhere, its use here is unconfirmed.
MSG_TOO_MANY_CHECKPOINTS = (
    MODEL_ERRORS + "A maximum of {limit} blocks with cache_control may be provided. Found {found}."
)
# Portkey-AI/gateway#1762 quotes it from a live Bedrock call; the path of a Converse checkpoint is
# the block before it, as Bedrock translates it (unconfirmed for system and tools).
MSG_TTL_ORDER = (
    MODEL_ERRORS + "{path}.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' "
    "cache_control block. Note that blocks are processed in the following order: `tools`, `system`, `messages`."
)
# Unconfirmed wording: no public report quotes Bedrock's answer to a 1-hour TTL on a 5-minute model.
MSG_TTL_UNSUPPORTED = MODEL_ERRORS + "{path}.cache_control.ttl: ttl '{ttl}' is not supported for this model."


def check(prompt: Prompt) -> None:
    caching = prompt.model.get("promptCaching")
    points = prompt.checkpoints
    if not points or not caching:
        return
    for point in points:
        if point.after_reasoning:
            raise BedrockError.validation(MSG_CACHE_AFTER_REASONING)
    if len(points) > caching["maxCheckpoints"]:
        raise BedrockError.validation(
            MSG_TOO_MANY_CHECKPOINTS.format(limit=caching["maxCheckpoints"], found=len(points))
        )
    for point in points:
        if point.ttl not in caching.get("ttls", ["5m"]):
            raise BedrockError.validation(MSG_TTL_UNSUPPORTED.format(path=point.path, ttl=point.ttl))
    for earlier, later in zip(points, points[1:]):
        if earlier.ttl == "5m" and later.ttl == "1h":
            raise BedrockError.validation(MSG_TTL_ORDER.format(path=later.path))

"""Scripted replies (data/replies.json): what the offline model answers to the notebooks' own prompts,
so stored outputs read like real answers. Each entry names the last user prompt and, optionally,
words the system prompt must contain, the model family, the kinds of attachment it expects and,
for replies describing a sample file, the files themselves ("assets", paths under data/); "reasoning" is
the thinking a model shows before that reply when the request asks it to think (reasoning.py).
A list under "replies" holds variants: temperature 0 always takes the first, a higher temperature
picks one by a hash of the request, so the same request still yields the same bytes."""

from __future__ import annotations

import functools
import hashlib
import json

from ..paths import DATA
from .prompt import MEDIA_KINDS, Prompt


def normalise(text: str) -> str:
    return _normalise_short(text) if len(text) <= 2000 else _normalised(text)


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


# Prompts and system prompts recur on every call of a conversation: short ones are normalised once.
_normalise_short = functools.lru_cache(maxsize=1024)(_normalised)


@functools.cache
def load(path: str = str(DATA / "replies.json")) -> dict[str, list[dict]]:
    with open(path, encoding="utf-8") as handle:
        entries = json.load(handle)["replies"]
    index: dict[str, list[dict]] = {}
    for entry in entries:
        if "system_contains" in entry:  # read on every request that matches the prompt: normalised once
            entry["_system_contains"] = normalise(entry["system_contains"])
        index.setdefault(normalise(entry["prompt"]), []).append(entry)
    return index


@functools.cache
def _asset_digest(path: str) -> str:
    """Digest of a file under data/ ("samples/landscape.png"): replies about one sample file only
    answer that very file, so the offline model never describes a picture it was not sent."""
    return hashlib.sha256((DATA / path).read_bytes()).hexdigest()


def _attachment_digests(prompt: Prompt) -> list[str]:
    sources = [
        (b[next(iter(b))].get("source") or {}) for b in prompt.attachments() if isinstance(b[next(iter(b))], dict)
    ]
    return [
        hashlib.sha256(s["bytes"]).hexdigest() if isinstance(s.get("bytes"), bytes) else str(s.get("s3Location"))
        for s in sources
    ]


def _fits(entry: dict, prompt: Prompt, system: str, kinds: list[str]) -> bool:
    if "_system_contains" in entry and entry["_system_contains"] not in system:
        return False
    if "system" in entry and not entry["system"] and system:
        return False
    if "family" in entry and entry["family"] != prompt.model["family"]:
        return False
    if sorted(entry.get("attachments", ())) != kinds:
        return False
    if "assets" in entry and sorted(map(_asset_digest, entry["assets"])) != sorted(_attachment_digests(prompt)):
        return False
    return True


def _entry(prompt: Prompt) -> dict | None:
    candidates = load().get(normalise(prompt.last_user_text()))
    if not candidates:
        return None  # most prompts are not the notebooks' own
    system = normalise(" ".join(prompt.system))
    kinds = [] if prompt.kinds.isdisjoint(MEDIA_KINDS) else sorted(next(iter(b)) for b in prompt.attachments())
    for entry in candidates:
        if _fits(entry, prompt, system, kinds):
            return entry
    return None


def find(prompt: Prompt) -> str | None:
    """The scripted reply for this request, or None when the prompt is not one of ours."""
    entry = _entry(prompt)
    if entry is None:
        return None
    variants = entry.get("replies") or [entry["reply"]]
    if len(variants) == 1 or not prompt.temperature:
        return variants[0]
    seed = f"{prompt.model['modelId']}|{prompt.temperature}|{prompt.top_p}|{len(prompt.messages)}"
    return variants[int(hashlib.sha256(seed.encode()).hexdigest(), 16) % len(variants)]


def reasoning(prompt: Prompt) -> str | None:
    """The scripted reasoning that leads to the scripted reply (an entry's "reasoning"), or None."""
    entry = _entry(prompt)
    return entry.get("reasoning") if entry else None

"""One normalised request, whatever dialect it arrived in (Converse, ConverseStream, Nova or Claude
native bodies): the model, the system prompt, the messages as Converse content blocks with media
already decoded to bytes, and the inference settings the generator honours."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..media_limits import MEDIA
from . import media, tokens
from .wire import lazy

MEDIA_KINDS = MEDIA  # the block kinds that carry media (one list, helpers/media_limits.py)


@dataclass
class Prompt:
    model: dict
    model_id: str
    region: str
    messages: list[dict]
    system: list[str] = field(default_factory=list)
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    stop_sequences: list[str] = field(default_factory=list)
    tools: list[dict] = field(default_factory=list)
    tool_choice: dict | None = None
    tool_config: bool = False  # the request defined tools (toolConfig, or Claude's `tools`)
    output_schema: dict | None = None  # structured output: the answer must validate against it
    streaming: bool = False
    system_cache: dict[int, dict] = field(default_factory=dict)  # cachePoint after the first N system texts
    thinking: dict | None = None  # {"type": "enabled", "budget_tokens": N} (Claude) or Nova's reasoningConfig
    service_tier: str | None = None  # serviceTier.type as sent
    latency: str | None = None  # performanceConfig.latency as sent

    @classmethod
    def for_model(cls, resolved, region: str, **fields) -> Prompt:
        """A Prompt for a resolved model id; a named inference profile stays the id the caller used."""
        return cls(
            model=resolved.model, model_id=resolved.profile_id or resolved.model["modelId"], region=region, **fields
        )

    def last_user_blocks(self) -> list[dict]:
        for message in reversed(self.messages):
            if message.get("role") == "user":
                return message.get("content") or []
        return []

    def last_user_text(self) -> str:
        return "\n".join(b["text"] for b in self.last_user_blocks() if "text" in b)

    def attachments(self) -> list[dict]:
        """Media blocks of the last user message (images, documents, videos, audio)."""
        return [b for b in self.last_user_blocks() if next(iter(b), None) in MEDIA_KINDS]

    @lazy
    def input_tokens(self) -> int:
        """Tokens of everything sent, by the rule documented in tokens.py (media: media.py).
        Computed once: the context-window rule and the generator both need it, and measuring a
        large attachment means hashing all of its bytes."""
        total = sum(tokens.count(text) + tokens.SYSTEM_OVERHEAD for text in self.system)
        total += sum(tool_tokens(tool) for tool in self.tools)  # definitions are input
        for message in self.messages:
            total += tokens.MESSAGE_OVERHEAD
            total += sum(block_tokens(block) for block in message.get("content") or [])
        return total


def tool_tokens(tool: dict) -> int:
    """Tokens of one entry of toolConfig.tools: its JSON; a cache point costs nothing."""
    return 0 if "cachePoint" in tool else tokens.count(json.dumps(tool, sort_keys=True))


def block_tokens(block: dict) -> int:
    """Tokens of one content block: text as text, tool calls and results as their JSON, media by media.py."""
    kind = next(iter(block), None)
    if kind == "text":
        return tokens.count(block["text"])
    if kind in MEDIA_KINDS:
        return media.media_tokens(block)
    if kind in ("toolUse", "toolResult"):
        return tokens.count(json.dumps(block[kind], sort_keys=True, default=str))
    if kind == "reasoningContent":
        return tokens.count((block[kind].get("reasoningText") or {}).get("text", ""))
    return 0  # cache points and other markers cost nothing

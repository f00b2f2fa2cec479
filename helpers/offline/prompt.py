"""One normalised request, whatever dialect it arrived in (Converse, ConverseStream, Nova or Claude
native bodies): the model, the system prompt, the messages as Converse content blocks with media
already decoded to bytes, and the inference settings the generator honours."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from ..media_limits import MEDIA
from . import media, tokens
from .wire import lazy

MEDIA_KINDS = MEDIA  # the block kinds that carry media (one list, helpers/media_limits.py)


@dataclass
class Prompt:
    model: dict
    model_id: str  # the id the caller used (Resolved.served_id): a named inference profile stays itself
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

    @lazy
    def checkpoints(self) -> list[Checkpoint]:
        """Every cache checkpoint of the request, in Bedrock's order (tools, system, messages), with the
        tokens and digest of the prefix before it: read once for the cache rules and the cache step."""
        return _checkpoints(self)

    @lazy
    def kinds(self) -> set[str]:
        """The kinds of content block the messages hold ("text", "image", "toolUse", ...), read once:
        a rule about a kind the request does not use returns without scanning the messages again."""
        return {kind for message in self.messages for block in message.get("content") or () for kind in block}

    def last_user_blocks(self) -> list[dict]:
        return self._last_user_blocks

    @lazy
    def _last_user_blocks(self) -> list[dict]:  # read by the reply lookup, the tool answer and the fallback
        for message in reversed(self.messages):
            if message.get("role") == "user":
                return message.get("content") or []
        return []

    def last_user_text(self) -> str:
        blocks = self.last_user_blocks()
        if len(blocks) == 1 and "text" in blocks[0]:  # the usual turn: one text, nothing to join
            return blocks[0]["text"]
        return "\n".join(b["text"] for b in blocks if "text" in b)

    def attachments(self) -> list[dict]:
        """Media blocks of the last user message (images, documents, videos, audio)."""
        return [b for b in self.last_user_blocks() if next(iter(b), None) in MEDIA_KINDS]

    @lazy
    def input_tokens(self) -> int:
        """Tokens of everything sent, by the rule documented in tokens.py (media: media.py).
        Computed once: the context-window rule and the generator both need it, and measuring a
        large attachment means hashing all of its bytes."""
        total = 0
        for text in self.system:
            total += tokens.count(text) + tokens.SYSTEM_OVERHEAD
        for tool in self.tools:  # definitions are input
            total += tool_tokens(tool)
        for message in self.messages:
            total += tokens.MESSAGE_OVERHEAD
            for block in message.get("content") or ():
                total += block_tokens(block)
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


# ---- cache checkpoints: where a request marks them, and the prefix before each (prompt_cache.py) ----
@dataclass(frozen=True)
class Checkpoint:
    tokens: int  # tokens of the prefix before it
    digest: str  # what the prefix holds (and for which model)
    ttl: str
    path: str  # where the marked block sits, as the model's errors name it (tools.0, system.0, messages.0.content.1)
    after_reasoning: bool = False


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


def _marked(prompt: Prompt) -> bool:
    """Whether the request sets any checkpoint: most do not, and then nothing needs hashing."""
    return bool(
        prompt.system_cache
        or "cachePoint" in prompt.kinds
        or (prompt.tools and any("cachePoint" in tool for tool in prompt.tools))
    )


def _checkpoints(prompt: Prompt) -> list[Checkpoint]:
    if not _marked(prompt):
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

"""The deterministic offline model: one Prompt in, one Generation out.

A Generation is what the model said as an ordered list of Converse content blocks (text, toolUse;
reasoning and citations are further kinds of block), with the stop reason and usage. Every dialect
renders the same Generation (Converse JSON, ConverseStream events, Nova or Claude native bodies and
stream chunks) block by block, so the emulator has exactly one notion of what the model said.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from . import citations, media, reasoning, replies, structured, tiers, tokens, tools
from .prompt import Prompt
from .prompt_cache import CacheUsage

TOOL_INPUT_FRAGMENT = 12  # characters of tool-input JSON per streamed delta
DEFAULT_SPEED = {"firstTokenMs": 300, "msPerOutputToken": 10}  # simulated, for a model the catalog gives none


@dataclass
class Generation:
    content: list[dict]  # Converse content blocks, in the order the model produced them
    # per block, what a stream sends (token pieces, or fragments of tool-input JSON); None for a block
    # sent whole, whose pieces are cut only when a stream asks (most answers are never streamed)
    pieces: list[list[str] | None]
    stop_reason: str
    input_tokens: int
    output_tokens: int
    first_token_ms: int
    latency_ms: int
    stop_sequence: str | None = None
    cache: CacheUsage | None = None  # what the cache step read and wrote; None when nothing was marked

    @property
    def cache_read(self) -> int:
        return self.cache.read if self.cache else 0

    @property
    def cache_write(self) -> int:
        return self.cache.write if self.cache else 0

    trace: dict | None = None  # `trace.guardrail` when a guardrail with trace on guarded the request
    guardrail_action: str | None = None  # INTERVENED or NONE when a guardrail guarded it (Invoke bodies)

    @property
    def text(self) -> str:
        """All text blocks joined: what dialects with a single text answer (Text Completions) send."""
        return "".join(block["text"] for block in self.content if "text" in block)

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens + self.cache_read + self.cache_write

    def blocks(self) -> Iterator[tuple[int, dict, list[str]]]:
        """(contentBlockIndex, block, stream pieces) for each block, as every stream renders them."""
        for index, (block, pieces) in enumerate(zip(self.content, self.pieces)):
            yield index, block, stream_pieces(block) if pieces is None else pieces


def fallback_reply(prompt: Prompt) -> str:
    """An honest answer for prompts without a scripted reply: say what this is and what arrived."""
    said = " ".join(prompt.last_user_text().split())
    if len(said) > 160:
        said = said[:157] + "..."
    parts = [
        f"This is the workbook's offline model standing in for {prompt.model['modelName']}, "
        "so this is a description of your request rather than a real answer.",
        f"I received {len(prompt.messages)} message{'s' if len(prompt.messages) != 1 else ''}"
        + (" and a system prompt." if prompt.system else " and no system prompt."),
    ]
    if said:
        parts.append(f'Your last message says: "{said}"')
    seen = [media.describe(block) for block in prompt.attachments()]
    if seen:
        parts.append("It also contains " + "; ".join(seen) + ".")
    parts.append("Run with BEDROCK_MODE=live to get an answer from the real model.")
    return " ".join(parts)


def compose(prompt: Prompt) -> list[dict]:
    """What the model says, before limits: the content blocks of its answer. A forced tool choice
    always calls a tool; returned tool results are answered; a requested JSON schema is answered with
    JSON valid against it; then a scripted reply; then a tool the
    user's words match; then the honest fallback (tools.py documents the tool policy)."""
    if prompt.tools and tools.specs(prompt) and tools.chosen(prompt)[0] in ("any", "tool"):
        return tools.calls(prompt) or [{"text": fallback_reply(prompt)}]
    answer = (
        ("toolResult" in prompt.kinds and tools.answer(prompt))
        or (prompt.output_schema is not None and structured.answer(prompt))
        or replies.find(prompt)
    )
    if answer:
        return [{"text": answer}]
    if citations.requested(prompt):
        return citations.blocks(prompt) or [{"text": fallback_reply(prompt)}]
    return tools.calls(prompt) or [{"text": fallback_reply(prompt)}]


def think_then_answer(prompt: Prompt) -> list[dict]:
    """The answer, preceded by its reasoning block when the request asks the model to think."""
    answer = compose(prompt)
    thought = reasoning.block(prompt, answer) if prompt.thinking is not None else None
    return [thought, *answer] if thought else answer


def said(block: dict) -> str | None:
    """The text a block says (text, reasoning, cited answer); None for tool calls."""
    if "text" in block:
        return block["text"]
    if "reasoningContent" in block:
        return block["reasoningContent"]["reasoningText"]["text"]
    if "citationsContent" in block:
        return "".join(part.get("text", "") for part in block["citationsContent"]["content"])
    return None


def stream_pieces(block: dict) -> list[str]:
    """How a block travels in a stream: text as token pieces, tool input as JSON text fragments."""
    if said(block) is not None:
        return tokens.pieces(said(block))
    text = json.dumps(block["toolUse"]["input"], ensure_ascii=False, separators=(",", ":"))
    return [text[i : i + TOOL_INPUT_FRAGMENT] for i in range(0, len(text), TOOL_INPUT_FRAGMENT)]


def cut_at_stop_sequence(prompt: Prompt, blocks: list[dict]) -> tuple[list[dict], str | None]:
    """Text ends where the first stop sequence begins; nothing after it is said."""
    if not prompt.stop_sequences:
        return blocks, None
    for index, block in enumerate(blocks):
        if "text" not in block:
            continue
        text = block["text"]
        found = [(text.find(s), s) for s in prompt.stop_sequences if s and s in text]
        if found:
            at, matched = min(found)
            return [*blocks[:index], {"text": text[:at]}], matched
    return blocks, None


def spend(blocks: list[dict], limit: int) -> tuple[list[dict], list[list[str]], int, bool]:
    """Blocks within `limit` output tokens: (blocks, their pieces, tokens used, whether cut short).
    A text block is cut at the limit (its pieces are the ones kept; a block kept whole has None, see
    Generation.pieces); a tool call that does not fit is not made at all."""
    kept, pieces, used = [], [], 0
    for block in blocks:
        text = said(block)
        cost = tokens.count(text) if text is not None else tokens.count(json.dumps(block["toolUse"]["input"]))
        if used + cost <= limit:
            kept.append(block)
            pieces.append(None)
            used += cost
            continue
        if "text" in block and used < limit:
            part = tokens.within(stream_pieces(block), limit - used)
            kept.append({"text": "".join(part)})
            pieces.append(part)
            used = limit
        return kept, pieces, used, True
    return kept, pieces, used, False


def generate(prompt: Prompt, cache: CacheUsage | None = None) -> Generation:
    blocks, matched = cut_at_stop_sequence(prompt, think_then_answer(prompt))
    blocks, pieces, out, cut = spend(blocks, prompt.max_tokens or prompt.model["maxOutputTokens"])
    if cut:
        stop_reason, matched = "max_tokens", None
    elif matched is not None:
        stop_reason = "stop_sequence"
    elif any("toolUse" in block for block in blocks):
        stop_reason = "tool_use"
    else:
        stop_reason = "end_turn"
    cached = (cache.read + cache.write) if cache else 0
    inp = prompt.input_tokens - cached
    speed = prompt.model.get("latency", DEFAULT_SPEED)
    first, per_token = tiers.timings(
        prompt, speed["firstTokenMs"] + (inp + (cache.write if cache else 0)) // 40, speed["msPerOutputToken"]
    )
    return Generation(
        content=blocks,
        pieces=pieces,
        stop_reason=stop_reason,
        input_tokens=inp,
        output_tokens=out,
        first_token_ms=first,
        latency_ms=first + per_token * out,
        stop_sequence=matched,
        cache=cache,
    )

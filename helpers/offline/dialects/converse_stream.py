"""ConverseStream: the Converse Generation cut into Bedrock's events, in Bedrock's order.

messageStart; for each content block, contentBlockStart (tool use only: the tool's id and name),
contentBlockDelta per piece (text, or a fragment of the tool input's JSON) and contentBlockStop,
all carrying the block's contentBlockIndex; messageStop with the stop reason, then metadata with
usage and latency. The stream adds the `p` padding field real Bedrock puts on every event."""

from __future__ import annotations

from collections.abc import Iterator

from .. import tiers
from ..generator import Generation
from ..prompt import Prompt
from .converse import render, to_prompt, usage

__all__ = ["render", "stream", "to_prompt"]  # the dialect contract: Converse's body, streamed


def block_start(block: dict) -> dict | None:
    """The `start` of a block, for the kinds of block that announce themselves (tool use)."""
    if "toolUse" in block:
        return {"toolUse": {"toolUseId": block["toolUse"]["toolUseId"], "name": block["toolUse"]["name"]}}
    return None


def delta(block: dict, piece: str) -> dict:
    if "toolUse" in block:
        return {"toolUse": {"input": piece}}
    if "reasoningContent" in block:
        return {"reasoningContent": {"text": piece}}
    return {"text": piece}


def deltas(block: dict, pieces: list[str]) -> Iterator[dict]:
    """A block's deltas: its pieces, then what closes it (a reasoning signature, a citation)."""
    for piece in pieces:
        yield delta(block, piece)
    if "reasoningContent" in block:
        yield {"reasoningContent": {"signature": block["reasoningContent"]["reasoningText"]["signature"]}}
    for citation in (block.get("citationsContent") or {}).get("citations", []):
        yield {"citation": citation}


def block_events(generation: Generation) -> Iterator[tuple[str, dict]]:
    """Start, deltas and stop of every block; shared with Nova's native stream, which mirrors it."""
    for index, block, pieces in generation.blocks():
        start = block_start(block)
        if start is not None:
            yield "contentBlockStart", {"start": start, "contentBlockIndex": index}
        for piece in deltas(block, pieces):
            yield "contentBlockDelta", {"contentBlockIndex": index, "delta": piece}
        yield "contentBlockStop", {"contentBlockIndex": index}


def stream(generation: Generation, prompt: Prompt | None = None, request_id: str = "") -> Iterator[tuple[str, dict]]:
    yield "messageStart", {"role": "assistant"}
    yield from block_events(generation)
    yield "messageStop", {"stopReason": generation.stop_reason}
    metadata = {"usage": usage(generation), "metrics": {"latencyMs": generation.latency_ms}}
    if generation.trace:
        metadata["trace"] = generation.trace
    yield "metadata", {**metadata, **(tiers.echo(prompt) if prompt is not None else {})}

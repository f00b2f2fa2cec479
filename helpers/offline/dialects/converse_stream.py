"""ConverseStream: the Converse Generation cut into Bedrock's events, in Bedrock's order.

messageStart, contentBlockDelta per token piece (with contentBlockIndex), contentBlockStop,
messageStop with the stop reason, then metadata with usage and latency. The stream adds the `p`
padding field real Bedrock puts on every event."""

from __future__ import annotations

from collections.abc import Iterator

from ..generator import Generation
from .converse import usage


def events(generation: Generation) -> Iterator[tuple[str, dict]]:
    yield "messageStart", {"role": "assistant"}
    for piece in generation.pieces:
        yield "contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": piece}}
    yield "contentBlockStop", {"contentBlockIndex": 0}
    yield "messageStop", {"stopReason": generation.stop_reason}
    yield "metadata", {"usage": usage(generation), "metrics": {"latencyMs": generation.latency_ms}}

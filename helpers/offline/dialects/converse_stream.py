"""ConverseStream: the Converse Generation cut into Bedrock's events, in Bedrock's order.

messageStart, contentBlockDelta per token piece (with contentBlockIndex), contentBlockStop,
messageStop with the stop reason, then metadata with usage and latency. Every payload carries the
`p` padding field real Bedrock adds."""
from __future__ import annotations

from typing import Iterator

from ..eventstream import padded
from ..generator import Generation
from .converse import usage


def events(generation: Generation) -> Iterator[tuple[str, dict]]:
    yield "messageStart", padded({"role": "assistant"})
    for piece in generation.pieces:
        yield "contentBlockDelta", padded({"contentBlockIndex": 0, "delta": {"text": piece}})
    yield "contentBlockStop", padded({"contentBlockIndex": 0})
    yield "messageStop", padded({"stopReason": generation.stop_reason})
    yield "metadata", padded({"usage": usage(generation), "metrics": {"latencyMs": generation.latency_ms}})

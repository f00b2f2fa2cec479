"""Amazon Nova's native body (`schemaVersion: "messages-v1"`) for InvokeModel and its stream.

The request looks like Converse, with three differences a learner trips over: inference settings
(including `topK`) sit in `inferenceConfig`, image/video bytes are base64 strings, and documents
are Converse-only. The response and stream chunks mirror Converse's, plus
`amazon-bedrock-invocationMetrics` on the last chunk."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator

from ..errors import BedrockError, msg_malformed
from ..generator import Generation
from ..prompt import Prompt
from . import invocation_metrics, schema
from .converse import system_of
from .converse_stream import block_start, deltas

IMAGE_FORMATS = ["png", "jpeg", "gif", "webp"]
VIDEO_FORMATS = ["mkv", "mov", "mp4", "webm", "three_gp", "flv", "mpeg", "mpg", "wmv"]


def _media(formats: list[str]) -> dict:
    return {
        "type": "object",
        "required": ["format", "source"],
        "additionalProperties": False,
        "properties": {
            "format": {"type": "string", "enum": formats},
            "source": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"bytes": {"type": "string"}, "s3Location": {"type": "object"}},
            },
        },
    }


def request_schema(max_tokens: int) -> dict:
    """messages-v1 as Bedrock validates it; `maxTokens` is capped at the model's output limit."""
    content = {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,  # a block is exactly one of the kinds below
        "maxProperties": 1,
        "properties": {
            "text": {"type": "string"},
            "image": _media(IMAGE_FORMATS),
            "video": _media(VIDEO_FORMATS),
            "toolUse": {"type": "object"},
            "toolResult": {"type": "object"},
            "cachePoint": {"type": "object"},
            "reasoningContent": {"type": "object"},
        },
    }
    unit = {"type": "number", "minimum": 0, "maximum": 1}
    return {
        "type": "object",
        "required": ["messages"],
        "additionalProperties": False,
        "properties": {
            "schemaVersion": {"type": "string", "enum": ["messages-v1"]},
            "system": {
                "type": "array",
                "items": {
                    "type": "object",
                    "minProperties": 1,
                    "maxProperties": 1,
                    "additionalProperties": False,
                    "properties": {"text": {"type": "string"}, "cachePoint": {"type": "object"}},
                },
            },
            "messages": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["role", "content"],
                    "additionalProperties": False,
                    "properties": {
                        "role": {"type": "string", "enum": ["user", "assistant"]},
                        "content": {"type": "array", "minItems": 1, "items": content},
                    },
                },
            },
            "inferenceConfig": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "maxTokens": {"type": "integer", "minimum": 1, "maximum": max_tokens},
                    "max_new_tokens": {"type": "integer", "minimum": 1, "maximum": max_tokens},
                    "temperature": unit,
                    "topP": unit,
                    "topK": {"type": "integer", "minimum": 0, "maximum": 128},
                    "stopSequences": {"type": "array", "maxItems": 4, "items": {"type": "string"}},
                    "reasoningConfig": {"type": "object"},
                },
            },
            "toolConfig": {"type": "object"},
        },
    }


def _decode(block: dict, where: str) -> dict:
    kind = next(iter(block), None)
    if kind not in ("image", "video") or "bytes" not in block[kind].get("source", {}):
        return block
    try:
        data = base64.b64decode(block[kind]["source"]["bytes"], validate=True)
    except (binascii.Error, ValueError):
        raise BedrockError.validation(
            msg_malformed(f"{where}/{kind}/source/bytes: expected base64-encoded bytes")
        ) from None
    return {kind: {**block[kind], "source": {"bytes": data}}}


def to_prompt(body: dict, resolved, region: str, streaming: bool) -> Prompt:
    model = resolved.model
    schema.check(request_schema(model["maxOutputTokens"]), body)
    config = body.get("inferenceConfig") or {}
    messages = [
        {"role": m["role"], "content": [_decode(b, f"#/messages/{i}/content/{j}") for j, b in enumerate(m["content"])]}
        for i, m in enumerate(body["messages"])
    ]
    tools = body.get("toolConfig") or {}
    system, system_cache = system_of(body.get("system") or [])
    return Prompt(
        model=resolved.model,
        model_id=resolved.served_id,
        region=region,
        messages=messages,
        system=system,
        system_cache=system_cache,
        thinking=config.get("reasoningConfig"),
        max_tokens=config.get("maxTokens", config.get("max_new_tokens")),
        temperature=config.get("temperature"),
        top_p=config.get("topP"),
        top_k=config.get("topK"),
        stop_sequences=list(config.get("stopSequences") or []),
        tools=list(tools.get("tools") or []),
        tool_choice=tools.get("toolChoice"),
        tool_config="toolConfig" in body,
        streaming=streaming,
    )


def usage(generation: Generation) -> dict:
    return {
        "inputTokens": generation.input_tokens,
        "outputTokens": generation.output_tokens,
        "totalTokens": generation.total_tokens,
        "cacheReadInputTokenCount": generation.cache_read,
        "cacheWriteInputTokenCount": generation.cache_write,
    }


def render(generation: Generation, prompt: Prompt, request_id: str) -> dict:
    return {
        "output": {"message": {"content": generation.content, "role": "assistant"}},
        "stopReason": generation.stop_reason,
        "usage": usage(generation),
    }


def stream(generation: Generation, prompt: Prompt, request_id: str) -> Iterator[dict]:
    """Nova's chunks mirror ConverseStream's events, each a one-key object (delta before index)."""
    yield {"messageStart": {"role": "assistant"}}
    for index, block, pieces in generation.blocks():
        start = block_start(block)
        if start is not None:
            yield {"contentBlockStart": {"start": start, "contentBlockIndex": index}}
        for piece in deltas(block, pieces):
            yield {"contentBlockDelta": {"delta": piece, "contentBlockIndex": index}}
        yield {"contentBlockStop": {"contentBlockIndex": index}}
    yield {"messageStop": {"stopReason": generation.stop_reason}}
    yield {
        "metadata": {"usage": usage(generation), "metrics": {}, "trace": {}},
        "amazon-bedrock-invocationMetrics": invocation_metrics(generation),
    }

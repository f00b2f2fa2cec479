"""The Converse dialect: Converse/ConverseStream/CountTokens bodies to a Prompt, and a Generation
back to the ConverseResponse shape (its stream is `converse_stream`)."""

from __future__ import annotations

import binascii

from .. import rules, structured, tiers
from ..errors import MSG_UNSUPPORTED_OPERATION, BedrockError
from ..generator import Generation
from ..prompt import MEDIA_KINDS, Prompt


def _decode_media(block: dict) -> dict:
    """Blobs travel base64-encoded in JSON; the model works on the bytes."""
    kind = next(iter(block), None)
    if kind not in MEDIA_KINDS:
        return block
    body = dict(block[kind])
    source = dict(body.get("source") or {})
    if isinstance(source.get("bytes"), str):  # validated by shapes; binascii reads the str in place
        source["bytes"] = binascii.a2b_base64(source["bytes"])
    body["source"] = source
    return {kind: body}


def _decoded(blocks: list[dict]) -> list[dict]:
    """A message's blocks with media decoded; text-only content (most of it) is copied without a
    call per block."""
    for block in blocks:
        if "text" not in block:
            return [_decode_media(block) for block in blocks]
    return list(blocks)


def system_of(blocks: list[dict]) -> tuple[list[str], dict[int, dict]]:
    """System texts, and each cachePoint keyed by how many texts precede it."""
    texts, points = [], {}
    for block in blocks:
        if "text" in block:
            texts.append(block["text"])
        elif "cachePoint" in block:
            points[len(texts)] = block["cachePoint"]
    return texts, points


def check_model(model: dict) -> None:
    """Converse serves chat models only (not embeddings or image generators)."""
    if not model["capabilities"]["converse"]:
        raise BedrockError.validation(MSG_UNSUPPORTED_OPERATION)


def to_prompt(body: dict, resolved, region: str, streaming: bool = False) -> Prompt:
    check_model(resolved.model)
    extra = body.get("additionalModelRequestFields") or {}
    if extra:
        rules.check_additional_fields(extra, resolved.request_fields)
    config = body.get("inferenceConfig") or {}
    tool_config = body.get("toolConfig") or {}
    messages = [
        {"role": m.get("role"), "content": _decoded(m.get("content") or [])} for m in body.get("messages") or []
    ]
    tier = (body.get("serviceTier") or {}).get("type")
    tiers.check(tier, resolved.model)
    system, system_cache = system_of(body.get("system") or [])
    return Prompt(
        model=resolved.model,
        model_id=resolved.served_id,
        region=region,
        messages=messages,
        system=system,
        system_cache=system_cache,
        thinking=_thinking(extra) if extra else None,
        service_tier=tier,
        latency=(body.get("performanceConfig") or {}).get("latency"),
        max_tokens=config.get("maxTokens"),
        temperature=config.get("temperature"),
        top_p=config.get("topP"),
        top_k=extra.get("top_k", (extra.get("inferenceConfig") or {}).get("topK")) if extra else None,
        stop_sequences=list(config.get("stopSequences") or []),
        tools=list(tool_config.get("tools") or []),
        tool_choice=tool_config.get("toolChoice"),
        tool_config="toolConfig" in body,
        output_schema=structured.from_converse(body) if "outputConfig" in body else None,
        streaming=streaming,
    )


def _thinking(extra: dict) -> dict | None:
    """Claude's `thinking`, or Nova's `reasoningConfig` (top level or under `inferenceConfig`)."""
    return extra.get(
        "thinking", extra.get("reasoningConfig", (extra.get("inferenceConfig") or {}).get("reasoningConfig"))
    )


def usage(generation: Generation) -> dict:
    counts = {
        "inputTokens": generation.input_tokens,
        "outputTokens": generation.output_tokens,
        "totalTokens": generation.total_tokens,
    }
    if generation.cache is not None:
        counts["cacheReadInputTokens"] = generation.cache_read
        counts["cacheWriteInputTokens"] = generation.cache_write
        if generation.cache.details:
            counts["cacheDetails"] = generation.cache.details
    return counts


def render(generation: Generation, prompt: Prompt | None = None, request_id: str = "") -> dict:
    rendered = {
        "output": {"message": {"role": "assistant", "content": generation.content}},
        "stopReason": generation.stop_reason,
        "usage": usage(generation),
        "metrics": {"latencyMs": generation.latency_ms},
        **(tiers.echo(prompt) if prompt is not None and (prompt.service_tier or prompt.latency) else {}),
    }
    if generation.trace:
        rendered["trace"] = generation.trace
    return rendered

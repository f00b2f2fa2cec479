"""Anthropic's older Text Completions body for Claude 2 (`prompt: "\\n\\nHuman: ...\\n\\nAssistant:"`,
`max_tokens_to_sample`) for InvokeModel and its stream. The prompt's turns become messages, so the
same generator answers; the reply comes back as `completion` with Claude 2's stop fields."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import BedrockError
from ..generator import Generation
from ..prompt import Prompt
from . import invocation_metrics, schema
from .claude import VERSION, anthropic_name

HUMAN, ASSISTANT = "\n\nHuman:", "\n\nAssistant:"
MODELS = {"anthropic.claude-v2:1"}  # the catalog's models that still take Text Completions
MSG_START = 'Invalid prompt: prompt must start with "\\n\\nHuman:" turn after an optional system prompt'
MSG_END = 'Invalid prompt: prompt must end with "\\n\\nAssistant:" turn'
_TURN = re.compile(r"(\n\nHuman:|\n\nAssistant:)")


def msg_messages_only(model_id: str) -> str:
    return f'"{anthropic_name(model_id)}" is not supported on this API. Please use the Messages API instead.'


def request_schema(max_tokens: int) -> dict:
    unit = {"type": "number", "minimum": 0, "maximum": 1}
    return {
        "type": "object",
        "required": ["prompt", "max_tokens_to_sample"],
        "additionalProperties": False,
        "properties": {
            "prompt": {"type": "string"},
            "max_tokens_to_sample": {"type": "integer", "minimum": 1, "maximum": max_tokens},
            "anthropic_version": {"type": "string", "enum": [VERSION]},
            "temperature": unit,
            "top_p": unit,
            "top_k": {"type": "integer", "minimum": 0, "maximum": 500},
            "stop_sequences": {"type": "array", "items": {"type": "string"}},
        },
    }


def turns(text: str) -> tuple[list[str], list[dict]]:
    """(system, messages) of a Human/Assistant prompt, held to Bedrock's shape rules first: a Human
    turn opens it and an empty Assistant turn, the slot the model fills, closes it."""
    markers = _TURN.findall(text)
    if not markers or markers[0] != HUMAN:
        raise BedrockError.validation(MSG_START)
    if markers[-1] != ASSISTANT or text.rsplit(ASSISTANT, 1)[1].strip():
        raise BedrockError.validation(MSG_END)
    parts = _TURN.split(text)
    system = [parts[0].strip()] if parts[0].strip() else []
    messages = [
        {"role": "user" if marker == HUMAN else "assistant", "content": [{"text": said.strip()}]}
        for marker, said in zip(parts[1::2], parts[2::2])
        if said.strip()
    ]
    return system, messages


def to_prompt(body: dict, resolved, region: str, streaming: bool) -> Prompt:
    model = resolved.model
    if model["modelId"] not in MODELS:
        raise BedrockError.validation(msg_messages_only(model["modelId"]))
    schema.check(request_schema(model["maxOutputTokens"]), body)
    system, messages = turns(body["prompt"])
    return Prompt(
        model=resolved.model,
        model_id=resolved.served_id,
        region=region,
        messages=messages,
        system=system,
        max_tokens=body["max_tokens_to_sample"],
        temperature=body.get("temperature"),
        top_p=body.get("top_p"),
        top_k=body.get("top_k"),
        stop_sequences=list(body.get("stop_sequences") or []),
        streaming=streaming,
    )


def _stop(generation: Generation) -> tuple[str, str | None]:
    """Claude 2 ends a finished answer by emitting the next Human turn, reported as its stop."""
    if generation.stop_reason == "max_tokens":
        return "max_tokens", None
    return "stop_sequence", generation.stop_sequence or HUMAN


def render(generation: Generation, prompt: Prompt, request_id: str) -> dict:
    stop_reason, stop = _stop(generation)
    return {"type": "completion", "completion": " " + generation.text, "stop_reason": stop_reason, "stop": stop}


def stream(generation: Generation, prompt: Prompt, request_id: str) -> Iterator[dict]:
    pieces = [piece for _, block, block_pieces in generation.blocks() if "text" in block for piece in block_pieces]
    pieces = pieces or [""]
    for index, piece in enumerate(pieces):
        text = " " + piece if index == 0 else piece
        yield {"type": "completion", "completion": text, "stop_reason": None, "stop": None}
    stop_reason, stop = _stop(generation)
    yield {
        "type": "completion",
        "completion": "",
        "stop_reason": stop_reason,
        "stop": stop,
        "amazon-bedrock-invocationMetrics": invocation_metrics(generation),
    }

"""The Invoke API's model-native bodies: pick the model family's dialect, check the content types,
and parse the raw body bytes the way Bedrock does before the model ever sees them."""

from __future__ import annotations

import base64
import binascii
import json
from types import ModuleType

from ..errors import BedrockError, msg_malformed
from ..generator import Generation
from ..prompt import Prompt
from ..runtime_ops import INVOKE_ACTION, STREAM_ACTION
from . import claude, claude_text, nova

DIALECTS: dict[str, ModuleType] = {"nova": nova, "claude": claude}
JSON = "application/json"
MSG_CONTENT_TYPE = "The provided Content Type is invalid or not supported for this model"
MSG_ACCEPT_TYPE = "The provided Accept Type is invalid or not supported for this model"


def _media_type(value: str | None) -> str | None:
    return value.split(";")[0].strip().lower() if value else None


def check_content_types(request, accept_header: str) -> None:
    """Bedrock's text models take and return JSON only (a missing header means JSON)."""
    if _media_type(request.headers.get("content-type")) not in (None, JSON):
        raise BedrockError.validation(MSG_CONTENT_TYPE)
    if _media_type(request.headers.get(accept_header)) not in (None, JSON, "*/*"):
        raise BedrockError.validation(MSG_ACCEPT_TYPE)


def dialect_for(model: dict, body: dict) -> ModuleType:
    if model["family"] == "claude" and "prompt" in body and "messages" not in body:
        return claude_text  # Claude 2's Text Completions body
    dialect = DIALECTS.get(model["family"])
    if dialect is None:
        raise BedrockError.validation(
            f"The offline emulator speaks the Invoke API of Amazon Nova and Anthropic Claude models only, "
            f"not of {model['modelName']}. Use Converse for this model, or BEDROCK_MODE=live."
        )
    return dialect


def parse_body(raw: bytes | str) -> dict:
    """The request body as a JSON object, or Bedrock's malformed-request error."""
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        body = None
    if not isinstance(body, dict):
        raise BedrockError.validation("Malformed input request, please reformat your input and try again.")
    return body


def prompt(call, raw: bytes | str, streaming: bool) -> tuple[ModuleType, Prompt]:
    """Resolve the model, authorize the caller and normalise its native body into a Prompt."""
    resolved = call.resolve()
    call.authorize(STREAM_ACTION if streaming else INVOKE_ACTION, call.model_resources(resolved))
    body = parse_body(raw)
    dialect = dialect_for(resolved.model, body)
    return dialect, dialect.to_prompt(body, resolved, call.region, streaming)


def prompt_from_invoke_body(call, body: bytes | str) -> Prompt:
    """CountTokens' `invokeModel.body`: a blob, so it arrives base64-encoded inside the JSON."""
    if isinstance(body, str):
        try:
            body = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise BedrockError.validation(msg_malformed("#: body must be base64-encoded")) from None
    return prompt(call, body, streaming=False)[1]


def invocation_metrics(generation: Generation) -> dict:
    """`amazon-bedrock-invocationMetrics`, the last stream chunk's summary."""
    return {
        "inputTokenCount": generation.input_tokens,
        "outputTokenCount": generation.output_tokens,
        "invocationLatency": generation.latency_ms,
        "firstByteLatency": generation.first_token_ms,
    }

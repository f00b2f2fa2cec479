"""The Invoke API's model-native bodies: check the content types, parse the raw body bytes the way
Bedrock does before the model ever sees them, and pick the model family's dialect."""

from __future__ import annotations

import base64
import binascii
import json
from types import ModuleType

from ..errors import BedrockError, msg_malformed
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


def dialect_for(model: dict, body: dict, streaming: bool = False) -> ModuleType:
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


def decode_blob(body: bytes | str) -> bytes | str:
    """CountTokens' `invokeModel.body` is a blob, so it arrives base64-encoded inside the JSON."""
    if not isinstance(body, str):
        return body
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise BedrockError.validation(msg_malformed("#: body must be base64-encoded")) from None

"""Structured output: an answer that is JSON valid against a schema the caller gives.

Converse takes it as `outputConfig.textFormat {type: json_schema, structure: {jsonSchema: {schema,
name, description}}}` with the schema as a JSON string (service model); Claude's native body as
`output_config.format {type: json_schema, schema}` (Bedrock user guide, "Get validated JSON results
from models", read 2026-11-30). The offline model answers with the value tool_args builds from the
schema and the user's words, so the answer always parses and validates. Models whose catalog entry
says `structuredOutput: false` are refused (wording unconfirmed: no public report quotes Bedrock's
refusal through Converse; Anthropic's own is "output_config.format: Extra inputs are not permitted",
models.dev#1765)."""

from __future__ import annotations

import json

from .errors import BedrockError
from .prompt import Prompt
from .tool_args import Words, build

MSG_UNSUPPORTED = (
    "This model doesn't support the outputConfig.textFormat field. Remove outputConfig.textFormat and try again."
)
MSG_BAD_SCHEMA = (
    "The JSON schema in outputConfig.textFormat.structure.jsonSchema.schema isn't valid JSON."  # unconfirmed
)


def from_converse(body: dict) -> dict | None:
    """The schema of a Converse body's outputConfig, parsed, or None."""
    text_format = (body.get("outputConfig") or {}).get("textFormat") or {}
    source = ((text_format.get("structure") or {}).get("jsonSchema") or {}).get("schema")
    if source is None:
        return None
    try:
        schema = json.loads(source)
    except (ValueError, RecursionError):
        raise BedrockError.validation(MSG_BAD_SCHEMA) from None
    if not isinstance(schema, dict):
        raise BedrockError.validation(MSG_BAD_SCHEMA)
    return schema


def from_claude(body: dict) -> dict | None:
    found = ((body.get("output_config") or {}).get("format") or {}).get("schema")
    return found if isinstance(found, dict) else None


def check(prompt: Prompt) -> None:
    if prompt.output_schema is not None and prompt.model["capabilities"].get("structuredOutput") is False:
        raise BedrockError.validation(MSG_UNSUPPORTED)


def answer(prompt: Prompt) -> str | None:
    """The JSON text of the answer, or None when no schema was asked for."""
    if prompt.output_schema is None:
        return None
    value = build(prompt.output_schema, Words.read(prompt.last_user_text()))
    return json.dumps(value, ensure_ascii=False)

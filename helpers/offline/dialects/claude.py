"""Anthropic Claude's native body (`anthropic_version: "bedrock-2023-05-31"`) for InvokeModel and its
stream: the Messages API with `max_tokens` required, content as a string or typed blocks, and
snake_case settings. Errors come back in the validator's words, prefixed the way Bedrock prefixes
them for Messages bodies (its schema also describes the older text-completion body)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterator

from ...vocabulary import ANTHROPIC_VERSION
from .. import structured
from ..errors import BedrockError, msg_malformed
from ..generator import Generation
from ..prompt import Prompt
from . import invocation_metrics, schema

VERSION = ANTHROPIC_VERSION
# For the Claude 2 and Claude 3 (early 2024) models, whose native schema also describes the older
# text-completion body, Bedrock reports this first for any error in a body that has `messages`
# (recorded responses, e.g. for claude-3-haiku). The Claude 3.5 models' Messages-only schema does not,
# so their errors read as bedrock-facts quotes them: "Malformed input request: #: extraneous key
# [stream] is not permitted, please reformat your input and try again."
MESSAGES_PREFIX = '#: subject must not be valid against schema {"required":["messages"]}'
TEXT_COMPLETION_SCHEMA_MODELS = {
    "anthropic.claude-v2:1",
    "anthropic.claude-3-haiku-20240307-v1:0",
    "anthropic.claude-3-sonnet-20240229-v1:0",
    "anthropic.claude-3-opus-20240229-v1:0",
}
MSG_FIRST_USER = 'messages: first message must use the "user" role'
MSG_BLANK_TEXT = "messages: text content blocks must be non-empty"
MSG_NO_MESSAGES = "messages: at least one message is required"


def msg_roles(role: str) -> str:
    return f'messages: roles must alternate between "user" and "assistant", but found multiple "{role}" roles in a row'


def request_schema(max_tokens: int) -> dict:
    block = {
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": {
                "type": "string",
                "enum": ["text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking"],
            },
            "text": {"type": "string"},
            "source": {"type": "object"},
        },
    }
    unit = {"type": "number", "minimum": 0, "maximum": 1}
    text_blocks = {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["type", "text"],
            "properties": {"type": {"enum": ["text"]}, "text": {"type": "string"}},
        },
    }
    return {
        "type": "object",
        "required": ["max_tokens", "anthropic_version", "messages"],
        "additionalProperties": False,
        "properties": {
            "anthropic_version": {"type": "string", "enum": [VERSION]},
            "anthropic_beta": {"type": "array", "items": {"type": "string"}},
            "max_tokens": {"type": "integer", "minimum": 1, "maximum": max_tokens},
            "messages": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["role", "content"],
                    "additionalProperties": False,
                    "properties": {
                        "role": {"type": "string", "enum": ["user", "assistant"]},
                        "content": {"anyOf": [{"type": "string"}, {"type": "array", "minItems": 1, "items": block}]},
                    },
                },
            },
            "system": {"anyOf": [{"type": "string"}, text_blocks]},
            "temperature": unit,
            "top_p": unit,
            "top_k": {"type": "integer", "minimum": 0, "maximum": 500},
            "stop_sequences": {"type": "array", "items": {"type": "string"}},
            "tools": {"type": "array", "items": {"type": "object"}},
            "tool_choice": {"type": "object"},
            "thinking": {"type": "object"},
            "metadata": {"type": "object"},
            "output_config": {"type": "object"},
        },
    }


def _block(block: dict) -> dict:
    """A Claude content block as the Converse block the generator reads."""
    kind = block["type"]
    if kind == "text":
        return {"text": block.get("text", "")}
    if kind == "image":
        source = block.get("source") or {}
        try:
            data = base64.b64decode(source.get("data", ""), validate=True)
        except (binascii.Error, ValueError, TypeError):  # TypeError: data that is not a string at all
            raise BedrockError.validation(msg_malformed("#: image source data must be base64-encoded")) from None
        fmt = str(source.get("media_type", "image/png")).rpartition("/")[2]
        return {"image": {"format": fmt, "source": {"bytes": data}}}
    if kind == "thinking":
        return {
            "reasoningContent": {
                "reasoningText": {"text": block.get("thinking", ""), "signature": block.get("signature")}
            }
        }
    if kind == "tool_use":
        return {"toolUse": {"toolUseId": block.get("id"), "name": block.get("name"), "input": block.get("input")}}
    if kind == "tool_result":
        result = {"toolUseId": block.get("tool_use_id"), "content": _result_content(block.get("content"))}
        return {"toolResult": {**result, "status": "error" if block.get("is_error") else "success"}}
    return {kind: block}


def _result_content(content) -> list[dict]:
    """A tool_result's content (a string, or text and image blocks) as Converse result blocks."""
    if content is None:
        return []
    if isinstance(content, str):
        return [{"text": content}]
    return [{"text": b.get("text", "")} if b.get("type") == "text" else {b.get("type", "json"): b} for b in content]


def converse_tools(tools) -> list[dict]:
    """Claude's `tools` as Converse toolSpecs, so one set of tool rules and one tool policy serve both."""
    specs = []
    for tool in tools or []:
        spec = {"name": tool.get("name"), "inputSchema": {"json": tool.get("input_schema")}}
        if tool.get("description"):
            spec["description"] = tool["description"]
        specs.append({"toolSpec": spec})
        if tool.get("cache_control"):
            specs.append({"cachePoint": cache_point(tool["cache_control"])})
    return specs


def converse_choice(choice) -> dict | None:
    """Claude's `tool_choice` ({"type": "auto" | "any" | "tool" | "none"}) as Converse's union."""
    if not isinstance(choice, dict) or "type" not in choice:
        return None
    kind = choice["type"]
    return {"tool": {"name": choice.get("name")}} if kind == "tool" else {kind: {}}


def cache_point(control: dict) -> dict:
    """Claude's `cache_control` ({"type": "ephemeral", "ttl"}) as the Converse cachePoint after the block."""
    return {"type": "default", **({"ttl": control["ttl"]} if isinstance(control, dict) and "ttl" in control else {})}


def _content(content) -> list[dict]:
    if isinstance(content, str):
        return [{"text": content}]
    blocks = []
    for b in content:
        blocks.append(_block(b))
        if b.get("cache_control"):
            blocks.append({"cachePoint": cache_point(b["cache_control"])})
    return blocks


def system_of(system) -> tuple[list[str], dict[int, dict]]:
    if isinstance(system, str):
        return [system], {}
    texts = [b["text"] for b in system]
    return texts, {i + 1: cache_point(b["cache_control"]) for i, b in enumerate(system) if b.get("cache_control")}


def check_conversation(messages: list[dict]) -> None:
    """Claude's own conversation rules, in Anthropic's words."""
    if not messages:
        raise BedrockError.validation(MSG_NO_MESSAGES)
    if messages[0]["role"] != "user":
        raise BedrockError.validation(MSG_FIRST_USER)
    for previous, current in zip(messages, messages[1:]):
        if previous["role"] == current["role"]:
            raise BedrockError.validation(msg_roles(current["role"]))
    for message in messages:
        if any("text" in b and not b["text"].strip() for b in message["content"]):
            raise BedrockError.validation(MSG_BLANK_TEXT)


def to_prompt(body: dict, resolved, region: str, streaming: bool) -> Prompt:
    model = resolved.model
    prefixed = "messages" in body and model["modelId"] in TEXT_COMPLETION_SCHEMA_MODELS
    schema.check(request_schema(model["maxOutputTokens"]), body, MESSAGES_PREFIX if prefixed else "")
    messages = [{"role": m["role"], "content": _content(m["content"])} for m in body["messages"]]
    check_conversation(messages)
    system, system_cache = system_of(body.get("system") or [])
    return Prompt(
        model=resolved.model,
        model_id=resolved.served_id,
        region=region,
        messages=messages,
        system=system,
        system_cache=system_cache,
        thinking=body.get("thinking"),
        max_tokens=body["max_tokens"],
        temperature=body.get("temperature"),
        top_p=body.get("top_p"),
        top_k=body.get("top_k"),
        stop_sequences=list(body.get("stop_sequences") or []),
        tools=converse_tools(body.get("tools")),
        tool_choice=converse_choice(body.get("tool_choice")),
        tool_config="tools" in body,
        output_schema=structured.from_claude(body),
        streaming=streaming,
    )


def anthropic_name(model_id: str) -> str:
    """Anthropic's own model name: `anthropic.claude-3-haiku-20240307-v1:0` -> `claude-3-haiku-20240307`."""
    return model_id.partition(".")[2].rsplit("-v", 1)[0]


def model_name(prompt: Prompt) -> str:
    return anthropic_name(prompt.model["modelId"])


def message_id(request_id: str) -> str:
    return "msg_bdrk_01" + hashlib.sha256(request_id.encode()).hexdigest()[:22]


def tool_use_id(converse_id: str) -> str:
    """Claude's native tool-use id for the generator's Converse id (`tooluse_...` -> `toolu_bdrk_01...`)."""
    suffix = converse_id.removeprefix("tooluse_")
    return "toolu_bdrk_01" + "".join(c if c.isalnum() else "x" for c in suffix)  # Claude's ids are alphanumeric


def native_block(block: dict) -> dict:
    """A generated Converse content block as Claude's Messages API writes it."""
    if "toolUse" in block:
        use = block["toolUse"]
        return {"type": "tool_use", "id": tool_use_id(use["toolUseId"]), "name": use["name"], "input": use["input"]}
    if "reasoningContent" in block:
        thought = block["reasoningContent"]["reasoningText"]
        return {"type": "thinking", "thinking": thought["text"], "signature": thought["signature"]}
    if "citationsContent" in block:
        cited = block["citationsContent"]
        text = "".join(part["text"] for part in cited["content"])
        return {"type": "text", "text": text, "citations": [native_citation(c) for c in cited["citations"]]}
    return {"type": "text", "text": block["text"]}


def native_citation(citation: dict) -> dict:
    """A Converse citation as Anthropic's char_location / page_location."""
    location = citation["location"]
    common = {"cited_text": citation["sourceContent"][0]["text"], "document_title": citation.get("title")}
    if "documentPage" in location:
        page = location["documentPage"]
        return {
            "type": "page_location",
            **common,
            "document_index": page["documentIndex"],
            "start_page_number": page["start"],
            "end_page_number": page["end"],
        }
    char = location["documentChar"]
    return {
        "type": "char_location",
        **common,
        "document_index": char["documentIndex"],
        "start_char_index": char["start"],
        "end_char_index": char["end"],
    }


def usage(generation: Generation) -> dict:
    counts = {"input_tokens": generation.input_tokens, "output_tokens": generation.output_tokens}
    if generation.cache is not None:
        counts["cache_creation_input_tokens"] = generation.cache_write
        counts["cache_read_input_tokens"] = generation.cache_read
    return counts


def render(generation: Generation, prompt: Prompt, request_id: str) -> dict:
    return {
        "id": message_id(request_id),
        "type": "message",
        "role": "assistant",
        "model": model_name(prompt),
        "content": [native_block(block) for block in generation.content],
        "stop_reason": generation.stop_reason,
        "stop_sequence": generation.stop_sequence,
        "usage": usage(generation),
    }


def _block_chunks(index: int, block: dict, pieces: list[str]) -> Iterator[dict]:
    """One content block as Claude streams it: its start (tool input left empty), deltas, stop."""
    start = native_block(block)
    if start["type"] == "tool_use":
        start["input"] = {}
        deltas = [{"type": "input_json_delta", "partial_json": piece} for piece in pieces]
    elif start["type"] == "thinking":
        signature = start["signature"]
        start.update(thinking="", signature="")
        deltas = [{"type": "thinking_delta", "thinking": piece} for piece in pieces]
        deltas.append({"type": "signature_delta", "signature": signature})
    else:
        cited = start.pop("citations", [])
        if cited:
            start["citations"] = []
        start["text"] = ""
        deltas = [{"type": "text_delta", "text": piece} for piece in pieces]
        deltas += [{"type": "citations_delta", "citation": citation} for citation in cited]
    yield {"type": "content_block_start", "index": index, "content_block": start}
    for delta in deltas:
        yield {"type": "content_block_delta", "index": index, "delta": delta}
    yield {"type": "content_block_stop", "index": index}


def stream(generation: Generation, prompt: Prompt, request_id: str) -> Iterator[dict]:
    start = render(generation, prompt, request_id)
    start.update(content=[], stop_reason=None, stop_sequence=None)
    start["usage"] = {**usage(generation), "output_tokens": 1}
    yield {"type": "message_start", "message": start}
    for index, block, pieces in generation.blocks():
        yield from _block_chunks(index, block, pieces)
    yield {
        "type": "message_delta",
        "delta": {"stop_reason": generation.stop_reason, "stop_sequence": generation.stop_sequence},
        "usage": {"output_tokens": generation.output_tokens},
    }
    yield {"type": "message_stop", "amazon-bedrock-invocationMetrics": invocation_metrics(generation)}

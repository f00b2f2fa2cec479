"""Bedrock's conversation rules, checked after the body matches the API's shapes.

Dialect-independent: Converse, ConverseStream and the native Invoke bodies all normalise to a
Prompt and are held to the same rules, with Bedrock's own words.
"""

from __future__ import annotations

from collections.abc import Collection

from . import cache_rules, media_rules, model_rules, reasoning, structured, tokens, tool_rules
from .errors import (
    MSG_ALTERNATE,
    MSG_INPUT_TOO_LONG,
    MSG_NO_SYSTEM,
    MSG_START_WITH_USER,
    BedrockError,
    msg_blank_text,
    msg_empty_content,
    msg_malformed,
)
from .prompt import MEDIA_KINDS, Prompt

# Converse fields that may not be repeated inside additionalModelRequestFields.
RESERVED_FIELDS = {"messages", "system", "inferenceConfig", "toolConfig", "modelId"}


def check_roles(messages: list[dict]) -> None:
    if not messages or messages[0].get("role") != "user":
        raise BedrockError.validation(MSG_START_WITH_USER)
    for previous, current in zip(messages, messages[1:]):
        if previous.get("role") == current.get("role"):
            raise BedrockError.validation(MSG_ALTERNATE)


def check_blank_text(messages: list[dict]) -> None:
    for i, message in enumerate(messages):
        if not message.get("content"):
            raise BedrockError.validation(msg_empty_content(i))
        for j, block in enumerate(message.get("content") or []):
            if "text" in block and not block["text"].strip():
                raise BedrockError.validation(msg_blank_text(i, j))


def check_max_tokens(prompt: Prompt) -> None:
    limit = prompt.model["maxOutputTokens"]
    if prompt.max_tokens is not None and prompt.max_tokens > limit:
        raise BedrockError.validation(
            f"The maximum tokens you requested exceeds the model limit of {limit}. "
            f"Try again with a maximum tokens value that is lower than {limit}."
        )


def check_context_window(prompt: Prompt) -> None:
    """Input beyond the model's context window; huge strings are refused before being tokenized."""
    limit = prompt.model.get("contextWindow")
    if not limit:
        return
    texts = prompt.system + [b["text"] for m in prompt.messages for b in m.get("content") or [] if "text" in b]
    # at_least never exceeds a text's length, so texts shorter than the window together need no bound
    if sum(map(len, texts)) > limit and sum(map(tokens.at_least, texts)) > limit:
        raise BedrockError.validation(MSG_INPUT_TOO_LONG)
    if prompt.input_tokens > limit:
        raise BedrockError.validation(MSG_INPUT_TOO_LONG)


def check_capabilities(prompt: Prompt) -> None:
    caps = prompt.model["capabilities"]
    if prompt.system and not caps["system"]:
        raise BedrockError.validation(MSG_NO_SYSTEM)
    if prompt.output_schema is not None:
        structured.check(prompt)


def check_additional_fields(fields: dict | None, allowed: Collection[str]) -> None:
    """Keys the model family's native body does not accept, worded as the model reports them."""
    for key in fields or {}:
        if key in RESERVED_FIELDS and key not in allowed:  # Nova takes its topK in inferenceConfig
            raise BedrockError.validation(f"The additional field {key} conflicts with an existing field.")
    extraneous = [key for key in fields or {} if key not in allowed]
    if extraneous:
        detail = "".join(f"#: extraneous key [{key}] is not permitted" for key in extraneous)
        raise BedrockError.validation("The model returned the following errors: " + msg_malformed(detail))


def check_prompt(prompt: Prompt) -> None:
    """Every conversation-level rule, in the order Bedrock applies them. Whether a feature's rules
    apply (tools, media, reasoning, cache points) is decided here, once, from what the Prompt holds: a
    request that does not use the feature does not enter its module, as inside a boto3 call every
    function a request enters costs about a microsecond of cold caches."""
    kinds = prompt.kinds
    check_roles(prompt.messages)
    check_blank_text(prompt.messages)
    check_capabilities(prompt)
    if prompt.tools or "toolUse" in kinds or "toolResult" in kinds:
        tool_rules.check(prompt)
    if not kinds.isdisjoint(MEDIA_KINDS):
        media_rules.check(prompt)
    check_max_tokens(prompt)
    check_context_window(prompt)
    model_rules.check(prompt)
    if prompt.thinking is not None or "reasoningContent" in kinds:
        reasoning.check(prompt)
    if prompt.checkpoints:
        cache_rules.check(prompt)

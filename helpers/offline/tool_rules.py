"""Bedrock's rules for tool use, with the messages Bedrock sends (sources beside each; read 2026-11-30).

Dialect-independent, like rules.py: they run on the normalised Prompt of Converse, ConverseStream and
the native Invoke bodies. Tool names' pattern and length are checked with every other shape
constraint by shapes.py ("Value 'bad name!' at 'toolConfig.tools.1.member.toolSpec.name' ...").
"""

from __future__ import annotations

from .errors import MSG_NO_STREAMING_TOOLS, BedrockError
from .prompt import Prompt

# dify#17545, pentagi#196, vercel/ai#7537 quote it from live Converse calls.
MSG_TOOL_CONFIG_REQUIRED = "The toolConfig field must be defined when using toolUse and toolResult content blocks."
# Unconfirmed wording: Bedrock refuses tools on models without tool use; no public report quotes it.
MSG_NO_TOOLS = "This model doesn't support tool use."
# Anthropic's Messages API words duplicate names so ("tools: Tool names must be unique.", forgecode#892,
# vscode#276110); Bedrock prefixes a model's own errors with "The model returned the following errors: "
# (recorded for additionalModelRequestFields). Unconfirmed for Converse as a whole.
MSG_DUPLICATE_TOOLS = "The model returned the following errors: tools: Tool names must be unique."
# Unconfirmed wording: Anthropic's API answers "tools.0.custom.input_schema.type: Input should be 'object'".
MSG_SCHEMA_NOT_OBJECT = (
    "The model returned the following errors: tools.{index}.custom.input_schema.type: Input should be 'object'"
)
# Unconfirmed wording: no public report quotes Bedrock's answer to a toolChoice naming an unknown tool.
MSG_UNKNOWN_CHOICE = (
    "The tool {name} in toolConfig.toolChoice.tool isn't in toolConfig.tools. "
    "Add a tool with that name to toolConfig.tools, or choose one of the defined tools, and try again."
)
# Default tool-choice kinds per model family, where the catalog does not say: Claude and Nova take all
# three (Nova user guide, "Choosing a tool"); Llama answers auto only (langchain-aws#620). Others refuse
# any and tool with the message strands-agents/harness-sdk#1241 quotes.
TOOL_CHOICES = {"claude": ("auto", "any", "tool"), "nova": ("auto", "any", "tool")}


def msg_choice_unsupported(kind: str) -> str:
    return (
        f"This model doesn't support the toolConfig.toolChoice.{kind} field. "
        f"Remove toolConfig.toolChoice.{kind} and try again."
    )


def msg_results_exceed(index: int) -> str:
    """pydantic-ai#2327 and many agent frameworks quote it from live Converse and ConverseStream calls."""
    return (
        f"The number of toolResult blocks at messages.{index}.content "
        "exceeds the number of toolUse blocks of previous turn."
    )


def msg_results_expected(index: int, ids: list[str]) -> str:
    """zeroclaw#1476 and others quote it; several ids are listed comma-separated (unconfirmed separator)."""
    return f"Expected toolResult blocks at messages.{index}.content for the following Ids: {', '.join(ids)}"


def blocks_of(message: dict, kind: str) -> list[dict]:
    return [block[kind] for block in message.get("content") or [] if kind in block]


def check_definitions(prompt: Prompt) -> None:
    specs = [entry["toolSpec"] for entry in prompt.tools if "toolSpec" in entry]
    capabilities = prompt.model["capabilities"]
    if specs and prompt.streaming and not capabilities.get("streamingTools"):
        raise BedrockError.validation(MSG_NO_STREAMING_TOOLS)
    if specs and not capabilities.get("tools"):
        raise BedrockError.validation(MSG_NO_TOOLS)
    names = [spec.get("name") for spec in specs]
    if len(set(names)) != len(names):
        raise BedrockError.validation(MSG_DUPLICATE_TOOLS)
    for index, spec in enumerate(specs):
        schema = (spec.get("inputSchema") or {}).get("json")
        if not isinstance(schema, dict) or schema.get("type", "object") != "object":
            raise BedrockError.validation(MSG_SCHEMA_NOT_OBJECT.format(index=index))


def check_choice(prompt: Prompt) -> None:
    choice = prompt.tool_choice or {}
    kind = next(iter(choice), "auto")
    if kind == "none":  # Claude's native tool_choice; Converse has no such member
        return
    allowed = prompt.model["capabilities"].get("toolChoice") or TOOL_CHOICES.get(prompt.model["family"], ("auto",))
    if kind not in allowed:
        raise BedrockError.validation(msg_choice_unsupported(kind))
    if kind == "tool":
        name = (choice["tool"] or {}).get("name")
        if name not in [entry["toolSpec"].get("name") for entry in prompt.tools if "toolSpec" in entry]:
            raise BedrockError.validation(MSG_UNKNOWN_CHOICE.format(name=name))


def check_pairs(prompt: Prompt) -> None:
    """Every toolUse is answered by a toolResult in the next user turn, and no result answers nothing."""
    if "toolUse" not in prompt.kinds and "toolResult" not in prompt.kinds:
        return
    if not prompt.tool_config:
        raise BedrockError.validation(MSG_TOOL_CONFIG_REQUIRED)
    for index, message in enumerate(prompt.messages):
        results = blocks_of(message, "toolResult")
        previous = prompt.messages[index - 1] if index else {}
        asked = [use.get("toolUseId") for use in blocks_of(previous, "toolUse")]
        if len(results) > len(asked):
            raise BedrockError.validation(msg_results_exceed(index))
        answered = {result.get("toolUseId") for result in results}
        missing = [tool_id for tool_id in asked if tool_id not in answered]
        if missing and message.get("role") == "user":
            raise BedrockError.validation(msg_results_expected(index, missing))


def check(prompt: Prompt) -> None:
    """Bedrock's tool rules, in the order it applies them."""
    check_pairs(prompt)
    if prompt.tools:
        check_definitions(prompt)
        check_choice(prompt)

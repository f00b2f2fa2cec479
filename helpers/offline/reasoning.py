"""Extended thinking as a kind of content block: its rules, and the `reasoningContent` block the
offline model writes before its answer.

Claude takes `thinking: {type: enabled, budget_tokens}` (additionalModelRequestFields in Converse, the
native body in InvokeModel); Nova 2 takes `reasoningConfig: {type, maxReasoningEffort}`. Only models
whose catalog entry has `capabilities.reasoning` think. The block is `{reasoningContent: {reasoningText:
{text, signature}}}`; the signature is an HMAC of the text, so a block sent back altered in a later turn
is refused, as Bedrock refuses it. Reasoning tokens are output tokens. Messages (read 2026-11-30):
- budget minimum: danny-avila/LibreChat#8346 (Claude 3.7 Sonnet on Bedrock)
- budget below max_tokens: zed-industries/zed#31289, vercel/ai#7927 (Claude 4 / 4.1 on Bedrock)
- temperature: Aider-AI/aider#3720, BerriAI/litellm#9524 (Claude 3.7 Sonnet on Bedrock)
- thinking on a model without it: langchain-ai/langchainjs#8338 (Claude 3.5 Sonnet v2 on Bedrock)
- thinking block first: pydantic/pydantic-ai#2453, langchain-ai/langchain-aws#844 (Converse)
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from . import replies, tokens
from .errors import BedrockError
from .prompt import Prompt

MODEL_ERRORS = "The model returned the following errors: "
MIN_BUDGET = 1024
NOVA_EFFORT_BUDGET = {"low": 1024, "medium": 4096, "high": 16384}  # the emulator's own figures
SIGNING_KEY = b"bedrock-offline-reasoning"

MSG_BUDGET_MIN = MODEL_ERRORS + "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"
MSG_BUDGET_ABOVE_MAX = (
    MODEL_ERRORS + "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation "
    "at https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size"
)
MSG_THINKING_TEMPERATURE = MODEL_ERRORS + "temperature may only be set to 1 when thinking is enabled."
MSG_THINKING_UNSUPPORTED = "thinking: Extra inputs are not permitted"
# Unconfirmed wording: Anthropic's API answers an altered block so; no Bedrock report quotes it.
MSG_BAD_SIGNATURE = MODEL_ERRORS + "messages.{index}.content.{block}: Invalid `signature` in `thinking` block"
MSG_THINKING_FIRST = (
    MODEL_ERRORS + "messages.{index}.content.0.type: Expected `thinking` or `redacted_thinking`, but found `{found}`. "
    "When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the "
    "lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous "
    "turns. To avoid this requirement, disable `thinking`. Please consult our documentation at "
    "https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking"
)
CLAUDE_TYPES = {"text": "text", "toolUse": "tool_use", "toolResult": "tool_result", "image": "image"}


def budget(prompt: Prompt) -> int | None:
    """Reasoning tokens the request allows, or None when it does not ask the model to think."""
    config = prompt.thinking
    if not isinstance(config, dict) or config.get("type") != "enabled":
        return None
    if "budget_tokens" in config:
        return config["budget_tokens"]
    return NOVA_EFFORT_BUDGET.get(config.get("maxReasoningEffort", "low"), MIN_BUDGET)


def sign(text: str) -> str:
    return base64.b64encode(hmac.new(SIGNING_KEY, text.encode("utf-8"), hashlib.sha256).digest()).decode("ascii")


def check_returned_blocks(prompt: Prompt) -> None:
    """Reasoning sent back must be what the model wrote; with thinking on, the last assistant turn
    that called tools must start with its reasoning."""
    for i, message in enumerate(prompt.messages if "reasoningContent" in prompt.kinds else ()):
        for j, block in enumerate(message.get("content") or []):
            text = (block.get("reasoningContent") or {}).get("reasoningText")
            if text and text.get("signature") is not None and text["signature"] != sign(text.get("text", "")):
                raise BedrockError.validation(MSG_BAD_SIGNATURE.format(index=i, block=j))
    if budget(prompt) is None:
        return
    assistants = [(i, m) for i, m in enumerate(prompt.messages) if m.get("role") == "assistant"]
    if not assistants:
        return
    index, last = assistants[-1]
    content = last.get("content") or []
    if any("toolUse" in b for b in content) and content and "reasoningContent" not in content[0]:
        found = CLAUDE_TYPES.get(next(iter(content[0])), next(iter(content[0])))
        raise BedrockError.validation(MSG_THINKING_FIRST.format(index=index, found=found))


def check(prompt: Prompt) -> None:
    wanted = budget(prompt)
    if prompt.thinking is not None and not prompt.model["capabilities"].get("reasoning"):
        raise BedrockError.validation(MSG_THINKING_UNSUPPORTED)
    if wanted is not None and "budget_tokens" in prompt.thinking:
        if wanted < MIN_BUDGET:
            raise BedrockError.validation(MSG_BUDGET_MIN)
        if prompt.temperature is not None and prompt.temperature != 1:
            raise BedrockError.validation(MSG_THINKING_TEMPERATURE)
        if (prompt.max_tokens or prompt.model["maxOutputTokens"]) <= wanted:
            raise BedrockError.validation(MSG_BUDGET_ABOVE_MAX)
    check_returned_blocks(prompt)


def trace(prompt: Prompt, answer: list[dict]) -> str:
    """The scripted reasoning for the notebooks' own prompts (data/replies.json), else an honest account
    of what the offline model does, step by step (it does not reason)."""
    scripted = replies.reasoning(prompt)
    if scripted:
        return scripted
    said = " ".join(prompt.last_user_text().split())
    said = said if len(said) <= 120 else said[:117] + "..."
    steps = [
        f"I am the workbook's offline stand-in for {prompt.model['modelName']}; I do not reason, "
        "so these are the steps I actually take.",
        f'1. Read the request: {len(prompt.messages)} message(s), the last one saying "{said}".',
        "2. Look for a scripted reply, a tool result to report or a tool the words match.",
    ]
    kinds = sorted({next(iter(block)) for block in answer})
    steps.append(f"3. Answer with {', '.join(kinds)} content, within the token limits.")
    return "\n".join(steps)


def block(prompt: Prompt, answer: list[dict]) -> dict | None:
    """The reasoningContent block that precedes the answer, cut to the budget; None without thinking."""
    allowed = budget(prompt)
    if allowed is None or not prompt.model["capabilities"].get("reasoning"):
        return None
    text = "".join(tokens.within(tokens.pieces(trace(prompt, answer)), allowed))
    return {"reasoningContent": {"reasoningText": {"text": text, "signature": sign(text)}}}

"""Per-model request rules of newer models, read from each model's `sampling` entry in data/catalog.json.

Newer Claude models refuse `temperature` together with `top_p`; Claude Opus 4.7 and later no longer
accept sampling parameters at all. Both reach the caller as the model's own words, wrapped by Bedrock
in "The model returned the following errors: ...". Sources (read 2026-11-30):
- temperature with top_p, Claude Sonnet 4.6 on Bedrock: https://github.com/skydiscover-ai/skydiscover/issues/15
  (also Sonnet 4.5: https://github.com/langfuse/langfuse/issues/9882)
- removed sampling parameters, Claude Opus 4.7 on Bedrock ConverseStream:
  https://github.com/Boise-State-Development/agentcore-public-stack/issues/201 (the `temperature` wording;
  the `top_p`/`top_k` wording follows it and is unconfirmed)
"""

from __future__ import annotations

from .errors import BedrockError
from .prompt import Prompt

MODEL_ERRORS = "The model returned the following errors: "
MSG_TEMPERATURE_WITH_TOP_P = (
    MODEL_ERRORS + "`temperature` and `top_p` cannot both be specified for this model. Please use only one."
)


def msg_deprecated(parameter: str) -> str:
    return f"{MODEL_ERRORS}{parameter} is deprecated for this model."


def check(prompt: Prompt) -> None:
    """Every per-model rule, after the conversation-level rules: today, the sampling parameters a
    model refuses (alone, or temperature together with top_p)."""
    rules = prompt.model.get("sampling") or {}
    given = {"temperature": prompt.temperature, "top_p": prompt.top_p, "top_k": prompt.top_k}
    for name in rules.get("removed") or []:
        if given.get(name) is not None:
            raise BedrockError.validation(msg_deprecated(name))
    if rules.get("temperatureWithTopP") is False and prompt.temperature is not None and prompt.top_p is not None:
        raise BedrockError.validation(MSG_TEMPERATURE_WITH_TOP_P)

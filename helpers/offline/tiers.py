"""Service tiers (`serviceTier.type`) and latency-optimized inference (`performanceConfig.latency`).

Both are Converse request members (botocore's service model) that Bedrock echoes in the response
when it honoured them (hermes-agent#34476 records live calls: default, flex and priority echoed;
`reserved` without a reservation refused; an unknown type refused; latency optimized and standard
echoed). Offline there is no reservation, so `reserved` is always refused. The tiers change the
simulated latency by the emulator's own factors: priority answers sooner, flex later.
"""

from __future__ import annotations

from .errors import BedrockError
from .prompt import Prompt

# hermes-agent#34476 and envoyproxy/ai-gateway#1749 quote both from live Converse calls.
MSG_RESERVATION_NOT_FOUND = "Reservation not found."
MSG_INVALID_TIER = "service tier provided is invalid"
TIERS = ("priority", "default", "flex")
FIRST_TOKEN_FACTOR = {"priority": 0.75, "flex": 2.0}  # the emulator's own figures, not Bedrock's
PER_TOKEN_FACTOR = {"priority": 0.8, "flex": 1.5}
OPTIMIZED_FACTOR = 0.6


def check(tier: str | None) -> None:
    if tier is None or tier in TIERS:
        return
    raise BedrockError.validation(MSG_RESERVATION_NOT_FOUND if tier == "reserved" else MSG_INVALID_TIER)


def first_token_ms(prompt: Prompt, ms: int) -> int:
    factor = FIRST_TOKEN_FACTOR.get(prompt.service_tier, 1.0)
    factor *= OPTIMIZED_FACTOR if prompt.latency == "optimized" else 1.0
    return max(1, round(ms * factor))


def per_token_ms(prompt: Prompt, ms: int) -> int:
    factor = PER_TOKEN_FACTOR.get(prompt.service_tier, 1.0)
    factor *= OPTIMIZED_FACTOR if prompt.latency == "optimized" else 1.0
    return max(1, round(ms * factor))


def echo(prompt: Prompt) -> dict:
    """The response members Bedrock adds for a request that named a tier or a latency."""
    out = {}
    if prompt.service_tier is not None:
        out["serviceTier"] = {"type": prompt.service_tier}
    if prompt.latency is not None:
        out["performanceConfig"] = {"latency": prompt.latency}
    return out

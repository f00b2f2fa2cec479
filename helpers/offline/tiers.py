"""Service tiers (`serviceTier.type`) and latency-optimized inference (`performanceConfig.latency`).

Both are Converse request members (botocore's service model) that Bedrock echoes in the response with
what it served (hermes-agent#34476 records live calls: default, flex and priority echoed; `reserved`
without a reservation refused; an unknown type refused; latency optimized and standard echoed).

Both follow the model, as on Bedrock. `default` is the Standard tier every model serves; priority and
flex only the models the user guide's "Service tiers" table lists (the catalog's `serviceTiers`); any
other model refuses them in Bedrock's words. Latency-optimized inference runs only through an inference
profile named from a Region the "Optimize model inference for latency" page lists (the catalog's
`latencyOptimized`); elsewhere the request is served at standard latency and the response says
"standard", as Bedrock reports a request it served at standard latency. Offline there is no
reservation, so `reserved` is always refused. The tiers change the simulated latency by the
emulator's own factors: priority answers sooner, flex later.
"""

from __future__ import annotations

from .errors import BedrockError
from .prompt import Prompt

# hermes-agent#34476 and envoyproxy/ai-gateway#1749 quote both from live Converse calls.
MSG_RESERVATION_NOT_FOUND = "Reservation not found."
MSG_INVALID_TIER = "service tier provided is invalid"
# Quoted from live Converse calls (data/error-sources.json).
MSG_TIER_UNSUPPORTED = "The provided service tier is not supported for this model"
TIERS = ("priority", "default", "flex")
FIRST_TOKEN_FACTOR = {"priority": 0.75, "flex": 2.0}  # the emulator's own figures, not Bedrock's
PER_TOKEN_FACTOR = {"priority": 0.8, "flex": 1.5}
OPTIMIZED_FACTOR = 0.6


def check(tier: str | None, model: dict) -> None:
    """Refuse a tier Bedrock refuses: unknown, `reserved` without a reservation, or one the model lacks."""
    if tier is None or tier == "default":
        return
    if tier not in TIERS:
        raise BedrockError.validation(MSG_RESERVATION_NOT_FOUND if tier == "reserved" else MSG_INVALID_TIER)
    if tier not in (model.get("serviceTiers") or ()):
        raise BedrockError.validation(MSG_TIER_UNSUPPORTED)


def served_latency(prompt: Prompt) -> str | None:
    """The latency Bedrock serves: `optimized` only through a profile from a Region that offers it."""
    if prompt.latency != "optimized":
        return prompt.latency
    through_profile = prompt.model_id != prompt.model["modelId"]
    offered = through_profile and prompt.region in (prompt.model.get("latencyOptimized") or ())
    return "optimized" if offered else "standard"


def timings(prompt: Prompt, first_ms: int, per_token_ms: int) -> tuple[int, int]:
    """(ms to the first token, ms per output token) as the tier and the latency served change them."""
    if prompt.service_tier is None and prompt.latency is None:  # most requests name neither
        return max(1, round(first_ms)), max(1, round(per_token_ms))
    optimized = OPTIMIZED_FACTOR if served_latency(prompt) == "optimized" else 1.0
    first = FIRST_TOKEN_FACTOR.get(prompt.service_tier, 1.0) * optimized
    per_token = PER_TOKEN_FACTOR.get(prompt.service_tier, 1.0) * optimized
    return max(1, round(first_ms * first)), max(1, round(per_token_ms * per_token))


def echo(prompt: Prompt) -> dict:
    """The response members Bedrock adds for a request that named a tier or a latency: what it served."""
    out = {}
    if prompt.service_tier is not None:
        out["serviceTier"] = {"type": prompt.service_tier}
    if prompt.latency is not None:
        out["performanceConfig"] = {"latency": served_latency(prompt)}
    return out

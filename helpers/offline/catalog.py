"""The offline model catalog (data/catalog.json): models, system inference profiles, id resolution.

Model ids reach Bedrock as base ids, geography inference-profile ids (`us.`, `eu.`, `apac.`, `jp.`,
`au.`, `global.`) or ARNs of either; resolving them here gives every operation one answer to "which
model is this, and may it be called this way today?". "Today" is the emulator's clock (lifecycle.py).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from ..paths import DATA
from .errors import MSG_INVALID_MODEL, BedrockError, msg_on_demand_unsupported
from .lifecycle import Clock


@dataclass(frozen=True)
class Resolved:
    model: dict
    profile_id: str | None  # set when the caller named an inference profile
    request_fields: tuple[str, ...] = ()  # additionalModelRequestFields the model family's body accepts

    @property
    def served_id(self) -> str:
        """The id a request is answered under: a named inference profile stays the id the caller used."""
        return self.profile_id or self.model["modelId"]


class Catalog:
    def __init__(self, data: dict):
        self.data = data
        self.account = data["placeholderAccountId"]
        self.default_region = data["defaultRegion"]
        self.as_of = data["asOf"]
        self.geographies: dict[str, dict] = data["geographies"]
        self.models = {m["modelId"]: m for m in data["models"]}
        self._resolved: dict[tuple, Resolved] = {}  # every call resolves its model id: remember the answers

    @classmethod
    @functools.cache
    def load(cls, path: str = str(DATA / "catalog.json")) -> Catalog:
        with open(path, encoding="utf-8") as handle:
            return cls(json.load(handle))

    def clock(self, clock: Clock | None = None) -> Clock:
        return clock or Clock.from_env(self.as_of, {})

    # ---- ARNs and profiles -------------------------------------------------------------------
    @staticmethod
    def model_arn(model_id: str, region: str) -> str:
        return f"arn:aws:bedrock:{region}::foundation-model/{model_id}"

    def profile_arn(self, profile_id: str, region: str) -> str:
        return f"arn:aws:bedrock:{region}:{self.account}:inference-profile/{profile_id}"

    def profile_regions(self, model: dict, prefix: str) -> list[str]:
        """Regions a caller may name `prefix.<model>` from (empty: no such profile)."""
        if prefix not in (model.get("profiles") or []):
            return []
        return self.geographies[prefix]["regions"]

    def profiles(self, region: str, clock: Clock | None = None) -> list[dict]:
        """System-defined profiles callable from `region`, in Bedrock's InferenceProfileSummary shape."""
        clock = self.clock(clock)
        found = []
        for model in self.models.values():
            if not clock.listed(model):
                continue
            for prefix in model.get("profiles") or []:
                regions = self.profile_regions(model, prefix)
                if region in regions:
                    found.append(self._profile_summary(model, prefix, regions, region))
        return found

    def _profile_summary(self, model: dict, prefix: str, regions: list[str], region: str) -> dict:
        profile_id = f"{prefix}.{model['modelId']}"
        since = f"{(model.get('lifecycle') or {}).get('launch') or '2024-08-27'}T00:00:00Z"
        return {
            "inferenceProfileName": " ".join(
                (self.geographies[prefix]["name"], model["providerName"], model["modelName"])
            ),
            "description": f"Routes requests to {model['modelName']} in {', '.join(regions)}.",
            "createdAt": since,
            "updatedAt": since,
            "inferenceProfileArn": self.profile_arn(profile_id, region),
            "models": [{"modelArn": self.model_arn(model["modelId"], r)} for r in regions],
            "inferenceProfileId": profile_id,
            "status": "ACTIVE",
            "type": "SYSTEM_DEFINED",
        }

    # ---- resolution ------------------------------------------------------------------------------
    def in_region(self, model: dict, region: str) -> bool:
        return region in model["regions"] or any(region in self.profile_regions(model, p) for p in model["profiles"])

    def find(self, identifier: str, region: str, clock: Clock | None = None) -> Resolved:
        """Map a base id, profile id or ARN to its model in this region, or raise 'invalid'."""
        name = identifier
        if name.startswith("arn:"):
            parts = name.split(":", 5)
            if len(parts) < 6 or "/" not in parts[5]:
                raise BedrockError.validation(MSG_INVALID_MODEL)
            kind, _, name = parts[5].partition("/")
            if kind not in ("foundation-model", "inference-profile"):
                raise BedrockError.validation(MSG_INVALID_MODEL)
        profile = None
        prefix, _, rest = name.partition(".")
        if prefix in self.geographies and rest in self.models:
            profile, name = name, rest
        model = self.models.get(name)
        if model is None:
            raise BedrockError.validation(MSG_INVALID_MODEL)
        if profile:
            if region not in self.profile_regions(model, prefix):
                raise BedrockError.validation(MSG_INVALID_MODEL)
        elif not self.in_region(model, region):
            raise BedrockError.validation(MSG_INVALID_MODEL)
        self.clock(clock).check_exists(model)
        return Resolved(model, profile, tuple(self.family_fields(model)))

    def resolve(self, identifier: str, region: str, clock: Clock | None = None) -> Resolved:
        """Like `find`, for inference: the model must be callable today, and a base id must also
        allow on-demand throughput here."""
        clock = self.clock(clock)
        key = (identifier, region, clock.day, clock.active_user_of)
        if key in self._resolved:
            return self._resolved[key]
        resolved = self.find(identifier, region, clock)
        model = resolved.model
        clock.check_invocable(model)
        if resolved.profile_id is None:
            if region not in model["regions"]:
                raise BedrockError.validation(MSG_INVALID_MODEL)
            if "ON_DEMAND" not in model["inferenceTypesSupported"]:
                raise BedrockError.validation(msg_on_demand_unsupported(identifier))
        if len(self._resolved) < 4096:  # bounded: ids come from callers
            self._resolved[key] = resolved
        return resolved

    # ---- control-plane views ---------------------------------------------------------------------
    def summary(self, model: dict, region: str, clock: Clock | None = None) -> dict:
        """FoundationModelSummary as ListFoundationModels returns it (no offline-only fields)."""
        return {
            "modelArn": self.model_arn(model["modelId"], region),
            "modelId": model["modelId"],
            "modelName": model["modelName"],
            "providerName": model["providerName"],
            "inputModalities": model["inputModalities"],
            "outputModalities": model["outputModalities"],
            "responseStreamingSupported": model["responseStreamingSupported"],
            "customizationsSupported": model["customizationsSupported"],
            "inferenceTypesSupported": model["inferenceTypesSupported"],
            "modelLifecycle": {"status": self.clock(clock).status(model)},
        }

    def family_fields(self, model: dict) -> list[str]:
        """additionalModelRequestFields keys the model takes: its family's, less reasoning fields
        (`thinking`) on models without reasoning."""
        fields = self.data["familyRequestFields"].get(model["family"], [])
        if model["family"] == "claude" and "thinking" not in (model.get("reasoningFields") or []):
            fields = [f for f in fields if f != "thinking"]
        elif model["family"] != "claude":  # Nova 2's reasoningConfig
            fields = fields + [f for f in model.get("reasoningFields") or [] if f not in fields]
        return fields

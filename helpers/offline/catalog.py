"""The offline model catalog (data/catalog.json): models, system inference profiles, id resolution.

Model ids reach Bedrock as base ids, `us.` inference-profile ids or ARNs of either; resolving them
here gives every operation one answer to "which model is this, and may it be called this way?".
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from ..paths import DATA
from .errors import MSG_INVALID_MODEL, BedrockError, msg_on_demand_unsupported

PROFILE_PREFIX = "us"
PROFILE_REGIONS = {"us": "US"}


@dataclass(frozen=True)
class Resolved:
    model: dict
    profile_id: str | None  # set when the caller named an inference profile
    request_fields: tuple[str, ...] = ()  # additionalModelRequestFields the model family's body accepts


class Catalog:
    def __init__(self, data: dict):
        self.data = data
        self.account = data["placeholderAccountId"]
        self.default_region = data["defaultRegion"]
        self.models = {m["modelId"]: m for m in data["models"]}

    @classmethod
    @functools.cache
    def load(cls, path: str = str(DATA / "catalog.json")) -> Catalog:
        with open(path, encoding="utf-8") as handle:
            return cls(json.load(handle))

    # ---- ARNs and profiles -------------------------------------------------------------------
    @staticmethod
    def model_arn(model_id: str, region: str) -> str:
        return f"arn:aws:bedrock:{region}::foundation-model/{model_id}"

    def profile_arn(self, profile_id: str, region: str) -> str:
        return f"arn:aws:bedrock:{region}:{self.account}:inference-profile/{profile_id}"

    def profiles(self, region: str) -> list[dict]:
        """System-defined `us.` profiles, in Bedrock's InferenceProfileSummary shape."""
        found = []
        for model in self.models.values():
            regions = model.get("profileRegions") or []
            if region not in regions:
                continue
            profile_id = f"{PROFILE_PREFIX}.{model['modelId']}"
            found.append(
                {
                    "inferenceProfileName": " ".join(
                        (PROFILE_REGIONS[PROFILE_PREFIX], model["providerName"], model["modelName"])
                    ),
                    "description": f"Routes requests to {model['modelName']} in {', '.join(regions)}.",
                    "createdAt": "2024-08-27T00:00:00Z",
                    "updatedAt": "2024-08-27T00:00:00Z",
                    "inferenceProfileArn": self.profile_arn(profile_id, region),
                    "models": [{"modelArn": self.model_arn(model["modelId"], r)} for r in regions],
                    "inferenceProfileId": profile_id,
                    "status": "ACTIVE",
                    "type": "SYSTEM_DEFINED",
                }
            )
        return found

    # ---- resolution ------------------------------------------------------------------------------
    def in_region(self, model: dict, region: str) -> bool:
        return region in model["regions"] or region in (model.get("profileRegions") or [])

    def find(self, identifier: str, region: str) -> Resolved:
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
        if prefix == PROFILE_PREFIX and rest in self.models:
            profile, name = name, rest
        model = self.models.get(name)
        if model is None:
            raise BedrockError.validation(MSG_INVALID_MODEL)
        if profile:
            if region not in (model.get("profileRegions") or []):
                raise BedrockError.validation(MSG_INVALID_MODEL)
        elif not self.in_region(model, region):
            raise BedrockError.validation(MSG_INVALID_MODEL)
        return Resolved(model, profile, tuple(self.family_fields(model)))

    def resolve(self, identifier: str, region: str) -> Resolved:
        """Like `find`, for inference: a base id must also allow on-demand throughput here."""
        resolved = self.find(identifier, region)
        model = resolved.model
        if resolved.profile_id is None:
            if region not in model["regions"]:
                raise BedrockError.validation(MSG_INVALID_MODEL)
            if "ON_DEMAND" not in model["inferenceTypesSupported"]:
                raise BedrockError.validation(msg_on_demand_unsupported(identifier))
        return resolved

    # ---- control-plane views ---------------------------------------------------------------------
    def summary(self, model: dict, region: str) -> dict:
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
            "modelLifecycle": model["modelLifecycle"],
        }

    def family_fields(self, model: dict) -> list[str]:
        return self.data["familyRequestFields"].get(model["family"], [])

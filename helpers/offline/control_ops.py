"""The bedrock control plane: ListFoundationModels, GetFoundationModel, inference profiles."""

from __future__ import annotations

from . import listing, shapes
from .errors import MSG_INVALID_MODEL, BedrockError
from .wire import ROUTER, json_response

QUERY_FILTERS = ("byProvider", "byCustomizationType", "byOutputModality", "byInferenceType")


def _matches(model: dict, filters: dict) -> bool:
    if "byProvider" in filters and model["providerName"].casefold() != filters["byProvider"].casefold():
        return False
    if "byOutputModality" in filters and filters["byOutputModality"] not in model["outputModalities"]:
        return False
    if "byInferenceType" in filters and filters["byInferenceType"] not in model["inferenceTypesSupported"]:
        return False
    if "byCustomizationType" in filters and filters["byCustomizationType"] not in model["customizationsSupported"]:
        return False
    return True


@ROUTER.add("ListFoundationModels", "bedrock", "GET", r"/foundation-models")
def list_foundation_models(call):
    filters = listing.query(call.request, QUERY_FILTERS)
    shapes.validate(filters, "bedrock", "ListFoundationModels")
    call.authorize("bedrock:ListFoundationModels", [])  # no resource: the policy needs "*"
    catalog, clock = call.catalog, call.emulator.clock
    summaries = [
        catalog.summary(model, call.region, clock)
        for model in catalog.models.values()
        if clock.listed(model) and catalog.in_region(model, call.region) and _matches(model, filters)
    ]
    return json_response({"modelSummaries": summaries}, call.request)


@ROUTER.add("GetFoundationModel", "bedrock", "GET", r"/foundation-models/(?P<modelIdentifier>[^/]+)")
def get_foundation_model(call):
    clock = call.emulator.clock
    resolved = call.catalog.find(call.params["modelIdentifier"], call.region, clock)
    if resolved.profile_id or not clock.listed(resolved.model):  # past EOL: only the docs page knows it
        raise BedrockError.validation(MSG_INVALID_MODEL)
    call.authorize_model("bedrock:GetFoundationModel", resolved)
    details = call.catalog.summary(resolved.model, call.region, clock)
    return json_response({"modelDetails": details}, call.request)


def _page(items: list, call) -> tuple[list, str | None]:
    found = listing.query(call.request, ("maxResults", "nextToken"))
    shapes.validate({k: v for k, v in found.items() if k == "maxResults"}, "bedrock", "ListInferenceProfiles")
    return listing.page(items, found, 1000)


@ROUTER.add("ListInferenceProfiles", "bedrock", "GET", r"/inference-profiles")
def list_inference_profiles(call):
    kind = call.request.query_value("type")
    shapes.validate({"typeEquals": kind} if kind else {}, "bedrock", "ListInferenceProfiles")
    call.authorize("bedrock:ListInferenceProfiles", [])
    profiles = [p for p in call.catalog.profiles(call.region, call.emulator.clock) if kind in (None, p["type"])]
    page, token = _page(profiles, call)
    payload = {"inferenceProfileSummaries": page}
    if token:
        payload["nextToken"] = token
    return json_response(payload, call.request)


@ROUTER.add("GetInferenceProfile", "bedrock", "GET", r"/inference-profiles/(?P<inferenceProfileIdentifier>[^/]+)")
def get_inference_profile(call):
    wanted = call.params["inferenceProfileIdentifier"]
    for profile in call.catalog.profiles(call.region, call.emulator.clock):
        if wanted in (profile["inferenceProfileId"], profile["inferenceProfileArn"]):
            call.authorize("bedrock:GetInferenceProfile", [profile["inferenceProfileArn"]])
            return json_response(profile, call.request)
    raise BedrockError("ResourceNotFoundException", "Inference profile not found.")

"""The model catalog as pandas DataFrames and plain ids: what exists in a region, what each model
accepts, and which id to call it with.

Modalities, streaming, lifecycle and inference types come from ListFoundationModels (live or
offline). Converse features the API does not report (documents, system prompts, tools) come from a
documented feature table, the `capabilities` of data/catalog.json, which follows AWS's "supported
models and model features" page; a model missing from the table shows <NA> rather than a guess.
pandas is imported inside the functions so `import helpers` stays fast.
"""

from __future__ import annotations

import functools
import json

from . import clients
from .paths import DATA

FEATURE_TABLE = DATA / "catalog.json"
TABLE_FEATURES = ("documents", "system", "tools")
FEATURES = ("images", "documents", "video", "streaming", "on_demand", "system", "tools")
COLUMNS = [
    "provider",
    "id",
    "name",
    "input",
    "output",
    "streaming",
    "lifecycle",
    "on_demand",
    "images",
    "documents",
    "video",
    "system",
    "tools",
]
PROFILE_PREFIX = {"us": "us", "eu": "eu", "ap": "apac"}  # geography of a region -> profile prefix


@functools.lru_cache(maxsize=1)
def feature_table() -> dict[str, dict]:
    """model id -> documented Converse features (documents, system, tools, ...)."""
    with open(FEATURE_TABLE, encoding="utf-8") as handle:
        return {m["modelId"]: m["capabilities"] for m in json.load(handle)["models"]}


def list_models(client=None, **filters) -> list[dict]:
    """The raw `modelSummaries` of ListFoundationModels (filters: byProvider, byOutputModality,
    byInferenceType, byCustomizationType)."""
    client = client or clients.control_client()
    return client.list_foundation_models(**filters)["modelSummaries"]


def _row(summary: dict) -> dict:
    inputs = summary.get("inputModalities", [])
    features = feature_table().get(summary["modelId"], {})
    row = {
        "provider": summary["providerName"],
        "id": summary["modelId"],
        "name": summary["modelName"],
        "input": ", ".join(inputs),
        "output": ", ".join(summary.get("outputModalities", [])),
        "streaming": bool(summary.get("responseStreamingSupported", False)),
        "lifecycle": summary.get("modelLifecycle", {}).get("status", ""),
        "on_demand": "ON_DEMAND" in summary.get("inferenceTypesSupported", []),
        "images": "IMAGE" in inputs,
        "video": "VIDEO" in inputs,
    }
    for name in TABLE_FEATURES:
        row[name] = features.get(name)
    return row


def models_frame(client=None, **filters):
    """One row per model: provider, id, name, modalities, streaming, lifecycle, features."""
    import pandas as pd

    frame = pd.DataFrame([_row(s) for s in list_models(client, **filters)], columns=COLUMNS)
    for name in TABLE_FEATURES:
        frame[name] = frame[name].astype("boolean")
    return frame.sort_values(["provider", "id"], ignore_index=True)


def where(
    frame, *, provider: str | None = None, active: bool | None = None, text_output: bool | None = None, **features: bool
):
    """Rows matching every condition, e.g. `where(frame, images=True, streaming=True, active=True)`.

    Feature names are the frame's boolean columns (images, documents, video, streaming, on_demand,
    system, tools); unknown table values (<NA>) never match."""
    unknown = sorted(set(features) - set(FEATURES))
    if unknown:
        raise ValueError(f"Unknown feature(s) {unknown}; choose from {', '.join(FEATURES)}.")
    mask = frame["id"].notna()
    if provider is not None:
        mask &= frame["provider"].str.casefold() == provider.casefold()
    if active is not None:
        mask &= (frame["lifecycle"] == "ACTIVE") == active
    if text_output is not None:
        mask &= frame["output"].str.contains("TEXT") == text_output
    for name, wanted in features.items():
        mask &= frame[name].fillna(not wanted).astype(bool) == wanted
    return frame[mask].reset_index(drop=True)


def ids(frame) -> list[str]:
    """The `id` column as a plain list."""
    return frame["id"].tolist()


def inference_profiles(client=None):
    """System-defined inference profiles: id, name, the model id and the regions it routes to."""
    import pandas as pd

    client = client or clients.control_client()
    rows = []
    for page in client.get_paginator("list_inference_profiles").paginate():
        for profile in page["inferenceProfileSummaries"]:
            arns = [m["modelArn"] for m in profile.get("models", [])]
            rows.append(
                {
                    "id": profile["inferenceProfileId"],
                    "name": profile["inferenceProfileName"],
                    "model": arns[0].rsplit("/", 1)[-1] if arns else "",
                    "regions": ", ".join(sorted({arn.split(":")[3] for arn in arns})),
                    "status": profile.get("status", ""),
                }
            )
    return pd.DataFrame(rows, columns=["id", "name", "model", "regions", "status"]).sort_values("id", ignore_index=True)


def profile_id(model_id: str, region: str) -> str:
    """The system inference profile id for a model called from `region`: 'us.' + id in US regions."""
    geography = region.split("-", 1)[0]
    if geography not in PROFILE_PREFIX:
        raise ValueError(f"No cross-region inference profile geography is known for region {region!r}.")
    return f"{PROFILE_PREFIX[geography]}.{model_id}"


def invocable_id(row, region: str) -> str:
    """The id to put in `modelId`: the base id if it allows on-demand calls, otherwise its profile."""
    return row["id"] if row["on_demand"] else profile_id(row["id"], region)


def choose_model(client=None, provider: str | None = None, **features: bool) -> str:
    """The first ACTIVE text model (by provider, then id) with every feature asked for, as an id you
    can call right away, e.g. `choose_model(video=True)` -> 'amazon.nova-lite-v1:0'."""
    client = client or clients.control_client()
    frame = where(models_frame(client, byOutputModality="TEXT"), provider=provider, active=True, **features)
    if frame.empty:
        wanted = ", ".join(name for name, value in features.items() if value) or "text output"
        raise LookupError(f"No ACTIVE model in {client.meta.region_name} offers: {wanted}.")
    return invocable_id(frame.iloc[0], client.meta.region_name)


def availability(model_ids: list[str], regions: list[str], session=None):
    """Which of `model_ids` each region offers (a True/False table; one ListFoundationModels call
    per region)."""
    import pandas as pd

    offered = {}
    for region in regions:
        client = clients.control_client(region=region, boto_session=session)
        offered[region] = {s["modelId"] for s in list_models(client)}
    return pd.DataFrame(
        {region: [m in offered[region] for m in model_ids] for region in regions}, index=pd.Index(model_ids, name="id")
    )

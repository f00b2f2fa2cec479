"""The model catalog as pandas DataFrames and plain ids: what exists in a region, what each model
accepts, which id to call it with, and where each model stands in its lifecycle.

Modalities, streaming, lifecycle and inference types come from ListFoundationModels (live or
offline). Converse features the API does not report (documents, system prompts, tools, reasoning,
structured output, citations) come from a documented feature table, the `capabilities` of
data/catalog.json, which follows AWS's "supported models and model features" page. A value no source
confirmed is unknown (<NA>, shown as "unknown" by `readable`), never a guess, and `where` says which
models it left out because of one. The geography prefixes of inference profiles (`us.`, `eu.`, `apac.`,
`jp.`, `au.`, `global.`) and the regions each routes from are the catalog's `geographies`.
pandas is imported inside the functions so `import helpers` stays fast.
"""

from __future__ import annotations

import functools
import json

from . import clients
from .paths import DATA

CATALOG = DATA / "catalog.json"
FEATURE_TABLE = CATALOG
# frame column -> key in a catalog model's `capabilities`; missing or null there means unknown
TABLE_FEATURES = {
    "documents": "documents",
    "system": "system",
    "tools": "tools",
    "reasoning": "reasoning",
    "structured_output": "structuredOutput",
    "citations": "citations",
}
FEATURES = ("images", "video", "streaming", "on_demand", *TABLE_FEATURES)
COLUMNS = ["provider", "id", "name", "input", "output", "streaming", "lifecycle", "on_demand", "images", "video"]
COLUMNS += list(TABLE_FEATURES)
UNKNOWN = "unknown"


@functools.lru_cache(maxsize=1)
def catalog() -> dict:
    """data/catalog.json as read: `models`, `geographies`, `asOf`, `sources`."""
    with open(CATALOG, encoding="utf-8") as handle:
        return json.load(handle)


def feature_table() -> dict[str, dict]:
    """model id -> documented Converse features (documents, system, tools, ...)."""
    return {m["modelId"]: m["capabilities"] for m in catalog()["models"]}


def geographies() -> dict[str, list[str]]:
    """Inference-profile prefix (us, eu, apac, jp, au, global) -> the regions a caller may use it from."""
    return {prefix: geography["regions"] for prefix, geography in catalog()["geographies"].items()}


def base_model_id(model_id: str) -> str:
    """The model an id calls: 'global.anthropic.claude-sonnet-4-6' -> 'anthropic.claude-sonnet-4-6'.
    Accepts base ids, inference-profile ids and the ARNs of either."""
    if not isinstance(model_id, str) or not model_id:
        raise ValueError(f"A model id must be a non-empty string, not {model_id!r}.")
    if model_id.startswith("arn:"):
        model_id = model_id.rsplit("/", 1)[-1]
    prefix, _, rest = model_id.partition(".")
    return rest if prefix in catalog()["geographies"] and "." in rest else model_id


def profile_regions(model_id: str, prefix: str) -> list[str]:
    """Regions from which `prefix.<model>` can be called (empty: the catalog lists no such profile).
    A model the catalog does not hold is assumed to have every profile."""
    model = catalog_model(base_model_id(model_id))
    if model is not None and prefix not in (model.get("profiles") or []):
        return []
    return geographies().get(prefix, [])


def catalog_model(model_id: str) -> dict | None:
    """The catalog's entry for a base model id, or None."""
    return _models_by_id().get(model_id)


@functools.lru_cache(maxsize=1)
def _models_by_id() -> dict[str, dict]:
    return {m["modelId"]: m for m in catalog()["models"]}


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
    for name, key in TABLE_FEATURES.items():
        row[name] = features.get(key)  # None (unknown) when the table lacks the model or the value
    return row


def models_frame(client=None, **filters):
    """One row per model: provider, id, name, modalities, streaming, lifecycle, features (<NA>: unknown)."""
    import pandas as pd

    frame = pd.DataFrame([_row(s) for s in list_models(client, **filters)], columns=COLUMNS)
    for name in TABLE_FEATURES:
        frame[name] = frame[name].astype("boolean")
    return frame.sort_values(["provider", "id"], ignore_index=True)


def where(
    frame,
    *,
    provider: str | None = None,
    active: bool | None = None,
    text_output: bool | None = None,
    quiet: bool = False,
    **features: bool,
):
    """Rows matching every condition, e.g. `where(frame, images=True, streaming=True, active=True)`.

    Feature names are the frame's boolean columns (see FEATURES). A model whose value for a feature
    asked for is unknown (<NA>) is not kept, and not dropped silently either: unless `quiet`, a line
    names the models left out as unknown; the result's `attrs["unknown"]` lists them."""
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
    maybe = mask.copy()  # would match if every unknown value turned out as wanted
    for name, wanted in features.items():
        column = frame[name]
        maybe &= column.isna() | (column.fillna(wanted).astype(bool) == wanted)
        mask &= column.notna() & (column.fillna(not wanted).astype(bool) == wanted)
    left_out = frame.loc[maybe & ~mask, "id"].tolist()
    result = frame[mask].reset_index(drop=True)
    result.attrs["unknown"] = left_out
    if left_out and not quiet:
        print(_unknown_note(frame, left_out, features))
    return result


def _unknown_note(frame, left_out: list[str], features: dict) -> str:
    asked = [name for name in features if frame.loc[frame["id"].isin(left_out), name].isna().any()]
    shown = ", ".join(left_out[:4]) + (f" and {len(left_out) - 4} more" if len(left_out) > 4 else "")
    return (
        f"Left out {len(left_out)} model(s) whose {' or '.join(asked)} support is unknown (no source confirms it; "
        f"check the model card): {shown}. All of them: result.attrs['unknown']."
    )


def readable(frame):
    """The frame for reading: unknown feature values (<NA>) written as 'unknown'."""
    shown = frame.astype(object)
    return shown.where(frame.notna(), UNKNOWN)


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


def profile_id(model_id: str, region: str, geography: str | None = None) -> str:
    """The system inference profile id for calling `model_id` from `region`: prefix + base id.

    By default the region's own geography (us., eu., apac., jp., au.: requests stay in it), else
    global.; `geography="global"` (or any prefix) asks for that one. Only profiles the catalog lists
    for the model, routing from `region`, are offered; otherwise the error names the fix."""
    base = base_model_id(model_id)
    routes = geographies()
    if geography is not None and geography not in routes:
        raise ValueError(f"Unknown geography {geography!r}; inference-profile prefixes are {', '.join(routes)}.")
    order = [geography] if geography else sorted(routes, key=lambda prefix: prefix == "global")
    for prefix in order:
        if region in profile_regions(base, prefix):
            return f"{prefix}.{base}"
    raise ValueError(_no_profile_message(base, region, order))


def _no_profile_message(base: str, region: str, tried: list[str]) -> str:
    routes = geographies()
    if not any(region in routes[p] for p in tried):
        covered = sorted({r for p in tried for r in routes[p]})
        return (
            f"No {' or '.join(p + '.' for p in tried)} inference profile routes from {region} (the catalog's "
            f"geographies route from {', '.join(covered)}). Fix: create the client in one of those regions, e.g. "
            f"helpers.clients.runtime_client(region={covered[0]!r}), or call a model {region} offers on demand "
            "by its base id (helpers.models.where(frame, on_demand=True))."
        )
    offered = {p: profile_regions(base, p) for p in tried if profile_regions(base, p)}
    if not offered:
        return (
            f"{base} has no {' or '.join(p + '.' for p in tried)} inference profile in the catalog. Fix: call it by "
            "its base id where a region offers it on demand, or choose a model listed by "
            "helpers.models.inference_profiles()."
        )
    where = "; ".join(f"{p}. from {', '.join(regions)}" for p, regions in offered.items())
    first = next(iter(offered.values()))[0]
    return (
        f"No inference profile of {base} can be called from {region}; its profiles route from: {where}. "
        f"Fix: create the client in one of those regions, e.g. helpers.clients.runtime_client(region={first!r}), "
        "or choose a model your region offers (helpers.models.models_frame())."
    )


def invocable_id(row, region: str, prefer_global: bool = False) -> str:
    """The id to put in `modelId`: the base id if it allows on-demand calls, otherwise its profile.
    With `prefer_global`, the global. profile wherever the catalog has one routing from `region`."""
    if prefer_global and region in profile_regions(row["id"], "global"):
        return f"global.{row['id']}"
    return row["id"] if row["on_demand"] else profile_id(row["id"], region)


def choose_model(client=None, provider: str | None = None, **features: bool) -> str:
    """The first ACTIVE text model (by provider, then id) with every feature asked for, as an id you
    can call right away: its global. profile where the catalog has one (global. routes to any
    commercial region, the widest capacity), else the base id or the region's geography profile.
    `choose_model(video=True)` -> 'global.amazon.nova-2-lite-v1:0'."""
    client = client or clients.control_client()
    region = client.meta.region_name
    frame = where(models_frame(client, byOutputModality="TEXT"), provider=provider, active=True, quiet=True, **features)
    if frame.empty:
        wanted = ", ".join(name for name, value in features.items() if value) or "text output"
        unknown = frame.attrs["unknown"]
        maybe = f" ({len(unknown)} more might, but their support is unknown: {', '.join(unknown)})" if unknown else ""
        raise LookupError(f"No ACTIVE model in {region} offers: {wanted}{maybe}.")
    return invocable_id(frame.iloc[0], region, prefer_global=True)


def lifecycle_table(day: str | None = None):
    """Every model of the catalog with its lifecycle dates and its state on `day` (default: the
    catalog's own "as of" day): ACTIVE, LEGACY, EOL (end of life: every call fails) or UNLAUNCHED.
    ListFoundationModels shows only ACTIVE and LEGACY models; the dates come from AWS's model
    lifecycle pages as the catalog recorded them ("by <day>": reported by that day, exact date unknown)."""
    import datetime as dt

    import pandas as pd

    from .offline.lifecycle import status  # the emulator's clock: one home for lifecycle rules

    data = catalog()
    on = dt.date.fromisoformat(day or data["asOf"])
    rows = []
    for model in data["models"]:
        life = model.get("lifecycle") or {}
        rows.append(
            {
                "id": model["modelId"],
                "name": model["modelName"],
                "state": status(model, on),
                "launch": life.get("launch") or UNKNOWN,
                "legacy": _dated(life, "legacy"),
                "eol": _dated(life, "eol"),
            }
        )
    frame = pd.DataFrame(rows, columns=["id", "name", "state", "launch", "legacy", "eol"])
    frame.attrs["day"] = on.isoformat()
    order = {"ACTIVE": 0, "LEGACY": 1, "EOL": 2}
    return frame.sort_values(
        ["state", "id"], key=lambda c: c.map(order).fillna(3) if c.name == "state" else c
    ).reset_index(drop=True)


def _dated(life: dict, stage: str) -> str:
    if life.get(stage):
        return life[stage]
    reported = life.get(f"{stage}ReportedBy")
    return f"by {reported}" if reported else ""


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

"""Guardrails for learners: policy configs as plain dicts, a guardrail created once, and a readable
account of why a guardrail intervened.

Everything here builds or reads the exact dicts of the Bedrock API (CreateGuardrail's `...Config`
members, Converse's `trace.guardrail`, ApplyGuardrail's `assessments`), so any result can be printed
and pasted into a raw boto3 call. Mistakes are caught before anything is sent, with the fix in the
message. Values allowed come from botocore's own service model, so they follow the SDK.
"""

from __future__ import annotations

import functools
import time

from botocore.loaders import create_loader

STRENGTHS = ("NONE", "LOW", "MEDIUM", "HIGH")
POLICY_LABELS = {
    "topicPolicy": "denied topic",
    "contentPolicy": "content filter",
    "wordPolicy": "word",
    "sensitiveInformationPolicy": "sensitive information",
    "contextualGroundingPolicy": "contextual grounding",
}


@functools.cache
def _enum(shape: str) -> tuple[str, ...]:
    model = create_loader().load_service_model("bedrock", "service-2")
    return tuple(model["shapes"][shape]["enum"])


def pii_types() -> tuple[str, ...]:
    """Every PII entity type Bedrock accepts (GuardrailPiiEntityType)."""
    return _enum("GuardrailPiiEntityType")


def denied_topic(name: str, definition: str, examples: list[str] | None = None) -> dict:
    if len(definition) > 200:
        raise ValueError(
            f"A topic definition holds at most 200 characters; this one has {len(definition)}. Shorten it."
        )
    topic = {"name": name, "definition": definition, "type": "DENY"}
    if examples:
        topic["examples"] = list(examples)
    return topic


def topic_policy(*topics: dict) -> dict:
    return {"topicsConfig": list(topics)}


def word_policy(words: list[str] = (), profanity: bool = False) -> dict:
    policy: dict = {}
    if words:
        policy["wordsConfig"] = [{"text": word} for word in words]
    if profanity:
        policy["managedWordListsConfig"] = [{"type": "PROFANITY"}]
    if not policy:
        raise ValueError("Give at least one word or phrase, or profanity=True.")
    return policy


def regex(name: str, pattern: str, action: str = "BLOCK", description: str | None = None) -> dict:
    entry = {"name": name, "pattern": pattern, "action": action}
    if description:
        entry["description"] = description
    return entry


def pii_policy(block=(), anonymize=(), detect=(), regexes=()) -> dict:
    """PII types to BLOCK, to ANONYMIZE (masked as {TYPE}) or only to detect (action NONE)."""
    entities = []
    for action, types in (("BLOCK", block), ("ANONYMIZE", anonymize), ("NONE", detect)):
        for kind in types:
            if kind not in pii_types():
                raise ValueError(
                    f"{kind!r} is not a Bedrock PII type; choose from {', '.join(pii_types())} "
                    "(actions: BLOCK, ANONYMIZE, or detect only)."
                )
            entities.append({"type": kind, "action": action})
    policy = {}
    if entities:
        policy["piiEntitiesConfig"] = entities
    if regexes:
        policy["regexesConfig"] = list(regexes)
    return policy


def content_policy(strengths: dict[str, str], output_strength: str | None = None) -> dict:
    """{filter type: strength} for input and output; PROMPT_ATTACK guards input only (output NONE)."""
    filters = []
    for kind, strength in strengths.items():
        if kind not in _enum("GuardrailContentFilterType"):
            raise ValueError(
                f"{kind!r} is not a content filter; choose from {', '.join(_enum('GuardrailContentFilterType'))}."
            )
        if strength not in STRENGTHS:
            raise ValueError(f"Strength {strength!r} is not one of {', '.join(STRENGTHS)} (HIGH filters the most).")
        out = output_strength or ("NONE" if kind == "PROMPT_ATTACK" else strength)
        filters.append({"type": kind, "inputStrength": strength, "outputStrength": out})
    return {"filtersConfig": filters}


def grounding_policy(grounding: float | None = None, relevance: float | None = None) -> dict:
    filters = [
        {"type": kind, "threshold": value}
        for kind, value in (("GROUNDING", grounding), ("RELEVANCE", relevance))
        if value is not None
    ]
    return {"filtersConfig": filters}


def find_guardrail(control, name: str) -> dict | None:
    """The ListGuardrails summary (id, arn, version, status, ...) of the guardrail called `name`, or None.
    Names are unique per account and Region, so a name finds a guardrail again without keeping its id."""
    for page in control.get_paginator("list_guardrails").paginate():
        for summary in page["guardrails"]:
            if summary["name"] == name:
                return summary
    return None


def ensure_guardrail(control, name: str, blocked_input: str, blocked_output: str, **policies) -> dict:
    """The guardrail called `name`: created with these policies, or (if it exists) updated to them.
    Returns {guardrailId, guardrailArn, version: "DRAFT"}; safe to run a cell twice."""
    body = {"name": name, "blockedInputMessaging": blocked_input, "blockedOutputsMessaging": blocked_output, **policies}
    found = find_guardrail(control, name)
    if found is not None:
        answer = control.update_guardrail(guardrailIdentifier=found["id"], **body)
    else:
        answer = control.create_guardrail(**body)
    return {k: answer[k] for k in ("guardrailId", "guardrailArn", "version")}


class GuardrailNotReady(RuntimeError):
    """A guardrail that did not become READY (FAILED, being deleted, or still busy at the deadline)."""


def wait_until_ready(control, identifier: str, version: str = "DRAFT", timeout: float = 60, poll: float = 0.5) -> dict:
    """GetGuardrail until the guardrail leaves CREATING/UPDATING/VERSIONING; returns the READY guardrail.
    Live, a new guardrail or version is not READY for a moment (CREATING ~0.2-0.3 s in a measurement
    of 2026-08-26, github.com/GuardBench/guardbench-backend/issues/88, where ApplyGuardrail on a version
    used at once failed with ValidationException); offline it is READY at once. FAILED raises with
    Bedrock's reasons."""
    deadline = time.monotonic() + timeout
    while True:
        guardrail = control.get_guardrail(guardrailIdentifier=identifier, guardrailVersion=version)
        if guardrail["status"] == "READY":
            return guardrail
        if guardrail["status"] in ("FAILED", "DELETING") or time.monotonic() > deadline:
            reasons = "; ".join(guardrail.get("statusReasons") or []) or "no reason given"
            raise GuardrailNotReady(
                f"Guardrail {identifier} version {version} is {guardrail['status']} ({reasons}): "
                "see it in the Bedrock console, fix or delete it, and try again."
            )
        time.sleep(poll)


def _rows(where: str, assessment: dict) -> list[dict]:
    rows = []
    for policy, label in POLICY_LABELS.items():
        for entries in (assessment.get(policy) or {}).values():
            for entry in entries if isinstance(entries, list) else []:
                match = entry.get("match") or entry.get("name") or entry.get("type")
                if policy == "contextualGroundingPolicy":
                    match = f"{entry['type']} score {entry['score']} (threshold {entry['threshold']})"
                rows.append(
                    {
                        "where": where,
                        "policy": label,
                        "kind": entry.get("type") or entry.get("name", ""),
                        "match": match,
                        "action": entry.get("action"),
                    }
                )
    return rows


def summarize(result: dict) -> list[dict]:
    """One row per finding — where (input/output), policy, kind, match, action — from a Converse
    response (or its `trace`), a ConverseStream metadata event or an ApplyGuardrail response.
    `pandas.DataFrame(summarize(response))` shows it as a table."""
    if "assessments" in result:  # ApplyGuardrail
        return [row for a in result["assessments"] for row in _rows("content", a)]
    trace = result.get("trace", result).get("guardrail") or {}
    rows = [row for a in (trace.get("inputAssessment") or {}).values() for row in _rows("input", a)]
    for assessments in (trace.get("outputAssessments") or {}).values():
        rows += [row for a in assessments for row in _rows("output", a)]
    return rows

"""Guardrail operations on the router: the control plane's CRUD and versions, and ApplyGuardrail.

Bodies and query strings are checked against the service model's shapes first, as Bedrock's front
door does; guardrails.py adds the rules shapes cannot express and keeps the state (per account and
Region, in the emulator, so the in-process hook and the server each hold their own)."""

from __future__ import annotations

import datetime as dt

from . import guardrail_engine, listing, shapes
from .errors import BedrockError
from .guardrails import DRAFT, MSG_GUARDRAIL_NOT_FOUND, Guardrail
from .wire import ROUTER, json_response

GUARDRAIL_PATH = r"/guardrails/(?P<guardrailIdentifier>[^/]+)"
SUMMARY_FIELDS = ("name", "description", "status", "version", "createdAt", "updatedAt")


def _public(value):
    """Timestamps as rest-json sends them (ISO 8601, UTC)."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, dict):
        return {k: _public(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_public(v) for v in value]
    return value


def _query(call, operation: str, names: tuple[str, ...]) -> dict:
    query = listing.query(call.request, names)
    if "guardrailIdentifier" in call.params:  # a path member: checked with the query it came with
        query_checked = {**query, "guardrailIdentifier": call.params["guardrailIdentifier"]}
    else:
        query_checked = query
    shapes.validate(query_checked, "bedrock", operation)
    return query


def _store(call):
    return call.emulator.guardrails


def _find(call) -> Guardrail:
    identifier = call.params["guardrailIdentifier"]
    shapes.validate({"guardrailIdentifier": identifier}, "bedrock", "GetGuardrail")
    return _store(call).find(*call.place, identifier)


@ROUTER.add("CreateGuardrail", "bedrock", "POST", r"/guardrails")
def create_guardrail(call):
    body = call.json()
    call.authorize("bedrock:CreateGuardrail", [])
    guardrail = _store(call).create(*call.place, body, call.emulator.clock.day)
    draft = guardrail.draft
    payload = {"guardrailId": guardrail.guardrail_id, "guardrailArn": guardrail.arn, "version": DRAFT}
    payload["createdAt"] = draft["createdAt"]
    return json_response(_public(payload), call.request, status=202)


@ROUTER.add("GetGuardrail", "bedrock", "GET", GUARDRAIL_PATH)
def get_guardrail(call):
    version = _query(call, "GetGuardrail", ("guardrailVersion",)).get("guardrailVersion")
    guardrail = _find(call)
    call.authorize("bedrock:GetGuardrail", [guardrail.arn])
    return json_response(_public(guardrail.version(version)), call.request)


@ROUTER.add("UpdateGuardrail", "bedrock", "PUT", GUARDRAIL_PATH)
def update_guardrail(call):
    body = call.json()
    guardrail = _find(call)
    call.authorize("bedrock:UpdateGuardrail", [guardrail.arn])
    _store(call).update(guardrail, body, call.emulator.clock.day)
    payload = {"guardrailId": guardrail.guardrail_id, "guardrailArn": guardrail.arn, "version": DRAFT}
    payload["updatedAt"] = guardrail.draft["updatedAt"]
    return json_response(_public(payload), call.request, status=202)


@ROUTER.add("CreateGuardrailVersion", "bedrock", "POST", GUARDRAIL_PATH)
def create_guardrail_version(call):
    body = call.json()
    guardrail = _find(call)
    call.authorize("bedrock:CreateGuardrailVersion", [guardrail.arn])
    number = _store(call).publish(guardrail, body.get("description"), call.emulator.clock.day)
    return json_response({"guardrailId": guardrail.guardrail_id, "version": number}, call.request, status=202)


@ROUTER.add("DeleteGuardrail", "bedrock", "DELETE", GUARDRAIL_PATH)
def delete_guardrail(call):
    version = _query(call, "DeleteGuardrail", ("guardrailVersion",)).get("guardrailVersion")
    guardrail = _find(call)
    call.authorize("bedrock:DeleteGuardrail", [guardrail.arn])
    _store(call).delete(guardrail, version)
    return json_response({}, call.request, status=202)


def _summary(record: dict) -> dict:
    summary = {"id": record["guardrailId"], "arn": record["guardrailArn"]}
    summary.update({k: record[k] for k in SUMMARY_FIELDS if k in record})
    return summary


@ROUTER.add("ListGuardrails", "bedrock", "GET", r"/guardrails")
def list_guardrails(call):
    """Every guardrail's DRAFT, or with guardrailIdentifier every version of that one guardrail."""
    query = _query(call, "ListGuardrails", ("guardrailIdentifier", "maxResults", "nextToken"))
    call.authorize("bedrock:ListGuardrails", [])
    if query.get("guardrailIdentifier"):
        guardrail = _store(call).find(*call.place, query["guardrailIdentifier"])
        records = [guardrail.draft, *(guardrail.versions[v] for v in sorted(guardrail.versions, key=int))]
    else:
        records = [g.draft for g in _store(call).all(*call.place)]
    page, token = listing.page([_summary(r) for r in records], query, 100)
    payload = {"guardrails": _public(page)}
    if token:
        payload["nextToken"] = token
    return json_response(payload, call.request)


# ---- runtime: ApplyGuardrail ---------------------------------------------------------------------
APPLY_PATH = r"/guardrail/(?P<guardrailIdentifier>[^/]*)/version/(?P<guardrailVersion>[^/]*)/apply"


def resolve_version(call, identifier: str, version: str | None, message: str = MSG_GUARDRAIL_NOT_FOUND):
    """(Guardrail, version record) a runtime call names: both must be given and exist, else a
    ValidationException with `message` (inference words it as a model's error)."""
    try:
        guardrail = _store(call).find(*call.place, identifier)
        if not version:
            raise BedrockError.validation(message)
        return guardrail, guardrail.version(version)
    except BedrockError:
        raise BedrockError.validation(message) from None


@ROUTER.add("ApplyGuardrail", "bedrock-runtime", "POST", APPLY_PATH)
def apply_guardrail(call):
    body = call.json()
    guardrail, version = resolve_version(call, call.params["guardrailIdentifier"], call.params["guardrailVersion"])
    call.authorize("bedrock:ApplyGuardrail", [guardrail.arn])
    blocks = [
        guardrail_engine.Block(item["text"]["text"], tuple(item["text"].get("qualifiers") or ()))
        for item in body["content"]
        if "text" in item
    ]
    verdict = guardrail_engine.evaluate(version, blocks, body["source"], full=body.get("outputScope") == "FULL")
    blocked_message = version["blockedInputMessaging" if body["source"] == "INPUT" else "blockedOutputsMessaging"]
    if verdict.blocked:
        outputs = [{"text": blocked_message}]
    elif verdict.anonymized:
        outputs = [{"text": text} for text in verdict.outputs]
    else:
        outputs = []
    payload = {
        "usage": verdict.usage,
        "action": "GUARDRAIL_INTERVENED" if verdict.intervened else "NONE",
        "actionReason": action_reason(verdict),
        "outputs": outputs,
        "assessments": [verdict.assessment],
        "guardrailCoverage": verdict.assessment["invocationMetrics"]["guardrailCoverage"],
    }
    return json_response(payload, call.request)


def action_reason(verdict) -> str:
    """Unconfirmed wording: live responses carry a short reason; these are the emulator's."""
    if verdict.blocked:
        return "Guardrail blocked."
    if verdict.anonymized:
        return "Guardrail masked."
    return "No action."

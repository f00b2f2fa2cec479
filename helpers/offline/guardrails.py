"""Guardrails as Bedrock keeps them: per account and region, a DRAFT and numbered immutable versions.

The control plane (guardrails_ops.py) checks a request against the service model's shapes, then this
module applies the rules shapes cannot express and stores the policies in GetGuardrail's shape (the
request's `...Config` members read back without the suffix, actions and switches filled in), which is
also what the evaluation engine (guardrail_engine.py) reads. Ids, ARNs and timestamps are derived
from the request and the emulator's clock, so the same script yields the same ids on every run.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
import threading
from dataclasses import dataclass, field

from .errors import BedrockError

# --- messages (sources and status in data/error-sources.json) ---------------------------------------
# Quoted from a live guardrail call (BerriAI/litellm#11826); inference (ConverseStream) prefixes it as a
# model's error (aws-samples/generative-ai-use-cases#1257).
MSG_GUARDRAIL_NOT_FOUND = "The guardrail identifier or version provided in the request does not exist."
MSG_INFERENCE_GUARDRAIL_NOT_FOUND = "The model returned the following errors: " + MSG_GUARDRAIL_NOT_FOUND
# Unconfirmed wording: no public report quotes these; they follow Bedrock's phrasing elsewhere.
MSG_NAME_TAKEN = "A guardrail with the name {name} already exists in this account and Region."
MSG_BAD_REGEX = "The regular expression pattern {pattern} for regex {name} is not valid. Fix the pattern and try again."
MSG_PROMPT_ATTACK_OUTPUT = (
    "The PROMPT_ATTACK content filter applies only to input. Set outputStrength to NONE and try again."
)
MSG_GROUNDING_THRESHOLD = (
    "The threshold for the {kind} filter must be between 0 and 0.99. Try again with a valid threshold."
)
MSG_DUPLICATE_ENTRY = "The {what} {value} appears more than once in the policy. Remove the duplicate and try again."

DRAFT = "DRAFT"
POLICY_NAMES = {  # request member -> GetGuardrail member, and each one's list members
    "topicPolicyConfig": ("topicPolicy", {"topicsConfig": "topics", "tierConfig": "tier"}),
    "contentPolicyConfig": ("contentPolicy", {"filtersConfig": "filters", "tierConfig": "tier"}),
    "wordPolicyConfig": ("wordPolicy", {"wordsConfig": "words", "managedWordListsConfig": "managedWordLists"}),
    "sensitiveInformationPolicyConfig": (
        "sensitiveInformationPolicy",
        {"piiEntitiesConfig": "piiEntities", "regexesConfig": "regexes"},
    ),
    "contextualGroundingPolicyConfig": (
        "contextualGroundingPolicy",
        {"filtersConfig": "filters", "tierConfig": "tier"},
    ),
}
EPOCH = dt.time(9, 0, tzinfo=dt.timezone.utc)  # created "at" the clock's day, 09:00 UTC, plus one second a change


def _directions(entry: dict, default: str = "BLOCK") -> dict:
    """Actions and switches as GetGuardrail reports them: each direction's action defaults to
    `default`, each direction is enabled unless switched off."""
    entry = dict(entry)
    for side in ("input", "output"):
        entry.setdefault(f"{side}Action", default)
        entry.setdefault(f"{side}Enabled", True)
    return entry


def _sensitive(entry: dict) -> dict:
    return _directions(entry, entry.get("action", "BLOCK"))  # PII and regexes: `action` for both sides


def _filter(entry: dict) -> dict:
    return {"inputModalities": ["TEXT"], "outputModalities": ["TEXT"], **_directions(entry)}


def _grounding(entry: dict) -> dict:
    return {"action": "BLOCK", "enabled": True, **entry}


FILL = {  # GetGuardrail member -> how each entry of its lists is completed
    "topicPolicy": _directions,
    "contentPolicy": _filter,
    "wordPolicy": _directions,
    "sensitiveInformationPolicy": _sensitive,
    "contextualGroundingPolicy": _grounding,
}
TIERED = ("topicPolicy", "contentPolicy", "contextualGroundingPolicy")


def stored_policies(body: dict) -> dict:
    """The request's `...Config` members in GetGuardrail's shape (defaults filled in)."""
    policies = {}
    for request_name, (name, members) in POLICY_NAMES.items():
        config = body.get(request_name)
        if config is None:
            continue
        policy = {members.get(key, key): copy.deepcopy(value) for key, value in config.items()}
        for key, value in policy.items():
            if isinstance(value, list):
                policy[key] = [FILL[name](entry) for entry in value]
        if name in TIERED:
            policy.setdefault("tier", {"tierName": "CLASSIC"})
        policies[name] = policy
    return policies


def check_policies(body: dict) -> None:
    """Bedrock's rules beyond the shapes: compilable regexes, input-only prompt attacks, grounding
    thresholds below 1, no entry listed twice."""
    sensitive = body.get("sensitiveInformationPolicyConfig") or {}
    for regex in sensitive.get("regexesConfig") or []:
        try:
            re.compile(regex["pattern"])
        except re.error:
            raise BedrockError.validation(MSG_BAD_REGEX.format(pattern=regex["pattern"], name=regex["name"])) from None
    _unique([e["type"] for e in sensitive.get("piiEntitiesConfig") or []], "PII entity type")
    content = body.get("contentPolicyConfig") or {}
    _unique([f["type"] for f in content.get("filtersConfig") or []], "content filter type")
    for item in content.get("filtersConfig") or []:
        if item["type"] == "PROMPT_ATTACK" and item["outputStrength"] != "NONE":
            raise BedrockError.validation(MSG_PROMPT_ATTACK_OUTPUT)
    topics = (body.get("topicPolicyConfig") or {}).get("topicsConfig") or []
    _unique([t["name"] for t in topics], "topic name")
    grounding = (body.get("contextualGroundingPolicyConfig") or {}).get("filtersConfig") or []
    _unique([g["type"] for g in grounding], "contextual grounding filter type")
    for item in grounding:
        if not 0 <= item["threshold"] <= 0.99:
            raise BedrockError.validation(MSG_GROUNDING_THRESHOLD.format(kind=item["type"]))


def _unique(values: list[str], what: str) -> None:
    seen = set()
    for value in values:
        if value in seen:
            raise BedrockError.validation(MSG_DUPLICATE_ENTRY.format(what=what, value=value))
        seen.add(value)


@dataclass
class Guardrail:
    """One guardrail: its DRAFT (a GetGuardrail-shaped dict) and its numbered versions (copies)."""

    guardrail_id: str
    arn: str
    draft: dict
    versions: dict[str, dict] = field(default_factory=dict)
    tags: list = field(default_factory=list)

    def version(self, version: str | None) -> dict:
        """A version by number or DRAFT (GetGuardrail's default when none is named)."""
        found = self.draft if version in (None, DRAFT) else self.versions.get(version)
        if found is None:
            raise BedrockError("ResourceNotFoundException", MSG_GUARDRAIL_NOT_FOUND)
        return found

    def next_version(self) -> str:
        return str(max(map(int, self.versions), default=0) + 1)


class GuardrailStore:
    """Every guardrail the emulator knows, by (account, region) and id; safe across server threads."""

    def __init__(self):
        self._by_place: dict[tuple[str, str], dict[str, Guardrail]] = {}
        self._lock = threading.RLock()
        self._changes = 0
        self._tokens: dict[tuple[str, str, str], Guardrail] = {}  # clientRequestToken -> what it created

    def _place(self, account: str, region: str) -> dict[str, Guardrail]:
        return self._by_place.setdefault((account, region), {})

    def stamp(self, day: dt.date) -> dt.datetime:
        """A deterministic timestamp: the clock's day, one second later for every change."""
        self._changes += 1
        return dt.datetime.combine(day, EPOCH) + dt.timedelta(seconds=self._changes)

    def all(self, account: str, region: str) -> list[Guardrail]:
        with self._lock:
            return list(self._place(account, region).values())

    def find(self, account: str, region: str, identifier: str) -> Guardrail:
        """By id or ARN; an ARN from another account or Region names nothing here."""
        with self._lock:
            guardrails = self._place(account, region)
            wanted = identifier.rsplit("/", 1)[-1] if identifier.startswith("arn:") else identifier
            found = guardrails.get(wanted)
            if found is None or (identifier.startswith("arn:") and identifier != found.arn):
                raise BedrockError("ResourceNotFoundException", MSG_GUARDRAIL_NOT_FOUND)
            return found

    def create(self, account: str, region: str, body: dict, day: dt.date) -> Guardrail:
        check_policies(body)
        token = (account, region, body.get("clientRequestToken") or "")
        with self._lock:
            guardrails = self._place(account, region)
            if token[2] and token in self._tokens:  # a retried request: the guardrail it created
                return self._tokens[token]
            if any(g.draft["name"] == body["name"] for g in guardrails.values()):
                raise BedrockError("ConflictException", MSG_NAME_TAKEN.format(name=body["name"]), 409)
            seed = f"{account}/{region}/{body['name']}/{self._changes}"
            guardrail_id = _base36(hashlib.sha256(seed.encode()).digest())[:12]
            arn = f"arn:aws:bedrock:{region}:{account}:guardrail/{guardrail_id}"
            now = self.stamp(day)
            draft = {"name": body["name"], "guardrailId": guardrail_id, "guardrailArn": arn, "version": DRAFT}
            draft.update(status="READY", createdAt=now, updatedAt=now)
            guardrail = Guardrail(guardrail_id, arn, draft, tags=list(body.get("tags") or []))
            self._write_draft(guardrail, body, now)
            guardrails[guardrail_id] = guardrail
            if token[2]:
                self._tokens[token] = guardrail
            return guardrail

    def update(self, guardrail: Guardrail, body: dict, day: dt.date) -> None:
        check_policies(body)
        with self._lock:
            others = [g for g in self._by_place_of(guardrail).values() if g is not guardrail]
            if any(g.draft["name"] == body["name"] for g in others):
                raise BedrockError("ConflictException", MSG_NAME_TAKEN.format(name=body["name"]), 409)
            keep = {k: guardrail.draft[k] for k in ("guardrailId", "guardrailArn", "version", "status", "createdAt")}
            guardrail.draft = {"name": body["name"], **keep}
            self._write_draft(guardrail, body, self.stamp(day))

    @staticmethod
    def _write_draft(guardrail: Guardrail, body: dict, now: dt.datetime) -> None:
        draft = guardrail.draft
        if body.get("description"):
            draft["description"] = body["description"]
        draft.update(stored_policies(body))
        draft["blockedInputMessaging"] = body["blockedInputMessaging"]
        draft["blockedOutputsMessaging"] = body["blockedOutputsMessaging"]
        if body.get("kmsKeyId"):
            draft["kmsKeyArn"] = body["kmsKeyId"]
        draft["updatedAt"] = now

    def publish(self, guardrail: Guardrail, description: str | None, day: dt.date) -> str:
        """CreateGuardrailVersion: an immutable copy of the DRAFT under the next number."""
        with self._lock:
            number = guardrail.next_version()
            snapshot = copy.deepcopy(guardrail.draft)
            now = self.stamp(day)
            snapshot.update(version=number, createdAt=now, updatedAt=now)
            if description:
                snapshot["description"] = description
            guardrail.versions[number] = snapshot
            return number

    def delete(self, guardrail: Guardrail, version: str | None) -> None:
        with self._lock:
            if version is None:
                self._by_place_of(guardrail).pop(guardrail.guardrail_id, None)
            else:
                guardrail.version(version)
                del guardrail.versions[version]

    def _by_place_of(self, guardrail: Guardrail) -> dict[str, Guardrail]:
        _, _, _, region, account, _ = guardrail.arn.split(":", 5)
        return self._place(account, region)


def _base36(data: bytes) -> str:
    number, digits = int.from_bytes(data, "big"), "0123456789abcdefghijklmnopqrstuvwxyz"
    out = []
    while number:
        number, rest = divmod(number, 36)
        out.append(digits[rest])
    return "".join(out)

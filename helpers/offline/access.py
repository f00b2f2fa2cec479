"""Access rules offline: which key signed a request, what that identity's IAM policies allow, and
which models the account has been granted (the console's "Model access" page).

Identities and policies are read from IAM through its public API — in the workbook that is moto's
IAM, the same one the IAM lesson creates users and keys in — and evaluated the way IAM does: an
explicit Deny wins, otherwise some statement must Allow the action on every resource; `*` and `?`
wildcards work in Action (case-insensitive) and Resource. Nothing is enforced until `enforce_iam`
is called, so by default any credentials are accepted.
"""
from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from botocore.exceptions import ClientError

from .errors import MSG_NO_ACCESS, BedrockError

INVALID_TOKEN = "The security token included in the request is invalid."
INVOKE_ACTIONS = frozenset({"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"})
ALLOW, DENY, NO_MATCH = "Allow", "Deny", None


def denied_message(principal: str, action: str, resource: str | None, explicit: bool) -> str:
    """IAM's AccessDenied wording as Bedrock returns it (no 'on resource' for '*'-only actions)."""
    where = f" on resource: {resource}" if resource else ""
    reason = (
        "with an explicit deny in an identity-based policy"
        if explicit
        else f"because no identity-based policy allows the {action} action"
    )
    return f"User: {principal} is not authorized to perform: {action}{where} {reason}"


@lru_cache(maxsize=1024)
def _glob(pattern: str, ignore_case: bool) -> re.Pattern:
    """IAM wildcards: `*` any run of characters, `?` exactly one; everything else literal."""
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(f"^{body}$", re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def _listed(value) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value or ())


@dataclass(frozen=True)
class Statement:
    effect: str
    actions: tuple[str, ...]
    not_actions: tuple[str, ...]
    resources: tuple[str, ...]
    not_resources: tuple[str, ...]
    conditional: bool

    @classmethod
    def parse(cls, raw: dict) -> "Statement":
        return cls(
            effect=raw.get("Effect", ""),
            actions=_listed(raw.get("Action")),
            not_actions=_listed(raw.get("NotAction")),
            resources=_listed(raw.get("Resource")),
            not_resources=_listed(raw.get("NotResource")),
            conditional=bool(raw.get("Condition")),
        )

    def applies(self, action: str, resource: str) -> bool:
        def any_match(patterns, value, ignore_case):
            return any(_glob(p, ignore_case).match(value) for p in patterns)

        if self.actions:
            action_ok = any_match(self.actions, action, True)
        else:
            action_ok = bool(self.not_actions) and not any_match(self.not_actions, action, True)
        if not action_ok:
            return False
        if self.resources:
            return any_match(self.resources, resource, False)
        return bool(self.not_resources) and not any_match(self.not_resources, resource, False)


def parse_document(document) -> list[Statement]:
    """Statements of a policy document (a dict, or JSON text as IAM stores it)."""
    if isinstance(document, str):
        document = json.loads(document)
    raw = document.get("Statement", [])
    return [Statement.parse(s) for s in ([raw] if isinstance(raw, dict) else raw)]


def decide(statements: list[Statement], action: str, resource: str) -> str | None:
    """Allow, Deny (explicit) or None (implicitly denied).

    Conditions are not evaluated offline, so a conditional statement is read the cautious way:
    its Allow grants nothing and its Deny always applies."""
    verdict = NO_MATCH
    for statement in statements:
        if not statement.applies(action, resource):
            continue
        if statement.effect == DENY:
            return DENY
        if statement.effect == ALLOW and not statement.conditional:
            verdict = ALLOW
    return verdict


class IamAuthorizer:
    """An `Emulator.authorizers` entry backed by IAM (moto's, through a boto3 IAM client).

    Every call re-reads which key belongs to whom and which policies are attached, so detaching a
    policy or deleting a key takes effect on the next request; managed policy versions are
    immutable in IAM, so their documents are cached by (ARN, version)."""

    def __init__(self, iam):
        self.iam = iam
        self._versions: dict[tuple[str, str], list[Statement]] = {}
        self._lock = threading.Lock()

    def __call__(self, call, action: str, resources: list[str]) -> None:
        user = self.user_of(call.request.access_key)
        statements = self.statements_of(user["UserName"])
        for resource in resources or ["*"]:
            verdict = decide(statements, action, resource)
            if verdict != ALLOW:
                shown = resource if resources else None
                raise BedrockError("AccessDeniedException", denied_message(user["Arn"], action, shown, verdict == DENY))

    # ---- identities ----------------------------------------------------------------------------
    def user_of(self, access_key: str | None) -> dict:
        """The IAM user owning an active access key, or the error AWS gives for an unknown key."""
        unknown = BedrockError("UnrecognizedClientException", INVALID_TOKEN)
        if not access_key:
            raise unknown
        try:
            name = self.iam.get_access_key_last_used(AccessKeyId=access_key)["UserName"]
            keys = self.iam.list_access_keys(UserName=name)["AccessKeyMetadata"]
            user = self.iam.get_user(UserName=name)["User"]
        except (ClientError, KeyError):
            raise unknown from None
        if not any(k["AccessKeyId"] == access_key and k["Status"] == "Active" for k in keys):
            raise unknown
        return user

    # ---- policies --------------------------------------------------------------------------------
    def _all(self, operation: str, key: str, **kwargs) -> list:
        return self.iam.get_paginator(operation).paginate(**kwargs).build_full_result().get(key, [])

    def _managed(self, policy_arn: str) -> list[Statement]:
        version = self.iam.get_policy(PolicyArn=policy_arn)["Policy"]["DefaultVersionId"]
        with self._lock:
            cached = self._versions.get((policy_arn, version))
        if cached is None:
            document = self.iam.get_policy_version(PolicyArn=policy_arn, VersionId=version)["PolicyVersion"]["Document"]
            cached = parse_document(document)
            with self._lock:
                self._versions[(policy_arn, version)] = cached
        return cached

    def statements_of(self, user_name: str) -> list[Statement]:
        """User inline + attached managed + each group's inline and attached policies."""
        iam, found = self.iam, []
        for name in self._all("list_user_policies", "PolicyNames", UserName=user_name):
            found += parse_document(iam.get_user_policy(UserName=user_name, PolicyName=name)["PolicyDocument"])
        for attached in self._all("list_attached_user_policies", "AttachedPolicies", UserName=user_name):
            found += self._managed(attached["PolicyArn"])
        for group in self._all("list_groups_for_user", "Groups", UserName=user_name):
            group_name = group["GroupName"]
            for name in self._all("list_group_policies", "PolicyNames", GroupName=group_name):
                found += parse_document(iam.get_group_policy(GroupName=group_name, PolicyName=name)["PolicyDocument"])
            for attached in self._all("list_attached_group_policies", "AttachedPolicies", GroupName=group_name):
                found += self._managed(attached["PolicyArn"])
        return found


class ModelAccess:
    """Per-model access, like the console's Model access page: models withheld here are
    'Available to request', and invoking them is refused with Bedrock's own message."""

    def __init__(self):
        self.withheld: set[str] = set()

    def withhold(self, *model_ids: str) -> None:
        self.withheld.update(model_ids)

    def grant(self, *model_ids: str) -> None:
        self.withheld.difference_update(model_ids)

    def __call__(self, call, action: str, resources: list[str]) -> None:
        if action not in INVOKE_ACTIONS:
            return
        for arn in resources:
            _, is_model, model_id = arn.partition(":foundation-model/")
            if is_model and model_id in self.withheld:
                raise BedrockError("AccessDeniedException", MSG_NO_ACCESS)


def enforce_iam(emulator, iam) -> IamAuthorizer:
    """Check every request against IAM from now on (before any model-access rule)."""
    stop_enforcing_iam(emulator)
    authorizer = IamAuthorizer(iam)
    emulator.authorizers.insert(0, authorizer)
    return authorizer


def stop_enforcing_iam(emulator) -> None:
    emulator.authorizers[:] = [a for a in emulator.authorizers if not isinstance(a, IamAuthorizer)]


def model_access(emulator) -> ModelAccess:
    """The emulator's model-access list (created on first use; every model granted by default)."""
    for authorizer in emulator.authorizers:
        if isinstance(authorizer, ModelAccess):
            return authorizer
    access = ModelAccess()
    emulator.authorizers.append(access)
    return access

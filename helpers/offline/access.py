"""Access rules offline: which key signed a request (a SigV4 access key or a Bedrock API key), what
that identity's IAM policies allow, and whether the account may use a model yet.

Identities and policies are read from IAM through its public API — in the workbook that is moto's
IAM, the same one the IAM lesson creates users and keys in — and evaluated the way IAM does: an
explicit Deny wins, otherwise some statement must Allow the action on every resource; `*` and `?`
wildcards work in Action (case-insensitive) and Resource. Nothing is enforced until `enforce_iam`
is called, so by default any credentials are accepted (bearer tokens too).

Model access as Bedrock has it since 2025 (user guide "Access Amazon Bedrock foundation models", read
2026-11-30): serverless models are enabled by default, and the first call to a third-party model
subscribes the account through AWS Marketplace, which the calling identity must be allowed to do
(aws-marketplace:ViewSubscriptions and aws-marketplace:Subscribe). Offline, "first use" is tracked per
account (the caller's IAM account, from its ARN) and base model (a call through an inference profile
counts for its model), for the life of the emulator: the first allowed call by an identity holding both
Marketplace actions subscribes the account, after which any identity of that account may call the
model; until then every caller without them gets Bedrock's Marketplace refusal. Amazon's own models
need no subscription. `ModelAccess` withholds single models, for lessons about the refusal itself.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from botocore.exceptions import ClientError

from ..vocabulary import INFERENCE_ACTIONS
from . import api_keys
from .errors import MSG_MARKETPLACE, MSG_NO_ACCESS, BedrockError

INVALID_TOKEN = "The security token included in the request is invalid."
INVOKE_ACTIONS = frozenset(INFERENCE_ACTIONS)
ALLOW, DENY, NO_MATCH = "Allow", "Deny", None
MARKETPLACE_ACTIONS = ("aws-marketplace:ViewSubscriptions", "aws-marketplace:Subscribe")
FIRST_PARTY = "Amazon"  # providerName of the models Bedrock serves without a Marketplace subscription


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
    def parse(cls, raw: dict) -> Statement:
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

    Every request re-reads which key belongs to whom and which policies apply (one
    GetAccountAuthorizationDetails call), so detaching a policy or deleting a key takes effect on
    the next request. Managed policy versions are immutable in IAM, so parsed documents are cached
    by (ARN, version)."""

    def __init__(self, iam, subscribed: set[tuple[str, str]] | None = None):
        self.iam = iam
        self.subscribed = subscribed if subscribed is not None else set()  # (account id, model id)
        self.secret_of = api_keys.moto_secret  # an access key's secret, to verify short-term API keys
        self.now = lambda: dt.datetime.now(dt.timezone.utc)
        self._versions: dict[tuple[str, str], list[Statement]] = {}
        self._lock = threading.Lock()
        self._seen = threading.local()  # the user authenticated for the request this thread serves

    def authenticate(self, call) -> None:
        """Refuse unknown keys before the request is even looked at (Call.authenticate)."""
        self._seen.value = (call.request, self.caller_of(call.request))

    def __call__(self, call, action: str, resources: list[str]) -> None:
        seen = getattr(self._seen, "value", None)
        user_name = seen[1] if seen and seen[0] is call.request else self.caller_of(call.request)
        user_arn, statements = self.policies_of(user_name)
        for resource in resources or ["*"]:
            verdict = decide(statements, action, resource)
            if verdict != ALLOW:
                shown = resource if resources else None
                raise BedrockError("AccessDeniedException", denied_message(user_arn, action, shown, verdict == DENY))
        if action in INVOKE_ACTIONS:
            self.check_subscription(call, user_arn, statements)

    # ---- AWS Marketplace: the first call to a third-party model ----------------------------------------
    def check_subscription(self, call, user_arn: str, statements: list[Statement]) -> None:
        model = call.resolve().model
        if model["providerName"] == FIRST_PARTY:
            return
        entry = (user_arn.split(":")[4], model["modelId"])
        if entry in self.subscribed:
            return
        if not all(decide(statements, action, "*") == ALLOW for action in MARKETPLACE_ACTIONS):
            raise BedrockError("AccessDeniedException", MSG_MARKETPLACE)
        with self._lock:
            self.subscribed.add(entry)

    # ---- identities ----------------------------------------------------------------------------
    def caller_of(self, request) -> str:
        """The IAM user behind a request: the owner of its SigV4 access key, of the access key that
        signed its short-term API key, or of its long-term API key."""
        token = api_keys.bearer_token(request.headers)
        if token is None:
            return self.user_of(request.access_key)
        if token.startswith(api_keys.SHORT_TERM_PREFIX):
            key = api_keys.ShortTermKey.parse(token)
            if key.expired(self.now()):
                raise api_keys.bad_key()
            try:
                user_name = self.user_of(key.access_key)
            except BedrockError:
                raise api_keys.bad_key() from None
            secret = self.secret_of(key.access_key)
            if secret is None or not key.signed_by(secret):
                raise api_keys.bad_key()
            return user_name
        return api_keys.LONG_TERM.owner_of(token, self.now())

    # ---- identities ----------------------------------------------------------------------------
    def user_of(self, access_key: str | None) -> str:
        """The name of the IAM user owning an active access key, or the error AWS gives for an
        unknown key."""
        unknown = BedrockError("UnrecognizedClientException", INVALID_TOKEN)
        if not access_key:
            raise unknown
        try:
            name = self.iam.get_access_key_last_used(AccessKeyId=access_key)["UserName"]
            keys = self.iam.list_access_keys(UserName=name)["AccessKeyMetadata"]
        except (ClientError, KeyError):
            raise unknown from None
        if not any(k["AccessKeyId"] == access_key and k["Status"] == "Active" for k in keys):
            raise unknown
        return name

    # ---- policies --------------------------------------------------------------------------------
    def _version(self, policy_arn: str, version_id: str, document=None) -> list[Statement]:
        with self._lock:
            cached = self._versions.get((policy_arn, version_id))
        if cached is None:
            if document is None:  # e.g. an AWS managed policy, not in the account's details
                document = self.iam.get_policy_version(PolicyArn=policy_arn, VersionId=version_id)["PolicyVersion"][
                    "Document"
                ]
            cached = parse_document(document)
            with self._lock:
                self._versions[(policy_arn, version_id)] = cached
        return cached

    def _managed(self, attached: list[dict], policies: dict[str, dict]) -> list[Statement]:
        found = []
        for item in attached:
            arn = item["PolicyArn"]
            policy = policies.get(arn)
            if policy is None:
                version = self.iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
                found += self._version(arn, version)
                continue
            default = next(v for v in policy["PolicyVersionList"] if v["IsDefaultVersion"])
            found += self._version(arn, default["VersionId"], default["Document"])
        return found

    def policies_of(self, user_name: str) -> tuple[str, list[Statement]]:
        """The user's ARN and statements: inline + attached managed + each group's inline and
        attached policies."""
        details = (
            self.iam.get_paginator("get_account_authorization_details")
            .paginate(Filter=["User", "Group", "LocalManagedPolicy"])
            .build_full_result()
        )
        user = next((u for u in details.get("UserDetailList", []) if u["UserName"] == user_name), None)
        if user is None:  # deleted since its key was checked
            raise BedrockError("UnrecognizedClientException", INVALID_TOKEN)
        groups = {g["GroupName"]: g for g in details.get("GroupDetailList", [])}
        policies = {p["Arn"]: p for p in details.get("Policies", [])}
        found = []
        for holder in [user] + [groups[name] for name in user.get("GroupList", []) if name in groups]:
            for inline in holder.get("UserPolicyList", []) + holder.get("GroupPolicyList", []):
                found += parse_document(inline["PolicyDocument"])
            found += self._managed(holder.get("AttachedManagedPolicies", []), policies)
        return user["Arn"], found


class ModelAccess:
    """Models withheld from every caller (a lesson's stand-in for a policy, a service control policy or a
    missing use-case form): invoking them is refused with Bedrock's own message."""

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
    """Check every request against IAM from now on (before any model-access rule). Marketplace
    subscriptions made under an earlier enforcement are kept: they belong to the accounts."""
    earlier = [a for a in emulator.authorizers if isinstance(a, IamAuthorizer)]
    stop_enforcing_iam(emulator)
    authorizer = IamAuthorizer(iam, earlier[0].subscribed if earlier else None)
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

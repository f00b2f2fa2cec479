"""Credentials and least privilege: the runtime policy, an IAM user with its own access key, and a
named profile written the way `aws configure` writes it.

Offline every IAM and STS call goes to moto (a local, in-memory AWS) and the credentials/config
files go to a private temporary directory named by AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE,
so nothing on the machine changes. Live, nothing is created unless the learner opts in. Creating
is idempotent (a second run reuses the user and policy and replaces the key); `practice_user` deletes
what it made even when the block raises, and `remove_leftovers` cleans up by name after a crash.
"""

from __future__ import annotations

import configparser
import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import boto3

from . import clients
from .paths import DATA

POLICY_FILE = DATA / "bedrock-runtime-policy.json"
POLICY_NAME = "BedrockRuntimeLeastPrivilege"
USER_NAME = "bedrock-runtime"
SECOND_USER_NAME = "bedrock-alice"  # notebook 01's second user
PROFILE = "bedrock-runtime"
PROFILE_REGION = "us-west-2"
FILE_MODE = 0o600
FILE_VARIABLES = ("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE")


def policy() -> dict:
    """The least-privilege policy document kept in data/bedrock-runtime-policy.json."""
    return json.loads(POLICY_FILE.read_text(encoding="utf-8"))


def can_create(opt_in: bool = False) -> bool:
    """Whether this notebook may create IAM resources: always offline, live only when opted in."""
    return clients.mode() == clients.OFFLINE or bool(opt_in)


# ---- clients ---------------------------------------------------------------------------------------
def aws_client(service: str, boto_session: boto3.Session | None = None, region: str | None = None):
    """An IAM or STS client: moto's local server offline, real AWS live."""
    if clients.mode() == clients.LIVE:
        return (boto_session or clients.session(region)).client(service, region_name=region)
    from .offline import iam_server

    boto_session = boto_session or clients.session(region)
    region = region or boto_session.region_name or clients.DEFAULT_REGION
    return boto_session.client(service, region_name=region, endpoint_url=iam_server.url())


def shareable_arn(identity: dict) -> str:
    """The caller's ARN from get_caller_identity, safe to print in a notebook others may read: the
    account id is masked, and so is an assumed-role session name (often a person's e-mail address)."""
    arn = identity["Arn"].replace(identity["Account"], "<account-id>")
    if ":assumed-role/" in arn:
        arn = arn.rsplit("/", 1)[0] + "/<session-name>"
    return arn


def describe() -> str:
    """Where IAM and STS calls go, in one line."""
    if clients.mode() == clients.LIVE:
        return "IAM and STS: your AWS account (real users and keys)"
    return "IAM and STS: moto, a local in-memory AWS (nothing is created in any account)"


def iam_client(boto_session: boto3.Session | None = None):
    return aws_client("iam", boto_session)


def caller_identity(boto_session: boto3.Session) -> dict:
    """STS GetCallerIdentity for a session: proof that its credentials work, and whose they are."""
    return aws_client("sts", boto_session).get_caller_identity()


# ---- the runtime user ------------------------------------------------------------------------------
# Each step below first looks for what an earlier run left, so running a cell twice reuses or replaces
# it instead of failing with EntityAlreadyExists; each returns what it did, in words a notebook prints.
def _policy_arn_named(iam, policy_name: str) -> str | None:
    """The ARN of this account's customer-managed policy called `policy_name`, or None."""
    for page in iam.get_paginator("list_policies").paginate(Scope="Local"):
        for found in page["Policies"]:
            if found["PolicyName"] == policy_name:
                return found["Arn"]
    return None


def _user_exists(iam, user_name: str) -> bool:
    try:
        iam.get_user(UserName=user_name)
    except iam.exceptions.NoSuchEntityException:
        return False
    return True


def ensure_policy(iam, policy_name: str = POLICY_NAME) -> tuple[str, str]:
    """(ARN, what happened): the policy called `policy_name`, created from data/ unless it exists."""
    arn = _policy_arn_named(iam, policy_name)
    if arn:
        return arn, f"reused the existing policy {policy_name}"
    arn = iam.create_policy(
        PolicyName=policy_name,
        PolicyDocument=json.dumps(policy()),
        Description="Invoke Bedrock models and inference profiles; list models.",
    )["Policy"]["Arn"]
    return arn, f"created the policy {policy_name}"


def ensure_user(iam, user_name: str = USER_NAME) -> str:
    """Create the IAM user unless it exists; returns what happened."""
    if _user_exists(iam, user_name):
        return f"reused the existing user {user_name}"
    iam.create_user(UserName=user_name)
    return f"created the user {user_name}"


def new_access_key(iam, user_name: str = USER_NAME) -> tuple[dict, str]:
    """(AccessKey, what happened): a fresh key for the user. A secret is shown only once, so keys an
    earlier run made cannot be reused: they are deleted first (IAM also allows at most two)."""
    old = iam.list_access_keys(UserName=user_name)["AccessKeyMetadata"]
    for key in old:
        iam.delete_access_key(UserName=user_name, AccessKeyId=key["AccessKeyId"])
    key = iam.create_access_key(UserName=user_name)["AccessKey"]
    if old:
        return key, f"replaced {len(old)} earlier access key(s) of {user_name} with a new one"
    return key, f"created an access key for {user_name}"


def _refuse_live_without_opt_in(opt_in: bool) -> None:
    if not can_create(opt_in):
        raise PermissionError(
            "Live, IAM users, policies and keys are created only on request: pass opt_in=True "
            "(notebook 01: set CREATE_REAL_IAM = True) to create them in your AWS account."
        )


def create_runtime_user(
    iam,
    user_name: str = USER_NAME,
    policy_arn: str | None = None,
    policy_name: str = POLICY_NAME,
    opt_in: bool = False,
) -> dict:
    """Make sure the policy (unless `policy_arn` names one) and the user exist, attach one to the
    other and create a fresh access key. Safe to run again: what exists is reused, old keys replaced.
    Live, refuses unless `opt_in` is true.

    Returns {"PolicyArn", "UserName", "AccessKeyId", "SecretAccessKey", "Steps"} (Steps: what was
    created, reused or replaced). Keep the secret out of notebooks, logs and source control — write it
    to the credentials file and forget it."""
    _refuse_live_without_opt_in(opt_in)
    steps = []
    if policy_arn is None:
        policy_arn, step = ensure_policy(iam, policy_name)
        steps.append(step)
    steps.append(ensure_user(iam, user_name))
    iam.attach_user_policy(UserName=user_name, PolicyArn=policy_arn)  # attaching twice is not an error
    key, step = new_access_key(iam, user_name)
    steps.append(step)
    return {
        "PolicyArn": policy_arn,
        "UserName": user_name,
        "AccessKeyId": key["AccessKeyId"],
        "SecretAccessKey": key["SecretAccessKey"],
        "Steps": steps,
    }


def delete_runtime_user(iam, user_name: str = USER_NAME, policy_arn: str | None = None) -> None:
    """Remove the user's keys, policies and the user; then the managed policy if given."""
    for key in iam.list_access_keys(UserName=user_name)["AccessKeyMetadata"]:
        iam.delete_access_key(UserName=user_name, AccessKeyId=key["AccessKeyId"])
    for attached in iam.list_attached_user_policies(UserName=user_name)["AttachedPolicies"]:
        iam.detach_user_policy(UserName=user_name, PolicyArn=attached["PolicyArn"])
    for name in iam.list_user_policies(UserName=user_name)["PolicyNames"]:
        iam.delete_user_policy(UserName=user_name, PolicyName=name)
    for group in iam.list_groups_for_user(UserName=user_name)["Groups"]:
        iam.remove_user_from_group(UserName=user_name, GroupName=group["GroupName"])
    iam.delete_user(UserName=user_name)
    if policy_arn:
        _delete_policy(iam, policy_arn)


def _delete_policy(iam, policy_arn: str) -> None:
    """DeletePolicy refuses while versions other than the default exist: delete those first."""
    for version in iam.list_policy_versions(PolicyArn=policy_arn)["Versions"]:
        if not version["IsDefaultVersion"]:
            iam.delete_policy_version(PolicyArn=policy_arn, VersionId=version["VersionId"])
    iam.delete_policy(PolicyArn=policy_arn)


def _attached_to(iam, policy_arn: str) -> list[str]:
    """Names of the users, groups and roles the policy is attached to (it cannot be deleted while any are)."""
    entities = iam.list_entities_for_policy(PolicyArn=policy_arn)
    return [
        *(u["UserName"] for u in entities["PolicyUsers"]),
        *(g["GroupName"] for g in entities["PolicyGroups"]),
        *(r["RoleName"] for r in entities["PolicyRoles"]),
    ]


@contextlib.contextmanager
def practice_user(
    iam,
    user_name: str = USER_NAME,
    policy_arn: str | None = None,
    policy_name: str = POLICY_NAME,
    opt_in: bool = False,
) -> Iterator[dict]:
    """A user with the runtime policy and an access key that cannot outlive the block:

        with helpers.iam.practice_user(iam, "bedrock-alice", policy_arn=arn) as alice:
            ...                                   # use alice["AccessKeyId"], alice["SecretAccessKey"]

    On leaving — normally or by an exception — the key is deleted, the policy detached, the user
    deleted, and the policy too unless `policy_arn` named one the caller owns or it is still attached
    to someone else. Live, refuses unless
    `opt_in` is true. Re-entering after a crash reuses the leftovers and still removes them."""
    _refuse_live_without_opt_in(opt_in)
    owns_policy = policy_arn is None
    created = None
    try:
        created = create_runtime_user(iam, user_name, policy_arn, policy_name, opt_in=opt_in)
        yield created
    finally:
        leftover_policy = created["PolicyArn"] if created else _policy_arn_named(iam, policy_name)
        if _user_exists(iam, user_name):
            delete_runtime_user(iam, user_name)
        if owns_policy and leftover_policy and not _attached_to(iam, leftover_policy):
            _delete_policy(iam, leftover_policy)


def remove_leftovers(
    iam, user_names: Iterable[str] = (USER_NAME, SECOND_USER_NAME), policy_name: str = POLICY_NAME
) -> list[str]:
    """Recovery after a run that stopped before its clean-up: delete these users (keys, attachments
    and all) and the policy called `policy_name`, whatever is left of them. Looks up by name, needs
    no variable from the failed run, and is safe to run when nothing is left. Returns what it did."""
    done = []
    for user_name in user_names:
        if _user_exists(iam, user_name):
            delete_runtime_user(iam, user_name)
            done.append(f"deleted the user {user_name} (its access keys and attachments first)")
    arn = _policy_arn_named(iam, policy_name)
    if arn and _attached_to(iam, arn):
        done.append(f"kept the policy {policy_name}: still attached to {', '.join(_attached_to(iam, arn))}")
    elif arn:
        _delete_policy(iam, arn)
        done.append(f"deleted the policy {policy_name}")
    return done or ["nothing left over: no such users or policy"]


def cli_commands(user_name: str = USER_NAME, policy_name: str = POLICY_NAME) -> str:
    """The same set-up as AWS CLI commands, for learners who prefer to run it themselves."""
    return "\n".join(
        [
            f"aws iam create-policy --policy-name {policy_name} --policy-document file://data/{POLICY_FILE.name}",
            f"aws iam create-user --user-name {user_name}",
            f"aws iam attach-user-policy --user-name {user_name} "
            f"--policy-arn arn:aws:iam::<account-id>:policy/{policy_name}",
            f"aws iam create-access-key --user-name {user_name}",
            f"aws configure --profile {PROFILE}",
            f"aws sts get-caller-identity --profile {PROFILE}",
        ]
    )


# ---- Bedrock API keys ------------------------------------------------------------------------------
BEARER_VARIABLE = "AWS_BEARER_TOKEN_BEDROCK"  # botocore >= 1.39.0 sends it as `Authorization: Bearer`


def short_term_api_key(boto_session: boto3.Session, region: str | None = None, seconds: int = 12 * 3600) -> str:
    """A short-term Bedrock API key (at most 12 hours) signed by the session's credentials: the same
    presigned URL `aws_bedrock_token_generator.provide_token()` makes, and the same permissions as the
    identity that signs it."""
    from .offline.api_keys import short_term_key

    credentials = boto_session.get_credentials()
    if credentials is None:
        raise ValueError("This session has no credentials to sign a short-term API key with.")
    region = region or boto_session.region_name or clients.DEFAULT_REGION
    return short_term_key(credentials.get_frozen_credentials(), region, seconds)


def create_long_term_api_key(iam, user_name: str = USER_NAME, days: int = 30) -> dict:
    """A long-term Bedrock API key for an IAM user (an IAM service-specific credential); the key is
    `ServiceCredentialSecret`. Offline it is kept by the emulator (moto has no service-specific
    credentials); live, IAM creates it. Prefer short-term keys or roles: this one lasts `days`."""
    if clients.mode() == clients.LIVE:
        return iam.create_service_specific_credential(
            UserName=user_name, ServiceName="bedrock.amazonaws.com", CredentialAgeDays=days
        )["ServiceSpecificCredential"]
    from .offline.api_keys import LONG_TERM

    iam.get_user(UserName=user_name)  # NoSuchEntity for a user that does not exist, as IAM answers
    return LONG_TERM.create(user_name, days)


# ---- credentials and config files --------------------------------------------------------------
_offline_dir: Path | None = None


def use_offline_files() -> Path | None:
    """Offline only: create a private temporary directory (0700) and point AWS_SHARED_CREDENTIALS_FILE
    and AWS_CONFIG_FILE into it, so offline lessons never touch ~/.aws. Changes os.environ; returns
    the directory (None live). `remove_offline_files()` undoes it."""
    global _offline_dir
    if clients.mode() == clients.OFFLINE and _offline_dir is None:
        _offline_dir = Path(tempfile.mkdtemp(prefix="workbook-aws-"))
        os.environ["AWS_SHARED_CREDENTIALS_FILE"] = str(_offline_dir / "credentials")
        os.environ["AWS_CONFIG_FILE"] = str(_offline_dir / "config")
    return _offline_dir


def config_files() -> tuple[Path, Path]:
    """(credentials file, config file) as the SDKs find them: the environment variables if set,
    otherwise ~/.aws. Only reads; creates nothing."""
    home = Path("~/.aws").expanduser()
    return (
        Path(os.environ.get("AWS_SHARED_CREDENTIALS_FILE") or home / "credentials"),
        Path(os.environ.get("AWS_CONFIG_FILE") or home / "config"),
    )


def _update_ini(path: Path, section: str, values: dict) -> None:
    """Set one section of an INI file, keeping every other profile, with owner-only permissions."""
    parser = configparser.RawConfigParser()
    if path.exists():
        parser.read(path, encoding="utf-8")
    if not parser.has_section(section):
        parser.add_section(section)
    for key, value in values.items():
        parser.set(section, key, value)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        parser.write(handle)
    os.chmod(path, FILE_MODE)  # also when the file existed with looser permissions


def write_profile(
    access_key_id: str, secret_access_key: str, profile: str = PROFILE, region: str = PROFILE_REGION
) -> tuple[Path, Path]:
    """What `aws configure --profile NAME` does: keys in the credentials file, region in config
    (offline, in the private files of `use_offline_files`)."""
    use_offline_files()
    credentials, config = config_files()
    _update_ini(credentials, profile, {"aws_access_key_id": access_key_id, "aws_secret_access_key": secret_access_key})
    _update_ini(
        config, "default" if profile == "default" else f"profile {profile}", {"region": region, "output": "json"}
    )
    return credentials, config


def mask(value: str, keep: int = 4) -> str:
    """'AKIA' + asterisks: enough to recognise a key, never enough to use it."""
    return value[:keep] + "*" * max(len(value) - keep, 0)


def show_files(profile: str = PROFILE) -> str:
    """Both files as `aws configure` leaves them, with the key id masked and the secret hidden."""
    credentials, config = config_files()
    lines = []
    for label, path in (("credentials", credentials), ("config", config)):
        parser = configparser.RawConfigParser()
        parser.read(path, encoding="utf-8")
        lines.append(f"# {label} (permissions {oct(path.stat().st_mode & 0o777)})")
        for section in parser.sections():
            if section not in (profile, f"profile {profile}"):
                continue
            lines.append(f"[{section}]")
            for key, value in parser.items(section):
                shown = mask(value) if key == "aws_access_key_id" else "<hidden>" if "secret" in key else value
                lines.append(f"{key} = {shown}")
        lines.append("")
    return "\n".join(lines).rstrip()


def forget_profile(profile: str = PROFILE) -> None:
    """Remove the profile from both files (its key no longer exists); offline, delete the files."""
    sections = (profile, "default" if profile == "default" else f"profile {profile}")
    for path, section in zip(config_files(), sections):
        parser = configparser.RawConfigParser()
        if path.exists() and parser.read(path, encoding="utf-8") and parser.remove_section(section):
            descriptor = os.open(path, os.O_WRONLY | os.O_TRUNC, FILE_MODE)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                parser.write(handle)
    remove_offline_files()


def remove_offline_files() -> None:
    """Delete the offline temporary credentials directory and forget its environment variables."""
    global _offline_dir
    if _offline_dir is None:
        return
    shutil.rmtree(_offline_dir, ignore_errors=True)
    for name in FILE_VARIABLES:
        if os.environ.get(name, "").startswith(str(_offline_dir)):
            del os.environ[name]
    _offline_dir = None


# ---- offline access rules --------------------------------------------------------------------------
def enforce_offline(iam) -> bool:
    """Offline: make the shared emulator check every request against this IAM (live AWS always
    does). Returns whether rules are now enforced here."""
    if clients.mode() == clients.LIVE:
        return False
    from .offline import shared_emulator
    from .offline.access import enforce_iam

    enforce_iam(shared_emulator(), iam)
    return True


def offline_model_access():
    """Offline: the shared emulator's list of withheld models (to show Bedrock's "You don't have access
    to the model" refusal). Live: None — models are enabled by default there; see notebook 01."""
    if clients.mode() == clients.LIVE:
        return None
    from .offline import shared_emulator
    from .offline.access import model_access

    return model_access(shared_emulator())


def stop_enforcing_offline() -> None:
    if clients.mode() == clients.OFFLINE:
        from .offline import shared_emulator
        from .offline.access import stop_enforcing_iam

        stop_enforcing_iam(shared_emulator())

"""Ready for live? One check that says what will fail, and how to fix it, before the first billed call.

    from helpers import doctor
    rows = doctor.check()          # plain data: [{"name", "status", "detail", "fix"}, ...]
    print(doctor.render(rows))     # or: python3 workbook.py doctor [--json] [--allow-billed-probe]

Status is "ok", "warn" (worth knowing, does not block) or "fail" (blocks live use; its `fix` says
what to do). The rows: mode; region and where it came from; the credential source (never a secret);
the identity (STS GetCallerIdentity, account id masked); the SDK against the API features the
notebooks use; and, for each model the notebooks call, whether this region offers it, its
lifecycle and whether this identity may invoke it.

Every call made by default is free: GetCallerIdentity, ListFoundationModels, ListInferenceProfiles
and CountTokens ("Using the CountTokens API doesn't incur charges": Bedrock user guide, count-tokens.html,
read 2026-11-30). Live, a CountTokens success proves the model answers this identity but not
bedrock:InvokeModel itself, so those rows stay "warn" unless `allow_billed_probe=True` sends one
1-token Converse per model (billed). Offline the same checks ask the emulator (and moto for STS),
whose CountTokens passes the same IAM and model-access checks as Converse: with IAM enforced
(`helpers.iam.enforce_offline`), a denied identity shows the failure rows a learner would meet live.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

import boto3
import botocore
import botocore.session
from botocore.exceptions import BotoCoreError, ClientError

from . import clients, iam, models
from .troubleshoot import explain

OK, WARN, FAIL = "ok", "warn", "fail"

# Models the notebooks call and expect an answer from (ids from their code cells; tests/test_doctor.py
# keeps this list and the notebooks in step). `True`: a failure breaks the notebook; `False`: the cell
# catches the error and shows it, so a failure is only worth knowing.
NOTEBOOK_MODELS = {
    "amazon.nova-micro-v1:0": True,  # 00
    "amazon.nova-lite-v1:0": True,  # 01, 09, 10
    "us.amazon.nova-lite-v1:0": True,  # 08, through the US inference profile
    "amazon.nova-pro-v1:0": True,  # 05, 06, 11 (service tiers)
    "global.anthropic.claude-haiku-4-5-20251001-v1:0": True,  # 03, 07, 08, 09, 11
    "global.anthropic.claude-sonnet-4-6": True,  # 02 (its global. profile), 03, 04, 05, 06, 07
}
# Ids the notebooks name only to show an error or compare regions: they are expected to fail somewhere.
DEMONSTRATION_MODELS = {
    "anthropic.claude-3-sonnet-20240229-v1:0": "02 and 03 show the end-of-life error of the tutorial's own model",
    "anthropic.claude-v2:1": "08 shows that Claude 2 Text Completions have reached end of life",
    "anthropic.claude-sonnet-4-6": "02 shows the on-demand error of a profile-only model",
    "anthropic.claude-opus-4-1-20250805-v1:0": "02 reads the lifecycle of a Legacy model (GetFoundationModel)",
    "us.anthropic.claude-opus-4-1-20250805-v1:0": "02 shows the Legacy error (Legacy since 2026-07-08)",
    "anthropic.claude-opus-4-6-v1": "02 compares regions",
    "anthropic.claude-haiku-4-5-20251001-v1:0": "02 compares regions",
    "meta.llama4-maverick-17b-instruct-v1:0": "02 compares regions",
    "us.meta.llama4-maverick-17b-instruct-v1:0": "09 shows toolChoice any refused by an auto-only model",
    "amazon.nova-reel-v1:0": "12 shows the end-of-life error of an asynchronous invocation",
    # an embeddings model (us-east-1 only): no Converse, so the access probe cannot prove it
    "amazon.nova-2-multimodal-embeddings-v1:0": "12 starts an asynchronous invocation of segmented embeddings",
}

# API features the notebooks (and this check) use: (label, service, operation, "Shape.member" or None,
# first botocore release that shipped it, or None where not confirmed). Sources, read 2026-11-30:
# botocore .changes/1.34.116.json "This release adds Converse and ConverseStream APIs to Bedrock Runtime";
# botocore .changes/1.40.14.json "Launch CountTokens API to allow token counting". Document blocks
# (2024-06-20) and inference profiles (2024-08-27) date from the SDK changelogs (aws-sdk-ruby
# bedrockruntime 1.12.0, bedrock 1.17.0); their first botocore release is not confirmed here.
FEATURES = (
    ("Converse", "bedrock-runtime", "Converse", None, "1.34.116"),
    ("ConverseStream", "bedrock-runtime", "ConverseStream", None, "1.34.116"),
    ("document blocks", "bedrock-runtime", "Converse", "ContentBlock.document", None),
    ("video blocks", "bedrock-runtime", "Converse", "ContentBlock.video", None),
    ("inference profiles", "bedrock", "ListInferenceProfiles", None, None),
    ("CountTokens", "bedrock-runtime", "CountTokens", None, "1.40.14"),
)
PROBE_MESSAGES = [{"role": "user", "content": [{"text": "Reply with one word: ready"}]}]

CREDENTIAL_SOURCES = {  # botocore's credential provider `method` -> what it means for a learner
    "env": "environment variables (AWS_ACCESS_KEY_ID ...)",
    "explicit": "keys passed to the session",
    "shared-credentials-file": "a profile in the shared credentials file",
    "config-file": "keys in the config file",
    "custom-process": "a credential_process in the config file",
    "sso": "AWS IAM Identity Center (SSO)",
    "login": "`aws login` console credentials",
    "assume-role": "an assumed role (role_arn in the profile)",
    "assume-role-with-web-identity": "a web-identity role (AWS_WEB_IDENTITY_TOKEN_FILE)",
    "container-role": "the container's role (ECS/EKS)",
    "iam-role": "the instance's role (EC2 metadata)",
    "boto-config": "a legacy boto config file",
}
CREDENTIALS_FIX = (
    "Run `aws configure` (access keys) or `aws configure sso` and `aws sso login`, and set AWS_PROFILE if "
    "your profile has a name (notebook 01); or set AWS_BEARER_TOKEN_BEDROCK to a Bedrock API key."
)
REGION_FIX = (
    "export AWS_REGION=us-east-1 (a region that offers the models you need), or `aws configure set region us-east-1`."
)
BEARER_VARIABLE = "AWS_BEARER_TOKEN_BEDROCK"


ACCOUNT_IN_ARN = re.compile(r"(?<=:)\d{12}(?=:)")  # IAM and STS errors quote the caller's ARN


def row(name: str, status: str, detail: str, fix: str = "") -> dict:
    """One check; account ids in quoted ARNs are masked, so the rows are safe to share."""
    return {"name": name, "status": status, "detail": _masked(detail), "fix": _masked(fix)}


def _masked(text: str) -> str:
    return ACCOUNT_IN_ARN.sub("<account-id>", text)


def blocking(rows: list[dict]) -> bool:
    """Whether any row blocks live use."""
    return any(r["status"] == FAIL for r in rows)


# ---- mode, region, credentials, identity -------------------------------------------------------------
def mode_row() -> dict:
    try:
        mode = clients.mode()
    except ValueError as error:
        return row("mode", FAIL, str(error), "export BEDROCK_MODE=offline (the default) or BEDROCK_MODE=live.")
    if mode == clients.OFFLINE:
        return row("mode", OK, "offline: the built-in emulator answers, nothing is billed")
    return row("mode", OK, "live: real Amazon Bedrock, billed to your account")


def region_row(boto_session: boto3.Session, region: str | None, own_session: bool = True) -> dict:
    """The region calls go to, and where it came from (the order the workbook's session looks in);
    `own_session` is False when the caller built the session (and chose its region)."""
    found = region or boto_session.region_name
    if region:
        source = "passed to the check"
    elif not own_session and found:
        source = "the session passed to the check"
    elif os.environ.get("AWS_REGION"):
        source = "environment variable AWS_REGION"
    elif os.environ.get("AWS_DEFAULT_REGION"):
        source = "environment variable AWS_DEFAULT_REGION"
    elif clients.mode() == clients.OFFLINE and boto_session.profile_name == "default":
        source = "the workbook's offline default"  # offline ignores AWS_PROFILE and ~/.aws/config
    else:
        source = f"profile '{boto_session.profile_name}' in the AWS config file"
    if not found:
        return row("region", FAIL, "no region is set", REGION_FIX)
    return row("region", OK, f"{found} (from {source})")


def credentials_row(boto_session: boto3.Session) -> dict:
    """Which link of the credential chain answered (botocore's provider `method`), never a secret."""
    bearer = bool(os.environ.get(BEARER_VARIABLE))
    try:
        credentials = boto_session.get_credentials()
    except BotoCoreError as error:
        return row("credentials", FAIL, str(error), explain(error).fix)
    if credentials is not None and credentials.access_key == clients.OFFLINE_ACCESS_KEY:
        return row("credentials", OK, "placeholder keys (offline needs no real credentials)")
    if credentials is None:
        if bearer:
            return row("credentials", OK, f"Bedrock API key ({BEARER_VARIABLE}); no AWS credentials for STS or IAM")
        return row("credentials", FAIL, "none found: no keys, profile, SSO, role or Bedrock API key", CREDENTIALS_FIX)
    source = CREDENTIAL_SOURCES.get(credentials.method, credentials.method)
    if boto_session.profile_name != "default" and credentials.method in ("shared-credentials-file", "sso"):
        source += f" ('{boto_session.profile_name}')"
    note = f"; Bedrock calls use the API key in {BEARER_VARIABLE}" if bearer else ""
    return row("credentials", OK, f"{source}, key {iam.mask(credentials.access_key)}{note}")


def identity_row(boto_session: boto3.Session) -> dict:
    """Who is calling, from STS GetCallerIdentity (free, needs no permission), account id masked."""
    try:
        identity = iam.caller_identity(boto_session)
    except (BotoCoreError, ClientError) as error:
        if os.environ.get(BEARER_VARIABLE) and boto_session.get_credentials() is None:
            return row("identity", WARN, "unknown: STS needs AWS credentials, a Bedrock API key cannot call it")
        return row("identity", FAIL, _error_text(error), explain(error).fix)
    return row("identity", OK, iam.shareable_arn(identity))


# ---- the SDK --------------------------------------------------------------------------------------------
def _has(model, operation: str, member: str | None) -> bool:
    if operation not in model.operation_names:
        return False
    if member is None:
        return True
    shape, _, name = member.partition(".")
    return name in model.shape_for(shape).members


def sdk_row(loader_session: botocore.session.Session | None = None) -> dict:
    """boto3/botocore against the features the notebooks use, read from the installed service models
    (AWS_DATA_PATH included, as botocore itself loads them)."""
    loader_session = loader_session or botocore.session.Session()
    models = {name: loader_session.get_service_model(name) for name in ("bedrock-runtime", "bedrock")}
    missing = [
        (label, since) for label, service, op, member, since in FEATURES if not _has(models[service], op, member)
    ]
    versions = f"boto3 {boto3.__version__}, botocore {botocore.__version__}"
    if not missing:
        return row("boto3/botocore", OK, f"{versions}: {', '.join(f[0] for f in FEATURES)}")
    lacking = ", ".join(label + (f" (botocore {since}+)" if since else "") for label, since in missing)
    floors = sorted((tuple(int(p) for p in since.split(".")), since) for _, since in missing if since)
    target = f"'boto3>={floors[-1][1]}'" if floors else "boto3"
    return row(
        "boto3/botocore",
        FAIL,
        f"{versions} lacks {lacking}",
        f".venv/bin/python -m pip install --upgrade {target} (boto3 and botocore share version numbers).",
    )


# ---- models ---------------------------------------------------------------------------------------------
def _error_text(error: Exception) -> str:
    if isinstance(error, ClientError):
        return f"{error.response['Error'].get('Code')}: {error.response['Error'].get('Message')}"
    return f"{type(error).__name__}: {error}"


def _catalog(control) -> tuple[dict, dict, Exception | None]:
    """{model id: summary} and {profile id: profile} in this region, or the error that stopped listing."""
    try:
        summaries = {m["modelId"]: m for m in control.list_foundation_models()["modelSummaries"]}
    except (BotoCoreError, ClientError) as error:
        return {}, {}, error
    try:
        pages = control.get_paginator("list_inference_profiles").paginate()
        profiles = {p["inferenceProfileId"]: p for page in pages for p in page["inferenceProfileSummaries"]}
    except (BotoCoreError, ClientError):
        profiles = {}  # listing profiles needs bedrock:ListInferenceProfiles; models still answer
    return summaries, profiles, None


def model_row(model_id: str, region: str, summaries: dict, profiles: dict, required: bool) -> dict:
    """Offered in this region (on demand or through its profile), and its lifecycle."""
    name = f"model {model_id}"
    bad = FAIL if required else WARN
    base = models.base_model_id(model_id)  # the geography prefixes come from the catalog
    summary = summaries.get(base)
    if model_id != base and model_id not in profiles:
        return row(name, bad, f"no inference profile {model_id} in {region}", _region_fix(base))
    if summary is None:
        return row(name, bad, f"not offered in {region}", _region_fix(base))
    if model_id == base and "ON_DEMAND" not in summary.get("inferenceTypesSupported", []):
        profile = next((p for p in profiles if p.endswith("." + base)), f"us.{base}")
        return row(name, bad, f"offered in {region} only through an inference profile", f"use {profile}")
    status = summary.get("modelLifecycle", {}).get("status", "unknown")
    how = "through its inference profile" if model_id != base else "on demand"
    detail = f"offered in {region} {how}, lifecycle {status}"
    if status == "LEGACY" and clients.mode() == clients.LIVE:
        return row(
            name,
            WARN,
            detail,
            "Legacy models are refused to accounts that have not used them for 30 days and retire on a set "
            "date: plan to switch to an ACTIVE model (notebook 02 lists them).",
        )
    return row(name, OK, detail)


def _region_fix(model_id: str) -> str:
    return (
        f"Use a region that offers {model_id} (helpers.models.availability([...], regions) in notebook 02 "
        "compares them): export AWS_REGION=us-east-1 or us-west-2."
    )


def _probe(runtime, model_id: str, billed: bool) -> str:
    """Ask Bedrock whether this identity may use the model; returns what the success proves."""
    if billed:
        runtime.converse(modelId=model_id, messages=PROBE_MESSAGES, inferenceConfig={"maxTokens": 1})
        return "a 1-token Converse call succeeded (billed)"
    runtime.count_tokens(modelId=model_id, input={"converse": {"messages": PROBE_MESSAGES}})
    return "CountTokens (free) passed"


def access_row(runtime, model_id: str, required: bool, billed: bool) -> dict:
    name = f"access {model_id}"
    bad = FAIL if required else WARN
    if not billed and not hasattr(runtime, "count_tokens"):
        return row(name, WARN, "not checked: this botocore has no CountTokens", "upgrade boto3 (see boto3/botocore)")
    try:
        proof = _probe(runtime, model_id, billed)
    except ClientError as error:
        return _refused(name, error, bad)
    except BotoCoreError as error:
        return row(name, bad, _error_text(error), explain(error).fix)
    if billed or clients.mode() == clients.OFFLINE:
        return row(name, OK, f"may invoke: {proof}")
    return row(
        name,
        WARN,
        f"reachable: {proof}; bedrock:InvokeModel itself is not proven by a free call",
        "To prove it: python3 workbook.py doctor --allow-billed-probe (one 1-token Converse per model, billed).",
    )


def _refused(name: str, error: ClientError, bad: str) -> dict:
    """Sort a probe's refusal: a verdict on the model or identity (fail), or a probe that proves nothing."""
    code, message = error.response["Error"].get("Code", ""), error.response["Error"].get("Message", "")
    unproven = (
        code == "ValidationException" and "counting tokens" in message  # the model has no token counter
    ) or (code == "AccessDeniedException" and "CountTokens" in message)  # the probe itself is not allowed
    if unproven:
        return row(
            name,
            WARN,
            f"not proven: {code}: {message}",
            "python3 workbook.py doctor --allow-billed-probe proves it with one 1-token Converse (billed).",
        )
    return row(name, bad, f"{code}: {message}", explain(error).fix)


def model_rows(boto_session, region: str, models: dict, billed: bool) -> list[dict]:
    control = clients.control_client(region=region, boto_session=boto_session)
    runtime = clients.runtime_client(region=region, boto_session=boto_session)
    summaries, profiles, failure = _catalog(control)
    if failure is not None:
        return [row("models", FAIL, f"cannot list models: {_error_text(failure)}", _fix(failure))]
    rows = []
    for model_id, required in models.items():
        rows.append(model_row(model_id, region, summaries, profiles, required))
        rows.append(access_row(runtime, model_id, required, billed))
    return rows


def _fix(error: Exception) -> str:
    try:
        return explain(error).fix
    except TypeError:
        return "Read the message and fix the set-up it names."


# ---- the whole check ------------------------------------------------------------------------------------
def check(
    boto_session: boto3.Session | None = None,
    region: str | None = None,
    models: dict | None = None,
    allow_billed_probe: bool = False,
) -> list[dict]:
    """Every row, in order. `boto_session` defaults to the workbook's (clients.session); `models`
    ({id: required}) to NOTEBOOK_MODELS. Billed calls happen only with `allow_billed_probe=True`."""
    rows = [mode_row()]
    if rows[0]["status"] == FAIL:
        return rows
    rows.append(sdk_row())
    own_session = boto_session is None
    try:
        boto_session = boto_session or clients.session(region)
    except BotoCoreError as error:  # e.g. AWS_PROFILE names a profile this machine lacks
        return rows + [
            row(
                "credentials",
                FAIL,
                str(error),
                "Create the profile (`aws configure --profile NAME`) or unset AWS_PROFILE.",
            )
        ]
    needed = [region_row(boto_session, region, own_session), credentials_row(boto_session)]
    rows += needed
    if blocking(needed):  # every call below needs a region and credentials
        return rows + [row("models", WARN, "not checked: fix the rows above first")]
    rows.append(identity_row(boto_session))
    models = NOTEBOOK_MODELS if models is None else models
    return rows + model_rows(boto_session, region or boto_session.region_name, models, allow_billed_probe)


def render(rows: list[dict]) -> str:
    """A short table: status, check, detail, and each failing or warning row's fix beneath it."""
    marks = {OK: "ok", WARN: "warn", FAIL: "FAIL"}
    width = max(len(r["name"]) for r in rows)
    lines = []
    for r in rows:
        lines.append(f"{marks[r['status']]:<4}  {r['name']:<{width}}  {r['detail']}")
        if r["fix"] and r["status"] != OK:
            lines.append(f"{'':<4}  {'':<{width}}  fix: {r['fix']}")
    verdict = "Not ready for live use: fix the FAIL rows." if blocking(rows) else "Ready."
    return "\n".join(lines + ["", verdict])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="workbook.py doctor", description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument(
        "--allow-billed-probe",
        action="store_true",
        help="prove invoke access with one 1-token Converse per model (billed)",
    )
    args = parser.parse_args(argv)
    rows = check(allow_billed_probe=args.allow_billed_probe)
    if args.json:
        print(json.dumps({"ready": not blocking(rows), "rows": rows}, indent=2))
    else:
        print(render(rows))
    return 1 if blocking(rows) else 0


if __name__ == "__main__":
    sys.exit(main())

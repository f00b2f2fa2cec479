"""Client factories: the only place that knows whether the workbook talks to real AWS or offline.

Offline (the default) attaches the built-in emulator to an ordinary boto3 client; live
(`BEDROCK_MODE=live`) uses boto3's normal credential chain and region. Live is never entered
implicitly: any value other than "live" or "offline" is an error, not a guess.
"""

from __future__ import annotations

import os

import boto3
import botocore.session
from botocore.config import Config

OFFLINE, LIVE = "offline", "live"
DEFAULT_REGION = "us-east-1"
# Offline requests are signed with these placeholder keys: nothing real is ever needed or shown.
OFFLINE_ACCESS_KEY = "AKIAOFFLINEEXAMPLE00"
OFFLINE_SECRET_KEY = "offline-secret-not-a-real-key"


def mode() -> str:
    """`offline` unless BEDROCK_MODE says `live`."""
    value = os.environ.get("BEDROCK_MODE", OFFLINE).strip().lower() or OFFLINE
    if value not in (OFFLINE, LIVE):
        raise ValueError(f"BEDROCK_MODE must be 'offline' or 'live', not {value!r}.")
    return value


def bedrock_config(**overrides) -> Config:
    """Long read timeout (Nova's docs recommend 3600 s for long generations) and adaptive retries."""
    settings = {
        "connect_timeout": 60,
        "read_timeout": 3600,
        "retries": {"mode": "adaptive", "max_attempts": 5},
    }
    settings.update(overrides)
    return Config(**settings)


def session(region: str | None = None, profile: str | None = None) -> boto3.Session:
    """A boto3 session: the normal credential chain live, placeholder keys offline (unless a
    profile is named, so offline IAM lessons can sign with the keys they created)."""
    region = region or os.environ.get("AWS_REGION")  # botocore itself reads only AWS_DEFAULT_REGION
    if mode() == LIVE or profile:
        return boto3.Session(profile_name=profile, region_name=region)
    # Offline ignores AWS_PROFILE: a profile this machine lacks must not break a notebook that needs none.
    without_profile = botocore.session.Session(session_vars={"profile": (None, None, None, None)})
    return boto3.Session(
        botocore_session=without_profile,
        aws_access_key_id=OFFLINE_ACCESS_KEY,
        aws_secret_access_key=OFFLINE_SECRET_KEY,
        region_name=region or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION,
    )


def _client(service: str, region, profile, config, boto_session):
    boto_session = boto_session or session(region, profile)
    client = boto_session.client(service, region_name=region, config=config or bedrock_config())
    if mode() == OFFLINE:
        from .offline import attach

        attach(client)
    return client


def runtime_client(
    region: str | None = None, profile: str | None = None, config: Config | None = None, boto_session=None
):
    """A `bedrock-runtime` client (Converse, ConverseStream, InvokeModel, ...)."""
    return _client("bedrock-runtime", region, profile, config, boto_session)


def control_client(
    region: str | None = None, profile: str | None = None, config: Config | None = None, boto_session=None
):
    """A `bedrock` control-plane client (ListFoundationModels, inference profiles, ...)."""
    return _client("bedrock", region, profile, config, boto_session)


def describe(client=None) -> str:
    """One line saying where calls go, e.g. 'Mode: offline (built-in Bedrock emulator) | region: us-east-1'."""
    region = client.meta.region_name if client is not None else session().region_name
    where = (
        "built-in Bedrock emulator, no AWS account needed"
        if mode() == OFFLINE
        else "real Amazon Bedrock, billed to your account"
    )
    return f"Mode: {mode()} ({where}) | region: {region}"


def banner(client=None) -> None:
    print(describe(client))

"""Client factories: the only place that knows whether the workbook talks to real AWS or offline.

Offline (the default) attaches the built-in emulator to an ordinary boto3 client; live
(`BEDROCK_MODE=live`) uses boto3's normal credential chain and region. Live is never entered
implicitly: any value other than "live" or "offline" is an error, not a guess.

Retries are safe by default. botocore's standard and adaptive modes retry throttling, 5xx statuses
and every `HTTPClientError` — read timeouts and dropped connections included
(botocore/retries/standard.py: `TransientRetryableChecker`, `ThrottledRetryableChecker`;
`ReadTimeoutError` subclasses `HTTPClientError` in botocore/exceptions.py; legacy mode retries it too,
as a `GENERAL_CONNECTION_ERROR` in botocore/retryhandler.py). For Bedrock a read timeout usually
means the model is still generating: sending the request again starts (and bills) a second
generation. So the factories keep botocore's backoff but retry only what happened before any
generation: throttling, ModelNotReadyException, ServiceUnavailableException and failures to connect.
"""

from __future__ import annotations

import os

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import ConnectionError as NotConnected
from botocore.exceptions import NoCredentialsError, NoRegionError
from botocore.retries import quota, standard
from botocore.retries.base import BaseRetryableChecker
from botocore.utils import get_token_from_environment

OFFLINE, LIVE = "offline", "live"
DEFAULT_REGION = "us-east-1"
# Offline requests are signed with these placeholder keys: nothing real is ever needed or shown.
OFFLINE_ACCESS_KEY = "AKIAOFFLINEEXAMPLE00"
OFFLINE_SECRET_KEY = "offline-secret-not-a-real-key"

# Interactive calls: an answer of a few thousand tokens arrives well within 5 minutes; streams
# reset the read timeout with every event, so they need no more.
INTERACTIVE_READ_TIMEOUT = 300
# Long non-streamed generations: Nova's documentation recommends a 3600 s read timeout.
LONG_READ_TIMEOUT = 3600
# Statuses and codes a request meets before the model starts: safe to send again.
REFUSED_STATUSES = (429, 503)
REFUSED_CODES = ("ServiceUnavailableException",)


class MissingRegion(NoRegionError):
    """Live mode without a region: botocore's NoRegionError, with the fix in its message."""

    fmt = (
        "No AWS region is set, and Bedrock is a regional service. Fix: export AWS_REGION=us-east-1 "
        "(a region that offers the models you need), or store one in your profile with "
        "`aws configure set region us-east-1`, or pass region='us-east-1' to the client factory."
    )


class MissingCredentials(NoCredentialsError):
    """Live mode without credentials or a Bedrock API key: raised at the client's first call."""

    fmt = (
        "No AWS credentials were found (environment, profile, SSO or role) and no Bedrock API key "
        "(AWS_BEARER_TOKEN_BEDROCK). Fix: run `aws configure` (access keys) or `aws configure sso` and "
        "`aws sso login`, and set AWS_PROFILE if your profile has a name; notebook 01 shows how, and "
        "`python3 workbook.py doctor` checks the result."
    )


def mode() -> str:
    """`offline` unless BEDROCK_MODE says `live`."""
    value = os.environ.get("BEDROCK_MODE", OFFLINE).strip().lower() or OFFLINE
    if value not in (OFFLINE, LIVE):
        raise ValueError(f"BEDROCK_MODE must be 'offline' or 'live', not {value!r}.")
    return value


def bedrock_config(**overrides) -> Config:
    """The default: a 300 s read timeout and adaptive retries (3 retries, 4 calls at most). The
    factories make those retries safe (see `safe_retries`): a read timeout is never sent again."""
    settings = {
        "connect_timeout": 10,
        "read_timeout": INTERACTIVE_READ_TIMEOUT,
        "retries": {"mode": "adaptive", "total_max_attempts": 4},
    }
    settings.update(overrides)
    return Config(**settings)


def long_generation_config(**overrides) -> Config:
    """For one long non-streamed generation (large maxTokens, slow models): a 3600 s read timeout,
    with the same safe retries, so a request that times out is never generated (and billed) twice.
    Streaming (ConverseStream) is the better answer when you can use it."""
    return bedrock_config(read_timeout=LONG_READ_TIMEOUT, **overrides)


class BeforeGeneration(BaseRetryableChecker):
    """Retry only failures that happened before the model started: throttling (by code or 429),
    errors modelled as retryable (ModelNotReadyException), 503, and connections never made."""

    def __init__(self, max_attempts: int):
        self._attempts = standard.MaxAttemptsChecker(max_attempts)
        self._throttled = standard.ThrottledRetryableChecker()
        self._modeled = standard.ModeledRetryableChecker()

    def is_retryable(self, context) -> bool:
        response = context.http_response
        refused = (
            context.get_error_code() in REFUSED_CODES
            or (response is not None and response.status_code in REFUSED_STATUSES)
            or isinstance(context.caught_exception, NotConnected)
            or self._throttled.is_retryable(context)
            or self._modeled.is_retryable(context)
        )
        return bool(refused) and self._attempts.is_retryable(context)


def safe_retries(client):
    """Replace botocore's retry decision on `client` (standard or adaptive mode) by `BeforeGeneration`,
    keeping botocore's backoff, retry quota and attempt count. Returns the client."""
    retries = client.meta.config.retries or {}
    if retries.get("mode") not in ("standard", "adaptive"):
        raise ValueError(
            "safe_retries works with retries mode 'standard' or 'adaptive' (legacy retries read timeouts)."
        )
    service = client.meta.service_model.service_id.hyphenize()
    adapter = standard.RetryEventAdapter()
    throttling = standard.ThrottlingErrorDetector(adapter)
    retry_quota = standard.RetryQuotaChecker(quota.RetryQuota(), throttling)
    handler = standard.RetryHandler(
        retry_policy=standard.RetryPolicy(
            retry_checker=BeforeGeneration(retries.get("total_max_attempts") or standard.DEFAULT_MAX_ATTEMPTS),
            retry_backoff=standard.ExponentialBackoff(service_name=service, throttling_detector=throttling),
        ),
        retry_event_adapter=adapter,
        retry_quota=retry_quota,
        service_name=service,
    )
    unique_id = f"retry-config-{service}"  # the id botocore registers its own handler under
    client.meta.events.unregister(f"needs-retry.{service}", unique_id=unique_id)
    client.meta.events.register(f"needs-retry.{service}", handler.needs_retry, unique_id=unique_id)
    client.meta.events.register(f"after-call.{service}", retry_quota.release_retry_quota)
    return client


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


def _refuse_without_credentials(client, boto_session) -> None:
    """Live: if the chain found nothing, the first call raises MissingCredentials (with the fix)
    instead of botocore's bare "Unable to locate credentials" from deep inside the signer. A Bedrock
    API key (AWS_BEARER_TOKEN_BEDROCK) is enough on its own: botocore then signs with it."""
    signing_name = client.meta.service_model.signing_name
    if boto_session.get_credentials() is not None or get_token_from_environment(signing_name):
        return

    def refuse(**_):
        raise MissingCredentials()

    client.meta.events.register(f"before-call.{client.meta.service_model.service_id.hyphenize()}", refuse)


def _client(service: str, region, profile, config, boto_session):
    boto_session = boto_session or session(region, profile)
    try:
        client = boto_session.client(service, region_name=region, config=config or bedrock_config())
    except NoRegionError:
        raise MissingRegion() from None  # the fix, not botocore's endpoint-resolution traceback
    if mode() == LIVE:
        _refuse_without_credentials(client, boto_session)
    if (client.meta.config.retries or {}).get("mode") in ("standard", "adaptive"):
        safe_retries(client)
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


def s3_client(region: str | None = None, profile: str | None = None, boto_session=None):
    """An S3 client (batch inference input and output). Offline the emulator answers it too (moto's
    S3 behind the same endpoint as Bedrock), with path-style addresses as on a local endpoint."""
    config = bedrock_config(s3={"addressing_style": "path"}) if mode() == OFFLINE else None
    return _client("s3", region, profile, config, boto_session)


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

"""Bedrock API keys and model access as they are since 2025: boto3 with only AWS_BEARER_TOKEN_BEDROCK,
short-term keys verified against the identity that signed them, long-term keys against their owner,
the AWS Marketplace rule on first use of a third-party model, and the server over HTTPS."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

import helpers.iam as iam_helpers
from conftest import NO_RETRY, error_of, require, text_message
from helpers.offline import attach, iam_server
from helpers.offline.access import IamAuthorizer, enforce_iam
from helpers.offline.errors import MSG_BAD_API_KEY, MSG_MARKETPLACE
from helpers.offline.server import running
from helpers.offline.tls import server_context

REGION = "us-west-2"
HAIKU_MODEL = "anthropic.claude-haiku-4-5-20251001-v1:0"
HAIKU = "global." + HAIKU_MODEL  # profile-only: called through its global. profile
NOVA_LITE = "amazon.nova-lite-v1:0"
BAD_KEY = (403, "AccessDeniedException", MSG_BAD_API_KEY)
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def iam(monkeypatch):
    monkeypatch.setenv("BEDROCK_MODE", "offline")
    iam_server.reset()
    return iam_helpers.iam_client()


@pytest.fixture
def user(iam):
    return iam_helpers.create_runtime_user(iam)


@pytest.fixture
def guarded(emulator, iam) -> IamAuthorizer:
    return enforce_iam(emulator, iam)


@pytest.fixture
def bearer_only(monkeypatch, tmp_path):
    """An environment with no access keys and no credentials files: only what a test sets."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_REGION", REGION)

    def use(token: str):
        monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", token)
        client = boto3.client("bedrock-runtime", region_name=REGION, config=NO_RETRY)
        assert client._request_signer._credentials is None  # nothing to sign with but the token
        return client

    return use


def converse(client, model_id=NOVA_LITE):
    return client.converse(modelId=model_id, messages=[text_message("Say hello.")])


def user_session(user) -> boto3.Session:
    return boto3.Session(
        aws_access_key_id=user["AccessKeyId"], aws_secret_access_key=user["SecretAccessKey"], region_name=REGION
    )


def refused(client, model_id=NOVA_LITE):
    with pytest.raises(ClientError) as excinfo:
        converse(client, model_id)
    return error_of(excinfo)


# ---- bearer tokens in-process --------------------------------------------------------------------
def test_bearer_token_alone_completes_converse_in_process(emulator, bearer_only):
    client = bearer_only("bedrock-api-key-anything")
    seen = []
    client.meta.events.register("before-send", lambda request, **_: seen.append(request.headers["Authorization"]))
    attach(client, emulator)
    assert converse(client)["output"]["message"]["role"] == "assistant"
    assert seen == [b"Bearer bedrock-api-key-anything"] or seen == ["Bearer bedrock-api-key-anything"]


def test_short_term_key_acts_as_the_identity_that_signed_it(emulator, guarded, iam, user, bearer_only):
    token = iam_helpers.short_term_api_key(user_session(user), REGION)
    assert token.startswith("bedrock-api-key-")
    client = bearer_only(token)
    attach(client, emulator)
    assert converse(client)["stopReason"] == "end_turn"
    iam.detach_user_policy(UserName=user["UserName"], PolicyArn=user["PolicyArn"])
    status, code, message = refused(client)
    assert (status, code) == (403, "AccessDeniedException")
    assert message.startswith("User: arn:aws:iam::123456789012:user/bedrock-runtime is not authorized")


def test_bad_and_expired_short_term_keys(emulator, guarded, user, bearer_only):
    token = iam_helpers.short_term_api_key(user_session(user), REGION, seconds=3600)
    forged = iam_helpers.short_term_api_key(
        boto3.Session(aws_access_key_id=user["AccessKeyId"], aws_secret_access_key="not-the-secret"), REGION
    )
    stranger = iam_helpers.short_term_api_key(
        boto3.Session(aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="x"), REGION
    )
    for bad in (forged, stranger, "bedrock-api-key-%%%", "bedrock-api-key-" + "aGVsbG8=", "ABSKnothing", "x"):
        client = bearer_only(bad)
        attach(client, emulator)
        assert refused(client) == BAD_KEY, bad
    client = bearer_only(token)
    attach(client, emulator)
    assert converse(client)["stopReason"] == "end_turn"
    guarded.now = lambda: dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1, seconds=1)
    assert refused(client) == BAD_KEY


def test_short_term_keys_last_at_most_12_hours(user):
    with pytest.raises(ValueError, match="at most 12 hours"):
        iam_helpers.short_term_api_key(user_session(user), REGION, seconds=12 * 3600 + 1)


def test_long_term_key_acts_as_its_owner_until_it_expires(emulator, guarded, iam, user, bearer_only):
    created = iam_helpers.create_long_term_api_key(iam, user["UserName"], days=1)
    assert created["ServiceName"] == "bedrock.amazonaws.com" and created["UserName"] == user["UserName"]
    client = bearer_only(created["ServiceCredentialSecret"])
    attach(client, emulator)
    assert converse(client)["stopReason"] == "end_turn"
    iam.detach_user_policy(UserName=user["UserName"], PolicyArn=user["PolicyArn"])
    assert refused(client)[2].startswith("User: arn:aws:iam::123456789012:user/bedrock-runtime is not authorized")
    iam.attach_user_policy(UserName=user["UserName"], PolicyArn=user["PolicyArn"])
    guarded.now = lambda: dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1, seconds=1)
    assert refused(client) == BAD_KEY


def test_long_term_key_needs_an_existing_user(iam):
    with pytest.raises(ClientError) as excinfo:
        iam_helpers.create_long_term_api_key(iam, "nobody")
    assert excinfo.value.response["Error"]["Code"] == "NoSuchEntity"


# ---- AWS Marketplace on first use of a third-party model ------------------------------------------
def _invoke_only_user(iam, name: str) -> boto3.Session:
    statement = {
        "Effect": "Allow",
        "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
        "Resource": ["arn:aws:bedrock:*::foundation-model/*", "arn:aws:bedrock:*:*:inference-profile/*"],
    }
    iam.create_user(UserName=name)
    document = {"Version": "2012-10-17", "Statement": [statement]}
    iam.put_user_policy(UserName=name, PolicyName="invoke", PolicyDocument=json.dumps(document))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return boto3.Session(
        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], region_name=REGION
    )


def test_first_call_to_a_third_party_model_needs_marketplace_permissions(emulator, guarded, iam, user):
    app = _invoke_only_user(iam, "app").client("bedrock-runtime", config=NO_RETRY)
    attach(app, emulator)
    assert converse(app)["stopReason"] == "end_turn"  # Amazon's own model: no subscription
    assert refused(app, HAIKU) == (403, "AccessDeniedException", MSG_MARKETPLACE)
    assert refused(app, "us." + HAIKU_MODEL)[2] == MSG_MARKETPLACE  # a profile counts for its model

    admin = user_session(user).client("bedrock-runtime", config=NO_RETRY)
    attach(admin, emulator)
    assert converse(admin, HAIKU)["stopReason"] == "end_turn"  # subscribes the account
    assert converse(app, HAIKU)["stopReason"] == "end_turn"  # from now on, for every identity
    assert ("123456789012", HAIKU_MODEL) in guarded.subscribed
    assert enforce_iam(emulator, iam).subscribed == guarded.subscribed  # kept across re-enforcement


def test_marketplace_rule_only_applies_with_iam_enforcement(runtime):
    assert converse(runtime, HAIKU)["stopReason"] == "end_turn"


def test_policy_file_allows_the_marketplace_subscription():
    from helpers.exercises.checks import NotYet, check_policy

    document = iam_helpers.policy()
    statement = next(s for s in document["Statement"] if s["Sid"] == "SubscribeOnFirstCallToThirdPartyModels")
    assert statement["Action"] == ["aws-marketplace:ViewSubscriptions", "aws-marketplace:Subscribe"]
    from helpers.exercises.solutions import SOLUTIONS

    answer = SOLUTIONS["01-policy"]()
    check_policy({**answer, "Statement": [*answer["Statement"], statement]})  # the exercise accepts it too
    wildcard = {**statement, "Action": "aws-marketplace:*"}
    with pytest.raises(NotYet, match="instead of a wildcard"):
        check_policy({**answer, "Statement": [*answer["Statement"], wildcard]})


# ---- HTTPS -----------------------------------------------------------------------------------------
def test_tls_server_serves_what_the_plain_server_served(tmp_path):
    context = server_context(tmp_path)
    with running(tls=context) as server:
        assert server.url.startswith("https://127.0.0.1:")
        options = dict(region_name=REGION, endpoint_url=server.url, config=NO_RETRY, verify=str(tmp_path / "ca.pem"))
        keys = dict(aws_access_key_id="AKIADUMMYDUMMYDUMMY0", aws_secret_access_key="dummy")
        runtime = boto3.client("bedrock-runtime", **options, **keys)
        assert converse(runtime)["stopReason"] == "end_turn"
        events = runtime.converse_stream(modelId=NOVA_LITE, messages=[text_message("Say hello.")])["stream"]
        assert "messageStop" in [next(iter(event)) for event in events]
        control = boto3.client("bedrock", **options, **keys)
        assert control.list_foundation_models()["modelSummaries"]
        with pytest.raises(ClientError) as excinfo:
            converse(runtime, "no.such-model")
        assert error_of(excinfo)[:2] == (400, "ValidationException")
        untrusting = boto3.client("bedrock-runtime", region_name=REGION, endpoint_url=server.url, **keys)
        with pytest.raises(Exception, match="SSL|certificate"):
            converse(untrusting)


CHILD = textwrap.dedent(
    """
    import boto3
    client = boto3.client("bedrock-runtime")
    answer = client.converse(modelId="amazon.nova-lite-v1:0", messages=[{"role": "user", "content": [{"text": "Hi"}]}])
    print(answer["stopReason"], client._request_signer._credentials is None)
    """
)


def test_bearer_token_over_tls_from_a_clean_environment(tmp_path):
    tls_dir = tmp_path / "tls"
    server = subprocess.Popen(
        [sys.executable, "-m", "helpers.offline", "--port", "0", "--tls", "--tls-dir", str(tls_dir)],
        cwd=REPO,
        env={"PATH": os.environ["PATH"], "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [server.stdout.readline() for _ in range(6)]
        url = lines[0].rsplit(" ", 1)[1].strip()
        assert url.startswith("https://127.0.0.1:")
        assert any(f"export AWS_CA_BUNDLE={tls_dir.resolve() / 'ca.pem'}" in line for line in lines)
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(tmp_path),
            "AWS_BEARER_TOKEN_BEDROCK": "bedrock-api-key-offline",
            "AWS_CA_BUNDLE": str(tls_dir / "ca.pem"),
            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": url,
            "AWS_DEFAULT_REGION": REGION,  # botocore reads this one, not AWS_REGION
            "AWS_EC2_METADATA_DISABLED": "true",
        }
        child = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120)
        assert child.returncode == 0, child.stderr
        assert child.stdout.split() == ["end_turn", "True"]
        env["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = url.replace("https://", "http://")
        plain = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120)
        assert "Bearer authorization requires an HTTPS endpoint." in plain.stderr
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_http2_over_tls_by_alpn(tmp_path):
    curl = require("curl")
    with running(tls=server_context(tmp_path)) as server:
        args = [
            curl,
            "-s",
            "--cacert",
            str(tmp_path / "ca.pem"),
            "-o",
            os.devnull,
            "-w",
            "%{http_version} %{http_code}",
        ]
        url = server.url + "/foundation-models"
        h2 = subprocess.run([*args, "--http2", url], capture_output=True, text=True, timeout=60).stdout
        h1 = subprocess.run([*args, "--http1.1", url], capture_output=True, text=True, timeout=60).stdout
    assert (h2, h1) == ("2 200", "1.1 200")

"""IAM end to end: users, policies and keys in moto's IAM; requests signed with those keys and
judged by the emulator (in-process and over HTTP) with IAM's and Bedrock's own words."""

from __future__ import annotations

import json
import os
import stat

import boto3
import pytest
from botocore.exceptions import ClientError

import helpers.iam as iam_helpers
from conftest import NO_RETRY, error_of, text_message
from helpers.offline import attach, iam_server
from helpers.offline.access import INVALID_TOKEN, IamAuthorizer, decide, enforce_iam, model_access, parse_document
from helpers.offline.errors import MSG_NO_ACCESS
from helpers.offline.server import running

# migrate_models: keep-file
# IAM decisions do not depend on the day; these tests authorize Claude 3 Haiku's on-demand base-id ARN
# and its us. profile as the 2024 lesson did, so they replay a day it was ACTIVE.
pytestmark = pytest.mark.usefixtures("replay_day")

REGION = "us-west-2"
USER_ARN = "arn:aws:iam::123456789012:user/bedrock-runtime"
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
NOVA_LITE = "amazon.nova-lite-v1:0"
HAIKU_ARN = f"arn:aws:bedrock:{REGION}::foundation-model/{HAIKU}"


@pytest.fixture
def iam(monkeypatch):
    """moto's IAM, emptied, and a private place for the credentials files."""
    monkeypatch.setenv("BEDROCK_MODE", "offline")
    for name in iam_helpers.FILE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    iam_server.reset()
    yield iam_helpers.iam_client()
    iam_helpers.remove_offline_files()


@pytest.fixture
def user(iam):
    """The lesson's set-up: policy, user, attachment, key, profile."""
    created = iam_helpers.create_runtime_user(iam)
    iam_helpers.write_profile(created["AccessKeyId"], created["SecretAccessKey"])
    return created


@pytest.fixture
def guarded(emulator, iam):
    enforce_iam(emulator, iam)
    return emulator


def profile_client(emulator, service="bedrock-runtime", region=REGION):
    """A client signed with the profile's keys, answered in-process by the emulator."""
    client = boto3.Session(profile_name=iam_helpers.PROFILE).client(service, region_name=region, config=NO_RETRY)
    attach(client, emulator)
    return client


def key_client(emulator, access_key_id, secret="secret", service="bedrock-runtime", region=REGION):
    client = boto3.client(
        service, region_name=region, aws_access_key_id=access_key_id, aws_secret_access_key=secret, config=NO_RETRY
    )
    attach(client, emulator)
    return client


def converse(client, model_id=HAIKU):
    return client.converse(modelId=model_id, messages=[text_message("Say hello.")])


def denied(action, resource, explicit=False):
    reason = (
        "with an explicit deny in an identity-based policy"
        if explicit
        else f"because no identity-based policy allows the {action} action"
    )
    where = f" on resource: {resource}" if resource else ""
    return (403, "AccessDeniedException", f"User: {USER_ARN} is not authorized to perform: {action}{where} {reason}")


# ---- the lesson's flow ---------------------------------------------------------------------------
def test_profile_converse_succeeds_then_detach_denies(guarded, iam, user):
    client = profile_client(guarded)
    assert converse(client)["output"]["message"]["role"] == "assistant"

    iam.detach_user_policy(UserName=user["UserName"], PolicyArn=user["PolicyArn"])
    with pytest.raises(ClientError) as excinfo:
        converse(client)
    assert error_of(excinfo) == denied("bedrock:InvokeModel", HAIKU_ARN)

    iam.attach_user_policy(UserName=user["UserName"], PolicyArn=user["PolicyArn"])
    assert converse(client)["stopReason"] == "end_turn"


def test_profile_works_over_http_and_sts_knows_the_user(guarded, iam, user):
    session = boto3.Session(profile_name=iam_helpers.PROFILE)
    assert session.region_name == REGION
    assert iam_helpers.caller_identity(session)["Arn"] == USER_ARN
    with running(emulator=guarded) as server:
        client = session.client("bedrock-runtime", endpoint_url=server.url, config=NO_RETRY)
        assert converse(client)["stopReason"] == "end_turn"
        stranger = boto3.client(
            "bedrock-runtime",
            region_name=REGION,
            endpoint_url=server.url,
            config=NO_RETRY,
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
            aws_secret_access_key="x",
        )
        with pytest.raises(ClientError) as excinfo:
            converse(stranger)
    assert error_of(excinfo) == (403, "UnrecognizedClientException", INVALID_TOKEN)


def test_streaming_needs_its_own_action(guarded, iam, user):
    invoke_only = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": "arn:aws:bedrock:*::foundation-model/*"}
        ],
    }
    converse(profile_client(guarded))  # the lesson's policy subscribes the account to the model (Marketplace)
    iam.detach_user_policy(UserName=user["UserName"], PolicyArn=user["PolicyArn"])
    iam.put_user_policy(UserName=user["UserName"], PolicyName="invoke-only", PolicyDocument=json.dumps(invoke_only))
    client = profile_client(guarded)
    assert converse(client)["stopReason"] == "end_turn"
    with pytest.raises(ClientError) as excinfo:
        client.converse_stream(modelId=HAIKU, messages=[text_message("Say hello.")])
    assert error_of(excinfo) == denied("bedrock:InvokeModelWithResponseStream", HAIKU_ARN)
    body = json.dumps(
        {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50, "messages": [{"role": "user", "content": "Hi"}]}
    )
    assert client.invoke_model(modelId=HAIKU, body=body)["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(ClientError) as excinfo:
        client.invoke_model_with_response_stream(modelId=HAIKU, body=body)
    assert error_of(excinfo) == denied("bedrock:InvokeModelWithResponseStream", HAIKU_ARN)


def test_explicit_deny_wins_over_allow(guarded, iam, user):
    deny_anthropic = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Action": "bedrock:Invoke*",
                "Resource": "arn:aws:bedrock:*::foundation-model/anthropic.*",
            }
        ],
    }
    iam.put_user_policy(UserName=user["UserName"], PolicyName="no-anthropic", PolicyDocument=json.dumps(deny_anthropic))
    client = profile_client(guarded)
    with pytest.raises(ClientError) as excinfo:
        converse(client)
    assert error_of(excinfo) == denied("bedrock:InvokeModel", HAIKU_ARN, explicit=True)
    assert converse(client, NOVA_LITE)["stopReason"] == "end_turn"


def test_wildcards_in_action_and_resource(guarded, iam, user):
    nova_in_oregon = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "BEDROCK:invoke?odel*",
                "Resource": "arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-*",
            }
        ],
    }
    iam.detach_user_policy(UserName=user["UserName"], PolicyArn=user["PolicyArn"])
    iam.put_user_policy(UserName=user["UserName"], PolicyName="nova", PolicyDocument=json.dumps(nova_in_oregon))
    assert converse(profile_client(guarded), NOVA_LITE)["stopReason"] == "end_turn"
    with pytest.raises(ClientError) as excinfo:
        converse(profile_client(guarded))
    assert error_of(excinfo) == denied("bedrock:InvokeModel", HAIKU_ARN)
    with pytest.raises(ClientError) as excinfo:
        converse(profile_client(guarded, region="us-east-1"), NOVA_LITE)
    assert error_of(excinfo) == denied(
        "bedrock:InvokeModel", f"arn:aws:bedrock:us-east-1::foundation-model/{NOVA_LITE}"
    )


def test_inference_profile_needs_its_arn(guarded, iam, user):
    models_only = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": "arn:aws:bedrock:*::foundation-model/*"}
        ],
    }
    iam.detach_user_policy(UserName=user["UserName"], PolicyArn=user["PolicyArn"])
    iam.put_user_policy(UserName=user["UserName"], PolicyName="models-only", PolicyDocument=json.dumps(models_only))
    client = profile_client(guarded)
    with pytest.raises(ClientError) as excinfo:
        converse(client, "us." + HAIKU)
    profile_arn = f"arn:aws:bedrock:{REGION}:123456789012:inference-profile/us.{HAIKU}"
    assert error_of(excinfo) == denied("bedrock:InvokeModel", profile_arn)
    iam.attach_user_policy(UserName=user["UserName"], PolicyArn=user["PolicyArn"])
    assert converse(client, "us." + HAIKU)["stopReason"] == "end_turn"


def test_group_policies_count(guarded, iam, user):
    iam.detach_user_policy(UserName=user["UserName"], PolicyArn=user["PolicyArn"])
    iam.create_group(GroupName="bedrock-users")
    iam.add_user_to_group(GroupName="bedrock-users", UserName=user["UserName"])
    client = profile_client(guarded)
    with pytest.raises(ClientError):
        converse(client)
    iam.attach_group_policy(GroupName="bedrock-users", PolicyArn=user["PolicyArn"])
    assert converse(client)["stopReason"] == "end_turn"


def test_new_default_policy_version_applies_next_call(guarded, iam, user):
    client = profile_client(guarded)
    assert converse(client)["stopReason"] == "end_turn"
    nova_only = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "bedrock:InvokeModel",
                "Resource": "arn:aws:bedrock:*::foundation-model/amazon.*",
            }
        ],
    }
    iam.create_policy_version(PolicyArn=user["PolicyArn"], PolicyDocument=json.dumps(nova_only), SetAsDefault=True)
    with pytest.raises(ClientError) as excinfo:
        converse(client)
    assert error_of(excinfo) == denied("bedrock:InvokeModel", HAIKU_ARN)


def test_listing_models_needs_list_permission(guarded, iam, user):
    control = profile_client(guarded, "bedrock")
    ids = [m["modelId"] for m in control.list_foundation_models(byProvider="anthropic")["modelSummaries"]]
    assert HAIKU in ids
    iam.detach_user_policy(UserName=user["UserName"], PolicyArn=user["PolicyArn"])
    with pytest.raises(ClientError) as excinfo:
        control.list_foundation_models()
    assert error_of(excinfo) == denied("bedrock:ListFoundationModels", None)


# ---- unknown, deleted and inactive keys -------------------------------------------------------------
def test_unknown_key_is_an_invalid_token(guarded):
    with pytest.raises(ClientError) as excinfo:
        converse(key_client(guarded, "AKIAIOSFODNN7EXAMPLE"))
    assert error_of(excinfo) == (403, "UnrecognizedClientException", INVALID_TOKEN)


def test_unknown_key_is_refused_before_the_request_is_examined(guarded, iam, user):
    client = key_client(guarded, "AKIAIOSFODNN7EXAMPLE")
    for call in (
        lambda: converse(client, "anthropic.no-such-model"),
        lambda: client.converse(modelId=HAIKU, messages=[text_message("a"), text_message("b")]),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo) == (403, "UnrecognizedClientException", INVALID_TOKEN)
    with pytest.raises(ClientError) as excinfo:
        converse(profile_client(guarded), "anthropic.no-such-model")  # a known key gets to validation
    assert error_of(excinfo)[:2] == (400, "ValidationException")


def test_inactive_and_deleted_keys_are_refused(guarded, iam, user):
    client = profile_client(guarded)
    iam.update_access_key(UserName=user["UserName"], AccessKeyId=user["AccessKeyId"], Status="Inactive")
    with pytest.raises(ClientError) as excinfo:
        converse(client)
    assert error_of(excinfo) == (403, "UnrecognizedClientException", INVALID_TOKEN)
    iam.delete_access_key(UserName=user["UserName"], AccessKeyId=user["AccessKeyId"])
    with pytest.raises(ClientError) as excinfo:
        converse(client)
    assert error_of(excinfo) == (403, "UnrecognizedClientException", INVALID_TOKEN)


def test_without_identities_any_key_is_accepted(emulator):
    assert converse(key_client(emulator, "AKIAIOSFODNN7EXAMPLE"))["stopReason"] == "end_turn"


# ---- model access ---------------------------------------------------------------------------------
def test_withheld_model_access(guarded, user):
    access = model_access(guarded)
    access.withhold(HAIKU)
    client = profile_client(guarded)
    for model_id in (HAIKU, "us." + HAIKU):
        with pytest.raises(ClientError) as excinfo:
            converse(client, model_id)
        assert error_of(excinfo) == (403, "AccessDeniedException", MSG_NO_ACCESS)
    assert converse(client, NOVA_LITE)["stopReason"] == "end_turn"
    assert HAIKU in [
        m["modelId"] for m in profile_client(guarded, "bedrock").list_foundation_models()["modelSummaries"]
    ]
    access.grant(HAIKU)
    assert converse(client)["stopReason"] == "end_turn"


def test_model_access_applies_without_iam(emulator):
    model_access(emulator).withhold(NOVA_LITE)
    with pytest.raises(ClientError) as excinfo:
        converse(key_client(emulator, "AKIAIOSFODNN7EXAMPLE"), NOVA_LITE)
    assert error_of(excinfo) == (403, "AccessDeniedException", MSG_NO_ACCESS)


# ---- policy evaluation details ---------------------------------------------------------------------
def test_policy_missing_from_account_details_is_fetched(iam, user):
    """AWS managed policies are not in the account's details; their documents are fetched by ARN."""
    statements = IamAuthorizer(iam)._managed([{"PolicyArn": user["PolicyArn"]}], policies={})
    assert decide(statements, "bedrock:InvokeModel", HAIKU_ARN) == "Allow"
    assert decide(statements, "iam:CreateUser", "*") is None


def test_not_action_and_conditions():
    statements = parse_document(
        json.dumps(
            {
                "Statement": [
                    {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
                    {
                        "Effect": "Allow",
                        "Action": "iam:GetUser",
                        "Resource": "*",
                        "Condition": {"Bool": {"aws:SecureTransport": "true"}},
                    },
                    {
                        "Effect": "Deny",
                        "Action": "bedrock:InvokeModel",
                        "NotResource": "arn:aws:bedrock:*::foundation-model/amazon.*",
                        "Condition": {"StringEquals": {"aws:RequestedRegion": "us-west-2"}},
                    },
                ]
            }
        )
    )
    assert decide(statements, "bedrock:ListFoundationModels", "*") == "Allow"
    assert decide(statements, "iam:CreateUser", "*") is None
    assert decide(statements, "iam:GetUser", "*") is None  # a conditional Allow grants nothing offline
    assert decide(statements, "bedrock:InvokeModel", HAIKU_ARN) == "Deny"  # a conditional Deny applies
    assert (
        decide(statements, "bedrock:InvokeModel", f"arn:aws:bedrock:{REGION}::foundation-model/{NOVA_LITE}") == "Allow"
    )


def test_policy_file_is_least_privilege():
    document = iam_helpers.policy()
    actions = {a for s in document["Statement"] for a in s["Action"]}
    assert {"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:ListFoundationModels"} <= actions
    assert not any("*" in a for a in actions)
    invoke = next(s for s in document["Statement"] if "bedrock:InvokeModel" in s["Action"])
    assert invoke["Resource"] == ["arn:aws:bedrock:*::foundation-model/*", "arn:aws:bedrock:*:*:inference-profile/*"]


# ---- credentials and config files ------------------------------------------------------------------
def test_profile_files_like_aws_configure(iam, user):
    credentials, config = iam_helpers.config_files()
    for path in (credentials, config):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(credentials.parent.stat().st_mode) == 0o700
    text = credentials.read_text()
    assert f"[{iam_helpers.PROFILE}]" in text and user["SecretAccessKey"] in text
    assert config.read_text() == f"[profile {iam_helpers.PROFILE}]\nregion = {REGION}\noutput = json\n\n"

    iam_helpers.write_profile("AKIAIOSFODNN7EXAMPLE", "other-secret", profile="default", region="us-east-1")
    session = boto3.Session(profile_name=iam_helpers.PROFILE)
    frozen = session.get_credentials().get_frozen_credentials()
    assert (frozen.access_key, frozen.secret_key) == (user["AccessKeyId"], user["SecretAccessKey"])
    assert boto3.Session(profile_name="default").region_name == "us-east-1"

    shown = iam_helpers.show_files()
    assert user["SecretAccessKey"] not in shown and user["AccessKeyId"] not in shown
    assert "aws_access_key_id = AKIA****************" in shown and "(permissions 0o600)" in shown


def test_existing_loose_file_is_tightened(iam, tmp_path, monkeypatch):
    loose = tmp_path / "credentials"
    loose.write_text("[someone-else]\naws_access_key_id = X\naws_secret_access_key = Y\n")
    loose.chmod(0o644)
    iam_helpers.use_offline_files()  # offline temp dir first ...
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(loose))  # ... then a file the learner named
    iam_helpers.write_profile("AKIAIOSFODNN7EXAMPLE", "s")
    assert stat.S_IMODE(loose.stat().st_mode) == 0o600
    assert "[someone-else]" in loose.read_text()


def test_forget_profile_keeps_other_profiles(iam, user, tmp_path, monkeypatch):
    credentials, config = tmp_path / "credentials", tmp_path / "config"
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    iam_helpers.write_profile("AKIAIOSFODNN7EXAMPLE", "s", profile="work")
    iam_helpers.write_profile(user["AccessKeyId"], user["SecretAccessKey"])
    iam_helpers.forget_profile()
    assert credentials.read_text() == "[work]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s\n\n"
    assert config.read_text() == f"[profile work]\nregion = {REGION}\noutput = json\n\n"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600


def test_second_user_reuses_the_policy(guarded, iam, user):
    alice = iam_helpers.create_runtime_user(iam, "alice", policy_arn=user["PolicyArn"])
    assert alice["PolicyArn"] == user["PolicyArn"] and alice["AccessKeyId"] != user["AccessKeyId"]
    assert converse(key_client(guarded, alice["AccessKeyId"], alice["SecretAccessKey"]))["stopReason"] == "end_turn"
    assert len(iam.list_policies(Scope="Local")["Policies"]) == 1


def test_offline_model_access_is_the_shared_emulators(monkeypatch):
    from helpers.offline import shared_emulator

    monkeypatch.setenv("BEDROCK_MODE", "offline")
    access = iam_helpers.offline_model_access()
    try:
        assert access in shared_emulator().authorizers and iam_helpers.offline_model_access() is access
    finally:
        shared_emulator().authorizers.remove(access)
    monkeypatch.setenv("BEDROCK_MODE", "live")
    assert iam_helpers.offline_model_access() is None


def test_remove_offline_files(iam, user):
    credentials, _ = iam_helpers.config_files()
    iam_helpers.remove_offline_files()
    assert not credentials.exists()
    assert "AWS_SHARED_CREDENTIALS_FILE" not in __import__("os").environ


def test_cleanup_removes_everything(iam, user):
    iam.put_user_policy(UserName=user["UserName"], PolicyName="extra", PolicyDocument=json.dumps(iam_helpers.policy()))
    iam_helpers.delete_runtime_user(iam, user["UserName"], user["PolicyArn"])
    assert iam.list_users()["Users"] == []
    assert iam.list_policies(Scope="Local")["Policies"] == []


# ---- idempotent set-up and certain clean-up ---------------------------------------------------------
def everything_in(iam) -> dict:
    """What the account holds that the lesson could have left: users, their keys, our policies."""
    users = [u["UserName"] for u in iam.list_users()["Users"]]
    return {
        "users": users,
        "keys": [k["AccessKeyId"] for u in users for k in iam.list_access_keys(UserName=u)["AccessKeyMetadata"]],
        "policies": [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]],
    }


def test_create_step_runs_twice_reusing_and_replacing(guarded, iam):
    first = iam_helpers.create_runtime_user(iam)
    second = iam_helpers.create_runtime_user(iam)
    assert first["Steps"] == [
        "created the policy BedrockRuntimeLeastPrivilege",
        "created the user bedrock-runtime",
        "created an access key for bedrock-runtime",
    ]
    assert second["Steps"] == [
        "reused the existing policy BedrockRuntimeLeastPrivilege",
        "reused the existing user bedrock-runtime",
        "replaced 1 earlier access key(s) of bedrock-runtime with a new one",
    ]
    assert second["PolicyArn"] == first["PolicyArn"]
    assert everything_in(iam) == {
        "users": ["bedrock-runtime"],
        "keys": [second["AccessKeyId"]],
        "policies": ["BedrockRuntimeLeastPrivilege"],
    }
    assert converse(key_client(guarded, second["AccessKeyId"], second["SecretAccessKey"]))["stopReason"] == "end_turn"
    with pytest.raises(ClientError) as excinfo:  # the replaced key no longer signs anything
        converse(key_client(guarded, first["AccessKeyId"], first["SecretAccessKey"]))
    assert error_of(excinfo) == (403, "UnrecognizedClientException", INVALID_TOKEN)


def test_an_error_inside_practice_user_leaves_nothing_in_iam(guarded, iam):
    with pytest.raises(RuntimeError, match="midway"), iam_helpers.practice_user(iam) as created:
        assert converse(key_client(guarded, created["AccessKeyId"], created["SecretAccessKey"]))
        assert everything_in(iam)["users"] == ["bedrock-runtime"]
        raise RuntimeError("the lesson failed midway")
    assert everything_in(iam) == {"users": [], "keys": [], "policies": []}


def test_practice_user_keeps_a_policy_it_did_not_create(iam, user):
    with iam_helpers.practice_user(iam, "bedrock-alice", policy_arn=user["PolicyArn"]) as alice:
        assert alice["Steps"] == ["created the user bedrock-alice", "created an access key for bedrock-alice"]
    assert everything_in(iam) == {
        "users": ["bedrock-runtime"],
        "keys": [user["AccessKeyId"]],
        "policies": ["BedrockRuntimeLeastPrivilege"],
    }


def test_practice_user_reuses_and_removes_what_a_crashed_run_left(iam):
    iam_helpers.create_runtime_user(iam)  # a run that died before its clean-up
    with iam_helpers.practice_user(iam) as created:
        assert created["Steps"][:2] == [
            "reused the existing policy BedrockRuntimeLeastPrivilege",
            "reused the existing user bedrock-runtime",
        ]
    assert everything_in(iam) == {"users": [], "keys": [], "policies": []}


def test_remove_leftovers_by_name(iam, user):
    iam_helpers.create_runtime_user(iam, iam_helpers.SECOND_USER_NAME, policy_arn=user["PolicyArn"])
    iam.create_user(UserName="someone-else")
    assert iam_helpers.remove_leftovers(iam) == [
        "deleted the user bedrock-runtime (its access keys and attachments first)",
        "deleted the user bedrock-alice (its access keys and attachments first)",
        "deleted the policy BedrockRuntimeLeastPrivilege",
    ]
    assert everything_in(iam) == {"users": ["someone-else"], "keys": [], "policies": []}
    assert iam_helpers.remove_leftovers(iam) == ["nothing left over: no such users or policy"]


def test_remove_leftovers_keeps_a_policy_someone_else_uses(iam, user):
    iam.create_user(UserName="someone-else")
    iam.attach_user_policy(UserName="someone-else", PolicyArn=user["PolicyArn"])
    assert (
        iam_helpers.remove_leftovers(iam)[-1]
        == "kept the policy BedrockRuntimeLeastPrivilege: still attached to someone-else"
    )
    assert everything_in(iam)["policies"] == ["BedrockRuntimeLeastPrivilege"]


def test_live_creates_no_iam_resources_without_opt_in(iam, monkeypatch):
    monkeypatch.setenv("BEDROCK_MODE", "live")  # `iam` is still moto's: nothing may reach it
    with pytest.raises(PermissionError, match="opt_in=True"):
        iam_helpers.create_runtime_user(iam)
    with pytest.raises(PermissionError, match="CREATE_REAL_IAM = True"), iam_helpers.practice_user(iam):
        pass
    assert everything_in(iam) == {"users": [], "keys": [], "policies": []}
    with iam_helpers.practice_user(iam, opt_in=True) as created:
        assert created["UserName"] == "bedrock-runtime"
    assert everything_in(iam) == {"users": [], "keys": [], "policies": []}


def test_live_creates_nothing_without_opt_in(monkeypatch):
    monkeypatch.setenv("BEDROCK_MODE", "live")
    assert iam_helpers.can_create() is False
    assert iam_helpers.can_create(opt_in=True) is True
    assert iam_helpers.enforce_offline(object()) is False
    monkeypatch.setenv("BEDROCK_MODE", "offline")
    assert iam_helpers.can_create() is True


def test_shareable_arn_masks_account_and_session_name():
    from helpers.iam import shareable_arn

    user = {"Account": "111122223333", "Arn": "arn:aws:iam::111122223333:user/bedrock-runtime"}
    assert shareable_arn(user) == "arn:aws:iam::<account-id>:user/bedrock-runtime"
    role = {"Account": "111122223333", "Arn": "arn:aws:sts::111122223333:assumed-role/Dev/ada@example.com"}
    assert shareable_arn(role) == "arn:aws:sts::<account-id>:assumed-role/Dev/<session-name>"


def test_config_files_only_reads(monkeypatch, tmp_path):
    """Finding the files creates nothing and leaves the environment alone; use_offline_files does both."""
    monkeypatch.delenv("BEDROCK_MODE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in iam_helpers.FILE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    iam_helpers.remove_offline_files()
    before = dict(os.environ)
    assert iam_helpers.config_files() == (tmp_path / ".aws" / "credentials", tmp_path / ".aws" / "config")
    assert dict(os.environ) == before and not (tmp_path / ".aws").exists()
    directory = iam_helpers.use_offline_files()
    try:
        assert iam_helpers.config_files() == (directory / "credentials", directory / "config")
    finally:
        iam_helpers.remove_offline_files()


def test_one_user_message_builder():
    import helpers
    from helpers import content, conversation

    assert conversation.user_message is content.user_message
    assert helpers.content is content and helpers.formats.MAX_DOCUMENTS == 5

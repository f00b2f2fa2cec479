"""explain(): every error the emulator produces, raised through real boto3, gets a specific fix."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    ReadTimeoutError,
)

from conftest import DUMMY, REGION, text_message
from helpers.offline import Emulator, attach
from helpers.offline.access import IamAuthorizer, model_access
from helpers.troubleshoot import Explanation, explain

ONE_ATTEMPT = Config(retries={"mode": "standard", "total_max_attempts": 1})
NOVA = "amazon.nova-lite-v1:0"
SONNET = "anthropic.claude-sonnet-4-6"  # profile-only
TOOLS = {"tools": [{"toolSpec": {"name": "t", "inputSchema": {"json": {"type": "object"}}}}]}


@pytest.fixture
def clients(emulator):
    runtime = boto3.client("bedrock-runtime", region_name=REGION, config=ONE_ATTEMPT, **DUMMY)
    control = boto3.client("bedrock", region_name=REGION, config=ONE_ATTEMPT, **DUMMY)
    plan = attach(runtime, emulator)
    attach(control, emulator)
    return plan, runtime, control


def error_from(call) -> ClientError:
    with pytest.raises(ClientError) as excinfo:
        call()
    return excinfo.value


def converse(runtime, model_id=NOVA, messages=None, **kwargs):
    return lambda: runtime.converse(modelId=model_id, messages=messages or [text_message("Hi")], **kwargs)


VALIDATION_CASES = {
    "invalid model id": (
        lambda rt: converse(rt, "anthropic.claude-9"),
        "does not exist in this region",
        "list-foundation-models",
    ),
    "on-demand": (
        lambda rt: converse(rt, SONNET),
        f"{SONNET} can only be called through an inference profile",
        f"'us.{SONNET}'",
    ),
    "start with user": (
        lambda rt: converse(rt, messages=[text_message("Hi", "assistant")]),
        "first message",
        "{'role': 'user'",
    ),
    "alternate": (
        lambda rt: converse(rt, messages=[text_message("a"), text_message("b")]),
        "same role",
        "Merge consecutive",
    ),
    "system": (
        lambda rt: converse(rt, "amazon.titan-text-express-v1", system=[{"text": "Be brief."}]),
        "system prompt",
        "choose_model(system=True)",
    ),
    "blank text": (
        lambda rt: converse(rt, messages=[text_message("a"), text_message(" ", "assistant")]),
        "messages.1.content.0 is empty",
        "Put text in that block",
    ),
    "temperature": (
        lambda rt: converse(rt, inferenceConfig={"temperature": 1.5}),
        "inferenceConfig.temperature = '1.5' is out of bounds",
        "Member must have value less than or equal to 1",
    ),
    "max tokens": (
        lambda rt: converse(rt, inferenceConfig={"maxTokens": 99999}),
        "output limit of 5000",
        "maxTokens to 5000 or less",
    ),
    "tools": (
        lambda rt: converse(rt, "meta.llama3-8b-instruct-v1:0", toolConfig=TOOLS),
        "cannot use tools",
        "choose_model(tools=True)",
    ),
    "not a chat model": (
        lambda rt: converse(rt, "amazon.titan-embed-text-v2:0"),
        "not a text/chat model",
        "byOutputModality='TEXT'",
    ),
    "native body": (
        lambda rt: (
            lambda: rt.invoke_model(
                modelId="global.anthropic.claude-haiku-4-5-20251001-v1:0",
                body=json.dumps(
                    {
                        "anthropic_version": "bedrock-2023-05-31",
                        "max_tokens": 10,
                        "messages": [{"role": "user", "content": "hi"}],
                        "stream": True,
                    }
                ),
            )
        ),
        "native request body",
        "remove or rename the key",
    ),
}


@pytest.mark.parametrize("case", VALIDATION_CASES)
def test_validation_errors(legacy_user, clients, case):
    _, runtime, _ = clients
    make_call, problem, fix = VALIDATION_CASES[case]
    explanation = explain(error_from(make_call(runtime)))
    assert explanation.code == "ValidationException"
    assert problem in explanation.problem
    assert fix in explanation.fix


FAULT_CASES = {
    "ThrottlingException": ("ThrottlingException", "Too many requests or tokens per minute", "exponential backoff"),
    "TooManyTokens": ("ThrottlingException", "Too many tokens per minute", "lower maxTokens"),
    "ModelTimeoutException": ("ModelTimeoutException", "took too long", "lower maxTokens"),
    "ServiceUnavailableException": ("ServiceUnavailableException", "temporarily unavailable", "backoff"),
    "ModelNotReadyException": ("ModelNotReadyException", "not ready", "retries this error automatically"),
    "InternalServerException": ("InternalServerException", "internal error", "Health Dashboard"),
    "ModelErrorException": ("ModelErrorException", "model failed", "simplify the input"),
}


@pytest.mark.parametrize("fault", FAULT_CASES)
def test_injected_faults(clients, fault):
    plan, runtime, _ = clients
    plan.fail_next(1, fault)
    explanation = explain(error_from(converse(runtime)))
    code, problem, fix = FAULT_CASES[fault]
    assert (explanation.code, problem in explanation.problem, fix in explanation.fix) == (code, True, True)


def test_model_access_withheld(emulator, clients):
    _, runtime, _ = clients
    model_access(emulator).withhold(NOVA)
    explanation = explain(error_from(converse(runtime)))
    assert explanation.problem == "This account or identity may not use this model here yet."
    assert "no longer requested on a console page" in explanation.fix
    assert "aws-marketplace:Subscribe" in explanation.fix and "use-case form" in explanation.fix


def today_runtime(monkeypatch):
    """A runtime on the catalog's own day (conftest.bedrock_day)."""
    runtime = boto3.client("bedrock-runtime", region_name=REGION, config=ONE_ATTEMPT, **DUMMY)
    attach(runtime, Emulator())
    return runtime


TODAY_CASES = {
    "end of life": (
        lambda rt: converse(rt, "anthropic.claude-3-sonnet-20240229-v1:0"),  # migrate_models: keep
        "ResourceNotFoundException",
        "retired (end of life)",
        "'global.anthropic.claude-sonnet-4-6'",
    ),
    "legacy": (
        lambda rt: converse(rt, "us.anthropic.claude-opus-4-1-20250805-v1:0"),  # migrate_models: keep
        "ResourceNotFoundException",
        "This model is Legacy",
        "BEDROCK_OFFLINE_ACTIVE_USER_OF=",
    ),
    "temperature with top_p": (
        lambda rt: converse(
            rt, "global.anthropic.claude-sonnet-4-6", inferenceConfig={"temperature": 0.2, "topP": 0.5}
        ),
        "ValidationException",
        "temperature or top_p, not both",
        "Send only one of inferenceConfig temperature / topP",
    ),
    "sampling removed": (
        lambda rt: converse(rt, "us.anthropic.claude-opus-4-7", inferenceConfig={"temperature": 0.2}),
        "ValidationException",
        "no longer accepts the sampling parameter temperature",
        "steer the answer with the prompt",
    ),
    "on-demand, global first": (
        lambda rt: converse(rt, "anthropic.claude-sonnet-4-6"),
        "ValidationException",
        "can only be called through an inference profile",
        "'global.anthropic.claude-sonnet-4-6' or 'us.anthropic.claude-sonnet-4-6'",
    ),
}


@pytest.mark.parametrize("case", TODAY_CASES)
def test_errors_of_bedrock_today(monkeypatch, case):
    make_call, code, problem, fix = TODAY_CASES[case]
    explanation = explain(error_from(make_call(today_runtime(monkeypatch))))
    assert (explanation.code, problem in explanation.problem, fix in explanation.fix) == (code, True, True)
    assert "-> Model access" not in explanation.fix


# AWS Marketplace refusal quoted from CloudWatch/CloudTrail logs in aws-samples/anthropic-on-aws#251 (2026-07-17).
MARKETPLACE = (
    "Model access is denied due to IAM user or service role is not authorized to perform the required AWS "
    "Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this "
    "model. Refer to the Amazon Bedrock documentation for further details. Your AWS Marketplace subscription for "
    "this model cannot be completed at this time. If you recently fixed this issue, try again after 2 minutes."
)


def test_marketplace_permission_error():
    explanation = explain(ClientError({"Error": {"Code": "AccessDeniedException", "Message": MARKETPLACE}}, "Converse"))
    assert explanation.problem.startswith("The first call to a third-party model subscribes the account")
    assert "aws-marketplace:ViewSubscriptions and aws-marketplace:Subscribe" in explanation.fix


@pytest.mark.parametrize("code", ["AccessDeniedException", "ResourceNotFoundException"])
def test_missing_anthropic_use_case_form(code):
    # No public page quotes Bedrock's exact wording for this refusal (unconfirmed): any message naming
    # the use case details gets the form's fix.
    message = "Model use case details have not been submitted for this account."
    explanation = explain(ClientError({"Error": {"Code": code, "Message": message}}, "Converse"))
    assert explanation.problem.startswith("Anthropic models need a one-time use-case form")
    assert "PutUseCaseForModelAccess" in explanation.fix


class FakeIamDenial:
    """Stands in for moto here (tests/test_iam.py covers moto): raises IAM's real wording."""

    def __init__(self, explicit):
        self.explicit = explicit

    def __call__(self, call, action, resources):
        from helpers.offline.access import denied_message
        from helpers.offline.errors import BedrockError

        raise BedrockError(
            "AccessDeniedException",
            denied_message("arn:aws:iam::123456789012:user/u", action, resources[0], self.explicit),
        )


@pytest.mark.parametrize("explicit", [False, True])
def test_iam_denials(emulator, clients, explicit):
    _, runtime, _ = clients
    emulator.authorizers.append(FakeIamDenial(explicit))
    explanation = explain(error_from(converse(runtime)))
    resource = f"arn:aws:bedrock:{REGION}::foundation-model/{NOVA}"
    if explicit:
        assert explanation.problem == (
            f"A Deny statement in your policies blocks bedrock:InvokeModel on {resource}; an explicit Deny always wins."
        )
    else:
        assert explanation.problem == f"No policy of this identity allows bedrock:InvokeModel on {resource}."
        assert "data/bedrock-runtime-policy.json" in explanation.fix


def test_unknown_key(emulator, clients):
    _, runtime, _ = clients

    class NoUsers:  # an IAM with no keys at all
        def get_access_key_last_used(self, AccessKeyId):
            raise ClientError({"Error": {"Code": "NoSuchEntity", "Message": "no"}}, "GetAccessKeyLastUsed")

    emulator.authorizers.append(IamAuthorizer(NoUsers()))
    explanation = explain(error_from(converse(runtime)))
    assert explanation.code == "UnrecognizedClientException"
    assert "aws sts get-caller-identity" in explanation.fix


def test_resource_not_found(clients):
    _, _, control = clients
    explanation = explain(error_from(lambda: control.get_inference_profile(inferenceProfileIdentifier="us.none")))
    assert explanation.code == "ResourceNotFoundException"
    assert "inference_profiles()" in explanation.fix


def test_guardrail_errors(clients):
    _, runtime, control = clients
    body = {"blockedInputMessaging": "No.", "blockedOutputsMessaging": "No."}
    words = {"wordPolicyConfig": {"wordsConfig": [{"text": "bluebird"}]}}
    gid = control.create_guardrail(name="g", **body, **words)["guardrailId"]
    unknown_version = {"guardrailIdentifier": gid, "guardrailVersion": "9"}
    for call in (
        converse(runtime, guardrailConfig=unknown_version),
        lambda: control.get_guardrail(guardrailIdentifier="abc123def456"),
    ):
        explanation = explain(error_from(call))
        assert explanation.problem.startswith("No guardrail with this id (or ARN) and version exists")
        assert "always send guardrailVersion" in explanation.fix
    taken = explain(error_from(lambda: control.create_guardrail(name="g", **body, **words)))
    assert taken.code == "ConflictException" and "ensure_guardrail" in taken.fix
    attack = {"type": "PROMPT_ATTACK", "inputStrength": "HIGH", "outputStrength": "HIGH"}
    output_attack = lambda: control.create_guardrail(  # noqa: E731
        name="h", contentPolicyConfig={"filtersConfig": [attack]}, **body
    )
    assert "outputStrength to 'NONE'" in explain(error_from(output_attack)).fix


@pytest.mark.parametrize(
    "code, message, fragment",
    [
        ("ExpiredTokenException", "The security token included in the request is expired", "aws sso login"),
        (
            "ValidationException",
            "The document file name can only contain alphanumeric characters, whitespace "
            "characters, hyphens, parentheses, and square brackets.",
            "'report.pdf' -> 'report'",
        ),
        ("SomethingNew", "Brand new failure.", "Read the message: Brand new failure."),
    ],
)
def test_errors_from_live_bedrock(code, message, fragment):
    error = ClientError({"Error": {"Code": code, "Message": message}}, "Converse")
    assert fragment in explain(error).fix


def test_local_errors_and_wrong_input():
    assert explain(NoCredentialsError()).fix.startswith("Run `aws configure`")
    assert explain(ParamValidationError(report="x")).code == "ParamValidationError"
    assert str(Explanation("C", "p", "f")) == "C: p\nFix: f"
    with pytest.raises(TypeError, match="takes an error raised by boto3"):
        explain(ValueError("x"))


def test_transport_errors_are_explained_not_raised():
    timeout = explain(ReadTimeoutError(endpoint_url="https://bedrock-runtime.us-east-1.amazonaws.com"))
    assert (timeout.code, "long_generation_config()" in timeout.fix and "not sent again" in timeout.fix) == (
        "ReadTimeoutError",
        True,
    )
    unreachable = explain(EndpointConnectionError(endpoint_url="https://bedrock-runtime.mars-1.amazonaws.com"))
    assert unreachable.code == "EndpointConnectionError" and "region" in unreachable.fix
    other = explain(NoRegionError())
    assert other.code == "NoRegionError"


def test_stream_member_codes_and_long_input_are_explained():
    stream_error = ClientError({"Error": {"Code": "modelStreamErrorException", "Message": "x"}}, "ConverseStream")
    assert explain(stream_error).code == "ModelStreamErrorException"
    assert explain(stream_error).problem == "The model failed in the middle of a stream."
    too_long = ClientError(
        {"Error": {"Code": "ValidationException", "Message": "Input is too long for requested model."}}, "Converse"
    )
    assert explain(too_long).problem == "The conversation is longer than the model's context window."

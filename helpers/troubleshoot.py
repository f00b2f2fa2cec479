"""Bedrock errors explained: what a botocore error means and the concrete fix.

    try:
        client.converse(...)
    except ClientError as error:
        print(explain(error))

Advice is chosen from the error code and, where Bedrock reuses a code for different causes
(ValidationException, AccessDeniedException, ResourceNotFoundException), from its exact message.
Model access as it is since 2025: the console's "Model access" page is retired and serverless models
are enabled by default; a first call to a third-party model needs AWS Marketplace permissions, and
Anthropic models need a one-time use-case form per account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    ReadTimeoutError,
)

from . import models


@dataclass(frozen=True)
class Explanation:
    code: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.code}: {self.problem}\nFix: {self.fix}"


_ON_DEMAND = re.compile(r"Invocation of model ID (\S+) with on-demand throughput isn.t supported")
_NOT_AUTHORIZED = re.compile(r"is not authorized to perform: (\S+)(?: on resource: (\S+))?")
_MAX_TOKENS = re.compile(r"exceeds the model limit of (\d+)")
_BLANK = re.compile(r"ContentBlock object at (\S+) is blank")
_DEPRECATED = re.compile(r"errors: (\S+) is deprecated for this model")
_FIELD_CONSTRAINT = re.compile(r"Value '([^']*)' at '([^']+)' failed to satisfy constraint: (.+?)(?:;|$)")

# Inference calls word it as a model's error (ValidationException), GetGuardrail as ResourceNotFoundException.
_GUARDRAIL_NOT_FOUND = (
    "No guardrail with this id (or ARN) and version exists in this account and Region.",
    "Copy the id from list_guardrails() on a `bedrock` client, its versions from "
    "list_guardrails(guardrailIdentifier=...), and always send guardrailVersion: a number from "
    "create_guardrail_version, or 'DRAFT'.",
)

# (message fragment, problem, fix) for ValidationException, most specific first.
_VALIDATION = [
    (
        "`temperature` and `top_p` cannot both be specified",
        "Newer Claude models (Sonnet 4.5 and later) take temperature or top_p, not both.",
        "Send only one of inferenceConfig temperature / topP (usually temperature), and leave the other unset.",
    ),
    (
        "Input is too long for requested model",
        "The conversation is longer than the model's context window.",
        "Drop or summarise early turns, send smaller attachments, or choose a model with a larger context window.",
    ),
    (
        "The provided model identifier is invalid",
        "This model id does not exist in this region: a typo, a retired id, or a model not offered here.",
        "List what this region offers (helpers.models.models_frame(), or `aws bedrock list-foundation-models "
        "--region <region>`) and copy an id from it, or switch to a region that offers the model.",
    ),
    (
        "must start with a user message",
        "The first message of `messages` is not from the user.",
        "Start the conversation with a {'role': 'user', ...} message (the system prompt goes in `system`).",
    ),
    (
        "must alternate between user and assistant",
        "Two messages in a row have the same role.",
        "Merge consecutive messages of the same role, or add the missing user/assistant turn between them.",
    ),
    (
        "doesn't support system messages",
        "This model does not accept a system prompt.",
        "Move the instructions into the first user message, or pick a model that supports system prompts "
        "(helpers.models.choose_model(system=True)).",
    ),
    (
        "doesn't support tool use in streaming mode",
        "This model cannot use tools while streaming.",
        "Call converse (not converse_stream) when you pass toolConfig, or choose a model that streams tool use.",
    ),
    (
        "doesn't support tool use",
        "This model cannot use tools.",
        "Drop toolConfig or choose a model with tool use (helpers.models.choose_model(tools=True)).",
    ),
    (
        "toolConfig field must be defined",
        "The conversation holds toolUse or toolResult blocks, but this request has no toolConfig.",
        "Send the same toolConfig on every call of a conversation that contains tool blocks.",
    ),
    (
        "exceeds the number of toolUse blocks of previous turn",
        "A user turn carries more toolResult blocks than the assistant turn before it asked for.",
        "Send exactly one toolResult per toolUse of the previous assistant turn, each with that toolUseId.",
    ),
    (
        "Expected toolResult blocks at",
        "A toolUse of the assistant turn is not answered in the next user turn.",
        "Answer every toolUse in the very next user message with a toolResult carrying its toolUseId; report "
        "a failed tool with status 'error' instead of leaving it out.",
    ),
    (
        "doesn't support the toolConfig.toolChoice",
        "This model takes toolChoice auto only.",
        "Drop toolChoice (auto is the default), or choose a model that accepts any and tool (Claude, Nova).",
    ),
    (
        "Tool names must be unique",
        "Two tools in toolConfig have the same name.",
        "Give every tool its own name, or remove the duplicate.",
    ),
    (
        "input_schema.type",
        "A tool's inputSchema.json does not describe an object.",
        "Make the schema {'type': 'object', 'properties': {...}}; wrap a single value in a property.",
    ),
    (
        "outputConfig.textFormat",
        "This model does not support native structured output.",
        "Force a tool whose input schema is your schema instead (helpers.tools.structured), or choose a model "
        "with structured output.",
    ),
    (
        "document file name can only contain",
        "A document block's `name` has characters Bedrock refuses.",
        "Use letters, digits, single spaces, hyphens, parentheses and square brackets only (no dots: "
        "'report.pdf' -> 'report').",
    ),
    (
        "This action doesn't support the model",
        "This model is not a text/chat model, so Converse cannot call it.",
        "Pick a model whose output modality is TEXT (helpers.models.models_frame(byOutputModality='TEXT')).",
    ),
    (
        "The guardrail identifier or version provided in the request does not exist",
        _GUARDRAIL_NOT_FOUND[0],
        _GUARDRAIL_NOT_FOUND[1],
    ),
    (
        "PROMPT_ATTACK content filter applies only to input",
        "Prompt-attack filters check input only, so their output strength must be NONE.",
        "Set the PROMPT_ATTACK filter's outputStrength to 'NONE' (helpers.guardrails.content_policy does this).",
    ),
    (
        "Malformed input request",
        "The native request body has a key or type this model's schema does not allow.",
        "Compare the body with the model's native request format and remove or rename the key the message names.",
    ),
]


def _profile_advice(model_id: str) -> str:
    """Which inference profile to call instead of a profile-only base id (global. first, where it exists)."""
    model = models.catalog_model(model_id) or {}  # the data file, not the emulator: explain() works live
    prefixes = model.get("profiles") or ["us", "eu", "apac"]
    choices = " or ".join(f"'{p}.{model_id}'" for p in prefixes[:3])
    where = "global. routes to any commercial region; " if "global" in prefixes else ""
    return (
        f"Call it through an inference profile: {choices} ({where}a geography prefix keeps the data in that "
        "geography), or the profile's ARN; list them with helpers.models.inference_profiles()."
    )


def _validation(message: str) -> tuple[str, str]:
    match = _ON_DEMAND.search(message)
    if match:
        model_id = match.group(1)
        return (
            f"{model_id} can only be called through an inference profile, not by its base id.",
            _profile_advice(model_id),
        )
    match = _DEPRECATED.search(message)
    if match:
        parameter = match.group(1)
        return (
            f"This model no longer accepts the sampling parameter {parameter} (Claude Opus 4.7 and later).",
            "Remove temperature, topP and top_k from the request and steer the answer with the prompt instead.",
        )
    match = _MAX_TOKENS.search(message)
    if match:
        limit = match.group(1)
        return (
            f"maxTokens is above this model's output limit of {limit}.",
            f"Set inferenceConfig maxTokens to {limit} or less.",
        )
    match = _BLANK.search(message)
    if match:
        return (
            f"The text block at {match.group(1)} is empty or only whitespace.",
            "Put text in that block or remove it.",
        )
    match = _FIELD_CONSTRAINT.search(message)
    if match:
        value, field, rule = match.groups()
        return (
            f"{field} = {value!r} is out of bounds ({rule.rstrip('.')}).",
            f"Change {field} to a value that satisfies: {rule.rstrip('.')}.",
        )
    for fragment, problem, fix in _VALIDATION:
        if fragment in message:
            return problem, fix
    return (
        "The request breaks one of Bedrock's rules.",
        "Read the message: it names the field or rule; fix that part of the request and send it again.",
    )


_MARKETPLACE = (
    "The first call to a third-party model subscribes the account through AWS Marketplace, and this identity "
    "may not do that.",
    "Allow aws-marketplace:ViewSubscriptions and aws-marketplace:Subscribe for the identity that makes the first "
    "call (once per account and model), then retry after the few minutes the message names. There is no "
    "'Model access' page to visit any more: serverless models are enabled by default.",
)
_USE_CASE_FORM = (
    "Anthropic models need a one-time use-case form per account, and it has not been submitted.",
    "Submit the Anthropic use-case details once for the account (Bedrock console: open an Anthropic model in "
    "the model catalog; API: bedrock PutUseCaseForModelAccess), then retry.",
)


def _access_denied(message: str) -> tuple[str, str]:
    if "AWS Marketplace" in message or "aws-marketplace:" in message:
        return _MARKETPLACE
    if "use case" in message.lower():
        return _USE_CASE_FORM
    if "don't have access to the model" in message:
        return (
            "This account or identity may not use this model here yet.",
            "Model access is no longer requested on a console page (retired in 2025; serverless models are enabled "
            "by default). Check that the model is offered in this region (or call its inference profile), that "
            "your IAM policy allows bedrock:InvokeModel on the model and profile ARNs, that the first call to a "
            "third-party model may subscribe through AWS Marketplace (aws-marketplace:ViewSubscriptions, "
            "aws-marketplace:Subscribe), and, for Anthropic models, that the account's use-case form is submitted.",
        )
    match = _NOT_AUTHORIZED.search(message)
    if match:
        action, resource = match.group(1), match.group(2) or "*"
        if "explicit deny" in message:
            return (
                f"A Deny statement in your policies blocks {action} on {resource}; an explicit Deny always wins.",
                "Remove or narrow that Deny statement (or use an identity it does not apply to).",
            )
        return (
            f"No policy of this identity allows {action} on {resource}.",
            f"Attach a policy that allows {action} on {resource}, such as data/bedrock-runtime-policy.json "
            "(notebook 01).",
        )
    return (
        "This identity or account may not call this operation or model.",
        "Check that your IAM policy allows the bedrock action, and for a first call to a third-party model the "
        "AWS Marketplace permissions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe).",
    )


def _not_found(message: str) -> tuple[str, str]:
    if "reached the end of its life" in message:
        return (
            "This model version is retired (end of life): Bedrock no longer serves it to anyone.",
            "Move to an ACTIVE model (helpers.models.models_frame() shows each model's lifecycle), e.g. "
            "'global.anthropic.claude-sonnet-4-6' for a Claude 3.x Sonnet. Offline, BEDROCK_OFFLINE_AS_OF=2024-12-15 "
            "replays an old tutorial as it ran then.",
        )
    if "marked by provider as Legacy" in message:
        return (
            "This model is Legacy: it serves only accounts that used it in the last 30 days, until its end of life.",
            "Move to an ACTIVE model now (helpers.models.models_frame() shows lifecycles). Offline, "
            "BEDROCK_OFFLINE_ACTIVE_USER_OF=<model id> counts you as an active user of it.",
        )
    if "use case" in message.lower():
        return _USE_CASE_FORM
    if "guardrail identifier or version" in message:
        return _GUARDRAIL_NOT_FOUND
    return _BY_CODE["ResourceNotFoundException"]


_BY_CODE = {
    "UnrecognizedClientException": (
        "AWS does not know this access key: mistyped, deleted, deactivated, or from another profile.",
        "Check which credentials are used (`aws sts get-caller-identity`), then fix the profile or create a "
        "new access key and run `aws configure`.",
    ),
    "InvalidSignatureException": (
        "The secret access key does not match the access key id.",
        "Re-enter the secret with `aws configure` (or create a new key pair).",
    ),
    "ExpiredTokenException": (
        "Your temporary credentials have expired.",
        "Refresh them (`aws sso login`, assume the role again, or get a new session token) and retry.",
    ),
    "ThrottlingException": (
        "Too many requests or tokens per minute for this model in this region.",
        "Retry with exponential backoff (the workbook's clients retry throttling by themselves), spread the "
        "load, use a cross-region inference profile, or request a higher quota.",
    ),
    "ServiceQuotaExceededException": (
        "The request exceeds a service quota of your account.",
        "Reduce the request (tokens, size) or request a quota increase in Service Quotas.",
    ),
    "ModelTimeoutException": (
        "The model took too long to answer.",
        "Retry; shorten the prompt or lower maxTokens; stream long answers.",
    ),
    "ModelNotReadyException": (
        "The model is not ready to serve requests yet.",
        "Wait a moment and retry (the SDK retries this error automatically).",
    ),
    "ServiceUnavailableException": ("Bedrock is temporarily unavailable.", "Retry with exponential backoff."),
    "InternalServerException": (
        "Bedrock had an internal error.",
        "Retry with exponential backoff; if it persists, check the AWS Health Dashboard.",
    ),
    "ModelErrorException": (
        "The model failed while processing the request.",
        "Retry; if it repeats, simplify the input (smaller images, shorter prompt).",
    ),
    "ModelStreamErrorException": (
        "The model failed in the middle of a stream.",
        "Retry the whole request; keep the text you already received only if you can resume from it.",
    ),
    "ResourceNotFoundException": (
        "The id or ARN does not exist in this account and region.",
        "List what exists (helpers.models.inference_profiles(), list_foundation_models) and use one of those.",
    ),
    "ConflictException": (
        "The request conflicts with a resource that exists: guardrail names, for one, are unique per account "
        "and Region.",
        "Choose another name, or change the existing resource (helpers.guardrails.ensure_guardrail creates a "
        "guardrail or updates the one with that name).",
    ),
    "UnknownOperationException": (
        "The endpoint does not know this operation.",
        "Send runtime calls (Converse, InvokeModel) to a `bedrock-runtime` client and catalog calls "
        "(ListFoundationModels) to a `bedrock` client.",
    ),
}


def explain(error: Exception) -> Explanation:
    """A short explanation and the concrete fix for an error raised by a Bedrock call."""
    if isinstance(error, NoCredentialsError):
        return Explanation(
            "NoCredentialsError",
            "boto3 found no AWS credentials (environment, profile, SSO or role) and no Bedrock API key.",
            "Run `aws configure` (access keys) or `aws configure sso` and `aws sso login`, and set AWS_PROFILE "
            "if your profile has a name (notebook 01 shows how); or set AWS_BEARER_TOKEN_BEDROCK to a Bedrock "
            "API key. `python3 workbook.py doctor` checks the result.",
        )
    if isinstance(error, NoRegionError):
        return Explanation(
            "NoRegionError",
            "No AWS region is set, and Bedrock is a regional service.",
            "export AWS_REGION=us-east-1 (a region that offers the models you need), or store one in your "
            "profile with `aws configure set region us-east-1`, or pass region='us-east-1' to the client.",
        )
    if isinstance(error, ParamValidationError):
        return Explanation(
            "ParamValidationError",
            "boto3 rejected the request before sending it.",
            "Fix the parameter the message names; the request shape must match the API reference.",
        )
    if isinstance(error, (ReadTimeoutError, ConnectTimeoutError)):
        return Explanation(
            type(error).__name__,
            "The call outlasted the client's timeout; long generations take minutes.",
            "Stream the answer with converse_stream, or create the client with "
            "helpers.clients.long_generation_config() (3600 s read timeout); a timed-out request is not sent "
            "again, because the model may still be generating (and billing) the first one.",
        )
    if isinstance(error, EndpointConnectionError):
        return Explanation(
            "EndpointConnectionError",
            "boto3 could not reach the Bedrock endpoint.",
            "Check the network and the region: Bedrock runs in selected regions only (e.g. us-east-1, us-west-2).",
        )
    if isinstance(error, BotoCoreError):
        return Explanation(type(error).__name__, "boto3 failed before Bedrock answered.", f"Read the message: {error}")
    if not isinstance(error, ClientError):
        raise TypeError(f"explain() takes an error raised by boto3, not {type(error).__name__}.")
    code = error.response.get("Error", {}).get("Code", "Unknown")
    code = code[:1].upper() + code[1:]  # inside a stream the code is the member name: throttlingException
    message = error.response.get("Error", {}).get("Message", "")
    if code == "ValidationException":
        return Explanation(code, *_validation(message))
    if code == "AccessDeniedException":
        return Explanation(code, *_access_denied(message))
    if code == "ResourceNotFoundException":
        return Explanation(code, *_not_found(message))
    if code == "ThrottlingException" and "tokens" in message.lower():
        return Explanation(
            code,
            "Too many tokens per minute for this model in this region.",
            "Retry with backoff, send fewer or shorter requests, lower maxTokens, "
            "or request a higher tokens-per-minute quota.",
        )
    if code in _BY_CODE:
        return Explanation(code, *_BY_CODE[code])
    return Explanation(
        code,
        "Bedrock returned an error this guide does not cover.",
        f"Read the message: {message}" if message else "Check the request and retry.",
    )

"""Asynchronous invocation offline, through real clients (boto3 in-process and over HTTP): the service
model's validation, Bedrock's refusal for the catalog's models (none of them is Nova Reel), and
GetAsyncInvoke and ListAsyncInvokes answering for an account that has no invocation."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from conftest import REGION, error_of
from helpers.offline.async_invoke_ops import MSG_ASYNC_UNSUPPORTED, MSG_INVOCATION_NOT_FOUND
from helpers.offline.errors import MSG_INVALID_MODEL, BedrockError
from helpers.paths import DATA

OUTPUT = {"s3OutputDataConfig": {"s3Uri": "s3://videos/out/"}}
NOVA_BODY = {"messages": [{"role": "user", "content": [{"text": "Hello"}]}]}
UNKNOWN_ARN = "arn:aws:bedrock:us-east-1:123456789012:async-invoke/abcdef123456"
CATALOG = json.loads((DATA / "catalog.json").read_text(encoding="utf-8"))


@pytest.fixture(params=["in-process", "http"])
def client(request):
    return request.getfixturevalue("runtime" if request.param == "in-process" else "http_runtime")


def start(client, **overrides):
    params = {"modelId": "amazon.nova-lite-v1:0", "modelInput": NOVA_BODY, "outputDataConfig": OUTPUT}
    return client.start_async_invoke(**{**params, **overrides})


def test_a_text_model_refuses_async_invocation(client):
    with pytest.raises(ClientError) as excinfo:
        start(client)
    assert error_of(excinfo) == (400, "ValidationException", MSG_ASYNC_UNSUPPORTED)


def callable_id(emulator, model: str) -> str | None:
    """The base id, or its US inference profile where the model needs one, if InvokeModel could use it today."""
    for identifier in (model, f"us.{model}"):
        try:
            emulator.catalog.resolve(identifier, REGION, emulator.clock)
            return identifier
        except BedrockError:
            continue
    return None


@pytest.mark.parametrize("model", [m["modelId"] for m in CATALOG["models"]])
def test_every_catalog_model_is_refused_and_none_is_started(emulator, runtime, model):
    identifier = callable_id(emulator, model)
    if identifier is None:  # past its end of life, or not here: resolution fails first, as for InvokeModel
        with pytest.raises(BedrockError) as resolution:
            emulator.catalog.resolve(model, REGION, emulator.clock)
        identifier, expected = model, (resolution.value.status, resolution.value.code, resolution.value.message)
    else:
        expected = (400, "ValidationException", MSG_ASYNC_UNSUPPORTED)
    with pytest.raises(ClientError) as excinfo:
        start(runtime, modelId=identifier)
    assert error_of(excinfo) == expected
    assert runtime.list_async_invokes()["asyncInvokeSummaries"] == []


def test_text_models_of_every_family_reach_the_refusal(emulator):
    reached = {m["modelId"] for m in CATALOG["models"] if callable_id(emulator, m["modelId"])}
    assert {"amazon.nova-lite-v1:0", "anthropic.claude-sonnet-4-6", "meta.llama3-8b-instruct-v1:0"} <= reached


def test_an_unknown_model_is_an_invalid_identifier(client):
    with pytest.raises(ClientError) as excinfo:
        start(client, modelId="amazon.nova-reel-v9:0")
    assert error_of(excinfo) == (400, "ValidationException", MSG_INVALID_MODEL)


@pytest.mark.parametrize(
    ("overrides", "constraint"),
    [
        ({"outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "https://videos/out/"}}}, "s3Uri"),
        ({"outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://videos/", "bucketOwner": "12"}}}, "bucketOwner"),
        ({"modelId": "amazon nova"}, "modelId"),
        ({"tags": [{"key": "team", "value": "a!b"}]}, "value"),
        ({"clientRequestToken": "x" * 257}, "clientRequestToken"),
    ],
)
def test_the_service_model_constraints_come_first(client, overrides, constraint):
    with pytest.raises(ClientError) as excinfo:
        start(client, **overrides)
    status, code, message = error_of(excinfo)
    assert (status, code) == (400, "ValidationException")
    assert message.startswith("1 validation error detected: ") and constraint in message


def test_an_unknown_invocation_is_not_found(client):
    with pytest.raises(ClientError) as excinfo:
        client.get_async_invoke(invocationArn=UNKNOWN_ARN)
    assert error_of(excinfo) == (400, "ValidationException", MSG_INVOCATION_NOT_FOUND)


def test_a_malformed_invocation_arn_breaks_the_pattern(client):
    with pytest.raises(ClientError) as excinfo:
        client.get_async_invoke(invocationArn="arn:aws:bedrock:us-east-1:123456789012:async-invoke/TOO-LONG-ID")
    status, code, message = error_of(excinfo)
    assert (status, code) == (400, "ValidationException")
    assert message.startswith("1 validation error detected: ") and "invocationArn" in message


def test_listing_with_filters_answers_an_empty_page(client):
    answer = client.list_async_invokes(statusEquals="Completed", maxResults=10, sortOrder="Ascending")
    assert answer["asyncInvokeSummaries"] == [] and "nextToken" not in answer


@pytest.mark.parametrize(
    ("query", "constraint"),
    [({"maxResults": 1001}, "maxResults"), ({"nextToken": "a b"}, "nextToken")],
)
def test_listing_checks_the_query_against_the_service_model(client, query, constraint):
    with pytest.raises(ClientError) as excinfo:
        client.list_async_invokes(**query)
    status, code, message = error_of(excinfo)
    assert (status, code) == (400, "ValidationException")
    assert constraint in message

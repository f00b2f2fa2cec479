"""Asynchronous invocation on the router: StartAsyncInvoke, GetAsyncInvoke and ListAsyncInvokes
(bedrock-runtime).

Bedrock serves these operations for the video model Amazon Nova Reel, which writes its output to
S3 (AWS re:Post "Bedrock Start Async Invoke - what models are supported?", accepted answer, and the
Amazon Nova user guide "Video generation access and usage"; read 2026-11-30). Text models refuse
them with the message a live call returned for Nova Lite and Nova Pro (same re:Post thread). No model
of the offline catalog takes asynchronous invocations (Nova Reel is not in it), so StartAsyncInvoke
refuses every model it knows, no invocation is ever created, GetAsyncInvoke finds none and
ListAsyncInvokes lists none.

Bodies and query strings are checked against the service model's shapes first (model id, S3 URI and
KMS key patterns, tags, enums, `maxResults` 1..1000), then the model is resolved on the emulator's
clock and the caller authorized for `bedrock:InvokeModel` on it (the API reference's permission)."""

from __future__ import annotations

from . import listing, shapes
from .errors import BedrockError
from .wire import ROUTER, json_response

LIST_QUERY = ("submitTimeAfter", "submitTimeBefore", "statusEquals", "maxResults", "nextToken", "sortBy", "sortOrder")
# Quoted from a live StartAsyncInvoke on amazon.nova-lite-v1:0 and nova-pro (re:Post question
# QUoOV2Eru5TX6S8ovKD0ZyOg, read 2026-11-30). The thread does not show the error code: ValidationException
# is the code Bedrock gives its other "the provided model" refusals.
MSG_ASYNC_UNSUPPORTED = "The provided model doesn't support async inference."
# Unconfirmed wording: no public quotation of GetAsyncInvoke on an unknown ARN was found. The service model
# declares no ResourceNotFoundException for GetAsyncInvoke, only ValidationException, so that is the code.
MSG_INVOCATION_NOT_FOUND = "The provided invocation ARN does not exist."


@ROUTER.add("StartAsyncInvoke", "bedrock-runtime", "POST", r"/async-invoke")
def start_async_invoke(call):
    body = call.json()
    resolved = call.catalog.resolve(body["modelId"], call.region, call.emulator.clock)  # invocable here, today
    call.authorize("bedrock:InvokeModel", call.model_resources(resolved))
    raise BedrockError.validation(MSG_ASYNC_UNSUPPORTED)  # every model of the offline catalog generates text,
    # images or embeddings, none of them asynchronously


@ROUTER.add("GetAsyncInvoke", "bedrock-runtime", "GET", r"/async-invoke/(?P<invocationArn>.+)")
def get_async_invoke(call):
    arn = call.params["invocationArn"]
    shapes.validate({"invocationArn": arn}, call.service, call.operation)
    call.authorize("bedrock:GetAsyncInvoke", [arn])
    raise BedrockError.validation(MSG_INVOCATION_NOT_FOUND)


def _query(call) -> dict:
    """The query string as the service model's input shape, each constraint checked."""
    query = listing.query(call.request, LIST_QUERY)
    listing.timestamps(query, ("submitTimeAfter", "submitTimeBefore"))  # parsed to check them, then left out
    shapes.validate(query, call.service, call.operation)
    return query


@ROUTER.add("ListAsyncInvokes", "bedrock-runtime", "GET", r"/async-invoke")
def list_async_invokes(call):
    _query(call)
    call.authorize("bedrock:ListAsyncInvokes", [])
    return json_response({"asyncInvokeSummaries": []}, call.request)

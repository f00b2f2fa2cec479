"""Asynchronous invocation on the router: StartAsyncInvoke, GetAsyncInvoke and ListAsyncInvokes
(bedrock-runtime).

Bedrock takes asynchronous invocations only for the models that document them; the catalog marks
those with an `asyncInvoke` entry. Amazon Nova Multimodal Embeddings (segmented embeddings written to
S3, nova_embeddings.py) is the one ACTIVE on the catalog's day; Amazon Nova Reel (video to
S3, AWS re:Post "Bedrock Start Async Invoke - what models are supported?" and the Nova user guide,
"Video generation access and usage") reached its end of life on 2026-09-30, so a call today gets the
end-of-life error every retired model gives, and on a replayed earlier day its invocation fails
offline, which generates no video. Every other model refuses with the message a live call returned
for Nova Lite and Nova Pro (same re:Post thread).

Bodies and query strings are checked against the service model's shapes first (model id, S3 URI and
KMS key patterns, tags, enums, `maxResults` 1..1000), then the model is resolved on the emulator's
clock and the caller authorized for `bedrock:InvokeModel` on it (the API reference's permission),
then the model input is checked by the model's own rules. A retried `clientRequestToken` returns the
invocation it started. The invocation then runs in the background (async_invoke.py)."""

from __future__ import annotations

import logging

from . import async_invoke, batch_run, listing, nova_embeddings, shapes
from .async_invoke import Failure, Invocation
from .batch import moment
from .errors import BedrockError
from .wire import MSG_INTERNAL, ROUTER, json_response, parse_json_body

log = logging.getLogger(__name__)
LIST_QUERY = ("submitTimeAfter", "submitTimeBefore", "statusEquals", "maxResults", "nextToken", "sortBy", "sortOrder")
# Quoted from a live StartAsyncInvoke on amazon.nova-lite-v1:0 and nova-pro (re:Post question
# QUoOV2Eru5TX6S8ovKD0ZyOg, read 2026-11-30). The thread does not show the error code: ValidationException
# is the code Bedrock gives its other "the provided model" refusals.
MSG_ASYNC_UNSUPPORTED = "The provided model doesn't support async inference."
# Quoted from a live StartAsyncInvoke whose modelInput was a JSON string, not an object (boto/boto3
# issue 4382, ValidationException; read 2026-11-30). That call named a model without asynchronous
# inference and still got this message, so the body's form is checked before the model.
MSG_INVALID_REQUEST = "The provided request is not valid"
# The emulator's own words (unconfirmed wording): Nova Reel's video is not generated offline.
MSG_NO_VIDEO_OFFLINE = "The offline emulator does not generate video, so this Nova Reel invocation cannot complete."


def _store(call) -> async_invoke.AsyncInvocations:
    return call.emulator.async_invocations


@ROUTER.add("StartAsyncInvoke", "bedrock-runtime", "POST", r"/async-invoke")
def start_async_invoke(call):
    model_input = parse_json_body(call.request.body).get("modelInput")
    if model_input is not None and not isinstance(model_input, dict):  # before the shapes: see the quote above
        raise BedrockError.validation(MSG_INVALID_REQUEST)
    body = call.json()
    resolved = call.catalog.resolve(body["modelId"], call.region, call.emulator.clock)  # invocable here, today
    call.authorize_model("bedrock:InvokeModel", resolved)
    spec = resolved.model.get("asyncInvoke")
    if spec is None:
        raise BedrockError.validation(MSG_ASYNC_UNSUPPORTED)
    if spec["kind"] == "segmented-embedding":
        nova_embeddings.check(body["modelInput"])
    model_arn = call.catalog.model_arn(resolved.model["modelId"], call.region)
    clock, store = call.emulator.clock, _store(call)
    invocation, new = store.add(*call.place, body, resolved.model, model_arn, clock.now())
    if new:
        store.start(lambda: run(store, invocation, clock), invocation.invocation_id)
    return json_response({"invocationArn": invocation.arn}, call.request)


def run(store: async_invoke.AsyncInvocations, invocation: Invocation, clock) -> None:
    """The invocation's life, in its own thread: the model's work, then Completed or Failed."""
    store.wait_to_run()
    spec = invocation.model["asyncInvoke"]
    try:
        if spec["kind"] != "segmented-embedding":
            raise Failure(MSG_NO_VIDEO_OFFLINE)
        s3 = batch_run.s3(invocation.region)
        model_input = invocation.request["modelInput"]
        nova_embeddings.run(nova_embeddings.Job(model_input, spec, s3, invocation.folder_uri))
    except Failure as failure:
        return invocation.end(clock.now(), str(failure))
    except Exception:  # noqa: BLE001 - a bug of ours fails the invocation, never the emulator
        log.error("offline async invocation %s failed", invocation.invocation_id, exc_info=True)
        return invocation.end(clock.now(), MSG_INTERNAL)
    invocation.end(clock.now())


@ROUTER.add("GetAsyncInvoke", "bedrock-runtime", "GET", r"/async-invoke/(?P<invocationArn>.+)")
def get_async_invoke(call):
    arn = call.params["invocationArn"]
    shapes.validate({"invocationArn": arn}, call.service, call.operation)
    call.authorize("bedrock:GetAsyncInvoke", [arn])
    invocation = _store(call).find(*call.place, arn)
    return json_response(invocation.describe(call.emulator.clock.day), call.request)


def _query(call) -> dict:
    """The query string as the service model's input shape, each constraint checked; times parsed."""
    query = listing.query(call.request, LIST_QUERY)
    times = listing.timestamps(query, listing.SUBMIT_TIMES)
    shapes.validate(query, call.service, call.operation)
    return {**query, **times}


def _matches(invocation: Invocation, query: dict, day) -> bool:
    return listing.status_and_submit_time_match(query, invocation.status, moment(day, invocation.submit_seconds))


@ROUTER.add("ListAsyncInvokes", "bedrock-runtime", "GET", r"/async-invoke")
def list_async_invokes(call):
    query = _query(call)
    call.authorize("bedrock:ListAsyncInvokes", [])
    day = call.emulator.clock.day
    found = [i for i in _store(call).all(*call.place) if _matches(i, query, day)]
    # SubmissionTime is the only sortBy; newest first unless sortOrder says Ascending (as for batch jobs)
    found.sort(key=lambda i: (i.submit_seconds, i.invocation_id), reverse=listing.newest_first(query))
    page, token = listing.page(found, query, 1000)
    payload = {"asyncInvokeSummaries": [invocation.describe(day) for invocation in page]}
    if token:
        payload["nextToken"] = token
    return json_response(payload, call.request)

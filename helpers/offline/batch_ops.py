"""Batch inference on the router: CreateModelInvocationJob, GetModelInvocationJob,
ListModelInvocationJobs and StopModelInvocationJob (the `bedrock` control plane).

Bodies and query strings are checked against the service model's shapes first (job name, role ARN
and S3 URI patterns, timeout 24..168 hours, enums); the model must be one the account can invoke in
the Region today. What Bedrock checks later, while the job is Validating, fails the job instead of the
call (batch_run.py)."""

from __future__ import annotations

import base64
import datetime as dt

from . import batch_run, shapes
from .batch import ENDED, IN_PROGRESS, MSG_NOT_STOPPABLE, STOPPING, moment
from .errors import BedrockError
from .wire import ROUTER, json_response

JOB_PATH = r"/model-invocation-job/(?P<jobIdentifier>[^/]+)"
LIST_QUERY = ("submitTimeAfter", "submitTimeBefore", "statusEquals", "nameContains", "maxResults", "nextToken")
LIST_QUERY += ("sortBy", "sortOrder")
MSG_BAD_TOKEN = "The provided pagination token is invalid."  # as ListInferenceProfiles answers it here


def _place(call) -> tuple[str, str]:
    return call.catalog.account, call.region


def _jobs(call):
    return call.emulator.batch


def _find(call):
    identifier = call.params["jobIdentifier"]
    shapes.validate({"jobIdentifier": identifier}, "bedrock", "GetModelInvocationJob")
    return _jobs(call).find(*_place(call), identifier)


@ROUTER.add("CreateModelInvocationJob", "bedrock", "POST", r"/model-invocation-job")
def create_model_invocation_job(call):
    body = call.json()
    call.authorize("bedrock:CreateModelInvocationJob", [])
    call.catalog.resolve(body["modelId"], call.region, call.emulator.clock)  # invocable here, today
    job, new = _jobs(call).add(*_place(call), body, call.emulator.clock.now())
    if new:
        _jobs(call).start(lambda: batch_run.run_job(_jobs(call), call, job), job)
    return json_response({"jobArn": job.arn}, call.request)


@ROUTER.add("GetModelInvocationJob", "bedrock", "GET", JOB_PATH)
def get_model_invocation_job(call):
    job = _find(call)
    call.authorize("bedrock:GetModelInvocationJob", [job.arn])
    return json_response(job.describe(call.emulator.clock.day), call.request)


@ROUTER.add("StopModelInvocationJob", "bedrock", "POST", JOB_PATH + "/stop")
def stop_model_invocation_job(call):
    job = _find(call)
    call.authorize("bedrock:StopModelInvocationJob", [job.arn])
    if job.status in ENDED:
        raise BedrockError("ConflictException", MSG_NOT_STOPPABLE)
    job.stop_requested.set()
    if job.status == IN_PROGRESS:
        job.status = STOPPING
    return json_response({}, call.request)


def _query(call) -> dict:
    values = {name: call.request.query_value(name) for name in LIST_QUERY}
    query = {k: v for k, v in values.items() if v is not None}
    if "maxResults" in query:
        try:
            query["maxResults"] = int(query["maxResults"])
        except ValueError:
            raise BedrockError.validation("maxResults must be an integer.") from None
    shapes.validate({k: v for k, v in query.items() if not k.startswith("submitTime")}, "bedrock", call.operation)
    for name in ("submitTimeAfter", "submitTimeBefore"):
        if name in query:
            try:
                query[name] = dt.datetime.fromisoformat(query[name].replace("Z", "+00:00"))
            except ValueError:
                raise BedrockError.validation(f"{name} must be a timestamp in ISO 8601 format.") from None
    return query


def _matches(job, query: dict, day) -> bool:
    submitted = moment(day, job.submit_seconds)
    return (
        query.get("statusEquals") in (None, job.status)
        and query.get("nameContains", "").casefold() in job.name.casefold()
        and ("submitTimeAfter" not in query or submitted > query["submitTimeAfter"])
        and ("submitTimeBefore" not in query or submitted < query["submitTimeBefore"])
    )


def _page(items: list, query: dict) -> tuple[list, str | None]:
    size, start = query.get("maxResults", 1000), 0
    if "nextToken" in query:
        try:
            start = int(base64.urlsafe_b64decode(query["nextToken"].encode()).decode())
        except (ValueError, UnicodeDecodeError):
            raise BedrockError.validation(MSG_BAD_TOKEN) from None
    more = start + size < len(items)
    return items[start : start + size], base64.urlsafe_b64encode(str(start + size).encode()).decode() if more else None


@ROUTER.add("ListModelInvocationJobs", "bedrock", "GET", r"/model-invocation-jobs")
def list_model_invocation_jobs(call):
    query = _query(call)
    call.authorize("bedrock:ListModelInvocationJobs", [])
    day = call.emulator.clock.day
    jobs = [job for job in _jobs(call).all(*_place(call)) if _matches(job, query, day)]
    jobs.sort(key=lambda job: job.submit_seconds, reverse=query.get("sortOrder", "Descending") == "Descending")
    page, token = _page(jobs, query)
    payload = {"invocationJobSummaries": [job.describe(day) for job in page]}
    if token:
        payload["nextToken"] = token
    return json_response(payload, call.request)

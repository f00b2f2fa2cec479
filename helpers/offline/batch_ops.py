"""Batch inference on the router: CreateModelInvocationJob, GetModelInvocationJob,
ListModelInvocationJobs and StopModelInvocationJob (the `bedrock` control plane).

Bodies and query strings are checked against the service model's shapes first (job name, role ARN
and S3 URI patterns, timeout 24..168 hours, enums); the model must be one the account can invoke in
the Region today. What Bedrock checks later, while the job is Validating, fails the job instead of the
call (batch_run.py)."""

from __future__ import annotations

from ..vocabulary import ENDED, IN_PROGRESS, STOPPING
from . import batch_run, listing, shapes
from .batch import MSG_NOT_STOPPABLE, moment
from .errors import BedrockError
from .wire import ROUTER, json_response

JOB_PATH = r"/model-invocation-job/(?P<jobIdentifier>[^/]+)"
LIST_QUERY = ("submitTimeAfter", "submitTimeBefore", "statusEquals", "nameContains", "maxResults", "nextToken")
LIST_QUERY += ("sortBy", "sortOrder")


def _jobs(call):
    return call.emulator.batch


def _find(call):
    identifier = call.params["jobIdentifier"]
    shapes.validate({"jobIdentifier": identifier}, "bedrock", "GetModelInvocationJob")
    return _jobs(call).find(*call.place, identifier)


@ROUTER.add("CreateModelInvocationJob", "bedrock", "POST", r"/model-invocation-job")
def create_model_invocation_job(call):
    body = call.json()
    call.authorize("bedrock:CreateModelInvocationJob", [])
    call.catalog.resolve(body["modelId"], call.region, call.emulator.clock)  # invocable here, today
    job, new = _jobs(call).add(*call.place, body, call.emulator.clock.now())
    if new:
        _jobs(call).start(lambda: batch_run.run_job(_jobs(call), call, job), job.job_id)
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
    query = listing.query(call.request, LIST_QUERY)
    shapes.validate({k: v for k, v in query.items() if not k.startswith("submitTime")}, "bedrock", call.operation)
    query.update(listing.timestamps(query, listing.SUBMIT_TIMES))
    return query


def _matches(job, query: dict, day) -> bool:
    return query.get("nameContains", "").casefold() in job.name.casefold() and listing.status_and_submit_time_match(
        query, job.status, moment(day, job.submit_seconds)
    )


@ROUTER.add("ListModelInvocationJobs", "bedrock", "GET", r"/model-invocation-jobs")
def list_model_invocation_jobs(call):
    query = _query(call)
    call.authorize("bedrock:ListModelInvocationJobs", [])
    day = call.emulator.clock.day
    jobs = [job for job in _jobs(call).all(*call.place) if _matches(job, query, day)]
    jobs.sort(key=lambda job: job.submit_seconds, reverse=listing.newest_first(query))
    page, token = listing.page(jobs, query, 1000)
    payload = {"invocationJobSummaries": [job.describe(day) for job in page]}
    if token:
        payload["nextToken"] = token
    return json_response(payload, call.request)

"""Running one model invocation job: read and check its input, run its records, write its output.

Each record becomes an HTTP request for the InvokeModel route (or Converse's) and is answered by that
route's own handler, so a record meets exactly what an interactive call meets: model resolution on
the emulator's clock, the dialect's parser and rules, the generator, Bedrock's errors. Offline the
records are authorized as the identity that created the job (the service role's policies are not
evaluated); the job reads and writes S3 through moto (see aws_services.py).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
from collections.abc import Iterator
from urllib.parse import quote

from ..vocabulary import (
    COMPLETED,
    ENDED,
    EXPIRED,
    FAILED,
    IN_PROGRESS,
    MIN_RECORDS,
    PARTIALLY_COMPLETED,
    SCHEDULED,
    STOPPED,
    VALIDATING,
)
from . import batch, iam_server
from .batch import Job
from .errors import BedrockError
from .fault_plan import FaultPlan
from .wire import MSG_INTERNAL, ROUTER, Headers, Request

log = logging.getLogger(__name__)
S3_KEYS = {"aws_access_key_id": "AKIAOFFLINEBATCHJOB0", "aws_secret_access_key": "offline"}


class InputProblem(Exception):
    """The job's input breaks a rule checked while Validating: the job fails with this message."""


@functools.lru_cache(maxsize=8)
def s3(region: str):
    """An S3 client for moto, the store every offline S3 request reaches."""
    import boto3
    from botocore.config import Config

    config = Config(s3={"addressing_style": "path"}, retries={"mode": "standard", "total_max_attempts": 2})
    return boto3.client("s3", region_name=region, endpoint_url=iam_server.url(), config=config, **S3_KEYS)


def split_uri(uri: str) -> tuple[str, str]:
    bucket, _, key = uri[len("s3://") :].partition("/")
    return bucket, key


def input_files(job: Job) -> list[tuple[str, str, int]]:
    """(key, name for the output, size) of every .jsonl file the input location names, by key."""
    client = s3(job.region)
    bucket, key = split_uri(job.request["inputDataConfig"]["s3InputDataConfig"]["s3Uri"])
    try:
        if key and not key.endswith("/"):
            try:
                head = client.head_object(Bucket=bucket, Key=key)
                return [(key, key.rsplit("/", 1)[-1], head["ContentLength"])] if key.endswith(".jsonl") else []
            except client.exceptions.ClientError as error:
                if error.response["Error"]["Code"] not in ("404", "NoSuchKey", "NotFound"):
                    raise
                key += "/"  # not an object: a folder
        found = []
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=key):
            found += [(o["Key"], o["Key"][len(key) :], o["Size"]) for o in page.get("Contents", [])]
    except client.exceptions.ClientError:
        raise InputProblem(batch.MSG_NO_BUCKET) from None
    return sorted(f for f in found if f[0].endswith(".jsonl"))


def lines(job: Job, key: str) -> Iterator[bytes]:
    bucket, _ = split_uri(job.request["inputDataConfig"]["s3InputDataConfig"]["s3Uri"])
    body = s3(job.region).get_object(Bucket=bucket, Key=key)["Body"]
    for line in body.iter_lines():
        if line.strip():
            yield line


def parse_record(job: Job, name: str, number: int, line: bytes) -> dict:
    try:
        record = json.loads(line)
    except ValueError:
        record = None
    if not isinstance(record, dict) or not isinstance(record.get("modelInput"), dict):
        raise InputProblem(batch.msg_bad_line(name, number))
    if not record.get("recordId"):  # Bedrock adds one in the output
        digest = hashlib.sha256(f"{job.job_id}/{name}/{number}".encode()).hexdigest().upper()
        record["recordId"] = digest[:11]
    return record


def validate(job: Job, files: list[tuple[str, str, int]]) -> None:
    """The checks of the Validating status: files present, sizes, record counts, each line's shape."""
    if not files:
        raise InputProblem(batch.MSG_NO_INPUT)
    if any(size > batch.MAX_FILE_BYTES for _, _, size in files):
        raise InputProblem(batch.MSG_FILE_TOO_LARGE)
    if sum(size for _, _, size in files) > batch.MAX_JOB_BYTES:
        raise InputProblem(batch.MSG_JOB_TOO_LARGE)
    total = 0
    for key, name, _ in files:
        count = 0
        for count, line in enumerate(lines(job, key), 1):
            parse_record(job, name, count, line)
        if count > batch.MAX_RECORDS_PER_FILE:
            raise InputProblem(batch.MSG_TOO_MANY_IN_FILE)
        total += count
    if total > batch.MAX_RECORDS_PER_JOB:
        raise InputProblem(batch.MSG_TOO_MANY)
    if total < MIN_RECORDS:
        raise InputProblem(batch.MSG_TOO_FEW)
    job.total = total


def record_call(creator, job: Job, body: bytes):
    """The route and a Call for one record, as if the record had arrived as its own request."""
    suffix = "converse" if job.converse else "invoke"
    path = f"/model/{quote(job.request['modelId'], safe='')}/{suffix}"
    route, params = ROUTER.match("POST", path)
    headers = Headers({"content-type": "application/json", "accept": "application/json"})
    if creator.request.headers.get("authorization"):
        headers["authorization"] = creator.request.headers.get("authorization")
    request = Request("POST", f"https://bedrock-runtime.{job.region}.amazonaws.com{path}", headers, body)
    call = dataclasses.replace(
        creator, request=request, operation=route.operation, service=route.service, params=params, faults=FaultPlan()
    )
    call.__dict__["region"] = job.region  # the job's Region, whatever signed the request
    return route, call


def run_record(creator, job: Job, record: dict) -> tuple[dict, int, int]:
    """({"modelOutput": ...} or {"error": ...}, input tokens, output tokens) of one record."""
    body = json.dumps(record["modelInput"]).encode("utf-8")
    try:
        route, call = record_call(creator, job, body)
        response = route.handler(call)
        output = json.loads(b"".join(response.chunks()))
    except BedrockError as error:
        return {"error": {"errorCode": error.status, "errorMessage": error.message}}, 0, 0
    except Exception:  # a bug of ours: the record fails as Bedrock's internal error, the job goes on
        log.error("offline batch record %s failed", record["recordId"], exc_info=True)
        return {"error": {"errorCode": 500, "errorMessage": MSG_INTERNAL}}, 0, 0
    if response.status != 200:
        return {"error": {"errorCode": response.status, "errorMessage": output.get("message", "")}}, 0, 0
    if job.converse:
        usage = output.get("usage", {})
        return {"modelOutput": output}, usage.get("inputTokens", 0), usage.get("outputTokens", 0)
    headers = {k.lower(): v for k, v in response.headers.items()}
    tokens_in = int(headers.get("x-amzn-bedrock-input-token-count", 0))
    return {"modelOutput": output}, tokens_in, int(headers.get("x-amzn-bedrock-output-token-count", 0))


def output_key(job: Job, name: str) -> str:
    bucket_prefix = split_uri(job.request["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"])[1].rstrip("/")
    return "/".join(part for part in (bucket_prefix, job.job_id, name) if part)


def chunks(job: Job, key: str, name: str) -> Iterator[list[dict]]:
    chunk = []
    for number, line in enumerate(lines(job, key), 1):
        chunk.append(parse_record(job, name, number, line))
        if len(chunk) == batch.CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def process(jobs, creator, job: Job, clock) -> None:
    """Run every record, a chunk at a time, and write `<file>.out` per input file and the manifest."""
    client = s3(job.region)
    out_bucket = split_uri(job.request["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"])[0]
    run = functools.partial(run_record, creator, job)
    for key, name, _ in input_files(job):
        with batch.spool() as spooled:
            for chunk in chunks(job, key, name):
                if halted(job, clock):
                    break
                for record, (result, tokens_in, tokens_out) in zip(chunk, jobs.map(run, chunk)):
                    spooled.write(batch.output_line(record, result))
                    job.succeeded += "modelOutput" in result
                    job.errors += "error" in result
                    job.input_tokens += tokens_in
                    job.output_tokens += tokens_out
                    job.processed += 1
                job.modified_seconds = clock.now()
            spooled.seek(0)
            client.upload_fileobj(spooled, out_bucket, output_key(job, name + ".out"))
        if halted(job, clock):
            break
    manifest = json.dumps(job.manifest()).encode("utf-8")
    client.put_object(Bucket=out_bucket, Key=output_key(job, "manifest.json.out"), Body=manifest)


def halted(job: Job, clock) -> bool:
    """Whether the job must process no further record: stopped by its owner, or out of time."""
    return job.stop_requested.is_set() or clock.now() > job.expires_at


def move(job: Job, status: str, clock, message: str | None = None) -> None:
    job.status, job.modified_seconds = status, clock.now()
    if message:
        job.message = message
    if status in ENDED:
        job.end_seconds = job.modified_seconds


def wait_scheduled(jobs, job: Job, clock) -> str | None:
    """Wait while jobs are paused; the status the job ends with if it never starts, else None."""
    while not jobs.wait_to_run(timeout=0.05):
        if job.stop_requested.is_set():
            return STOPPED
        if clock.now() > job.expires_at:
            return EXPIRED
    return STOPPED if job.stop_requested.is_set() else None


def run_job(jobs, creator, job: Job) -> None:
    """The job's life, in its own thread: Validating, Scheduled, InProgress, then how it ended."""
    clock = creator.emulator.clock
    try:
        move(job, VALIDATING, clock)
        validate(job, input_files(job))
        move(job, SCHEDULED, clock)
        ended = wait_scheduled(jobs, job, clock)
        if ended:
            return move(job, ended, clock, batch.MSG_EXPIRED if ended == EXPIRED else None)
        move(job, IN_PROGRESS, clock)
        process(jobs, creator, job, clock)
    except InputProblem as problem:
        return move(job, FAILED, clock, str(problem))
    except Exception:  # noqa: BLE001 - a bug of ours fails the job, never the emulator
        log.error("offline batch job %s failed", job.job_id, exc_info=True)
        return move(job, FAILED, clock, MSG_INTERNAL)
    # The service model's status list: PartiallyCompleted means "Not all of your records could be
    # processed in time"; a record that fails is reported in the output, and the job still completes.
    if job.stop_requested.is_set():
        move(job, STOPPED, clock)
    elif job.processed < job.total:
        move(job, PARTIALLY_COMPLETED, clock)
    elif job.errors and not job.succeeded:
        move(job, FAILED, clock, batch.MSG_ALL_FAILED)
    else:
        move(job, COMPLETED, clock)

"""Batch inference offline: model invocation jobs, kept per account and Region, run in the background.

A job reads JSONL records (`{"recordId", "modelInput"}`) from S3 (moto, see aws_services.py), sends
each `modelInput` through the very route InvokeModel (or Converse, for `modelInvocationType`
Converse) uses — the same pipeline, rules, generator and errors — and writes Bedrock's layout back:
`<output prefix>/<job id>/<input file>.out`, one line per record in input order (`modelOutput`, or
`error` with `errorCode` and `errorMessage`), and `manifest.json.out` with the record and token counts.

How status advances offline: CreateModelInvocationJob answers at once with the job Submitted; a
background thread then moves it through Validating (the input is read and checked against Bedrock's
quotas), Scheduled and InProgress to Completed (failed records are reported in the output),
PartiallyCompleted (the job's timeout passed before every record was processed: the service model's
"Not all of your records could be processed in time"), Failed (validation failed, or every record
failed) or Stopped. Records run a chunk at a time on a small
thread pool shared by the emulator's jobs, so a job of 10,000 records holds one chunk of outputs in
memory, never the file; outputs are spooled to a temporary file before upload. GetModelInvocationJob
shows the counts as they grow. `BatchJobs.pause()` holds new jobs in Scheduled (to watch one, or
stop it before it starts) until `resume()`. Times are on the emulator's clock (its day plus the
seconds its ticker has run), so `clock.advance(hours)` past a job's `jobExpirationTime` while it is
held expires it, as Bedrock expires a job that did not start within its timeout.

Sources (read 2026-11-30): record and output formats, manifest fields — AWS user guide "Format and
upload your batch inference data" and "View the results of a batch inference job"; statuses — the
`statusEquals` documentation of ListModelInvocationJobs; quotas by name — "Format and upload your
batch inference data" (values below: see each constant).
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import hashlib
import json
import logging
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..vocabulary import MIN_RECORDS, SUBMITTED
from .background import BackgroundStore
from .errors import BedrockError

log = logging.getLogger(__name__)

# Unconfirmed values (the AWS quotas page was not found in the sources searched): the quota names are
# AWS's ("Records per input file per batch inference job", "Records per batch inference job", "Batch
# inference input file size", "Batch inference job size"), the figures are the commonly cited defaults.
MAX_RECORDS_PER_FILE = 50_000
MAX_RECORDS_PER_JOB = 50_000
MAX_FILE_BYTES = 1024**3
MAX_JOB_BYTES = 5 * 1024**3
DEFAULT_TIMEOUT_HOURS = 24  # timeoutDurationInHours, 24..168 in the service model
WORKERS = 8  # records generated at once, across all of an emulator's jobs
CHUNK = 64  # records read, run and written together: the job's memory bound
SPOOL_BYTES = 8 * 1024 * 1024  # output kept in memory up to this size, then on disk until uploaded

# Job messages (the `message` field of a failed job). Unconfirmed wording: no public quotation found.
MSG_NO_INPUT = "No .jsonl files were found at the input S3 location."
MSG_NO_BUCKET = "The S3 bucket in the input or output location does not exist or is not accessible."
MSG_TOO_FEW = f"The job has fewer records than the minimum number of records per batch inference job ({MIN_RECORDS})."
MSG_TOO_MANY_IN_FILE = "An input file has more records than the maximum number of records per input file."
MSG_TOO_MANY = "The job has more records than the maximum number of records per batch inference job."
MSG_FILE_TOO_LARGE = "An input file is larger than the maximum batch inference input file size."
MSG_JOB_TOO_LARGE = "The input files are larger than the maximum batch inference job size."
MSG_ALL_FAILED = "Every record of the job failed. See the error of each record in the output files."
MSG_EXPIRED = "The job did not start before its timeout duration ended."
# Errors answered to the control-plane calls. Unconfirmed wording.
MSG_JOB_NOT_FOUND = "The specified batch inference job could not be found."
MSG_NAME_IN_USE = "A batch inference job with this name already exists in this account and Region."
MSG_NOT_STOPPABLE = "The batch inference job cannot be stopped because it has already ended."


def msg_bad_line(where: str, index: int) -> str:
    """A line that is not a JSON object with a modelInput object (unconfirmed wording)."""
    return f"Line {index} of {where} is not a JSON object with a modelInput field."


@dataclass
class Job:
    """One model invocation job, as GetModelInvocationJob describes it, plus where it runs."""

    job_id: str
    arn: str
    account: str
    region: str
    request: dict  # the CreateModelInvocationJob body, as validated
    submit_seconds: float
    status: str = SUBMITTED
    message: str | None = None
    modified_seconds: float = 0.0
    end_seconds: float | None = None
    total: int = 0
    processed: int = 0
    succeeded: int = 0
    errors: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    stop_requested: threading.Event = field(default_factory=threading.Event)

    @property
    def name(self) -> str:
        return self.request["jobName"]

    @property
    def converse(self) -> bool:
        return self.request.get("modelInvocationType") == "Converse"

    @property
    def timeout_hours(self) -> int:
        return self.request.get("timeoutDurationInHours", DEFAULT_TIMEOUT_HOURS)

    def describe(self, day: dt.date) -> dict:
        """GetModelInvocationJob's output (ModelInvocationJobSummary has the same members)."""
        request = self.request
        view = {"jobArn": self.arn, "jobName": self.name, "modelId": request["modelId"]}
        for member in ("clientRequestToken", "roleArn", "inputDataConfig", "outputDataConfig", "vpcConfig"):
            if member in request:
                view[member] = request[member]
        view.update(status=self.status, submitTime=stamp(day, self.submit_seconds))
        view["lastModifiedTime"] = stamp(day, self.modified_seconds or self.submit_seconds)
        if self.message:
            view["message"] = self.message
        if self.end_seconds is not None:
            view["endTime"] = stamp(day, self.end_seconds)
        view["timeoutDurationInHours"] = self.timeout_hours
        view["jobExpirationTime"] = stamp(day, self.expires_at)
        view["modelInvocationType"] = request.get("modelInvocationType", "InvokeModel")
        view.update(
            totalRecordCount=self.total,
            processedRecordCount=self.processed,
            successRecordCount=self.succeeded,
            errorRecordCount=self.errors,
        )
        return view

    @property
    def expires_at(self) -> float:
        return self.submit_seconds + self.timeout_hours * 3600

    def manifest(self) -> dict:
        """manifest.json.out, with the fields AWS's "View the results" page lists."""
        return {
            "totalRecordCount": self.total,
            "processedRecordCount": self.processed,
            "successRecordCount": self.succeeded,
            "errorRecordCount": self.errors,
            "inputTokenCount": self.input_tokens,
            "outputTokenCount": self.output_tokens,
        }


def moment(day: dt.date, seconds: float) -> dt.datetime:
    """A time on the emulator's clock: its day at midnight UTC plus the ticker's seconds."""
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc) + dt.timedelta(seconds=seconds)


def stamp(day: dt.date, seconds: float) -> str:
    return moment(day, seconds).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment(day, seconds).microsecond // 1000:03d}Z"


def job_id_for(account: str, region: str, name: str, serial: int) -> str:
    """Twelve lower-case letters and digits (the service model's pattern), the same on every run."""
    digest = hashlib.sha256(f"{account}/{region}/{name}/{serial}".encode()).digest()
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(alphabet[b % len(alphabet)] for b in digest[:12])


class BatchJobs(BackgroundStore):
    """The jobs of one emulator, per (account, Region), and the pool their records run on."""

    thread_prefix = "bedrock-batch"

    def __init__(self):
        super().__init__()
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None

    def add(self, account: str, region: str, request: dict, now: float) -> tuple[Job, bool]:
        """The new job (and True), or the job an earlier request with the same clientRequestToken made."""
        with self._lock:
            jobs = self._place(account, region)
            token = request.get("clientRequestToken")
            for job in jobs.values():
                if token and job.request.get("clientRequestToken") == token:
                    return job, False
                if job.name == request["jobName"]:
                    raise BedrockError("ConflictException", MSG_NAME_IN_USE)
            job_id = job_id_for(account, region, request["jobName"], self._next_serial())
            arn = f"arn:aws:bedrock:{region}:{account}:model-invocation-job/{job_id}"
            # Whole milliseconds, as submitTime is sent, so a submitTimeAfter filter given a job's own
            # submitTime leaves that job out.
            job = Job(job_id, arn, account, region, request, submit_seconds=int(now * 1000) / 1000)
            jobs[job_id] = job
            return job, True

    def find(self, account: str, region: str, identifier: str) -> Job:
        job = self.get(account, region, identifier.rsplit("/", 1)[-1])
        if job is None or (identifier.startswith("arn:") and identifier != job.arn):
            raise BedrockError("ResourceNotFoundException", MSG_JOB_NOT_FOUND)
        return job

    def map(self, function: Callable, items: list) -> Iterator:
        """`function` over `items` on the shared pool, results in the order of `items`."""
        with self._lock:
            if self._pool is None:
                self._pool = concurrent.futures.ThreadPoolExecutor(WORKERS, thread_name_prefix="bedrock-batch")
        return self._pool.map(function, items)


def spool() -> tempfile.SpooledTemporaryFile:
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+b")


def output_line(record: dict, result: dict) -> bytes:
    line = {"recordId": record["recordId"], "modelInput": record["modelInput"], **result}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"

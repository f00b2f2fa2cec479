"""Asynchronous invocations offline: kept per account and Region, each run in a thread of its own.

StartAsyncInvoke answers at once with the invocation InProgress; a background thread then does the
model's work and writes its output objects to S3 (moto, see aws_services.py) under
`<s3Uri>/<invocation id>/`, and the invocation ends Completed, or Failed with a `failureMessage`
(the three statuses of botocore's `AsyncInvokeStatus`). `AsyncInvocations.pause()` holds new
invocations InProgress, before any output is written, until `resume()`, so a notebook or a test can
watch one in flight. Times are on the emulator's clock, like batch jobs' (batch.moment).

The invocation id is twelve lower-case letters and digits, as the service model's `InvocationArn`
pattern and the ARNs AWS's own examples show (`async-invoke/lvmxrnjf5mo3`, Nova embeddings schema
page; `async-invoke/g7ur3b32a10n`, Nova user guide), made from a hash so every run names it alike.
GetAsyncInvoke's `s3Uri` names the invocation's own folder: AWS's launch post for Nova Multimodal
Embeddings reads files by appending their names to it ("The output_s3_uri already includes the job
ID"; read 2026-11-30).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..vocabulary import COMPLETED, FAILED, IN_PROGRESS
from .background import BackgroundStore
from .batch import job_id_for, stamp
from .errors import BedrockError

STATUSES = (IN_PROGRESS, COMPLETED, FAILED)  # AsyncInvokeStatus in botocore's service model
# Unconfirmed wording: no public quotation of GetAsyncInvoke on an unknown ARN was found. The service model
# declares no ResourceNotFoundException for GetAsyncInvoke, only ValidationException, so that is the code.
MSG_INVOCATION_NOT_FOUND = "The provided invocation ARN does not exist."


class Failure(Exception):
    """The invocation fails with this message (GetAsyncInvoke's failureMessage)."""


@dataclass
class Invocation:
    """One asynchronous invocation, as GetAsyncInvoke describes it, plus where it runs."""

    invocation_id: str
    arn: str
    region: str
    model: dict  # the catalog entry
    model_arn: str
    request: dict  # the StartAsyncInvoke body, as validated
    submit_seconds: float
    status: str = IN_PROGRESS
    failure_message: str | None = None
    modified_seconds: float | None = None
    end_seconds: float | None = None

    @property
    def output(self) -> dict:
        return self.request["outputDataConfig"]["s3OutputDataConfig"]

    @property
    def folder_uri(self) -> str:
        """`<s3Uri>/<invocation id>`: where the output objects go, and the s3Uri Bedrock reports."""
        return f"{self.output['s3Uri'].rstrip('/')}/{self.invocation_id}"

    def describe(self, day: dt.date) -> dict:
        """GetAsyncInvoke's output (AsyncInvokeSummary has the same members)."""
        view = {"invocationArn": self.arn, "modelArn": self.model_arn}
        if "clientRequestToken" in self.request:
            view["clientRequestToken"] = self.request["clientRequestToken"]
        view["status"] = self.status
        if self.failure_message is not None:
            view["failureMessage"] = self.failure_message
        view["submitTime"] = stamp(day, self.submit_seconds)
        view["lastModifiedTime"] = stamp(day, self.modified_seconds or self.submit_seconds)
        if self.end_seconds is not None:
            view["endTime"] = stamp(day, self.end_seconds)
        view["outputDataConfig"] = {"s3OutputDataConfig": {**self.output, "s3Uri": self.folder_uri}}
        return view

    def end(self, now: float, failure: str | None = None) -> None:
        self.status, self.failure_message = (FAILED, failure) if failure else (COMPLETED, None)
        self.modified_seconds = self.end_seconds = now


class AsyncInvocations(BackgroundStore):
    """The asynchronous invocations of one emulator, per (account, Region)."""

    thread_prefix = "bedrock-async-invoke"

    def add(self, account: str, region: str, request: dict, model: dict, model_arn: str, now: float):
        """(the new invocation, True), or (the one an earlier request with the same clientRequestToken
        made, False): a retried StartAsyncInvoke starts nothing twice."""
        with self._lock:
            invocations = self._place(account, region)
            token = request.get("clientRequestToken")
            for invocation in invocations.values():
                if token and invocation.request.get("clientRequestToken") == token:
                    return invocation, False
            serial = self._next_serial()
            invocation_id = job_id_for(account, region, f"async-invoke/{model['modelId']}", serial)
            arn = f"arn:aws:bedrock:{region}:{account}:async-invoke/{invocation_id}"
            submitted = int(now * 1000) / 1000  # whole milliseconds, as submitTime is sent
            invocation = Invocation(invocation_id, arn, region, model, model_arn, request, submitted)
            invocations[invocation_id] = invocation
            return invocation, True

    def find(self, account: str, region: str, arn: str) -> Invocation:
        invocation = self.get(account, region, arn.rsplit("/", 1)[-1])
        if invocation is None or invocation.arn != arn:
            raise BedrockError.validation(MSG_INVOCATION_NOT_FOUND)
        return invocation

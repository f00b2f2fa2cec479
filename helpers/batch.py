"""Batch inference in plain dicts: records from prompts, the JSONL upload, the job, its results, its cost.

Every function takes and returns what the API and S3 take and return (record dicts, the
GetModelInvocationJob dict, output lines), so each step can be replaced by the raw call it wraps.
Mistakes Bedrock would only report once the job fails minutes later (too few records, repeated record
ids, an S3 URI or role ARN of the wrong form) are caught here, before anything is sent.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable

from . import clients, usage
from .invoke import claude_body, nova_body, to_message
from .vocabulary import COMPLETED, ENDED, FAILED, MIN_RECORDS

S3_URI = re.compile(r"s3://[a-z0-9][-.a-z0-9]{1,61}[a-z0-9](/.*)?")  # the bucket part of the service model's pattern
ROLE_ARN = re.compile(r"arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+")  # the service model's pattern
# Batch inference costs 50% of on-demand (AWS user guide "Capacity, Limits, and Cost Optimization": "Batch ...
# 50% cost savings vs on-demand", read 2026-11-30); data/prices.json `batch` records the same with its source.
DEFAULT_DISCOUNT = 0.5


def native_body(model_id: str, prompt: str, max_tokens: int = 512, system=None) -> dict:
    """The InvokeModel body of one user prompt for `model_id` (Nova or Claude), built by helpers.invoke."""
    messages = [{"role": "user", "content": [{"text": prompt}]}]
    base = usage.base_model_id(model_id)
    if base.startswith("anthropic."):
        return claude_body(messages, max_tokens=max_tokens, system=system)
    if base.startswith("amazon.nova"):
        return nova_body(messages, system=system, max_tokens=max_tokens)
    raise ValueError(
        f"records() writes Nova and Claude bodies; {model_id!r} is neither. Fix: pass a Nova or Claude model id, "
        "or build each modelInput yourself as that model's InvokeModel body."
    )


def records(prompts: Iterable[str], model_id: str, ids: Iterable[str] | None = None, **body_options) -> list[dict]:
    """One `{"recordId", "modelInput"}` per prompt; ids default to REC00001, REC00002, ..."""
    prompts = list(prompts)
    ids = list(ids) if ids is not None else [f"REC{n:05d}" for n in range(1, len(prompts) + 1)]
    if len(ids) != len(prompts):
        raise ValueError(f"{len(ids)} ids for {len(prompts)} prompts. Fix: give one id per prompt, or none.")
    return [{"recordId": i, "modelInput": native_body(model_id, p, **body_options)} for i, p in zip(ids, prompts)]


def check_records(rows: list[dict]) -> None:
    """Bedrock's rules a job would fail on later: enough records, unique ids, a modelInput object each."""
    if len(rows) < MIN_RECORDS:
        raise ValueError(
            f"A batch inference job needs at least {MIN_RECORDS} records; this one has {len(rows)}. "
            "Fix: add records, or call the model directly (Converse) for a handful of prompts."
        )
    seen = set()
    for number, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not isinstance(row.get("modelInput"), dict):
            raise ValueError(f"Record {number} needs a modelInput dict (the model's InvokeModel body).")
        if row.get("recordId") in seen:
            raise ValueError(f"recordId {row['recordId']!r} appears twice. Fix: give every record its own id.")
        seen.add(row.get("recordId"))


def to_jsonl(rows: list[dict]) -> bytes:
    """The JSONL file: one record per line, UTF-8."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")


def split_uri(uri: str) -> tuple[str, str]:
    if not isinstance(uri, str) or not S3_URI.fullmatch(uri):
        raise ValueError(f"{uri!r} is not an S3 URI. Fix: write it as s3://bucket-name/folder/ (lower-case bucket).")
    bucket, _, key = uri[len("s3://") :].partition("/")
    return bucket, key


def upload(s3, rows: list[dict], uri: str) -> str:
    """Check the records, write them as JSONL to `uri` (ending in .jsonl) and return the URI."""
    bucket, key = split_uri(uri)
    if not key.endswith(".jsonl"):
        raise ValueError(f"Bedrock reads only files ending in .jsonl, not {key!r}. Fix: name it e.g. input.jsonl.")
    check_records(rows)
    s3.put_object(Bucket=bucket, Key=key, Body=to_jsonl(rows), ContentType="application/jsonl")
    return uri


def submit(control, name: str, model_id: str, role_arn: str, input_uri: str, output_uri: str, **options) -> str:
    """CreateModelInvocationJob; returns the job ARN. `options` are the API's other members."""
    split_uri(input_uri), split_uri(output_uri)
    if not isinstance(role_arn, str) or not ROLE_ARN.fullmatch(role_arn):
        raise ValueError(f"{role_arn!r} is not an IAM role ARN. Fix: arn:aws:iam::<account id>:role/<role name>.")
    return control.create_model_invocation_job(
        jobName=name,
        modelId=model_id,
        roleArn=role_arn,
        inputDataConfig={"s3InputDataConfig": {"s3Uri": input_uri}},
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": output_uri}},
        **options,
    )["jobArn"]


def progress(job: dict) -> str:
    """'InProgress: 64/120 records (2 errors)'."""
    return (
        f"{job['status']}: {job.get('processedRecordCount', 0)}/{job.get('totalRecordCount', 0)} records"
        f" ({job.get('errorRecordCount', 0)} errors)"
    )


LIVE_POLL_SECONDS, OFFLINE_POLL_SECONDS = 60, 0.2
# GetAsyncInvoke's statuses (AsyncInvokeStatus in botocore's service model): InProgress, then one of these.
ASYNC_ENDED = frozenset({COMPLETED, FAILED})
# The file Nova Multimodal Embeddings writes beside its embeddings (Amazon Nova user guide, "Complete embeddings
# request and response schema", read 2026-11-30).
ASYNC_RESULT_FILE = "segmented-embedding-result.json"


def _poll(fetch: Callable[[], dict], ended, describe, timeout: float, poll, on_change, fix: str) -> dict:
    """Call `fetch` until its status is in `ended`; `on_change(describe(answer))` hears each new status."""
    if poll is None:
        poll = LIVE_POLL_SECONDS if clients.mode() == clients.LIVE else OFFLINE_POLL_SECONDS
    deadline, last = time.monotonic() + timeout, None
    while True:
        answer = fetch()
        if on_change is not None and answer["status"] != last:
            on_change(describe(answer))
        last = answer["status"]
        if answer["status"] in ended:
            return answer
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"Still {answer['status']} after {timeout:g} s. Fix: wait longer (it keeps running){fix}."
            )
        time.sleep(poll)


def wait(
    control, job_arn: str, timeout: float = 3600, poll: float | None = None, on_change: Callable | None = print
) -> dict:
    """Poll GetModelInvocationJob until the job ends; `on_change(text)` hears each new status. Real jobs
    take minutes to hours, so live polls once a minute by default (offline 0.2 s); raise `timeout` to match."""
    return _poll(
        lambda: control.get_model_invocation_job(jobIdentifier=job_arn),
        ENDED,
        progress,
        timeout,
        poll,
        on_change,
        ", or stop it with control.stop_model_invocation_job(jobIdentifier=...)",
    )


def wait_async(
    runtime, invocation_arn: str, timeout: float = 3600, poll: float | None = None, on_change: Callable | None = print
) -> dict:
    """Poll GetAsyncInvoke until the invocation is Completed or Failed and return its description.
    Live an invocation takes minutes, so this polls once a minute by default (offline 0.2 s)."""
    return _poll(
        lambda: runtime.get_async_invoke(invocationArn=invocation_arn),
        ASYNC_ENDED,
        lambda answer: answer["status"] + (f": {answer['failureMessage']}" if answer.get("failureMessage") else ""),
        timeout,
        poll,
        on_change,
        "; an asynchronous invocation cannot be stopped",
    )


def _read_text(s3, uri: str) -> str:
    bucket, key = split_uri(uri)
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")


def _json_objects(text: str) -> list[dict]:
    """One JSON document (embedding-image.json) or one per line (the .jsonl files), as a list."""
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return whole if isinstance(whole, list) else [whole]


def read_async_output(s3, invocation: dict) -> dict:
    """What a Completed Nova Multimodal Embeddings invocation wrote to S3, from its GetAsyncInvoke dict:
    `{"result": <segmented-embedding-result.json>, "segments": [one row per segment]}`, each row the
    embeddingType, the segmentMetadata fields (segmentIndex, character offsets or seconds), status and
    embedding, ready for pandas.DataFrame. An embedding type whose status is not SUCCESS has no rows;
    `result["embeddingResults"]` says which."""
    if invocation.get("status") != COMPLETED:
        raise ValueError(
            f"The invocation is {invocation.get('status')}, not Completed"
            + (f" ({invocation['failureMessage']})" if invocation.get("failureMessage") else "")
            + ". Fix: wait for it with wait_async(), and read only a Completed invocation."
        )
    folder = invocation["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"].rstrip("/")
    result = json.loads(_read_text(s3, f"{folder}/{ASYNC_RESULT_FILE}"))
    rows = []
    for found in result.get("embeddingResults", []):
        if found.get("status") != "SUCCESS":
            continue
        for line in _json_objects(_read_text(s3, found["outputFileUri"])):
            row = {"embeddingType": found["embeddingType"], **line.get("segmentMetadata", {})}
            rows.append(row | {key: value for key, value in line.items() if key != "segmentMetadata"})
    return {"result": result, "segments": rows}


def output_prefix(job: dict) -> tuple[str, str]:
    """(bucket, key prefix) where the job wrote: <output URI>/<job id>/."""
    bucket, key = split_uri(job["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"])
    job_id = job["jobArn"].rsplit("/", 1)[-1]
    return bucket, "/".join(part for part in (key.rstrip("/"), job_id) if part) + "/"


def manifest(s3, job: dict) -> dict:
    bucket, prefix = output_prefix(job)
    return json.loads(s3.get_object(Bucket=bucket, Key=prefix + "manifest.json.out")["Body"].read())


def results(s3, job: dict) -> list[dict]:
    """Every output line of the job, with `text` (the answer) or `errorCode`/`errorMessage` beside it."""
    bucket, prefix = output_prefix(job)
    rows = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in sorted(page.get("Contents", []), key=lambda o: o["Key"]):
            if item["Key"].endswith(".jsonl.out"):
                body = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"]
                rows += [_row(json.loads(line)) for line in body.iter_lines() if line.strip()]
    return rows


def _row(line: dict) -> dict:
    row = dict(line)
    if "modelOutput" in line:
        message = to_message(line["modelOutput"])
        row["text"] = "".join(block.get("text", "") for block in message["content"])
    else:
        row.update(line["error"])
    return row


def cost(model_id: str, input_tokens: int, output_tokens: int) -> dict:
    """{'on_demand': USD, 'batch': USD, 'discount': 0.5} for the tokens a job used (its manifest's counts)."""
    tokens = {"inputTokens": input_tokens, "outputTokens": output_tokens}
    on_demand = usage.cost(model_id, tokens)
    discount = usage.price_table().get("batch", {}).get("discount", DEFAULT_DISCOUNT)
    return {
        "on_demand": on_demand,
        "batch": None if on_demand is None else on_demand * (1 - discount),
        "discount": discount,
    }

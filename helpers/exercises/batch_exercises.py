"""Exercises of the batch inference notebook: write one JSONL record, write the job request, and read
an output file to say which records to send again. Each check names the mistake learners make: a
Converse request (with its modelId) where the record wants the model's native body, the S3 URI one
level too high or too low in the data configs, a user ARN where the job needs a role, and retrying a
record whose input Bedrock refused (it fails again) instead of fixing it."""

from __future__ import annotations

import re

from .checks import Exercise, NotYet, _dict, need

BUCKET = "my-review-bucket"
ROLE = "arn:aws:iam::123456789012:role/BedrockBatchRole"
MODEL = "amazon.nova-lite-v1:0"
S3_URI = re.compile(r"s3://[a-z0-9][-.a-z0-9]{1,61}[a-z0-9](/.*)?")
RECORD_KEYS = ("recordId", "modelInput")
JOB_KEYS = ("jobName", "roleArn", "modelId", "inputDataConfig", "outputDataConfig")
JOB_OPTIONAL = ("clientRequestToken", "timeoutDurationInHours", "tags", "modelInvocationType", "vpcConfig")

# Four lines of an output file, for 12-retry: two answers, a body Bedrock refused, and two transient failures.
OUTPUT_LINES = [
    {"recordId": "REV00001", "modelInput": {"...": "..."}, "modelOutput": {"output": {"...": "..."}}},
    {
        "recordId": "REV00002",
        "modelInput": {"...": "..."},
        "error": {
            "errorCode": 400,
            "errorMessage": "Malformed input request: #: required key [messages] not found, please reformat "
            "your input and try again.",
        },
    },
    {
        "recordId": "REV00003",
        "modelInput": {"...": "..."},
        "error": {"errorCode": 429, "errorMessage": "Too many tokens, please wait before trying again."},
    },
    {"recordId": "REV00004", "modelInput": {"...": "..."}, "modelOutput": {"output": {"...": "..."}}},
    {
        "recordId": "REV00005",
        "modelInput": {"...": "..."},
        "error": {"errorCode": 500, "errorMessage": "The server encountered an internal error."},
    },
]
TRANSIENT = {"REV00003", "REV00005"}


# ---- 12-record -------------------------------------------------------------------------------------------
def check_record(value) -> None:
    record = _dict(value, "Your record")
    for wrong, right in (
        ("body", "modelInput"),
        ("input", "modelInput"),
        ("id", "recordId"),
        ("custom_id", "recordId"),
    ):
        need(
            wrong not in record,
            f"The key is {right!r}, not {wrong!r}: each line is {{'recordId': ..., 'modelInput': ...}}.",
        )
    for key in record:
        need(key in RECORD_KEYS, f"A record has only 'recordId' and 'modelInput', not {key!r}.")
    need(
        isinstance(record.get("recordId"), str) and record["recordId"], "Give the record a recordId string: 'REV00001'."
    )
    body = record.get("modelInput")
    need(
        not isinstance(body, str),
        "modelInput is the body as a JSON object (a dict), not a string: the file is JSON all the way down.",
    )
    body = _dict(body, "modelInput")
    need(
        "modelId" not in body,
        "Leave modelId out: the job names the model once, and modelInput is the body InvokeModel sends, not a "
        "Converse request.",
    )
    need(
        body.get("schemaVersion") == "messages-v1",
        "A Nova body starts with 'schemaVersion': 'messages-v1' (the Invoke API's body, as in notebook 08).",
    )
    messages = body.get("messages")
    need(isinstance(messages, list) and messages, "Add 'messages': [{'role': 'user', 'content': [{'text': ...}]}].")
    first = _dict(messages[0], "Each message")
    need(first.get("role") == "user", "The first message is the user's: 'role': 'user'.")
    content = first.get("content")
    need(
        isinstance(content, list) and content and isinstance(content[0], dict) and content[0].get("text"),
        "content is a list of blocks: [{'text': 'Classify ...'}].",
    )
    config = body.get("inferenceConfig", {})
    need("max_tokens" not in config and "maxTokens" not in body, "Nova takes maxTokens inside inferenceConfig.")


# ---- 12-job-request --------------------------------------------------------------------------------------
def _uri(config: dict, outer: str, inner: str) -> str:
    need(
        "s3Uri" not in config,
        f"Wrap the location: {outer}={{'{inner}': {{'s3Uri': 's3://...'}}}} (the API allows other kinds of source).",
    )
    location = _dict(config.get(inner), f"{outer}['{inner}']")
    uri = location.get("s3Uri")
    need(isinstance(uri, str), f"Give {outer}['{inner}'] an 's3Uri'.")
    need(
        uri.startswith("s3://"),
        f"{uri!r} is not an S3 URI: write s3://{BUCKET}/..., not an https:// address or a bare bucket name.",
    )
    need(S3_URI.fullmatch(uri), f"{uri!r} is not an S3 URI Bedrock accepts: lower-case bucket, then the key.")
    need(uri.startswith(f"s3://{BUCKET}/"), f"Use the task's bucket: s3://{BUCKET}/...")
    return uri


def check_job_request(value) -> None:
    request = _dict(value, "Your request")
    for key in request:
        need(key in JOB_KEYS + JOB_OPTIONAL, f"create_model_invocation_job has no parameter {key!r}.")
    for key in JOB_KEYS:
        need(key in request, f"Add {key!r}: the job needs {', '.join(JOB_KEYS)}.")
    need(
        re.fullmatch(r"[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9\+\-\.]){0,63}", str(request["jobName"])),
        "jobName takes letters, digits and hyphens (no spaces or underscores): 'reviews-2026-11-30'.",
    )
    role = str(request["roleArn"])
    need(":user/" not in role, "roleArn names a role Bedrock assumes, not a user: arn:aws:iam::<account>:role/<name>.")
    need(role == ROLE, f"Use the task's role: {ROLE}.")
    need(request["modelId"] == MODEL, f"Use the task's model: {MODEL!r}.")
    source = _uri(_dict(request["inputDataConfig"], "inputDataConfig"), "inputDataConfig", "s3InputDataConfig")
    need(
        "s3OutputDataConfig" not in request["inputDataConfig"],
        "inputDataConfig takes s3InputDataConfig; s3OutputDataConfig goes in outputDataConfig.",
    )
    target = _uri(_dict(request["outputDataConfig"], "outputDataConfig"), "outputDataConfig", "s3OutputDataConfig")
    need(
        source.endswith(".jsonl") or source.endswith("/"),
        "The input is a .jsonl file or a folder ending in '/': s3://my-review-bucket/input/reviews.jsonl.",
    )
    need(
        not target.endswith(".jsonl"),
        "The output is a folder, not a file: Bedrock writes <output>/<job id>/reviews.jsonl.out inside it.",
    )
    need(
        not target.startswith(source.rstrip("/") + "/") and target.rstrip("/") != source.rstrip("/"),
        "Keep the output out of the input folder: a later job reading that folder would take the outputs as input.",
    )


# ---- 12-retry (judgement) --------------------------------------------------------------------------------
def check_retry(value) -> None:
    need(isinstance(value, (set, list, tuple, frozenset)), f"Give a set of recordIds, not {type(value).__name__}.")
    chosen = set(value)
    need(
        not chosen & {"REV00001", "REV00004"},
        "REV00001 and REV00004 have a modelOutput: they succeeded, and sending them again is paid for twice.",
    )
    if "REV00002" in chosen:
        raise NotYet(
            "Not REV00002: its error is 400, Bedrock refused the input itself. Sent again unchanged it fails "
            "again; fix its modelInput first."
        )
    for record in sorted(chosen - TRANSIENT):
        raise NotYet(f"{record!r} is not a recordId in the sample: read each line's 'recordId'.")
    need(chosen >= TRANSIENT, "Add the records that failed for a passing reason: throttling (429) and 500 errors.")


BATCH_SAMPLES = {"12-job-request": {"bucket": BUCKET, "role": ROLE, "model": MODEL}, "12-retry": OUTPUT_LINES}

BATCH_EDITS = [
    Exercise(
        "12-record",
        "12",
        "Write one line of a batch input file, as a dict: recordId 'REV00001', and the Nova Lite body that asks "
        "'Classify the sentiment of: The kettle boils fast.' with maxTokens 50.",
        check_record,
        (
            "A record has two keys: recordId and modelInput.",
            "modelInput is the InvokeModel body of notebook 08 (schemaVersion, messages, inferenceConfig).",
        ),
        "json.dumps(record) is one line of the JSONL file.",
    ),
    Exercise(
        "12-job-request",
        "12",
        "Write the create_model_invocation_job arguments, as a dict, for sample('12-job-request'): input "
        "s3://my-review-bucket/input/reviews.jsonl, output under s3://my-review-bucket/output/.",
        check_job_request,
        (
            "Five parameters: jobName, roleArn, modelId, inputDataConfig, outputDataConfig.",
            "inputDataConfig={'s3InputDataConfig': {'s3Uri': ...}}; the output mirrors it with s3OutputDataConfig.",
        ),
        "control.create_model_invocation_job(**your_dict) would submit it.",
    ),
]

BATCH_JUDGEMENT = [
    Exercise(
        "12-retry",
        "12",
        "sample('12-retry') is part of a job's output file. Which records would you send again, unchanged, in "
        "a follow-up? Give the set of their recordIds.",
        check_retry,
        (
            "Lines with modelOutput succeeded; lines with error did not.",
            "A 400 means the input itself is wrong; 429 and 500 pass with time.",
        ),
        "only the records that failed for a passing reason are worth sending again as they are.",
    ),
]

"""Exercises of the batch inference notebook: write one JSONL record, write the job request, write an
asynchronous invocation request, and read an output file to say which records to send again. Each check
names the mistake learners make: a Converse request (with its modelId) where the record wants the
model's native body, the S3 URI one level too high or too low in the data configs, a user ARN where the
job needs a role, a text model or invoke_model's SINGLE_EMBEDDING body sent to start_async_invoke, and
retrying a record whose input Bedrock refused (it fails again) instead of fixing it."""

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
# 12-async-request: Nova Multimodal Embeddings' asynchronous body (Amazon Nova user guide, "Complete embeddings
# request and response schema", read 2026-11-30); StartAsyncInvoke's members from botocore's service model.
ASYNC_MODEL = "amazon.nova-2-multimodal-embeddings-v1:0"
HANDBOOK = f"s3://{BUCKET}/docs/handbook.txt"
EMBEDDINGS_FOLDER = f"s3://{BUCKET}/embeddings/"
ASYNC_KEYS = ("modelId", "modelInput", "outputDataConfig")
ASYNC_OPTIONAL = ("clientRequestToken", "tags")
PURPOSES = ("GENERIC_INDEX", "GENERIC_RETRIEVAL", "TEXT_RETRIEVAL", "IMAGE_RETRIEVAL", "VIDEO_RETRIEVAL")
PURPOSES += ("DOCUMENT_RETRIEVAL", "AUDIO_RETRIEVAL", "CLASSIFICATION", "CLUSTERING")

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


# ---- 12-async-request ------------------------------------------------------------------------------------
def _segmented_params(body: dict) -> dict:
    need(
        body.get("taskType") == "SEGMENTED_EMBEDDING" and "singleEmbeddingParams" not in body,
        "start_async_invoke takes 'taskType': 'SEGMENTED_EMBEDDING' with 'segmentedEmbeddingParams'; "
        "SINGLE_EMBEDDING and singleEmbeddingParams are for invoke_model.",
    )
    params = _dict(body.get("segmentedEmbeddingParams"), "modelInput['segmentedEmbeddingParams']")
    need(params.get("embeddingPurpose") in PURPOSES, "Add 'embeddingPurpose': 'GENERIC_INDEX' (vectors for an index).")
    need(
        params.get("embeddingDimension") == 1024,
        "The task asks for 'embeddingDimension': 1024 (256, 384, 1024 or 3072).",
    )
    return params


def _text_from_s3(text: dict) -> None:
    location = {"s3Location": {"uri": HANDBOOK}}
    need("value" not in text, f"The text is a file in S3: 'source': {location}; 'value' is for the text itself.")
    source = text.get("source")
    found = source.get("s3Location") if isinstance(source, dict) else None
    need(isinstance(found, dict) and found.get("uri") == HANDBOOK, f"Point the text at the file: 'source': {location}.")
    need(text.get("truncationMode") in ("START", "END", "NONE"), "Add 'truncationMode': 'END' to the text (required).")
    segmentation = text.get("segmentationConfig")
    need(
        isinstance(segmentation, dict) and "maxLengthChars" in segmentation,
        "Add 'segmentationConfig': {'maxLengthChars': 2000} to the text: it says how long a segment may be.",
    )
    need(segmentation["maxLengthChars"] == 2000, "Segments of at most 2,000 characters: 'maxLengthChars': 2000.")


def check_async_request(value) -> None:
    request = _dict(value, "Your request")
    need("body" not in request, "The model's body goes in 'modelInput': start_async_invoke has no 'body'.")
    for key in request:
        need(key in ASYNC_KEYS + ASYNC_OPTIONAL, f"start_async_invoke has no parameter {key!r}.")
    for key in ASYNC_KEYS:
        need(key in request, f"Add {key!r}: start_async_invoke needs {', '.join(ASYNC_KEYS)}.")
    need(
        request["modelId"] == ASYNC_MODEL,
        f"{request['modelId']!r} does not take asynchronous invocation (Bedrock refuses it): use {ASYNC_MODEL!r}.",
    )
    body = request["modelInput"]
    need(
        not isinstance(body, str),
        "modelInput is the body as a dict, not a JSON string: boto3 sends it as JSON itself, and Bedrock refuses a "
        "string with 'The provided request is not valid'.",
    )
    params = _segmented_params(_dict(body, "modelInput"))
    _text_from_s3(_dict(params.get("text"), "segmentedEmbeddingParams['text']"))
    target = _uri(_dict(request["outputDataConfig"], "outputDataConfig"), "outputDataConfig", "s3OutputDataConfig")
    need(
        not target.endswith((".json", ".jsonl")),
        "The output is a folder, not a file: Bedrock writes <folder>/<invocation id>/segmented-embedding-result.json.",
    )
    need(target.rstrip("/") == EMBEDDINGS_FOLDER.rstrip("/"), f"Use the task's output folder: {EMBEDDINGS_FOLDER}")


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


BATCH_SAMPLES = {
    "12-job-request": {"bucket": BUCKET, "role": ROLE, "model": MODEL},
    "12-async-request": {"model": ASYNC_MODEL, "text file": HANDBOOK, "output folder": EMBEDDINGS_FOLDER},
    "12-retry": OUTPUT_LINES,
}

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
    Exercise(
        "12-async-request",
        "12",
        "Write the start_async_invoke arguments, as a dict, for sample('12-async-request'): segmented embeddings "
        "of the text file it names, in segments of at most 2,000 characters, 1024 dimensions, written under its "
        "output folder.",
        check_async_request,
        (
            "Three parameters: modelId, modelInput (the model's own body) and outputDataConfig.",
            "modelInput: schemaVersion 'nova-multimodal-embed-v1', taskType 'SEGMENTED_EMBEDDING', and "
            "segmentedEmbeddingParams with embeddingPurpose, embeddingDimension and text (truncationMode, source, "
            "segmentationConfig).",
        ),
        "runtime.start_async_invoke(**your_dict) would start it; add a clientRequestToken to make retries safe.",
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

"""Wrong answers learners give in notebook 12's exercises, each with the exact message its check gives
(run by tests/test_exercises.py::test_typical_mistakes_get_a_precise_message)."""

from __future__ import annotations

import json


def _body(**changes):
    def edit(record):
        record["modelInput"].update(changes)

    return edit


def _job(**changes):
    def edit(request):
        request.update(changes)

    return edit


def _text(**changes):
    def edit(request):
        request["modelInput"]["segmentedEmbeddingParams"]["text"].update(changes)

    return edit


MISTAKES = [
    # ---- 12-record --------------------------------------------------------------------------------------
    (
        "12-record",
        lambda v: {"recordId": v["recordId"], "body": v["modelInput"]},
        "The key is 'modelInput', not 'body': each line is {'recordId': ..., 'modelInput': ...}.",
    ),
    (
        "12-record",
        lambda v: {"recordId": v["recordId"], "modelInput": json.dumps(v["modelInput"])},
        "modelInput is the body as a JSON object (a dict), not a string: the file is JSON all the way down.",
    ),
    (
        "12-record",
        _body(modelId="amazon.nova-lite-v1:0"),
        "Leave modelId out: the job names the model once, and modelInput is the body InvokeModel sends, not a "
        "Converse request.",
    ),
    (
        "12-record",
        lambda v: v["modelInput"].pop("schemaVersion") and None,  # changed in place
        "A Nova body starts with 'schemaVersion': 'messages-v1' (the Invoke API's body, as in notebook 08).",
    ),
    (
        "12-record",
        _body(messages=[{"role": "user", "content": "Classify the sentiment of: The kettle boils fast."}]),
        "content is a list of blocks: [{'text': 'Classify ...'}].",
    ),
    # ---- 12-job-request ---------------------------------------------------------------------------------
    (
        "12-job-request",
        _job(inputDataConfig={"s3Uri": "s3://my-review-bucket/input/reviews.jsonl"}),
        "Wrap the location: inputDataConfig={'s3InputDataConfig': {'s3Uri': 's3://...'}} (the API allows other "
        "kinds of source).",
    ),
    (
        "12-job-request",
        _job(roleArn="arn:aws:iam::123456789012:user/alice"),
        "roleArn names a role Bedrock assumes, not a user: arn:aws:iam::<account>:role/<name>.",
    ),
    (
        "12-job-request",
        _job(outputDataConfig={"s3OutputDataConfig": {"s3Uri": "https://my-review-bucket.s3.amazonaws.com/output/"}}),
        "'https://my-review-bucket.s3.amazonaws.com/output/' is not an S3 URI: write s3://my-review-bucket/..., "
        "not an https:// address or a bare bucket name.",
    ),
    (
        "12-job-request",
        _job(outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://my-review-bucket/output/reviews.jsonl"}}),
        "The output is a folder, not a file: Bedrock writes <output>/<job id>/reviews.jsonl.out inside it.",
    ),
    (
        "12-job-request",
        _job(jobName="reviews batch"),
        "jobName takes letters, digits and hyphens (no spaces or underscores): 'reviews-2026-11-30'.",
    ),
    # ---- 12-async-request -------------------------------------------------------------------------------
    (
        "12-async-request",
        _job(modelId="amazon.nova-lite-v1:0"),
        "'amazon.nova-lite-v1:0' does not take asynchronous invocation (Bedrock refuses it): use "
        "'amazon.nova-2-multimodal-embeddings-v1:0'.",
    ),
    (
        "12-async-request",
        lambda v: v | {"modelInput": json.dumps(v["modelInput"])},
        "modelInput is the body as a dict, not a JSON string: boto3 sends it as JSON itself, and Bedrock refuses a "
        "string with 'The provided request is not valid'.",
    ),
    (
        "12-async-request",
        lambda v: v["modelInput"].update(
            taskType="SINGLE_EMBEDDING", singleEmbeddingParams=v["modelInput"].pop("segmentedEmbeddingParams")
        ),
        "start_async_invoke takes 'taskType': 'SEGMENTED_EMBEDDING' with 'segmentedEmbeddingParams'; "
        "SINGLE_EMBEDDING and singleEmbeddingParams are for invoke_model.",
    ),
    (
        "12-async-request",
        _text(value="s3://my-review-bucket/docs/handbook.txt"),
        "The text is a file in S3: 'source': {'s3Location': {'uri': 's3://my-review-bucket/docs/handbook.txt'}}; "
        "'value' is for the text itself.",
    ),
    (
        "12-async-request",
        lambda v: v["modelInput"]["segmentedEmbeddingParams"]["text"].pop("segmentationConfig") and None,
        "Add 'segmentationConfig': {'maxLengthChars': 2000} to the text: it says how long a segment may be.",
    ),
    (
        "12-async-request",
        _job(outputDataConfig={"s3Uri": "s3://my-review-bucket/embeddings/"}),
        "Wrap the location: outputDataConfig={'s3OutputDataConfig': {'s3Uri': 's3://...'}} (the API allows other "
        "kinds of source).",
    ),
    (
        "12-async-request",
        _job(outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://my-review-bucket/embeddings/result.json"}}),
        "The output is a folder, not a file: Bedrock writes <folder>/<invocation id>/segmented-embedding-result.json.",
    ),
    # ---- 12-retry -----------------------------------------------------------------------------------------
    (
        "12-retry",
        lambda v: v | {"REV00002"},
        "Not REV00002: its error is 400, Bedrock refused the input itself. Sent again unchanged it fails again; "
        "fix its modelInput first.",
    ),
    (
        "12-retry",
        lambda v: v | {"REV00001"},
        "REV00001 and REV00004 have a modelOutput: they succeeded, and sending them again is paid for twice.",
    ),
    (
        "12-retry",
        lambda v: {"REV00003"},
        "Add the records that failed for a passing reason: throttling (429) and 500 errors.",
    ),
]

"""Reference solutions of the workbook exercises, kept out of the notebooks so a learner only sees
one on purpose: `solutions.solution("03-request")`."""

from __future__ import annotations

from ..paths import DATA
from . import batch_exercises, feature_exercises
from .checks import HAIKU, SONNET, stream_sample
from .guardrail_exercises import BLOCKERS, CREATED
from .tool_exercises import TWO_CALLS

SAMPLES = DATA / "samples"


def _collect():
    text = "".join(e["contentBlockDelta"]["delta"]["text"] for e in stream_sample() if "contentBlockDelta" in e)
    return {"role": "assistant", "content": [{"text": text}]}


def _stop_reason():
    return next(e["messageStop"]["stopReason"] for e in stream_sample() if "messageStop" in e)


def _image_block():
    return {"image": {"format": "jpeg", "source": {"bytes": (SAMPLES / "shapes.jpg").read_bytes()}}}


def _document_block():
    return {
        "document": {
            "format": "pdf",
            "name": "Q2 2025 earnings v1",
            "source": {"bytes": (SAMPLES / "Q2_2025_earnings.v1.pdf").read_bytes()},
        }
    }


def _playground_request():
    return {
        "modelId": HAIKU,
        "messages": [{"role": "user", "content": [{"text": "List the eight planets, one per line, numbered."}]}],
        "inferenceConfig": {"maxTokens": 50, "temperature": 0, "stopSequences": ["5."]},
        "additionalModelRequestFields": {"top_k": 50},
    }


def _compare():
    base = {
        "messages": [{"role": "user", "content": [{"text": "Explain temperature in two sentences."}]}],
        "inferenceConfig": {"temperature": 0, "maxTokens": 300},
    }
    return [{"modelId": HAIKU, **base}, {"modelId": "amazon.nova-lite-v1:0", **base}]


def _tool_spec():
    schema = {
        "type": "object",
        "properties": {
            "amount": {"type": "number", "description": "How much money to convert"},
            "to": {"type": "string", "enum": ["EUR", "USD", "JPY"], "description": "The currency to convert to"},
        },
        "required": ["amount", "to"],
    }
    description = "Convert an amount of US dollars into another currency."
    return {"toolSpec": {"name": "convert_currency", "description": description, "inputSchema": {"json": schema}}}


def _tool_result():
    weather = {"Paris": {"temperature_c": 18}, "Oslo": {"temperature_c": 4}}
    uses = [block["toolUse"] for block in TWO_CALLS["content"] if "toolUse" in block]
    results = [
        {"toolResult": {"toolUseId": use["toolUseId"], "content": [{"json": weather[use["input"]["city"]]}]}}
        for use in uses
    ]
    return {"role": "user", "content": results}


SOLUTIONS = {
    "01-policy": lambda: {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ConverseAndStream",
                "Effect": "Allow",
                "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                "Resource": "arn:aws:bedrock:*::foundation-model/*",
            }
        ],
    },
    "01-config": lambda: "[profile bedrock-learner]\nregion = us-west-2\noutput = json\n",
    "02-filter": lambda: {"byProvider": "Anthropic", "byOutputModality": "TEXT", "byInferenceType": "ON_DEMAND"},
    "02-profile-id": lambda: f"us.{SONNET}",
    "03-request": lambda: {
        "modelId": HAIKU,
        "system": [{"text": "You are a travel guide. Answer in three short bullet points."}],
        "messages": [{"role": "user", "content": [{"text": "Suggest a weekend in Lisbon."}]}],
        "inferenceConfig": {"temperature": 0.5, "maxTokens": 300},
    },
    "03-continue": lambda: [
        {"role": "user", "content": [{"text": "Create a list of 3 pop songs."}]},
        {"role": "assistant", "content": [{"text": '1. "Blinding Lights" - The Weeknd'}]},
    ],
    "04-image-block": _image_block,
    "04-image-message": lambda: {"role": "user", "content": [_image_block(), {"text": "What shapes do you see?"}]},
    "05-document-block": _document_block,
    "05-document-message": lambda: {
        "role": "user",
        "content": [_document_block(), {"text": "What was the revenue in Q2?"}],
    },
    "06-video-s3": lambda: {
        "video": {
            "format": "mp4",
            "source": {"s3Location": {"uri": "s3://my-video-bucket/clips/clip.mp4", "bucketOwner": "123456789012"}},
        }
    },
    "06-video-model": lambda: "amazon.nova-lite-v1:0",
    "07-collect": _collect,
    "07-stop-reason": _stop_reason,
    "08-nova-body": lambda: {
        "schemaVersion": "messages-v1",
        "system": [{"text": "Act as a creative writing assistant."}],
        "messages": [{"role": "user", "content": [{"text": "A camping trip"}]}],
        "inferenceConfig": {"maxTokens": 500, "temperature": 0.7},
    },
    "08-claude-body": lambda: {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 500,
        "system": "You are a helpful assistant.",
        "messages": [{"role": "user", "content": [{"type": "text", "text": "Create a list of 3 pop songs."}]}],
    },
    "01-denied": lambda: {
        "Effect": "Allow",
        "Action": "bedrock:InvokeModelWithResponseStream",
        "Resource": "arn:aws:bedrock:*::foundation-model/*",
    },
    "02-choose-model": lambda: "amazon.nova-lite-v1:0",
    "03-retry": lambda: {"ThrottlingException", "ServiceUnavailableException", "ModelNotReadyException"},
    "04-downscale": lambda: {"b.png", "c.jpg"},
    "05-valid-request": lambda: "C",
    "06-video-route": lambda: {
        "intro.mp4": "bytes",
        "clip.mov": "bytes",
        "lecture.mp4": "s3",
        "webinar.mp4": "too large",
    },
    "07-cost": lambda: 1200 * 0.06 / 1_000_000 + 800 * 0.24 / 1_000_000,
    "08-long-config": lambda: "C",
    "09-tool-spec": _tool_spec,
    "09-tool-result": _tool_result,
    "09-stream-input": lambda: {"amount": 250, "to": "JPY"},
    "09-tool-choice": lambda: {"tool": {"name": "record_ticket"}},
    "11-cache-point": lambda: [
        {"text": feature_exercises.HANDBOOK},
        {"cachePoint": {"type": "default", "ttl": "1h"}},
    ],
    "11-thinking": lambda: {"thinking": {"type": "enabled", "budget_tokens": 2000}},
    "11-cache-pays": lambda: {"B", "D"},
    "10-pii-policy": lambda: {
        "piiEntitiesConfig": [
            {"type": "EMAIL", "action": "ANONYMIZE"},
            {"type": "CREDIT_DEBIT_CARD_NUMBER", "action": "BLOCK"},
        ]
    },
    "10-converse-config": lambda: {
        "guardrailIdentifier": CREATED["guardrailId"],
        "guardrailVersion": "1",
        "trace": "enabled",
    },
    "10-read-trace": lambda: set(BLOCKERS),
    "12-record": lambda: {
        "recordId": "REV00001",
        "modelInput": {
            "schemaVersion": "messages-v1",
            "messages": [{"role": "user", "content": [{"text": "Classify the sentiment of: The kettle boils fast."}]}],
            "inferenceConfig": {"maxTokens": 50},
        },
    },
    "12-job-request": lambda: {
        "jobName": "reviews-2026-11-30",
        "roleArn": batch_exercises.ROLE,
        "modelId": batch_exercises.MODEL,
        "inputDataConfig": {"s3InputDataConfig": {"s3Uri": "s3://my-review-bucket/input/reviews.jsonl"}},
        "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://my-review-bucket/output/"}},
    },
    "12-async-request": lambda: {
        "modelId": batch_exercises.ASYNC_MODEL,
        "modelInput": {
            "schemaVersion": "nova-multimodal-embed-v1",
            "taskType": "SEGMENTED_EMBEDDING",
            "segmentedEmbeddingParams": {
                "embeddingPurpose": "GENERIC_INDEX",
                "embeddingDimension": 1024,
                "text": {
                    "truncationMode": "END",
                    "source": {"s3Location": {"uri": batch_exercises.HANDBOOK}},
                    "segmentationConfig": {"maxLengthChars": 2000},
                },
            },
        },
        "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": batch_exercises.EMBEDDINGS_FOLDER}},
    },
    "12-retry": lambda: set(batch_exercises.TRANSIENT),
    "13-pick-run": lambda: "amazon.nova-lite-v1:0",
    "13-request": _playground_request,
    "13-compare": _compare,
}


def solution(exercise_id: str):
    """A fresh copy of the reference solution of one exercise."""
    if exercise_id not in SOLUTIONS:
        raise ValueError(f"No solution for {exercise_id!r}.")
    return SOLUTIONS[exercise_id]()

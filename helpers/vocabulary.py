"""Bedrock's names that both the learner-facing helpers and the offline emulator speak.

One home for each word, so a policy a notebook writes, an exercise check and the emulator's IAM
enforcement can never disagree on what an action or a body version is called. Media formats and
limits live beside it in `formats.py`.
"""

from __future__ import annotations

# IAM actions that authorize inference: Converse and InvokeModel need the first, ConverseStream and
# InvokeModelWithResponseStream the second (Bedrock user guide, "Identity-based policy examples").
INVOKE_ACTION = "bedrock:InvokeModel"
STREAM_ACTION = "bedrock:InvokeModelWithResponseStream"
INFERENCE_ACTIONS = (INVOKE_ACTION, STREAM_ACTION)

# The body version Anthropic's models take on Bedrock's Invoke API (Anthropic, "Claude on Amazon Bedrock").
ANTHROPIC_VERSION = "bedrock-2023-05-31"
# Amazon Nova's native request schema (Nova user guide, "Using the Invoke API").
NOVA_SCHEMA_VERSION = "messages-v1"


# Batch inference job statuses (ListModelInvocationJobs `statusEquals`, botocore's service model).
SUBMITTED, VALIDATING, SCHEDULED, IN_PROGRESS = "Submitted", "Validating", "Scheduled", "InProgress"
COMPLETED, PARTIALLY_COMPLETED, FAILED = "Completed", "PartiallyCompleted", "Failed"
STOPPING, STOPPED, EXPIRED = "Stopping", "Stopped", "Expired"
ENDED = frozenset({COMPLETED, PARTIALLY_COMPLETED, FAILED, STOPPED, EXPIRED})
# "Minimum number of records per batch inference job": 100 in the quota most models have (third-party
# docs quoting it: TrueFoundry "batch predictions" guide, BoundaryML/baml PR 3036; AWS names the quota).
MIN_RECORDS = 100


def inference_action(streaming: bool) -> str:
    """The IAM action a call needs: streaming responses have an action of their own."""
    return STREAM_ACTION if streaming else INVOKE_ACTION

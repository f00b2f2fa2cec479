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


def inference_action(streaming: bool) -> str:
    """The IAM action a call needs: streaming responses have an action of their own."""
    return STREAM_ACTION if streaming else INVOKE_ACTION

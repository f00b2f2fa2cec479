"""Claude 2's Text Completions body over InvokeModel and its stream, through real boto3.

Claude 2.1 reached end of life in 2025, so these tests replay a day it was ACTIVE (conftest.replay_day)."""

# migrate_models: keep-file (Claude 2 and Claude 3 Haiku as they answered in 2024)

import json

import pytest
from botocore.exceptions import ClientError

from conftest import error_of
from helpers.offline.dialects.claude_text import MSG_END, MSG_START

pytestmark = pytest.mark.usefixtures("replay_day")

CLAUDE_2 = "anthropic.claude-v2:1"
PROMPT = "\n\nHuman: Create a list of 3 pop songs.\n\nAssistant:"


def invoke(client, body, model_id=CLAUDE_2):
    return json.loads(client.invoke_model(modelId=model_id, body=json.dumps(body))["body"].read())


def test_completion_body_and_claude_2_stop_fields(runtime):
    answer = invoke(runtime, {"prompt": PROMPT, "max_tokens_to_sample": 300})
    assert answer["type"] == "completion"
    assert answer["completion"].startswith(" Here are 3 popular pop songs:")
    assert (answer["stop_reason"], answer["stop"]) == ("stop_sequence", "\n\nHuman:")


def test_max_tokens_to_sample_truncates(runtime):
    answer = invoke(runtime, {"prompt": PROMPT, "max_tokens_to_sample": 5})
    assert (answer["stop_reason"], answer["stop"]) == ("max_tokens", None)
    assert answer["completion"] == " Here are 3 popular"


def test_text_before_the_first_human_turn_is_the_system_prompt(runtime):
    body = {
        "prompt": "You are an app that creates playlists for a radio station that plays rock and pop music. "
        "Only return song names and the artist." + PROMPT,
        "max_tokens_to_sample": 300,
        "temperature": 0,
    }
    assert '"Blinding Lights" - The Weeknd' in invoke(runtime, body)["completion"]


def test_stream_chunks_add_up_to_the_completion(runtime):
    body = {"prompt": PROMPT, "max_tokens_to_sample": 300}
    whole = invoke(runtime, body)
    stream = runtime.invoke_model_with_response_stream(modelId=CLAUDE_2, body=json.dumps(body))
    chunks = [json.loads(event["chunk"]["bytes"]) for event in stream["body"]]
    assert "".join(c["completion"] for c in chunks) == whole["completion"]
    assert all(c["stop_reason"] is None for c in chunks[:-1])
    last = chunks[-1]
    assert (last["stop_reason"], last["stop"]) == ("stop_sequence", "\n\nHuman:")
    assert last["amazon-bedrock-invocationMetrics"]["outputTokenCount"] > 0


@pytest.mark.parametrize(
    "body, message",
    [
        ({"prompt": "Create a list of 3 pop songs.", "max_tokens_to_sample": 5}, MSG_START),
        ({"prompt": "\n\nAssistant: Hi\n\nHuman: Hello\n\nAssistant:", "max_tokens_to_sample": 5}, MSG_START),
        ({"prompt": "\n\nHuman: Create a list of 3 pop songs.", "max_tokens_to_sample": 5}, MSG_END),
        (
            {"prompt": PROMPT},
            "Malformed input request: #: required key [max_tokens_to_sample] not found, "
            "please reformat your input and try again.",
        ),
        (
            {"prompt": PROMPT, "max_tokens_to_sample": 5, "max_tokens": 5},
            "Malformed input request: #: extraneous key [max_tokens] is not permitted, please reformat your input and try again.",
        ),
    ],
)
def test_bedrock_refuses_malformed_prompts(runtime, body, message):
    with pytest.raises(ClientError) as excinfo:
        invoke(runtime, body)
    assert error_of(excinfo) == (400, "ValidationException", message)


def test_claude_3_takes_only_the_messages_api(runtime):
    with pytest.raises(ClientError) as excinfo:
        invoke(runtime, {"prompt": PROMPT, "max_tokens_to_sample": 5}, "anthropic.claude-3-haiku-20240307-v1:0")
    assert error_of(excinfo) == (
        400,
        "ValidationException",
        '"claude-3-haiku-20240307" is not supported on this API. Please use the Messages API instead.',
    )

"""helpers.conversation: plain message dicts in, plain dicts out, through real boto3 calls."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from conftest import error_of
from helpers import conversation as conv
from helpers.offline import faults
from helpers.offline.errors import MSG_ALTERNATE, MSG_THROTTLED
from helpers.offline.replies import load as load_replies

SONNET = "global.anthropic.claude-sonnet-4-6"
HAIKU = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
PLAYLIST_SYSTEM = (
    "You are an app that creates playlists for a radio station that plays rock and pop music. "
    "Only return song names and the artist."
)
FIRST, FOLLOW_UP = "Create a list of 3 pop songs.", "Make sure the songs are by artists from the United Kingdom."


def scripted(prompt: str) -> list[str]:
    entry = next(e for e in load_replies()[prompt.casefold()] if "system_contains" in e)
    return entry["replies"]


@pytest.fixture
def playlist(runtime):
    return conv.Conversation(
        runtime, SONNET, system=PLAYLIST_SYSTEM, inference_config={"temperature": 0}, additional_fields={"top_k": 200}
    )


def test_message_builders_return_the_api_shape():
    image = {"image": {"format": "png", "source": {"bytes": b"\x89PNG"}}}
    assert conv.user_message("Hi") == {"role": "user", "content": [{"text": "Hi"}]}
    assert conv.user_message("What is this?", image) == {"role": "user", "content": [{"text": "What is this?"}, image]}
    assert conv.assistant_message("Hello!") == {"role": "assistant", "content": [{"text": "Hello!"}]}
    assert conv.system_prompt("Be brief.") == [{"text": "Be brief."}]
    assert conv.system_prompt([{"text": "A"}, {"text": "B"}]) == [{"text": "A"}, {"text": "B"}]
    assert conv.system_prompt(None) == []
    assert conv.system_prompt("  ") == []  # an empty system box: no system prompt, not a blank block


def test_converse_request_leaves_out_what_is_not_set():
    messages = [conv.user_message("Hi")]
    assert conv.converse_request(HAIKU, messages) == {"modelId": HAIKU, "messages": messages}
    assert conv.converse_request(HAIKU, messages, "Be brief.", {"maxTokens": 10}, {"top_k": 5}) == {
        "modelId": HAIKU,
        "messages": messages,
        "system": [{"text": "Be brief."}],
        "inferenceConfig": {"maxTokens": 10},
        "additionalModelRequestFields": {"top_k": 5},
    }


def test_assistant_text_joins_text_blocks():
    response = {
        "output": {
            "message": {"role": "assistant", "content": [{"text": "Hello"}, {"toolUse": {}}, {"text": " there"}]}
        }
    }
    assert conv.assistant_text(response) == "Hello there"


def test_request_is_exactly_what_converse_gets(playlist):
    playlist.messages.append(conv.user_message(FIRST))
    request = playlist.request()
    assert request == {
        "modelId": SONNET,
        "messages": [{"role": "user", "content": [{"text": FIRST}]}],
        "system": [{"text": PLAYLIST_SYSTEM}],
        "inferenceConfig": {"temperature": 0},
        "additionalModelRequestFields": {"top_k": 200},
    }
    json.dumps(request)  # plain data, printable and pasteable
    direct = playlist.client.converse(**request)
    assert conv.assistant_text(direct) == scripted(FIRST)[0]


def test_two_turns_keep_plain_alternating_messages(playlist):
    first = playlist.send(FIRST)
    second = playlist.send(FOLLOW_UP)
    assert conv.assistant_text(first) == scripted(FIRST)[0]
    assert conv.assistant_text(second) == scripted(FOLLOW_UP)[0]
    assert [m["role"] for m in playlist.messages] == ["user", "assistant", "user", "assistant"]
    assert playlist.messages[1] == first["output"]["message"]
    assert playlist.messages[3] == second["output"]["message"]
    assert playlist.last_response is second
    assert playlist.usage == {
        key: first["usage"][key] + second["usage"][key] for key in ("inputTokens", "outputTokens", "totalTokens")
    }
    # the second call carried the whole first turn: its input is larger
    assert second["usage"]["inputTokens"] > first["usage"]["inputTokens"]


def test_reply_returns_the_text(playlist):
    assert playlist.reply(FIRST) == scripted(FIRST)[0]


def test_request_is_a_snapshot(playlist):
    playlist.send(FIRST)
    before = playlist.request()
    playlist.send(FOLLOW_UP)
    assert len(before["messages"]) == 2 and len(playlist.request()["messages"]) == 4


def test_reset_forgets_turns_and_usage(playlist):
    playlist.send(FIRST)
    playlist.reset()
    assert playlist.messages == [] and playlist.last_response is None
    assert playlist.usage == {"inputTokens": 0, "outputTokens": 0, "totalTokens": 0}
    assert playlist.request()["system"] == [{"text": PLAYLIST_SYSTEM}]
    assert playlist.reply(FIRST) == scripted(FIRST)[0]


def test_failed_send_takes_the_user_turn_back(playlist):
    playlist.send(FIRST)
    faults(playlist.client).fail_next(1, "ThrottlingException")
    with pytest.raises(ClientError) as excinfo:
        playlist.send(FOLLOW_UP)
    assert error_of(excinfo) == (429, "ThrottlingException", MSG_THROTTLED)
    assert [m["role"] for m in playlist.messages] == ["user", "assistant"]
    assert conv.assistant_text(playlist.send(FOLLOW_UP)) == scripted(FOLLOW_UP)[0]


def test_messages_are_plain_and_editable(runtime):
    """Nothing hides the shape: editing .messages by hand is what the next request sends."""
    chat = conv.Conversation(runtime, HAIKU)
    chat.messages += [conv.user_message("Hi"), conv.user_message("Hi again")]
    with pytest.raises(ClientError) as excinfo:
        chat.send("Anyone?")
    assert error_of(excinfo) == (400, "ValidationException", MSG_ALTERNATE)


def test_transcript_names_roles_and_blocks():
    messages = [
        conv.user_message("Describe this.", {"image": {"format": "png", "source": {"bytes": b""}}}),
        conv.assistant_message("A cat."),
    ]
    assert conv.transcript(messages) == "user: Describe this.\n[image]\n\nassistant: A cat."


def test_repr_shows_turns_and_usage(runtime):
    chat = conv.Conversation(runtime, HAIKU)
    chat.send("Hello.")
    assert repr(chat) == f"Conversation(model_id={HAIKU!r}, turns=2, usage={chat.usage})"


# ---- ClientError handling ----------------------------------------------------------------------------


def test_error_summary(runtime):
    faults(runtime).fail_next(1, "ServiceUnavailableException")
    with pytest.raises(ClientError) as excinfo:
        runtime.converse(modelId=HAIKU, messages=[conv.user_message("Hi")])
    assert conv.error_summary(excinfo.value) == (
        "ServiceUnavailableException (HTTP 503): Bedrock is unable to process your request."
    )
    assert conv.is_retryable(excinfo.value)


def test_converse_with_retries_waits_and_recovers(runtime):
    faults(runtime).fail_next(2, "ModelNotReadyException")
    waited, said = [], []
    request = conv.converse_request(HAIKU, [conv.user_message("Hi")])
    response = conv.converse_with_retries(
        runtime, request, attempts=3, base_delay=0.5, sleep=waited.append, log=said.append
    )
    assert response["stopReason"] == "end_turn"
    assert waited == [0.5, 1.0]
    assert said[0] == (
        "attempt 1 failed with ModelNotReadyException (HTTP 429): Model is not ready to serve inference "
        "requests. The AWS SDK will automatically retry the operation up to 5 times. - retrying in 0.5 s"
    )


def test_converse_with_retries_gives_up(runtime):
    faults(runtime).fail_next(3, "ThrottlingException")
    waited = []
    request = conv.converse_request(HAIKU, [conv.user_message("Hi")])
    with pytest.raises(ClientError) as excinfo:
        conv.converse_with_retries(runtime, request, attempts=3, sleep=waited.append, log=lambda _: None)
    assert error_of(excinfo)[1] == "ThrottlingException"
    assert waited == [1.0, 2.0]


def test_converse_with_retries_does_not_retry_validation_errors(runtime):
    waited = []
    request = conv.converse_request(HAIKU, [conv.assistant_message("I speak first.")])
    with pytest.raises(ClientError) as excinfo:
        conv.converse_with_retries(runtime, request, sleep=waited.append, log=lambda _: None)
    assert error_of(excinfo)[1] == "ValidationException"
    assert waited == []
    assert not conv.is_retryable(excinfo.value)


def test_converse_with_retries_needs_an_attempt(runtime):
    with pytest.raises(ValueError, match="attempts must be at least 1"):
        conv.converse_with_retries(runtime, {}, attempts=0)

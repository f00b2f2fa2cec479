"""Converse through real boto3, in-process and over HTTP: the happy path."""

from conftest import text_message

SONNET = "global.anthropic.claude-sonnet-4-6"
PLAYLIST_SYSTEM = (
    "You are an app that creates playlists for a radio station that plays rock and pop music. "
    "Only return song names and the artist."
)


def test_scripted_reply_in_process(runtime):
    response = runtime.converse(
        modelId=SONNET,
        system=[{"text": PLAYLIST_SYSTEM}],
        messages=[text_message("Create a list of 3 pop songs.")],
        inferenceConfig={"temperature": 0},
    )
    assert response["output"]["message"]["role"] == "assistant"
    assert '"Blinding Lights" - The Weeknd' in response["output"]["message"]["content"][0]["text"]
    assert response["stopReason"] == "end_turn"
    usage = response["usage"]
    assert usage["totalTokens"] == usage["inputTokens"] + usage["outputTokens"] > 0


def test_same_request_same_bytes_over_http(http_runtime):
    kwargs = dict(modelId=SONNET, messages=[text_message("Tell me about rivers.")])
    first, second = http_runtime.converse(**kwargs), http_runtime.converse(**kwargs)
    first.pop("ResponseMetadata"), second.pop("ResponseMetadata")
    assert first == second
    assert "offline model" in first["output"]["message"]["content"][0]["text"]

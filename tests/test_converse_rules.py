"""Every Converse rule for text requests, checked the way a learner meets it: HTTP status, the
error code botocore reads from `x-amzn-ErrorType`, and Bedrock's message to the letter. Then the
deterministic model: maxTokens, stopSequences, the token rule, same request -> same bytes,
scripted replies and the honest fallback."""

from __future__ import annotations

import boto3
import pytest
import rawhttp
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import DUMMY, REGION, error_of, text_message
from helpers.offline import attach, tokens
from helpers.offline.errors import (
    MSG_ALTERNATE,
    MSG_INVALID_MODEL,
    MSG_NO_SYSTEM,
    MSG_START_WITH_USER,
    MSG_UNSUPPORTED_OPERATION,
)
from helpers.offline.replies import load as load_replies

HAIKU = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
SONNET = "global.anthropic.claude-sonnet-4-6"
SONNET_BASE = "anthropic.claude-sonnet-4-6"  # profile-only: callable by a geography or global. profile
TITAN = "amazon.titan-text-express-v1"
NOVA_LITE = "amazon.nova-lite-v1:0"
PLAYLIST_SYSTEM = (
    "You are an app that creates playlists for a radio station that plays rock and pop music. "
    "Only return song names and the artist."
)
HELLO = [text_message("Hello there.")]


@pytest.fixture
def lenient(emulator):
    """A client without botocore's client-side checks, so the service's own checks answer."""
    config = Config(retries={"mode": "standard", "max_attempts": 1}, parameter_validation=False)
    client = boto3.client("bedrock-runtime", region_name=REGION, config=config, **DUMMY)
    attach(client, emulator)
    return client


def rejected(client, **kwargs) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as excinfo:
        client.converse(**kwargs)
    return error_of(excinfo)


def invalid(message: str) -> tuple[int, str, str]:
    return 400, "ValidationException", message


def reply_text(response) -> str:
    return response["output"]["message"]["content"][0]["text"]


# ---- conversation shape ----------------------------------------------------------------------------


def test_conversation_must_start_with_user(runtime):
    messages = [text_message("Hi, how can I help?", "assistant"), text_message("Tell me a joke.")]
    assert rejected(runtime, modelId=HAIKU, messages=messages) == invalid(MSG_START_WITH_USER)
    assert MSG_START_WITH_USER == (
        "A conversation must start with a user message. Try again with a conversation that starts with a user message."
    )


def test_roles_must_alternate(runtime):
    messages = [text_message("Hello."), text_message("Hello again.")]
    assert rejected(runtime, modelId=HAIKU, messages=messages) == invalid(MSG_ALTERNATE)
    assert MSG_ALTERNATE == (
        "A conversation must alternate between user and assistant roles. "
        "Make sure the conversation alternates between user and assistant roles and try again."
    )


def test_two_assistant_turns_in_a_row_are_rejected_too(runtime):
    messages = [text_message("Hi."), text_message("Hello!", "assistant"), text_message("Anyone?", "assistant")]
    assert rejected(runtime, modelId=HAIKU, messages=messages) == invalid(MSG_ALTERNATE)


def test_empty_message_list_must_start_with_user(runtime):
    assert rejected(runtime, modelId=HAIKU, messages=[]) == invalid(MSG_START_WITH_USER)


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_blank_text_names_its_zero_based_position(runtime, blank):
    messages = [
        text_message("Hi."),
        {"role": "assistant", "content": [{"text": blank}]},
        text_message("Still there?"),
    ]
    assert rejected(runtime, modelId=HAIKU, messages=messages) == invalid(
        "The text field in the ContentBlock object at messages.1.content.0 is blank. "
        "Add text to the text field, and try again."
    )


def test_blank_text_in_second_block_of_first_message(runtime):
    messages = [{"role": "user", "content": [{"text": "Hi."}, {"text": " "}]}]
    assert rejected(runtime, modelId=HAIKU, messages=messages) == invalid(
        "The text field in the ContentBlock object at messages.0.content.1 is blank. "
        "Add text to the text field, and try again."
    )


def test_role_system_gets_the_enum_message(runtime):
    messages = [{"role": "system", "content": [{"text": "You are a pirate."}]}, text_message("Ahoy?")]
    assert rejected(runtime, modelId=HAIKU, messages=messages) == invalid(
        "1 validation error detected: Value 'system' at 'messages.1.member.role' failed to satisfy "
        "constraint: Member must satisfy enum value set: [user, assistant]"
    )


def test_unknown_role_later_in_the_list_counts_from_one(lenient):
    messages = [text_message("Hi."), {"role": "narrator", "content": [{"text": "Meanwhile..."}]}]
    assert rejected(lenient, modelId=HAIKU, messages=messages) == invalid(
        "1 validation error detected: Value 'narrator' at 'messages.2.member.role' failed to satisfy "
        "constraint: Member must satisfy enum value set: [user, assistant]"
    )


# ---- inference parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "config, shown, path, constraint",
    [
        ({"temperature": 1.5}, "1.5", "inferenceConfig.temperature", "less than or equal to 1"),
        ({"topP": 1.01}, "1.01", "inferenceConfig.topP", "less than or equal to 1"),
        ({"temperature": -0.5}, "-0.5", "inferenceConfig.temperature", "greater than or equal to 0"),
        ({"topP": -1}, "-1.0", "inferenceConfig.topP", "greater than or equal to 0"),
        ({"maxTokens": 0}, "0", "inferenceConfig.maxTokens", "greater than or equal to 1"),
    ],
)
def test_inference_ranges_are_checked_by_the_service(lenient, config, shown, path, constraint):
    assert rejected(lenient, modelId=HAIKU, messages=HELLO, inferenceConfig=config) == invalid(
        f"1 validation error detected: Value '{shown}' at '{path}' failed to satisfy constraint: "
        f"Member must have value {constraint}"
    )


def test_temperature_above_one_passes_botocore_and_fails_at_the_service(runtime):
    """botocore checks only minimums, so this goes over the wire with a validating client too."""
    assert rejected(runtime, modelId=HAIKU, messages=HELLO, inferenceConfig={"temperature": 1.5}) == invalid(
        "1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to satisfy "
        "constraint: Member must have value less than or equal to 1"
    )


def test_ranges_over_raw_http(server):
    """No SDK at all: what any HTTP client gets for values botocore would refuse to send."""
    body = {"messages": HELLO, "inferenceConfig": {"maxTokens": 0, "temperature": -1}}
    answer = rawhttp.converse(server.url, HAIKU, body)
    assert (answer.status, answer.error_type) == (400, "ValidationException")
    assert answer.headers["x-amzn-errortype"] == (
        "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"
    )
    assert answer.message == (
        "2 validation errors detected: "
        "Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1; "
        "Value '-1.0' at 'inferenceConfig.temperature' failed to satisfy constraint: "
        "Member must have value greater than or equal to 0"
    )


def test_max_tokens_above_the_model_limit(runtime):
    assert rejected(runtime, modelId=HAIKU, messages=HELLO, inferenceConfig={"maxTokens": 64001}) == invalid(
        "The maximum tokens you requested exceeds the model limit of 64000. "
        "Try again with a maximum tokens value that is lower than 64000."
    )


def test_max_tokens_at_the_model_limit_is_accepted(runtime):
    response = runtime.converse(modelId=HAIKU, messages=HELLO, inferenceConfig={"maxTokens": 64000})
    assert response["stopReason"] == "end_turn"


# ---- models ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model_id",
    [
        "anthropic.claude-9-imaginary-v1:0",
        "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
        "arn:aws:bedrock:us-east-1::custom-model/anything",
        "amazon.nova-lite-v1",
    ],
)
def test_unknown_model_id(runtime, model_id):
    assert rejected(runtime, modelId=model_id, messages=HELLO) == invalid(MSG_INVALID_MODEL)
    assert MSG_INVALID_MODEL == "The provided model identifier is invalid."


def test_model_not_offered_in_the_signed_region(emulator):
    client = boto3.client(
        "bedrock-runtime", region_name="ap-northeast-1", config=Config(retries={"max_attempts": 1}), **DUMMY
    )
    attach(client, emulator)
    assert rejected(client, modelId=f"us.{SONNET_BASE}", messages=HELLO) == invalid(MSG_INVALID_MODEL)


def test_titan_does_not_support_system_prompts(legacy_user, runtime):
    assert rejected(runtime, modelId=TITAN, messages=HELLO, system=[{"text": "Be brief."}]) == invalid(MSG_NO_SYSTEM)
    assert MSG_NO_SYSTEM == (
        "This model doesn't support system messages. "
        "Try again without a system message or use a model that supports system messages."
    )
    assert runtime.converse(modelId=TITAN, messages=HELLO)["stopReason"] == "end_turn"


def test_base_id_that_needs_an_inference_profile(runtime):
    assert rejected(runtime, modelId=SONNET_BASE, messages=HELLO) == invalid(
        f"Invocation of model ID {SONNET_BASE} with on-demand throughput isn\u2019t supported. "
        "Retry your request with the ID or ARN of an inference profile that contains this model."
    )


@pytest.mark.parametrize(
    "model_id",
    [
        f"us.{SONNET_BASE}",
        f"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.{SONNET_BASE}",
        f"arn:aws:bedrock:us-east-1::foundation-model/{NOVA_LITE}",
    ],
)
def test_profiles_and_arns_are_accepted(runtime, model_id):
    assert runtime.converse(modelId=model_id, messages=HELLO)["stopReason"] == "end_turn"


def test_additional_field_the_family_does_not_accept(runtime):
    """Nova's `topK` spelling sent to Claude: the model itself rejects the extra key."""
    fields = {"topK": 20}
    assert rejected(runtime, modelId=HAIKU, messages=HELLO, additionalModelRequestFields=fields) == invalid(
        "The model returned the following errors: Malformed input request: "
        "#: extraneous key [topK] is not permitted, please reformat your input and try again."
    )


def test_additional_field_repeating_a_converse_field(runtime):
    fields = {"messages": []}
    assert rejected(runtime, modelId=HAIKU, messages=HELLO, additionalModelRequestFields=fields) == invalid(
        "The additional field messages conflicts with an existing field."
    )


def test_claude_top_k_is_rejected_by_nova(runtime):
    assert rejected(runtime, modelId=NOVA_LITE, messages=HELLO, additionalModelRequestFields={"top_k": 200}) == invalid(
        "The model returned the following errors: Malformed input request: "
        "#: extraneous key [top_k] is not permitted, please reformat your input and try again."
    )


def test_family_fields_are_accepted(runtime):
    claude = runtime.converse(modelId=SONNET, messages=HELLO, additionalModelRequestFields={"top_k": 200})
    nova = runtime.converse(
        modelId=NOVA_LITE, messages=HELLO, additionalModelRequestFields={"inferenceConfig": {"topK": 20}}
    )
    assert claude["stopReason"] == nova["stopReason"] == "end_turn"


@pytest.mark.parametrize("model_id", ["amazon.titan-embed-text-v2:0"])
def test_embedding_and_image_models_refuse_converse(runtime, model_id):
    assert rejected(runtime, modelId=model_id, messages=HELLO) == invalid(MSG_UNSUPPORTED_OPERATION)
    assert MSG_UNSUPPORTED_OPERATION == (
        "This action doesn't support the model that you provided. Try again with a supported text or chat model."
    )


# ---- the deterministic model ------------------------------------------------------------------------


def test_max_tokens_truncates_and_says_so(runtime):
    full = runtime.converse(modelId=HAIKU, messages=HELLO)
    cut = runtime.converse(modelId=HAIKU, messages=HELLO, inferenceConfig={"maxTokens": 5})
    assert full["usage"]["outputTokens"] > 5
    assert cut["stopReason"] == "max_tokens"
    assert cut["usage"]["outputTokens"] == 5
    assert reply_text(full).startswith(reply_text(cut))
    assert tokens.count(reply_text(cut)) == 5
    assert cut["usage"]["totalTokens"] == cut["usage"]["inputTokens"] + 5


def test_max_tokens_equal_to_the_reply_is_not_truncated(runtime):
    full = runtime.converse(modelId=HAIKU, messages=HELLO)
    exact = full["usage"]["outputTokens"]
    same = runtime.converse(modelId=HAIKU, messages=HELLO, inferenceConfig={"maxTokens": exact})
    assert same["stopReason"] == "end_turn"
    assert reply_text(same) == reply_text(full)


def test_stop_sequence_cuts_before_the_sequence(runtime):
    kwargs = dict(
        modelId=SONNET, system=[{"text": PLAYLIST_SYSTEM}], messages=[text_message("Create a list of 3 pop songs.")]
    )
    full = reply_text(runtime.converse(**kwargs))
    stopped = runtime.converse(**kwargs, inferenceConfig={"stopSequences": ["2.", "3."]})
    assert stopped["stopReason"] == "stop_sequence"
    assert reply_text(stopped) == full[: full.index("2.")]
    assert "2." not in reply_text(stopped)
    assert stopped["usage"]["outputTokens"] == tokens.count(reply_text(stopped))


def test_stop_sequence_absent_from_the_reply_changes_nothing(runtime):
    plain = runtime.converse(modelId=HAIKU, messages=HELLO)
    unused = runtime.converse(modelId=HAIKU, messages=HELLO, inferenceConfig={"stopSequences": ["@@never@@"]})
    assert unused["stopReason"] == "end_turn"
    assert reply_text(unused) == reply_text(plain)


def test_token_rule_words_punctuation_and_whitespace():
    assert tokens.pieces("playlist") == ["play", "list"]
    assert tokens.pieces("Hi, you!") == ["Hi", ",", " you", "!"]
    assert tokens.count("Hi, you!") == 4
    assert tokens.count("   ") == 0
    text = "  Rock & pop,\n\tin 2024...  "
    assert "".join(tokens.pieces(text)) == text


def test_token_rule_counts_each_cjk_character():
    assert tokens.pieces("你好世界") == ["你", "好", "世", "界"]
    assert tokens.count("こんにちは") == 5
    assert tokens.count("한국어") == 3
    assert tokens.count("Tokyo東京") == 4  # "Toky" + "o" + two Han characters
    mixed = "Bedrock で テスト、OK?"
    assert "".join(tokens.pieces(mixed)) == mixed


def test_usage_follows_the_token_rule(runtime):
    user, system = "你好世界, please list songs.", "Be brief."
    response = runtime.converse(modelId=HAIKU, messages=[text_message(user)], system=[{"text": system}])
    expected = tokens.count(user) + tokens.MESSAGE_OVERHEAD + tokens.count(system) + tokens.SYSTEM_OVERHEAD
    assert response["usage"]["inputTokens"] == expected
    assert response["usage"]["outputTokens"] == tokens.count(reply_text(response))


def test_count_tokens_matches_converse_usage(runtime):
    messages = [text_message("How many tokens is this sentence?")]
    counted = runtime.count_tokens(modelId=HAIKU, input={"converse": {"messages": messages}})
    assert counted["inputTokens"] == runtime.converse(modelId=HAIKU, messages=messages)["usage"]["inputTokens"]


def test_same_request_same_bytes_over_http(server):
    body = {"messages": HELLO, "inferenceConfig": {"temperature": 0.9, "maxTokens": 50}}
    first, second = rawhttp.converse(server.url, HAIKU, body), rawhttp.converse(server.url, HAIKU, body)
    assert first.status == second.status == 200
    assert first.body == second.body
    assert first.headers["x-amzn-requestid"] == second.headers["x-amzn-requestid"]
    other = rawhttp.converse(server.url, HAIKU, {**body, "inferenceConfig": {"maxTokens": 49}})
    assert other.headers["x-amzn-requestid"] != first.headers["x-amzn-requestid"]


def test_latency_is_deterministic_and_grows_with_output(runtime):
    short = runtime.converse(modelId=HAIKU, messages=HELLO, inferenceConfig={"maxTokens": 2})
    longer = runtime.converse(modelId=HAIKU, messages=HELLO, inferenceConfig={"maxTokens": 20})
    again = runtime.converse(modelId=HAIKU, messages=HELLO, inferenceConfig={"maxTokens": 20})
    assert longer["metrics"]["latencyMs"] == again["metrics"]["latencyMs"] > short["metrics"]["latencyMs"] > 0


def test_scripted_reply_at_temperature_zero_is_the_first_variant(runtime):
    entry = next(e for e in load_replies()["create a list of 3 pop songs."] if "system_contains" in e)
    response = runtime.converse(
        modelId=SONNET,
        system=[{"text": PLAYLIST_SYSTEM}],
        messages=[text_message("Create a list of 3 pop songs.")],
        inferenceConfig={"temperature": 0},
    )
    assert reply_text(response) == entry["replies"][0]


def test_scripted_reply_at_higher_temperature_is_a_stable_variant(runtime):
    entry = next(e for e in load_replies()["create a list of 3 pop songs."] if "system_contains" in e)
    kwargs = dict(
        modelId=SONNET,
        system=[{"text": PLAYLIST_SYSTEM}],
        messages=[text_message("Create  a list of 3 POP songs.")],  # matching folds case and spaces
        inferenceConfig={"temperature": 0.5},
        additionalModelRequestFields={"top_k": 200},
    )
    first = reply_text(runtime.converse(**kwargs))
    assert first in entry["replies"]
    assert reply_text(runtime.converse(**kwargs)) == first


def test_scripted_reply_depends_on_the_system_prompt(runtime):
    without = runtime.converse(modelId=SONNET, messages=[text_message("Create a list of 3 pop songs.")])
    assert reply_text(without).startswith("Here are 3 popular pop songs:")


def test_honest_fallback_for_other_prompts(runtime):
    response = runtime.converse(
        modelId=SONNET,
        system=[{"text": "Be brief."}],
        messages=[text_message("What is   the capital\nof France?")],
    )
    assert reply_text(response) == (
        "This is the workbook's offline model standing in for Claude Sonnet 4.6, so this is a description "
        "of your request rather than a real answer. I received 1 message and a system prompt. "
        'Your last message says: "What is the capital of France?" '
        "Run with BEDROCK_MODE=live to get an answer from the real model."
    )
    assert response["stopReason"] == "end_turn"


def test_fallback_shortens_long_prompts(runtime):
    long_prompt = "word " * 100
    text = reply_text(runtime.converse(modelId=HAIKU, messages=[text_message(long_prompt)]))
    quoted = text.split('Your last message says: "')[1].split('"')[0]
    assert len(quoted) == 160 and quoted.endswith("...")


def test_empty_content_is_refused_with_bedrock_words(runtime):
    with pytest.raises(ClientError) as excinfo:
        runtime.converse(modelId=HAIKU, messages=[{"role": "user", "content": []}])
    assert error_of(excinfo) == (
        400,
        "ValidationException",
        "The content field in the Message object at messages.0 is empty. "
        "Add a ContentBlock object to the content field and try again.",
    )


def test_image_model_refused_converse_while_it_was_active(replay_day, runtime):
    """Nova Canvas reached end of life on 2026-09-30; on a day it was ACTIVE, Converse refused it as not a chat model."""
    canvas = "amazon.nova-canvas-v1:0"  # migrate_models: keep
    assert rejected(runtime, modelId=canvas, messages=HELLO) == invalid(MSG_UNSUPPORTED_OPERATION)

"""Bedrock's rules for tool use: status, error code and the exact message, through boto3.
Where a message is unconfirmed by any public source, helpers/offline/tool_rules.py says so."""

from __future__ import annotations

import copy
import json

import boto3
import pytest
from botocore.exceptions import ClientError

from helpers.offline import Emulator, attach
from helpers.offline.catalog import Catalog
from tests.conftest import DUMMY, NO_RETRY, REGION, error_of
from tests.tooling import CLAUDE, NOVA, TOOLS, WEATHER, user

PARIS = user("What's the weather in Paris?")
CALL = {"role": "assistant", "content": [{"toolUse": {"toolUseId": "tooluse_a", "name": "get_weather", "input": {}}}]}


def result(tool_id: str) -> dict:
    return {"toolResult": {"toolUseId": tool_id, "content": [{"text": "18 C"}]}}


def refused(client, operation="converse", model=NOVA, **request) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as excinfo:
        getattr(client, operation)(modelId=model, **request)
    return error_of(excinfo)


def validation(message: str) -> tuple[int, str, str]:
    return 400, "ValidationException", message


def test_tool_blocks_need_a_tool_config(runtime):
    messages = [PARIS, CALL, {"role": "user", "content": [result("tooluse_a")]}]
    assert refused(runtime, messages=messages) == validation(
        "The toolConfig field must be defined when using toolUse and toolResult content blocks."
    )


def test_more_results_than_calls(runtime):
    messages = [PARIS, CALL, {"role": "user", "content": [result("tooluse_a"), result("tooluse_b")]}]
    assert refused(runtime, messages=messages, toolConfig=TOOLS) == validation(
        "The number of toolResult blocks at messages.2.content exceeds the number of toolUse blocks of previous turn."
    )


def test_a_call_left_unanswered(runtime):
    messages = [PARIS, CALL, user("Never mind.")]
    assert refused(runtime, messages=messages, toolConfig=TOOLS) == validation(
        "Expected toolResult blocks at messages.2.content for the following Ids: tooluse_a"
    )


def test_a_result_for_another_call(runtime):
    messages = [PARIS, CALL, {"role": "user", "content": [result("tooluse_zzz")]}]
    assert refused(runtime, messages=messages, toolConfig=TOOLS) == validation(
        "Expected toolResult blocks at messages.2.content for the following Ids: tooluse_a"
    )


def test_tool_choice_naming_an_undefined_tool(runtime):
    config = {**TOOLS, "toolChoice": {"tool": {"name": "get_time"}}}
    assert refused(runtime, messages=[PARIS], toolConfig=config) == validation(
        "The tool get_time in toolConfig.toolChoice.tool isn't in toolConfig.tools. "
        "Add a tool with that name to toolConfig.tools, or choose one of the defined tools, and try again."
    )


@pytest.mark.parametrize("name", ["bad name!", "a" * 65, "dotted.name"])
def test_tool_names_follow_the_service_models_pattern_and_length(runtime, name):
    tool = copy.deepcopy(WEATHER)
    tool["toolSpec"]["name"] = name
    status, code, message = refused(runtime, messages=[PARIS], toolConfig={"tools": [WEATHER, tool]})
    assert (status, code) == (400, "ValidationException")
    where = "at 'toolConfig.tools.2.member.toolSpec.name' failed to satisfy constraint: "
    expected = (
        "Member must have length less than or equal to 64"
        if len(name) > 64
        else "Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+"
    )
    assert message == f"1 validation error detected: Value '{name}' {where}{expected}"


def test_duplicate_tool_names(runtime):
    assert refused(runtime, messages=[PARIS], toolConfig={"tools": [WEATHER, WEATHER]}) == validation(
        "The model returned the following errors: tools: Tool names must be unique."
    )


def test_an_input_schema_must_describe_an_object(runtime):
    tool = copy.deepcopy(WEATHER)
    tool["toolSpec"]["inputSchema"]["json"] = {"type": "string"}
    assert refused(runtime, messages=[PARIS], toolConfig={"tools": [tool]}) == validation(
        "The model returned the following errors: tools.0.custom.input_schema.type: Input should be 'object'"
    )


def test_tools_on_a_model_without_tool_use(runtime):
    assert refused(runtime, model="meta.llama3-8b-instruct-v1:0", messages=[PARIS], toolConfig=TOOLS) == validation(
        "This model doesn't support tool use."
    )


def test_streaming_tools_on_nova_micro(runtime):
    status = refused(runtime, "converse_stream", model="amazon.nova-micro-v1:0", messages=[PARIS], toolConfig=TOOLS)
    assert status == validation("This model doesn't support tool use in streaming mode.")


@pytest.fixture
def auto_only_client():
    """A catalog whose Llama model takes tools with auto choice only, as Llama 3.1 and later do."""
    data = copy.deepcopy(Catalog.load().data)
    for model in data["models"]:
        if model["family"] == "llama":
            model["capabilities"].update(tools=True, toolChoice=["auto"])
    client = boto3.client("bedrock-runtime", region_name=REGION, config=NO_RETRY, **DUMMY)
    attach(client, Emulator(catalog=Catalog(data)))
    return client


@pytest.mark.parametrize("kind", ["any", "tool"])
def test_forced_tool_choice_on_an_auto_only_model(auto_only_client, kind):
    choice = {"any": {}} if kind == "any" else {"tool": {"name": "get_weather"}}
    config = {**TOOLS, "toolChoice": choice}
    model = "meta.llama3-8b-instruct-v1:0"
    assert refused(auto_only_client, model=model, messages=[PARIS], toolConfig=config) == validation(
        f"This model doesn't support the toolConfig.toolChoice.{kind} field. "
        f"Remove toolConfig.toolChoice.{kind} and try again."
    )


def test_the_rules_hold_for_claudes_native_body(runtime):
    body = {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 100,
        "messages": [
            {"role": "user", "content": "Weather?"},
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}}],
            },
            {"role": "user", "content": "Never mind."},
        ],
        "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}],
    }
    with pytest.raises(ClientError) as excinfo:
        runtime.invoke_model(modelId=CLAUDE, body=json.dumps(body))
    assert error_of(excinfo) == validation(
        "Expected toolResult blocks at messages.2.content for the following Ids: toolu_1"
    )

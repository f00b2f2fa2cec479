"""helpers.tools: tools from Python functions, the tool loop and structured output, against the
emulator through boto3; every request they build passes botocore's own validation."""

from __future__ import annotations

from typing import Literal

import jsonschema
import pytest

from helpers import tools
from tests.tooling import NOVA, user


def get_weather(city: str, unit: Literal["celsius", "fahrenheit"] = "celsius") -> dict:
    """Get the current weather for a city.

    Longer notes stay out of the tool's description."""
    return {"city": city, "temperature": 18 if unit == "celsius" else 64, "unit": unit}


def broken_weather(city: str) -> str:
    """Get the current weather for a city."""
    raise TimeoutError("the weather service did not answer")


def test_tool_spec_from_a_function():
    assert tools.tool_spec(get_weather) == {
        "toolSpec": {
            "name": "get_weather",
            "description": "Get the current weather for a city.",
            "inputSchema": {
                "json": {
                    "type": "object",
                    "properties": {
                        "city": {"type": "string"},
                        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "default": "celsius"},
                    },
                    "required": ["city"],
                }
            },
        }
    }


def test_the_tool_loop_runs_the_function_and_returns_the_answer(runtime):
    reply, messages = tools.tool_loop(runtime, NOVA, [user("What's the weather in Lisbon?")], [get_weather])
    assert reply["stopReason"] == "end_turn"
    assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant"]
    assert messages[2]["content"][0]["toolResult"]["content"] == [
        {"json": {"city": "Lisbon", "temperature": 18, "unit": "celsius"}}
    ]
    assert "18" in reply["output"]["message"]["content"][0]["text"]


def test_a_failing_function_becomes_an_error_result(runtime):
    reply, messages = tools.tool_loop(runtime, NOVA, [user("What's the weather in Lisbon?")], [broken_weather])
    result = messages[2]["content"][0]["toolResult"]
    assert result["status"] == "error" and "TimeoutError" in result["content"][0]["text"]
    assert "error" in reply["output"]["message"]["content"][0]["text"]


def test_the_turn_limit_stops_a_model_that_keeps_calling(runtime):
    forced = tools.tool_config([get_weather], choice={"any": {}})
    with pytest.raises(tools.ToolLoopError, match="after 2 turns"):
        tools.tool_loop(runtime, NOVA, [user("Weather in Rome?")], [get_weather], max_turns=2, toolConfig=forced)


def test_a_tool_nobody_defined_is_reported_to_the_model():
    message = {"role": "assistant", "content": [{"toolUse": {"toolUseId": "t1", "name": "launch", "input": {}}}]}
    (block,) = tools.run_tools(message, [get_weather])["content"]
    assert block["toolResult"]["status"] == "error" and "launch" in block["toolResult"]["content"][0]["text"]


SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "population_millions": {"type": "number"}},
    "required": ["city", "population_millions"],
}


def test_structured_output_through_a_forced_tool(runtime):
    data = tools.structured(runtime, NOVA, "Lisbon has about 0.5 million people.", SCHEMA, name="city_facts")
    jsonschema.validate(data, SCHEMA)
    assert data == {"city": "Lisbon", "population_millions": 0.5}


def test_native_structured_output_config(runtime):
    import json

    reply = runtime.converse(
        modelId=NOVA, messages=[user("Lisbon has about 0.5 million people.")], outputConfig=tools.output_config(SCHEMA)
    )
    assert json.loads(reply["output"]["message"]["content"][0]["text"]) == {
        "city": "Lisbon",
        "population_millions": 0.5,
    }

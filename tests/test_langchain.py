"""LangChain's ChatBedrockConverse against the server, as an agent framework uses it: tools bound and
called, results returned, tool calls streamed, and structured output through a forced tool."""

from __future__ import annotations

import pytest
from langchain_aws import ChatBedrockConverse
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool
from pydantic import BaseModel, Field

from tests.tooling import CLAUDE, NOVA, TOOL_USE_ID


@tool
def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    return f"18 C and light rain in {city}"


class Weather(BaseModel):
    """A weather report for one city."""

    city: str = Field(description="The city")
    temperature_c: float = Field(description="Temperature in Celsius")


@pytest.fixture(params=[NOVA, CLAUDE])
def llm(request, http_runtime):
    return ChatBedrockConverse(model=request.param, client=http_runtime, region_name="us-east-1")


def test_bind_tools_round_trip(llm):
    bound = llm.bind_tools([get_weather])
    ask = HumanMessage("What's the weather in Paris?")
    first = bound.invoke([ask])
    assert [(c["name"], c["args"]) for c in first.tool_calls] == [("get_weather", {"city": "Paris"})]
    assert TOOL_USE_ID.match(first.tool_calls[0]["id"])
    results = [ToolMessage(get_weather.invoke(c["args"]), tool_call_id=c["id"]) for c in first.tool_calls]
    final = bound.invoke([ask, first, *results])
    assert not final.tool_calls
    assert "18 C and light rain in Paris" in final.content


def test_streamed_tool_calls_assemble(llm):
    chunks = list(llm.bind_tools([get_weather]).stream("What's the weather in Paris and in Oslo?"))
    assert len(chunks) > 3
    message = chunks[0]
    for chunk in chunks[1:]:
        message = message + chunk
    assert [c["args"] for c in message.tool_calls] == [{"city": "Paris"}, {"city": "Oslo"}]


def test_with_structured_output_returns_the_model(llm):
    report = llm.with_structured_output(Weather).invoke("The weather in Rome is 24 degrees.")
    assert report == Weather(city="Rome", temperature_c=24.0)

"""The generated acceptors of shapes.py against the checkers that write Bedrock's messages.

A body the acceptor passes is never walked, so the acceptor must pass exactly the bodies the checkers
find nothing wrong with: bodies are generated from botocore's shapes for every served operation, mostly
valid (enums, patterns and bounds honoured) with a few values broken at any depth (edges of the bounds,
inf and nan, booleans for numbers, nulls, unknown keys, unions with no or two members), and both sides
must agree on each. Then through a real client: a valid body never reaches the checkers, and a broken
one still gets Bedrock's message to the letter."""

from __future__ import annotations

import json
import re

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import error_of, text_message
from helpers.offline import Emulator, shapes
from helpers.offline.wire import ROUTER, Headers, Request

HAIKU = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
SERVED = sorted({(route.service, route.operation) for route in ROUTER.routes})
EXTRA = [("bedrock-runtime", "CountTokens"), ("bedrock", "CreateGuardrail"), ("bedrock", "CreateModelInvocationJob")]
MAX_DEPTH = 6
AGREE = settings(max_examples=100, deadline=None, database=None, suppress_health_check=list(HealthCheck))
WEIRD = st.sampled_from(
    [None, 0, -1, 1, 1.5, 2**31, 2**63, 1e308, float("inf"), float("-inf"), float("nan"), True, False, "", "x"]
    + ["bad name!", "!!notb64", "aGVsbG8", "x" * 300, [], [None], [1], {}, {"zzz": 1}, {"text": None}]
)


def walker_accepts(value, service: str, operation: str) -> bool:
    errors: list[str] = []
    shapes._checker(shapes.operation_input(service, operation))(value, "", errors)
    return not errors


def sometimes_broken(valid):
    """Nine values in ten drawn valid, the tenth anything at all."""
    return st.integers(0, 9).flatmap(lambda roll: WEIRD if roll == 0 else valid)


def sized(rules, default_high: int):
    low = 0 if rules.low is None else int(rules.low)
    high = max(low, min(int(rules.high) if rules.high is not None else default_high, low + 3))
    return low, high


def leaf(shape):
    rules = shapes._rules(shape)
    if rules.kind == "string":
        if rules.enum:
            return st.sampled_from(rules.enum)
        if rules.pattern:
            return st.from_regex(rules.pattern, fullmatch=True).filter(lambda text: len(text) < 300)
        low, high = sized(rules, 8)
        return st.text("ab_-1", min_size=low, max_size=high + 1)
    if rules.kind in ("integer", "long"):
        low, high = shapes._span(rules)
        edges = [value for value in (low - 1, low, high, high + 1) if abs(value) < 2**64]
        return st.sampled_from(edges or [0]) | st.integers(-3, 10)
    if rules.kind in ("float", "double"):
        low, high = shapes._span(rules)
        return st.sampled_from([v for v in (low, high, low - 0.5, high + 0.5) if abs(v) < 1e300] or [0.0]) | st.floats()
    if rules.kind == "boolean":
        return st.booleans()
    if rules.kind == "blob":
        return st.sampled_from(["aGVsbG8=", "aGk=", "", "aGVsbG8", "a=Vs", "!!!!"])
    return st.just("2026-11-30T00:00:00Z")


def body(shape, depth: int = 0):
    """Values for `shape`, mostly valid, broken now and then at any depth."""
    if shape.type_name == "structure":
        return structure(shape, depth)
    if shape.type_name == "list":
        low, high = sized(shapes._rules(shape), 2)
        high = high if depth < MAX_DEPTH else low
        return st.lists(sometimes_broken(body(shape.member, depth + 1)), min_size=low, max_size=min(high + 1, 4))
    if shape.type_name == "map":
        values = sometimes_broken(body(shape.value, depth + 1))
        return st.dictionaries(leaf(shape.key), values, max_size=2 if depth < MAX_DEPTH else 0)
    return leaf(shape)


def structure(shape, depth: int):
    rules = shapes._rules(shape)
    if not rules.members:
        return st.dictionaries(st.text("ab", max_size=2), st.integers(), max_size=2)
    if depth >= MAX_DEPTH:
        return st.just({})
    members = {name: sometimes_broken(body(member, depth + 1)) for name, member in rules.members.items()}
    if rules.union:  # one member mostly; none, two, or one beside an unknown key now and then
        names = st.lists(st.sampled_from(sorted(members)), min_size=0, max_size=2, unique=True)
        counted = st.integers(0, 5).flatmap(
            lambda roll: st.sampled_from(sorted(members)).map(lambda n: [n]) if roll else names
        )
        return counted.flatmap(lambda chosen: st.fixed_dictionaries({name: members[name] for name in chosen}))
    required = {name: members[name] for name in rules.required}
    optional = {name: member for name, member in members.items() if name not in required}
    optional["unknownKey"] = WEIRD
    return st.fixed_dictionaries(required, optional=optional)


@pytest.mark.parametrize(("service", "operation"), sorted(set(SERVED) | set(EXTRA)))
@given(data=st.data())
@AGREE
def test_the_acceptor_agrees_with_the_checkers(service, operation, data):
    value = data.draw(body(shapes.operation_input(service, operation)))
    accepts = shapes._acceptor(service, operation)(value)
    assert accepts == walker_accepts(value, service, operation), value


def test_the_generated_source_checks_inline():
    source = shapes.acceptor_source("bedrock-runtime", "Message")
    assert source.startswith("def s_Message(v):\n")
    assert "if v.get('role') is None: return False" in source
    assert "x in {'user', 'assistant'}" in source  # Bedrock's own enum, not the newer model's "system"
    assert "if not s_ContentBlock(i0): return False" in source  # a list of structures: a loop, one call each
    tool = shapes.acceptor_source("bedrock-runtime", "ToolSpecification")
    assert re.search(r"1 <= len\(x\) <= 64 and P_ToolName\.fullmatch\(x\)", tool)
    inference = shapes.acceptor_source("bedrock-runtime", "InferenceConfiguration")
    assert "(type(x) is float or type(x) is int) and 0 <= x <= 1" in inference
    union = shapes.acceptor_source("bedrock-runtime", "ContentBlock")
    assert union.rstrip().endswith("return n == 1")


def test_each_structure_is_compiled_once_per_service():
    converse = shapes._acceptor("bedrock-runtime", "Converse")
    stream = shapes._acceptor("bedrock-runtime", "ConverseStream")
    namespace = converse.__globals__
    assert stream.__globals__ is namespace
    compiled_first = namespace["s_Message"]
    shapes._acceptor.cache_clear()  # compiled again: shapes already in the namespace are kept
    assert shapes._acceptor("bedrock-runtime", "ConverseStream").__globals__["s_Message"] is compiled_first


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), True, "0.5", 1.0000001, -1e-300],
    ids=["nan", "inf", "bool", "text", "above", "below"],
)
def test_numbers_the_checkers_refuse_are_refused(value):
    body = {"messages": [text_message("Hi")], "inferenceConfig": {"temperature": value}}
    assert not shapes._acceptor("bedrock-runtime", "Converse")(body)
    assert not walker_accepts(body, "bedrock-runtime", "Converse")


def test_a_valid_body_never_reaches_the_checkers(runtime, monkeypatch):
    def refuse(shape):
        raise AssertionError(f"walked {shape.name}")

    monkeypatch.setattr(shapes, "_checker", refuse)
    answer = runtime.converse(
        modelId=HAIKU,
        system=[{"text": "Be brief."}, {"cachePoint": {"type": "default"}}],
        messages=[text_message("What is the weather in Paris?")],
        inferenceConfig={"maxTokens": 100, "temperature": 0.5, "stopSequences": ["END"]},
        toolConfig={
            "tools": [{"toolSpec": {"name": "get_weather", "inputSchema": {"json": {"type": "object"}}}}],
            "toolChoice": {"auto": {}},
        },
        requestMetadata={"team": "docs"},
    )
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_a_broken_body_still_gets_every_message(runtime):
    tools = {"tools": [{"toolSpec": {"name": "bad name!", "inputSchema": {"json": {}}}}]}
    with pytest.raises(ClientError) as excinfo:
        runtime.converse(modelId=HAIKU, messages=[text_message("Hi")], inferenceConfig={"topP": 1.5}, toolConfig=tools)
    assert error_of(excinfo) == (
        400,
        "ValidationException",
        "2 validation errors detected: "
        "Value '1.5' at 'inferenceConfig.topP' failed to satisfy constraint: "
        "Member must have value less than or equal to 1; "
        "Value 'bad name!' at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+",
    )


def test_an_integer_beyond_a_doubles_range_is_refused_not_a_server_error():
    """A float member given an integer of 400 digits (valid JSON) gets a ValidationException, as inf does."""
    body = (
        '{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"temperature":1' + "0" * 400 + "}}"
    )
    emulator = Emulator()
    answer = emulator.handle(
        Request(
            "POST",
            "https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-lite-v1%3A0/converse",
            Headers({"Content-Type": "application/json"}),
            body.encode(),
        )
    )
    assert answer.status == 400
    message = json.loads(answer.body)["message"]
    assert message.startswith("1 validation error detected: Value '1000")
    assert message.endswith("at 'inferenceConfig.temperature' failed to satisfy constraint: Member must be a number")

"""Structured output: with a JSON schema in outputConfig.textFormat (Converse) or output_config.format
(Claude's native body), the answer is JSON text valid against the schema, whole or streamed."""

from __future__ import annotations

import copy
import json

import boto3
import jsonschema
import pytest
from botocore.exceptions import ClientError

from helpers.offline import Emulator, attach
from helpers.offline.catalog import Catalog
from tests.conftest import DUMMY, NO_RETRY, REGION, error_of
from tests.tooling import CLAUDE, NOVA, user

RECIPE = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "description": "Name of the recipe"},
        "servings": {"type": "integer", "minimum": 1},
        "ingredients": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "vegetarian": {"type": "boolean"},
    },
    "required": ["name", "servings", "ingredients", "vegetarian"],
    "additionalProperties": False,
}
OUTPUT = {
    "textFormat": {"type": "json_schema", "structure": {"jsonSchema": {"schema": json.dumps(RECIPE), "name": "recipe"}}}
}
ASK = user("Give me a recipe for 4 people called 'Tomato soup'.")


def test_converse_answers_with_json_valid_against_the_schema(runtime):
    reply = runtime.converse(modelId=NOVA, messages=[ASK], outputConfig=OUTPUT)
    value = json.loads(reply["output"]["message"]["content"][0]["text"])
    jsonschema.validate(value, RECIPE)
    assert value["name"] == "Tomato soup" and value["servings"] == 4
    assert reply["stopReason"] == "end_turn"


def test_converse_stream_sends_the_same_json_in_pieces(runtime):
    whole = runtime.converse(modelId=NOVA, messages=[ASK], outputConfig=OUTPUT)["output"]["message"]["content"][0][
        "text"
    ]
    events = runtime.converse_stream(modelId=NOVA, messages=[ASK], outputConfig=OUTPUT)["stream"]
    pieces = [e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e]
    assert len(pieces) > 1 and "".join(pieces) == whole


def test_claude_native_output_config(runtime):
    body = {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 300,
        "messages": [{"role": "user", "content": "A recipe for 2 called 'Pancakes'."}],
        "output_config": {"format": {"type": "json_schema", "schema": RECIPE}},
    }
    reply = json.loads(runtime.invoke_model(modelId=CLAUDE, body=json.dumps(body))["body"].read())
    value = json.loads(reply["content"][0]["text"])
    jsonschema.validate(value, RECIPE)
    assert value["servings"] == 2


def test_a_schema_that_is_not_json_is_refused(runtime):
    broken = copy.deepcopy(OUTPUT)
    broken["textFormat"]["structure"]["jsonSchema"]["schema"] = "{not json"
    with pytest.raises(ClientError) as excinfo:
        runtime.converse(modelId=NOVA, messages=[ASK], outputConfig=broken)
    assert error_of(excinfo) == (
        400,
        "ValidationException",
        "The JSON schema in outputConfig.textFormat.structure.jsonSchema.schema isn't valid JSON.",
    )


def test_models_without_structured_output_refuse_it():
    data = copy.deepcopy(Catalog.load().data)
    for model in data["models"]:
        model["capabilities"]["structuredOutput"] = False
    client = boto3.client("bedrock-runtime", region_name=REGION, config=NO_RETRY, **DUMMY)
    attach(client, Emulator(catalog=Catalog(data)))
    with pytest.raises(ClientError) as excinfo:
        client.converse(modelId=NOVA, messages=[ASK], outputConfig=OUTPUT)
    assert error_of(excinfo) == (
        400,
        "ValidationException",
        "This model doesn't support the outputConfig.textFormat field. Remove outputConfig.textFormat and try again.",
    )

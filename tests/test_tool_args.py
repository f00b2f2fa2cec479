"""Generated tool input always validates against the tool's schema, whatever the schema and the words.

A property test: hypothesis builds JSON schemas of the kinds tool definitions use (nested objects,
arrays, enums, bounds, lengths, $ref/$defs as pydantic writes them, nullable anyOf) and user
messages with names, numbers, quotes and mentioned enum values; the builder's output must validate."""

from __future__ import annotations

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.offline.tool_args import Words, build

NAMES = st.sampled_from(["city", "location", "name", "query", "amount", "count", "unit", "to", "items", "note", "date"])


def scalar_schemas():
    bounds = st.tuples(st.integers(-50, 50), st.integers(0, 100)).map(lambda t: (t[0], t[0] + t[1]))
    return st.one_of(
        st.builds(
            lambda lo, hi: {"type": "string", "minLength": lo, "maxLength": lo + hi},
            st.integers(0, 5),
            st.integers(0, 30),
        ),
        st.just({"type": "string", "format": "date"}),
        st.builds(lambda b: {"type": "integer", "minimum": b[0], "maximum": b[1]}, bounds),
        st.builds(lambda b: {"type": "number", "exclusiveMinimum": b[0], "maximum": b[1] + 1}, bounds),
        st.builds(lambda m: {"type": "integer", "multipleOf": m, "minimum": 1}, st.integers(1, 7)),
        st.just({"type": "boolean", "default": True}),
        st.lists(
            st.sampled_from(["EUR", "USD", "JPY", "celsius", "fahrenheit", "low", "high"]),
            min_size=1,
            max_size=4,
            unique=True,
        ).map(lambda values: {"type": "string", "enum": values}),
        st.just({"anyOf": [{"type": "string"}, {"type": "null"}]}),
        st.just({"type": ["integer", "null"], "minimum": 3}),
        st.just({"const": "fixed"}),
    )


def schemas():
    return st.recursive(
        scalar_schemas(),
        lambda inner: st.one_of(
            st.builds(
                lambda items, lo, extra: {"type": "array", "items": items, "minItems": lo, "maxItems": lo + extra},
                inner,
                st.integers(0, 3),
                st.integers(0, 3),
            ),
            st.builds(  # distinct items: strings and bounded integers
                lambda items, lo: {"type": "array", "items": items, "minItems": lo, "uniqueItems": True},
                st.sampled_from([{"type": "string", "maxLength": 12}, {"type": "integer", "minimum": 0, "maximum": 9}]),
                st.integers(0, 4),
            ),
            st.dictionaries(NAMES, inner, min_size=1, max_size=4).flatmap(
                lambda props: st.lists(st.sampled_from(sorted(props)), unique=True).map(
                    lambda required: {"type": "object", "properties": props, "required": required}
                )
            ),
        ),
        max_leaves=8,
    )


def tool_schemas():
    """Top-level object schemas, sometimes with their parts moved to $defs as pydantic does."""
    objects = st.dictionaries(NAMES, schemas(), min_size=1, max_size=5).flatmap(
        lambda props: st.lists(st.sampled_from(sorted(props)), unique=True).map(
            lambda required: {"type": "object", "properties": props, "required": required}
        )
    )

    def with_defs(schema):
        defs = {f"D{i}": sub for i, sub in enumerate(schema["properties"].values())}
        props = {name: {"$ref": f"#/$defs/D{i}"} for i, name in enumerate(schema["properties"])}
        return {**schema, "properties": props, "$defs": defs}

    return st.one_of(objects, objects.map(with_defs))


MESSAGES = st.lists(
    st.sampled_from(
        [
            "What's the weather in Paris",
            "and in New York",
            "convert 250 dollars to yen",
            '"quarterly report"',
            "in celsius",
            "3.5",
            "-12",
            "on 2026-11-30",
            "Tell me a joke",
            "high",
            "Oslo",
        ]
    ),
    max_size=5,
).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=tool_schemas(), text=MESSAGES)
def test_generated_input_validates_against_its_schema(schema, text):
    value = build(schema, Words.read(text))
    jsonschema.validate(value, schema, cls=jsonschema.Draft202012Validator)


def test_a_schema_the_builder_cannot_satisfy_is_caught_by_the_property():
    """The property can fail: a pattern no word matches yields a value jsonschema refuses."""
    schema = {
        "type": "object",
        "properties": {"code": {"type": "string", "pattern": "^[0-9]{6}$"}},
        "required": ["code"],
    }
    value = build(schema, Words.read("no digits here"))
    assert not jsonschema.Draft202012Validator(schema).is_valid(value)
    assert build(schema, Words.read("my code is 123456"))["code"] == "123456"

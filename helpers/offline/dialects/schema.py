"""Model-native bodies are checked by a JSON Schema validator on Bedrock's side, and its findings reach
the caller as "Malformed input request: #: required key [max_tokens] not found#: extraneous key
[stream] is not permitted, please reformat your input and try again." This module validates with
the `jsonschema` library and words each finding the way Bedrock's validator does."""

from __future__ import annotations

import sys

from ..errors import BedrockError, msg_malformed


def _import_jsonschema():
    """Import jsonschema without rfc3987_syntax, which jsonschema loads (when installed) only to check
    the "iri" string format: building its grammar took 1.0 of the emulator's 1.25 s import, paid by
    every kernel and server that starts it. No validation here asks for formats; the module stays
    importable for anyone else once jsonschema has loaded."""
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return
    sys.modules["rfc3987_syntax"] = None  # an import of it now raises ImportError, which jsonschema expects
    try:
        import jsonschema  # noqa: F401
    finally:
        del sys.modules["rfc3987_syntax"]


_import_jsonschema()
from jsonschema import Draft7Validator  # noqa: E402

TYPE_NAMES = {
    "string": "String",
    "number": "Number",
    "integer": "Integer",
    "boolean": "Boolean",
    "array": "JSONArray",
    "object": "JSONObject",
    "null": "Null",
}


def found_type(value) -> str:
    """The type name Bedrock's validator reports for a JSON value."""
    if value is None:
        return "Null"
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "BigDecimal"
    if isinstance(value, str):
        return "String"
    return "JSONArray" if isinstance(value, list) else "JSONObject"


def pointer(path) -> str:
    return "#" + "".join(f"/{part}" for part in path)


def _number(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _describe(error) -> list[str]:
    """Bedrock's wording for one jsonschema finding (alternatives are flattened, like Bedrock does)."""
    where, value, kind = pointer(error.absolute_path), error.instance, error.validator
    if kind in ("anyOf", "oneOf") and error.context:
        return [line for sub in sorted(error.context, key=_order) for line in _describe(sub)]
    if kind == "required":
        return [f"{where}: required key [{name}] not found" for name in error.validator_value if name not in value]
    if kind == "additionalProperties":
        known = error.schema.get("properties", {})
        return [f"{where}: extraneous key [{key}] is not permitted" for key in value if key not in known]
    if kind == "type":
        wanted = error.validator_value
        wanted = wanted[0] if isinstance(wanted, list) else wanted
        return [f"{where}: expected type: {TYPE_NAMES[wanted]}, found: {found_type(value)}"]
    if kind == "maximum":
        return [f"{where}: {_number(value)} is not less or equal to {_number(error.validator_value)}"]
    if kind == "minimum":
        return [f"{where}: {_number(value)} is not greater or equal to {_number(error.validator_value)}"]
    if kind == "minItems":
        return [f"{where}: expected minimum item count: {error.validator_value}, found: {len(value)}"]
    if kind == "maxItems":
        return [f"{where}: expected maximum item count: {error.validator_value}, found: {len(value)}"]
    if kind == "minProperties":
        return [f"{where}: minimum size: [{error.validator_value}], found: [{len(value)}]"]
    if kind == "maxProperties":
        return [f"{where}: maximum size: [{error.validator_value}], found: [{len(value)}]"]
    if kind == "minLength":
        return [f"{where}: expected minLength: {error.validator_value}, actual: {len(value)}"]
    if kind == "enum":
        return [f"{where}: {value} is not a valid enum value"]
    if kind == "not":
        return [f"{where}: subject must not be valid against schema {error.validator_value}"]
    return [f"{where}: {error.message}"]


_RANK = {"required": 0, "additionalProperties": 1}


def _order(error):
    path = tuple((isinstance(p, str), p) for p in error.absolute_path)
    return path, _RANK.get(error.validator, 2)


def violations(schema: dict, body) -> list[str]:
    """Every finding, required keys first, then unknown keys, then nested values; no repeats."""
    found: list[str] = []
    for error in sorted(Draft7Validator(schema).iter_errors(body), key=_order):
        for line in _describe(error):
            if line not in found:
                found.append(line)
    return found


def check(schema: dict, body, prefix: str = "") -> None:
    """Raise Bedrock's 'Malformed input request' ValidationException when the body breaks the schema."""
    found = violations(schema, body)
    if found:
        raise BedrockError.validation(msg_malformed(prefix + "".join(found)))

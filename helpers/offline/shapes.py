"""Server-side validation against botocore's own service models.

botocore checks only required members, types and minimums on the client; Bedrock checks maximums,
enums and types itself and answers in Coral's words ("1 validation error detected: Value '1.5' at
'inferenceConfig.temperature' failed to satisfy constraint: ..."). Walking the same shapes botocore
ships keeps the emulator in step with the real API as botocore updates.
"""
from __future__ import annotations

import base64
import binascii
import functools
import math

import botocore.session

from .errors import BedrockError

# Newer service models list "system" as a role; Bedrock still rejects it with this enum in the message.
ENUM_OVERRIDES = {"ConversationRole": ["user", "assistant"]}


@functools.lru_cache(maxsize=None)
def service_model(service: str):
    return botocore.session.get_session().get_service_model(service)


def operation_input(service: str, operation: str):
    return service_model(service).operation_model(operation).input_shape


def render_value(value, shape) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if shape.type_name in ("float", "double") and isinstance(value, (int, float)):
        return repr(float(value))
    if isinstance(value, (int, float, str)):
        return str(value)
    return "[...]" if isinstance(value, list) else "{...}"


class _Walker:
    def __init__(self):
        self.errors: list[str] = []

    def fail(self, value, path, constraint, shape=None):
        shown = "" if value is None or shape is None else f" '{render_value(value, shape)}'"
        prefix = "Value null" if value is None else f"Value{shown}"
        self.errors.append(f"{prefix} at '{path}' failed to satisfy constraint: {constraint}")

    def walk(self, value, shape, path):
        kind = shape.type_name
        check = getattr(self, f"check_{kind}", None)
        if check is not None:
            check(value, shape, path)

    def check_structure(self, value, shape, path):
        if not isinstance(value, dict):
            self.fail(value, path, "Member must be an object", shape)
            return
        members = shape.members
        for name in shape.required_members:
            if members[name].serialization.get("location"):
                continue  # URI/header members are bound from the path, not the body
            if value.get(name) is None:
                self.fail(None, self.join(path, name), "Member must not be null")
        present = [name for name in members if value.get(name) is not None]
        if shape.metadata.get("union"):
            known = [k for k in value if k in members]
            if len(known) != 1:
                self.fail(value, path, "Member must have exactly one field set", shape)
        for name in present:
            self.walk(value[name], members[name], self.join(path, name))

    def check_list(self, value, shape, path):
        if not isinstance(value, list):
            self.fail(value, path, "Member must be a list", shape)
            return
        self.length(value, shape, path)
        for index, item in enumerate(value, start=1):
            if item is None:
                self.fail(None, f"{path}.{index}.member", "Member must not be null")
            else:
                self.walk(item, shape.member, f"{path}.{index}.member")

    def check_map(self, value, shape, path):
        if not isinstance(value, dict):
            self.fail(value, path, "Member must be an object", shape)
            return
        for key, item in value.items():
            self.walk(key, shape.key, f"{path}.{key}.key")
            self.walk(item, shape.value, f"{path}.{key}.value")

    def check_string(self, value, shape, path):
        if not isinstance(value, str):
            self.fail(value, path, "Member must be a string", shape)
            return
        self.length(value, shape, path)
        allowed = ENUM_OVERRIDES.get(shape.name, shape.enum)
        if allowed and value not in allowed:
            self.fail(value, path, f"Member must satisfy enum value set: [{', '.join(allowed)}]", shape)

    def check_integer(self, value, shape, path):
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(value, path, "Member must be an integer", shape)
            return
        self.bounds(value, shape, path)

    check_long = check_integer

    def check_float(self, value, shape, path):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.fail(value, path, "Member must be a number", shape)
            return
        self.bounds(value, shape, path)

    check_double = check_float

    def check_boolean(self, value, shape, path):
        if not isinstance(value, bool):
            self.fail(value, path, "Member must be a boolean", shape)

    def check_blob(self, value, shape, path):
        if not isinstance(value, str):
            self.fail(value, path, "Member must be a base64-encoded string", shape)
            return
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            self.errors.append(f"Value at '{path}' failed to satisfy constraint: Member must be valid base64")

    def bounds(self, value, shape, path):
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and value < low:
            self.fail(value, path, f"Member must have value greater than or equal to {low}", shape)
        elif high is not None and value > high:
            self.fail(value, path, f"Member must have value less than or equal to {high}", shape)

    def length(self, value, shape, path):
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and len(value) < low:
            self.fail(value, path, f"Member must have length greater than or equal to {low}", shape)
        elif high is not None and len(value) > high:
            self.fail(value, path, f"Member must have length less than or equal to {high}", shape)

    @staticmethod
    def join(path, name):
        return f"{path}.{name}" if path else name


def validate(body: dict, service: str, operation: str) -> None:
    """Raise Bedrock's ValidationException listing every constraint the body breaks."""
    walker = _Walker()
    walker.walk(body, operation_input(service, operation), "")
    if walker.errors:
        count = len(walker.errors)
        noun = "error" if count == 1 else "errors"
        raise BedrockError.validation(f"{count} validation {noun} detected: " + "; ".join(walker.errors))

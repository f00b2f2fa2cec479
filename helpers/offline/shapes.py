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
import re
import sys
from dataclasses import dataclass

from botocore.loaders import create_loader
from botocore.model import ServiceModel

from .errors import BedrockError

# Newer service models list "system" as a role; Bedrock still rejects it with this enum in the message.
# serviceTier.type is refused in Bedrock's own words (tiers.py); the latency enum is listed as Bedrock
# lists it (hermes-agent#34476, a live ValidationException, read 2026-11-30).
ENUM_OVERRIDES = {
    "ConversationRole": ["user", "assistant"],
    "ServiceTierType": [],
    "PerformanceConfigLatency": ["optimized", "standard"],
}


@functools.cache
def service_model(service: str):
    # Straight from botocore's data files: a session would read AWS_PROFILE and fail offline on a
    # profile this machine does not have.
    return ServiceModel(create_loader().load_service_model(service, "service-2"), service)


@functools.cache
def operation_input(service: str, operation: str):
    return service_model(service).operation_model(operation).input_shape


def render_value(value, shape) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if shape.type_name in ("float", "double") and isinstance(value, (int, float)):
        try:
            return repr(float(value))
        except OverflowError:  # an integer beyond a double's range
            return str(value)
    if isinstance(value, (int, float, str)):
        return str(value)
    return "[...]" if isinstance(value, list) else "{...}"


B64_CHUNK = 1 << 20  # characters, a multiple of 4


def _is_base64(value: str) -> bool:
    """Strict base64, checked a slice at a time: a 25 MB video is never decoded whole just to be
    validated (padding may only end the text)."""
    if len(value) % 4 or value.find("=", 0, max(0, len(value) - 2)) != -1:
        return False
    try:
        for start in range(0, len(value), B64_CHUNK):
            base64.b64decode(value[start : start + B64_CHUNK], validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


@dataclass(frozen=True)
class _Rules:
    """What one shape demands, read once from botocore's model (its properties are slow per request)."""

    kind: str
    members: dict
    required: tuple
    union: bool
    enum: tuple
    low: float | None
    high: float | None
    pattern: re.Pattern | None = None


@functools.cache
def _rules(shape) -> _Rules:
    members = getattr(shape, "members", {}) if shape.type_name == "structure" else {}
    required = tuple(
        name
        for name in getattr(shape, "required_members", [])
        if not members[name].serialization.get("location")  # URI/header members come from the path
    )
    enum = ENUM_OVERRIDES.get(shape.name, shape.enum if shape.type_name == "string" else None) or ()
    return _Rules(
        shape.type_name,
        dict(members),
        required,
        bool(shape.metadata.get("union")),
        tuple(enum),
        shape.metadata.get("min"),
        shape.metadata.get("max"),
        _pattern(shape),
    )


def _pattern(shape) -> re.Pattern | None:
    """A string shape's `pattern`, which the service matches against the whole value (Java's
    `matches`); patterns Python's `re` cannot read are left to the service, as before."""
    source = shape.metadata.get("pattern") if shape.type_name == "string" else None
    try:
        return re.compile(source) if source else None
    except re.error:
        return None


def _finite(value) -> bool:
    """Whether a number is a finite double. An integer written with hundreds of digits is not (the
    standard reader keeps it exact): it is refused as inf and nan are, not allowed to crash the check.
    Bedrock's wording for such a value is unconfirmed."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _fail(errors, value, path, constraint, shape=None):
    shown = "" if value is None or shape is None else f" '{render_value(value, shape)}'"
    prefix = "Value null" if value is None else f"Value{shown}"
    errors.append(f"{prefix} at '{path}' failed to satisfy constraint: {constraint}")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _span(rules: _Rules) -> tuple[float, float]:
    """A shape's bounds as two numbers every size lies between when it has none."""
    low = -math.inf if rules.low is None else rules.low
    return low, (math.inf if rules.high is None else rules.high)


def _limits(errors, value, size, shape, rules, path, noun):
    if rules.low is not None and size < rules.low:
        _fail(errors, value, path, f"Member must have {noun} greater than or equal to {rules.low}", shape)
    elif rules.high is not None and size > rules.high:
        _fail(errors, value, path, f"Member must have {noun} less than or equal to {rules.high}", shape)


class _LazyCheckers(dict):
    """Member name -> checker, built on first use (shapes may be recursive)."""

    def __init__(self, shapes: dict):
        super().__init__()
        self._shapes = shapes

    def __missing__(self, name):
        shape = self._shapes.get(name)
        if shape is None:
            return None  # not cached: a body full of unknown keys must not grow this map
        checker = self[name] = _checker(shape)
        return checker

    def get(self, name, default=None):
        return self[name]


@functools.cache
def _checker(shape):
    """A function checking one value against `shape`, built once per shape (validation runs on every
    request, so botocore's model is read here and not per call)."""
    rules = _rules(shape)
    kind = rules.kind
    bounded = rules.low is not None or rules.high is not None

    if kind == "structure":
        members = _LazyCheckers(rules.members)
        known, required, union = rules.members, rules.required, rules.union  # read once, not per value

        def check(value, path, errors):
            if not isinstance(value, dict):
                return _fail(errors, value, path, "Member must be an object", shape)
            for name in required:
                if value.get(name) is None:
                    _fail(errors, None, _join(path, name), "Member must not be null")
            if union:
                present = [k for k in value if k in known]
                if len(present) != 1 or value[present[0]] is None:  # {"text": null} sets nothing
                    _fail(errors, value, path, "Member must have exactly one field set", shape)
            for name, item in value.items():
                member = members[name] if name in known else None  # dict lookup: no Python call per member
                if member is not None and item is not None:
                    member(item, f"{path}.{name}" if path else name, errors)
    elif kind == "list":

        def check(value, path, errors):
            if not isinstance(value, list):
                return _fail(errors, value, path, "Member must be a list", shape)
            if bounded:
                _limits(errors, value, len(value), shape, rules, path, "length")
            inner = _checker(shape.member)
            for index, item in enumerate(value, start=1):
                if item is None:
                    _fail(errors, None, f"{path}.{index}.member", "Member must not be null")
                else:
                    inner(item, f"{path}.{index}.member", errors)
    elif kind == "map":

        def check(value, path, errors):
            if not isinstance(value, dict):
                return _fail(errors, value, path, "Member must be an object", shape)
            for key, item in value.items():
                _checker(shape.key)(key, f"{path}.{key}.key", errors)
                _checker(shape.value)(item, f"{path}.{key}.value", errors)
    elif kind == "string" and not rules.enum and rules.low is None and rules.high is None and not rules.pattern:

        def check(value, path, errors):  # the common case (message text): a type check only
            if not isinstance(value, str):
                _fail(errors, value, path, "Member must be a string", shape)
    elif kind == "string":

        def check(value, path, errors):
            if not isinstance(value, str):
                return _fail(errors, value, path, "Member must be a string", shape)
            if rules.pattern and not rules.pattern.fullmatch(value):  # listed before length, as Bedrock does
                _fail(
                    errors,
                    value,
                    path,
                    f"Member must satisfy regular expression pattern: {rules.pattern.pattern}",
                    shape,
                )
            if bounded:
                _limits(errors, value, len(value), shape, rules, path, "length")
            if rules.enum and value not in rules.enum:
                _fail(errors, value, path, f"Member must satisfy enum value set: [{', '.join(rules.enum)}]", shape)
    elif kind in ("integer", "long"):

        def check(value, path, errors):
            if isinstance(value, bool) or not isinstance(value, int):
                return _fail(errors, value, path, "Member must be an integer", shape)
            if bounded:
                _limits(errors, value, value, shape, rules, path, "value")
    elif kind in ("float", "double"):

        def check(value, path, errors):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value):
                return _fail(errors, value, path, "Member must be a number", shape)
            if bounded:
                _limits(errors, value, value, shape, rules, path, "value")
    elif kind == "boolean":

        def check(value, path, errors):
            if not isinstance(value, bool):
                _fail(errors, value, path, "Member must be a boolean", shape)
    elif kind == "blob":

        def check(value, path, errors):
            if not isinstance(value, str):
                return _fail(errors, value, path, "Member must be a base64-encoded string", shape)
            if not _is_base64(value):
                errors.append(f"Value at '{path}' failed to satisfy constraint: Member must be valid base64")
    else:  # documents (free-form JSON) and timestamps: no constraint to check

        def check(value, path, errors):
            return None

    return check


_FINITE = sys.float_info.max  # bounds a float must lie within: inf and nan fail the finite bounds


# The acceptor: one generated function per structure shape that answers only "valid or not", with its
# members' checks written inline (an if/elif on the member names, leaves as one expression, lists and
# maps as loops), as fastjsonschema does for JSON Schema. A valid body, nearly every body, then costs
# one call per structure and no closures, paths or error lists; a body it refuses is walked again by
# the checkers above, which write Bedrock's messages. It accepts exactly what the checkers accept for
# JSON values (dict, list, str, int, float, bool, None); other Python types go to the checkers.


def _bounds(expression: str, low: float, high: float) -> list[str]:
    """`low <= expression <= high` as source, without the sides that are infinite."""
    if low > -math.inf and high < math.inf:
        return [f"{low!r} <= {expression} <= {high!r}"]
    if low > -math.inf:
        return [f"{low!r} <= {expression}"]
    return [f"{expression} <= {high!r}"] if high < math.inf else []


def _leaf_test(shape, x: str, constants: dict) -> str:
    """One expression true when the leaf checker would accept the value named `x` (None included)."""
    rules = _rules(shape)
    low, high = _span(rules)
    if rules.kind == "string":
        tests = [f"type({x}) is str", *_bounds(f"len({x})", low, high)]
        if rules.enum:  # a set literal of constants: CPython keeps it as one frozenset
            tests.append(f"{x} in {{{', '.join(map(repr, rules.enum))}}}")
        if rules.pattern:
            constants[f"P_{shape.name}"] = rules.pattern
            tests.append(f"P_{shape.name}.fullmatch({x})")
    elif rules.kind in ("integer", "long"):
        tests = [f"type({x}) is int", *_bounds(x, low, high)]
    elif rules.kind in ("float", "double"):  # inf and nan fail the finite bounds
        tests = [f"(type({x}) is float or type({x}) is int)", *_bounds(x, max(low, -_FINITE), min(high, _FINITE))]
    elif rules.kind == "boolean":
        tests = [f"type({x}) is bool"]
    elif rules.kind == "blob":
        tests = [f"type({x}) is str", f"_is_base64({x})"]
    else:  # timestamps: nothing to check, as in _leaf_checker
        tests = ["True"]
    return " and ".join(tests)


def _check_lines(shape, x: str, depth: int, constants: dict, null_fails: bool) -> list[str]:
    """Statements returning False when the value named `x` fails `shape`; `null_fails` for list items,
    which the checkers refuse when null whatever their shape (a map's values go to their checker)."""
    if shape.type_name == "structure":
        return [f"if not s_{shape.name}({x}): return False"]
    if shape.type_name == "list":
        item = f"i{depth}"
        size = " and ".join(_bounds(f"len({x})", *_span(_rules(shape))))
        head = f"if type({x}) is not list{f' or not {size}' if size else ''}: return False"
        inner = _check_lines(shape.member, item, depth + 1, constants, null_fails=True)
        return [head, f"for {item} in {x}:", *(f"    {line}" for line in inner or ["pass"])]
    if shape.type_name == "map":
        key, value = f"k{depth}", f"v{depth}"
        inner = _check_lines(shape.key, key, depth + 1, constants, null_fails=False)
        inner += _check_lines(shape.value, value, depth + 1, constants, null_fails=False)
        loop = f"for {key}, {value} in {x}.items():"
        return [f"if type({x}) is not dict: return False", loop, *(f"    {line}" for line in inner or ["pass"])]
    test = _leaf_test(shape, x, constants)
    if test == "True":
        return [f"if {x} is None: return False"] if null_fails else []
    return [f"if not ({test}): return False"]


def _structure_source(shape, constants: dict) -> str:
    """The source of `s_<shape name>(v)`: whether the structure's checker would accept `v`."""
    rules = _rules(shape)
    lines = [f"def s_{shape.name}(v):", "    if type(v) is not dict: return False"]
    lines += [f"    if v.get({name!r}) is None: return False" for name in rules.required]
    if not rules.members:  # documents: any object
        return "\n".join([*lines, "    return True", ""])
    if rules.union:  # every known key counts, a null one fails (as the union check above)
        lines += ["    n = 0", "    for k, x in v.items():"]
    else:
        lines += ["    for k, x in v.items():", "        if x is None: continue"]
    for index, (name, member) in enumerate(rules.members.items()):
        lines.append(f"        {'elif' if index else 'if'} k == {name!r}:")
        if rules.union:
            lines += ["            if x is None: return False", "            n += 1"]
        body = _check_lines(member, "x", 0, constants, null_fails=False) or ["pass"]
        lines += [f"            {line}" for line in body]
    lines.append("    return n == 1" if rules.union else "    return True")
    return "\n".join([*lines, ""])


def _structures(shape):
    """The structure shapes reachable from `shape`, each once, the shape itself first."""
    seen, pending = {}, [shape]
    while pending:
        current = pending.pop()
        if current.type_name == "structure":
            if current.name in seen:
                continue
            seen[current.name] = current
            pending.extend(_rules(current).members.values())
        elif current.type_name == "list":
            pending.append(current.member)
        elif current.type_name == "map":
            pending.extend((current.key, current.value))
    return list(seen.values())


def acceptor_source(service: str, shape_name: str) -> str:
    """The generated source of one structure's acceptor, to read or test."""
    return _structure_source(service_model(service).shape_for(shape_name), {})


@functools.cache
def _namespace(service: str) -> dict:
    """Where a service's acceptors live, each compiled once and shared by its operations."""
    return {"_is_base64": _is_base64}


@functools.cache
def _acceptor(service: str, operation: str):
    """The acceptor of an operation's input, compiled with every structure it reaches."""
    root = operation_input(service, operation)
    namespace, constants = _namespace(service), {}
    fresh = [shape for shape in _structures(root) if f"s_{shape.name}" not in namespace]
    source = "".join(_structure_source(shape, constants) for shape in fresh)
    namespace.update(constants)
    exec(compile(source, f"<acceptors of {service} {operation}>", "exec"), namespace)  # noqa: S102 - our source
    return namespace[f"s_{root.name}"]


def validate(body: dict, service: str, operation: str) -> None:
    """Raise Bedrock's ValidationException listing every constraint the body breaks."""
    if _acceptor(service, operation)(body):
        return
    errors: list[str] = []
    _checker(operation_input(service, operation))(body, "", errors)
    if errors:
        noun = "error" if len(errors) == 1 else "errors"
        raise BedrockError.validation(f"{len(errors)} validation {noun} detected: " + "; ".join(errors))

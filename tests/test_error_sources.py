"""Every error message the emulator can send says where its wording comes from (data/error-sources.json).

The messages are discovered from the code, not from a hand-kept list: every module of helpers.offline is
read, its MSG_* constants, *_MESSAGES tables and msg_* builders (called with the sample arguments below)
are collected, and every place that sends a message — a BedrockError, a stream exception payload, a
validation constraint, a fault-request error — is rendered to text, with `{expression}` standing for a
part that varies. A new message, or a changed wording, without an entry in the data file fails here."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
from pathlib import Path

import pytest

import helpers.offline
from helpers.paths import DATA

SOURCES = json.loads((DATA / "error-sources.json").read_text(encoding="utf-8"))["messages"]
PACKAGE = Path(helpers.offline.__file__).parent

# Arguments for message builders, by parameter name; the example values the data file lists.
SAMPLES = {
    "message_index": 1,
    "block_index": 0,
    "index": 1,
    "model_id": "anthropic.claude-3-5-sonnet-20241022-v2:0",  # migrate_models: keep
    "kind": "image",
    "where": "messages.0.content.0",
    "size": 4_000_000,
    "width": 8001,
    "height": 600,
    "detail": "#: required key [messages] not found",
    "role": "user",
    "ids": ["tooluse_1"],
    "principal": "arn:aws:iam::123456789012:user/bedrock-runtime",
    "action": "bedrock:InvokeModel",
    "resource": "arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-lite-v1:0",
    "explicit": False,
    "parameter": "temperature",
}
# Where one function's parameter needs another example than SAMPLES gives.
SAMPLES_FOR = {"msg_choice_unsupported": {"kind": "any"}}
MESSAGE_KEYS = {"message", "originalMessage"}  # in stream exception payloads
# ValueErrors reach a client only from the fault plan (the server answers a bad fault request with them).
VALUE_ERRORS_SENT = {"helpers.offline.fault_plan"}


def modules():
    names = [info.name for info in pkgutil.walk_packages([str(PACKAGE)], "helpers.offline.")]
    return {name: importlib.import_module(name) for name in names if not name.endswith("__main__")}


def builders(module) -> dict:
    """msg_* functions defined in the module (and denied_message-style builders called at send sites)."""
    return {
        name: value
        for name, value in vars(module).items()
        if name.startswith("msg_") and inspect.isfunction(value) and value.__module__ == module.__name__
    }


def build(function) -> str:
    parameters = inspect.signature(function).parameters
    missing = [name for name in parameters if name not in SAMPLES]
    assert not missing, f"add a sample argument for {function.__qualname__}({', '.join(missing)}) to SAMPLES"
    samples = {**SAMPLES, **SAMPLES_FOR.get(function.__name__, {})}
    return function(**{name: samples[name] for name in parameters})


class Renderer:
    """An expression that yields a message, as text: literals kept, names resolved in the module,
    builders called with SAMPLES, anything else shown as `{expression}`."""

    def __init__(self, module):
        self.module = module

    def __call__(self, node) -> str:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            return "".join(self(part) if isinstance(part, ast.Constant) else self(part) for part in node.values)
        if isinstance(node, ast.FormattedValue):
            return "{" + ast.unparse(node.value) + "}"
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self(node.left) + self(node.right)
        if isinstance(node, ast.Name) and isinstance(getattr(self.module, node.id, None), str):
            return getattr(self.module, node.id)
        if isinstance(node, ast.Call):
            target = node.func
            if isinstance(target, ast.Attribute) and target.attr == "format":
                return self(target.value)  # a template such as MSG_SCHEMA_NOT_OBJECT: listed unformatted
            function = getattr(self.module, target.id, None) if isinstance(target, ast.Name) else None
            if inspect.isfunction(function) and function.__module__.startswith("helpers.offline"):
                return build(function)
        return "{" + ast.unparse(node) + "}"


def _call_name(node: ast.Call) -> str:
    return ast.unparse(node.func)


def sent_at(module) -> list[str]:
    """Messages rendered from every place in the module that sends one."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    render, found = Renderer(module), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name == "BedrockError" and len(node.args) >= 2:
                found.append(render(node.args[1]))
            elif node.args and (
                name == "BedrockError.validation" or (name == "ValueError" and module.__name__ in VALUE_ERRORS_SENT)
            ):
                found.append(render(node.args[0]))
            elif name == "_fail" and len(node.args) >= 4:  # shapes: one constraint of a validation error
                found.append(render(node.args[3]))
            elif name == "errors.append" and node.args:
                found.append(render(node.args[0]))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value in MESSAGE_KEYS and not isinstance(value, ast.Dict):
                    found.append(render(value))
    # a bare pass-through ("{error.message}", "{str(exc)}") carries a message listed where it is made
    return [text for text in found if not (text.startswith("{") and text.endswith("}") and text.count("{") == 1)]


def discovered() -> dict[str, str]:
    """message -> where it was found."""
    found: dict[str, str] = {}
    for name, module in modules().items():
        where = name.removeprefix("helpers.offline.")
        for constant, value in vars(module).items():
            if constant.startswith("MSG_") and isinstance(value, str):
                found.setdefault(value, f"{where} {constant}")
            if constant.endswith("_MESSAGES") and isinstance(value, dict):
                for key, text in value.items():
                    found.setdefault(text, f"{where} {constant}[{key!r}]")
        for function_name, function in builders(module).items():
            found.setdefault(build(function), f"{where} {function_name}")
        for text in sent_at(module):
            found.setdefault(text, f"{where} (sent inline)")
    return found


MESSAGES = discovered()


def test_discovery_finds_the_known_kinds_of_message():
    """The discovery itself can fail: it must see constants, builders, tables, inline and stream messages."""
    expected = {
        "The provided model identifier is invalid.",  # a constant
        "You can't include more than 20 images in a request.",  # a constant built from a limit
        "Model has timed out in processing the request. Try your request again.",  # a fault table
        "The text field in the ContentBlock object at messages.1.content.0 is blank. "
        "Add text to the text field, and try again.",  # a builder with sample arguments
        "The security token included in the request is invalid.",  # a name resolved at a send site
        "maxResults must be an integer.",  # an inline literal
        "Member must have {noun} less than or equal to {rules.high}",  # a validation constraint
    }
    assert expected <= set(MESSAGES)
    assert len(MESSAGES) > 60


@pytest.mark.parametrize("message", sorted(MESSAGES), ids=lambda m: m[:60])
def test_each_message_the_emulator_can_send_has_a_source_or_says_it_has_none(message):
    assert message in SOURCES, f"{MESSAGES[message]}: add {message!r} to data/error-sources.json"
    entry = SOURCES[message]
    assert entry["read"] == "2026-11-30"
    assert entry["status"] in ("confirmed", "unconfirmed wording")
    if entry["status"] == "confirmed":
        assert entry["source"].startswith("https://")
    assert entry["where"]


def test_the_data_file_lists_no_message_the_emulator_no_longer_sends():
    stale = sorted(set(SOURCES) - set(MESSAGES))
    assert not stale, f"remove or update these entries: {stale}"

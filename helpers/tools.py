"""Tool use with plain Converse dicts: describe Python functions as tools, run the calls a model asks
for, loop until it answers, and ask for JSON that fits a schema.

    spec = tools.tool_spec(get_weather)                  # {"toolSpec": {"name", "description", "inputSchema"}}
    reply, messages = tools.tool_loop(client, model_id, messages, [get_weather])
    data = tools.structured(client, model_id, "Extract ...", schema)      # forced tool, parsed input

Everything returned is the dict Bedrock's API reference describes, so any step can be pasted into a
raw `client.converse(...)` call. Functions the model asks for run here, in your Python process: a
tool is only as safe as the function you hand over.
"""

from __future__ import annotations

import inspect
import json
import typing
from collections.abc import Callable

JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean", list: "array", dict: "object"}
MAX_TURNS = 5


class ToolLoopError(RuntimeError):
    """The model kept asking for tools after the turn limit, or asked for a tool nobody defined."""


def _parameter_schema(annotation) -> dict:
    if typing.get_origin(annotation) is typing.Literal:
        return {"type": "string", "enum": [str(value) for value in typing.get_args(annotation)]}
    origin = typing.get_origin(annotation) or annotation
    return {"type": JSON_TYPES.get(origin, "string")}


def tool_spec(function: Callable, description: str | None = None) -> dict:
    """A Converse tool from a Python function: its name, its docstring's first paragraph, and an
    input schema from its parameters (annotations give types; parameters without defaults are required)."""
    doc = inspect.getdoc(function) or ""
    hints = typing.get_type_hints(function)  # resolves annotations written as strings
    properties, required = {}, []
    for name, parameter in inspect.signature(function).parameters.items():
        schema = _parameter_schema(hints.get(name, str))
        if parameter.default is inspect.Parameter.empty:
            required.append(name)
        else:
            schema["default"] = parameter.default
        properties[name] = schema
    text = description or doc.split("\n\n")[0] or f"Call {function.__name__}."
    schema = {"type": "object", "properties": properties, "required": required}
    return {"toolSpec": {"name": function.__name__, "description": text, "inputSchema": {"json": schema}}}


def tool_config(functions: list[Callable], choice: dict | None = None) -> dict:
    """`toolConfig` for these functions; `choice` is {"auto": {}}, {"any": {}} or {"tool": {"name": ...}}."""
    config: dict = {"tools": [tool_spec(f) for f in functions]}
    if choice is not None:
        config["toolChoice"] = choice
    return config


def tool_uses(message: dict) -> list[dict]:
    """The toolUse blocks of an assistant message (never assume a block is text)."""
    return [block["toolUse"] for block in message.get("content", []) if "toolUse" in block]


def run_tools(message: dict, functions: list[Callable]) -> dict:
    """The user turn answering every toolUse in `message`: each function's return value as a
    toolResult (JSON for dicts, text otherwise), or `status: error` with the exception's text."""
    by_name = {f.__name__: f for f in functions}
    results = []
    for use in tool_uses(message):
        function = by_name.get(use["name"])
        try:
            if function is None:
                raise ToolLoopError(f"No function named {use['name']!r} was given to run_tools.")
            value = function(**use["input"])
            content = [{"json": value}] if isinstance(value, dict) else [{"text": str(value)}]
            results.append({"toolResult": {"toolUseId": use["toolUseId"], "content": content, "status": "success"}})
        except Exception as error:  # the model hears about the failure and can recover or apologise
            content = [{"text": f"{type(error).__name__}: {error}"}]
            results.append({"toolResult": {"toolUseId": use["toolUseId"], "content": content, "status": "error"}})
    return {"role": "user", "content": results}


def tool_loop(
    client, model_id: str, messages: list[dict], functions: list[Callable], max_turns: int = MAX_TURNS, **request
) -> tuple[dict, list[dict]]:
    """Call Converse, run the tools it asks for, send their results back, until the model answers
    (stopReason other than tool_use). Returns the last response and the whole conversation.
    `request` holds any other Converse arguments (system, inferenceConfig, ...)."""
    messages = list(messages)
    config = request.pop("toolConfig", None) or tool_config(functions)
    for _ in range(max_turns):
        response = client.converse(modelId=model_id, messages=messages, toolConfig=config, **request)
        message = response["output"]["message"]
        messages.append(message)
        if response["stopReason"] != "tool_use":
            return response, messages
        messages.append(run_tools(message, functions))
    raise ToolLoopError(
        f"The model still asked for tools after {max_turns} turns. Raise max_turns, or check that your "
        "tools return what the model needs (an error result makes many models try again)."
    )


def structured(client, model_id: str, prompt: str, schema: dict, name: str = "answer", **request) -> dict:
    """JSON that fits `schema`, the portable way: a tool whose input schema is `schema`, forced with
    toolChoice, and its input returned as a dict. Works on every model that takes toolChoice `tool`."""
    spec = {"toolSpec": {"name": name, "description": f"Record the {name}.", "inputSchema": {"json": schema}}}
    config = {"tools": [spec], "toolChoice": {"tool": {"name": name}}}
    messages = [{"role": "user", "content": [{"text": prompt}]}]
    response = client.converse(modelId=model_id, messages=messages, toolConfig=config, **request)
    uses = tool_uses(response["output"]["message"])
    if not uses:
        raise ToolLoopError(f"The model answered without calling {name}; stopReason {response['stopReason']}.")
    return uses[0]["input"]


def output_config(schema: dict, name: str = "answer", description: str | None = None) -> dict:
    """`outputConfig` asking for JSON valid against `schema` (native structured output, on the models
    that support it): the answer's text block is then that JSON."""
    definition = {"schema": json.dumps(schema), "name": name}
    if description:
        definition["description"] = description
    return {"textFormat": {"type": "json_schema", "structure": {"jsonSchema": definition}}}

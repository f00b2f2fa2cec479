"""Exercises of the tool-use notebook: write a toolSpec, write the toolResult turn, assemble streamed
tool input, and choose the toolChoice a job needs. Each check names the mistake learners make."""

from __future__ import annotations

import json
import re

from .checks import Exercise, _dict, need

TOOL_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")

# The assistant turn a learner answers in 09-tool-result: two calls in one turn.
TWO_CALLS = {
    "role": "assistant",
    "content": [
        {"text": "I'll check both cities."},
        {"toolUse": {"toolUseId": "tooluse_kSECjEMDQ6cKq0CYUTDjZs", "name": "get_weather", "input": {"city": "Paris"}}},
        {"toolUse": {"toolUseId": "tooluse_4nIQGW53BDfy6jE0KDBhma", "name": "get_weather", "input": {"city": "Oslo"}}},
    ],
}
# The ConverseStream events a learner assembles in 09-stream-input: text, then one tool call in pieces.
STREAMED_CALL = [
    {"messageStart": {"role": "assistant"}},
    {"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"text": "Converting now."}}},
    {"contentBlockStop": {"contentBlockIndex": 0}},
    {
        "contentBlockStart": {
            "contentBlockIndex": 1,
            "start": {"toolUse": {"toolUseId": "tooluse_WbMMix5vSY6a6PY0CSJH8P", "name": "convert_currency"}},
        }
    },
    {"contentBlockDelta": {"contentBlockIndex": 1, "delta": {"toolUse": {"input": '{"amount":2'}}}},
    {"contentBlockDelta": {"contentBlockIndex": 1, "delta": {"toolUse": {"input": '50,"to":"JP'}}}},
    {"contentBlockDelta": {"contentBlockIndex": 1, "delta": {"toolUse": {"input": 'Y"}'}}}},
    {"contentBlockStop": {"contentBlockIndex": 1}},
    {"messageStop": {"stopReason": "tool_use"}},
]
# The job and the tools of 09-tool-choice.
CHOICE_JOB = {
    "job": "Every support e-mail must be filed with exactly one call to record_ticket; never a text answer.",
    "tools": ["record_ticket", "lookup_customer"],
}


def check_tool_spec(value) -> None:
    entry = _dict(value, "Your tool")
    need("toolSpec" in entry, "A tool is wrapped: {'toolSpec': {'name': ..., 'description': ..., 'inputSchema': ...}}.")
    spec = _dict(entry["toolSpec"], "toolSpec")
    name = spec.get("name")
    need(
        isinstance(name, str) and TOOL_NAME.fullmatch(name) is not None,
        "The name may hold only letters, digits, '_' and '-' (1-64 characters): "
        "convert_currency, not 'convert currency'.",
    )
    need(
        isinstance(spec.get("description"), str) and spec["description"].strip(),
        "Give a description: it is how the model decides when to call the tool.",
    )
    schema_box = _dict(spec.get("inputSchema"), "inputSchema")
    need("json" in schema_box, "inputSchema holds the JSON schema under 'json': {'json': {'type': 'object', ...}}.")
    schema = _dict(schema_box["json"], "inputSchema['json']")
    need(schema.get("type") == "object", "A tool's input is an object: 'type': 'object'.")
    properties = _dict(schema.get("properties"), "'properties'")
    amount, to = properties.get("amount"), properties.get("to")
    need(
        isinstance(amount, dict) and amount.get("type") in ("number", "integer"),
        "'amount' is a JSON Schema number: {'type': 'number'} ('float' is not a JSON Schema type).",
    )
    need(isinstance(to, dict) and to.get("type") == "string", "'to' is a string: {'type': 'string', 'enum': [...]}.")
    need(
        sorted(to.get("enum") or []) == ["EUR", "JPY", "USD"], "'to' allows exactly 'EUR', 'USD' and 'JPY': use 'enum'."
    )
    need(
        sorted(schema.get("required") or []) == ["amount", "to"],
        "List both properties in 'required', or the model may leave them out.",
    )


def check_tool_result(value) -> None:
    turn = _dict(value, "Your turn")
    need(turn.get("role") == "user", "Tool results go back in a 'user' turn (Converse has no 'tool' role).")
    content = turn.get("content")
    need(isinstance(content, list), "'content' is a list of blocks, one toolResult per toolUse.")
    results = [b.get("toolResult") for b in content if isinstance(b, dict) and "toolResult" in b]
    asked = [b["toolUse"]["toolUseId"] for b in TWO_CALLS["content"] if "toolUse" in b]
    need(len(results) == len(asked), f"Answer every toolUse of the turn: {len(asked)} toolResult blocks, in one turn.")
    need(
        sorted(r.get("toolUseId") for r in results) == sorted(asked),
        "Copy each toolUseId exactly from the toolUse it answers.",
    )
    for result in results:
        blocks = result.get("content")
        need(
            isinstance(blocks, list) and blocks,
            "A toolResult's 'content' is a list: [{'json': {...}}] or [{'text': ...}].",
        )
        for block in blocks:
            need(
                isinstance(block, dict) and ("json" in block or "text" in block),
                "Each result block is {'json': {...}} or {'text': '...'}.",
            )
            need(
                "json" not in block or isinstance(block["json"], dict),
                "A 'json' block holds an object; wrap lists or numbers: {'json': {'value': ...}}.",
            )


def check_stream_input(value) -> None:
    need(not isinstance(value, str), "Parse the joined pieces with json.loads: the tool gets a dict, not JSON text.")
    data = _dict(value, "Your input")
    pieces = [
        e["contentBlockDelta"]["delta"]["toolUse"]["input"]
        for e in STREAMED_CALL
        if "contentBlockDelta" in e and "toolUse" in e["contentBlockDelta"]["delta"]
    ]
    need(
        data == json.loads("".join(pieces)),
        "Join every toolUse input piece of contentBlockIndex 1, in order, then json.loads the result.",
    )


def check_tool_choice(value) -> None:
    choice = _dict(value, "Your toolChoice")
    need(len(choice) == 1, "toolChoice holds exactly one of 'auto', 'any' or 'tool'.")
    need("auto" not in choice, "With 'auto' the model may answer in text: the job forbids that.")
    need("any" not in choice, "'any' forces a tool, but may pick lookup_customer: name the one tool.")
    need(
        "tool" in choice and choice["tool"] == {"name": "record_ticket"},
        "Force one tool by name: {'tool': {'name': 'record_ticket'}}.",
    )


TOOL_SAMPLES = {"09-tool-result": TWO_CALLS, "09-stream-input": STREAMED_CALL, "09-tool-choice": CHOICE_JOB}

TOOL_EDITS = [
    Exercise(
        "09-tool-spec",
        "09",
        "Write the toolSpec of convert_currency: a number 'amount' and a currency 'to' (EUR, USD or JPY), "
        "both required.",
        check_tool_spec,
        ("Start from the get_weather tool above and change the schema.", "Use 'enum' for a fixed set of values."),
        "a tool any Converse model with tool use accepts.",
    ),
    Exercise(
        "09-tool-result",
        "09",
        "Write the user turn that answers both calls in sample('09-tool-result'): Paris 18 C, Oslo 4 C.",
        check_tool_result,
        ("One user turn, one toolResult per toolUse.", "Each toolResult: toolUseId, content [{'json': {...}}]."),
        "the model can now answer from both results.",
    ),
    Exercise(
        "09-stream-input",
        "09",
        "From the events in sample('09-stream-input'), build the tool's input as a dict.",
        check_stream_input,
        (
            "The input arrives as text pieces in contentBlockDelta.delta.toolUse.input.",
            "Join the pieces of one contentBlockIndex, then json.loads.",
        ),
        "exactly the input the model asked for.",
    ),
]

# The decision the notebook asks for, beside the edits above (its judgement exercise).
TOOL_JUDGEMENT = [
    Exercise(
        "09-tool-choice",
        "09",
        "Read the job in sample('09-tool-choice') and write the toolChoice that guarantees it.",
        check_tool_choice,
        ("Which of auto, any and tool rules out a text answer and the wrong tool?",),
        "every call files exactly one ticket.",
    ),
]

TOOL_EXERCISES = [*TOOL_EDITS, *TOOL_JUDGEMENT]

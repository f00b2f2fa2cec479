"""Tools the tool-use tests share: a weather and a currency tool, as a learner would write them."""

from __future__ import annotations

import re

NOVA = "amazon.nova-lite-v1:0"
CLAUDE = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
TOOL_USE_ID = re.compile(r"^tooluse_[A-Za-z0-9_-]{22}$")

WEATHER_SCHEMA = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "description": "The city, e.g. Paris"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "description": "Temperature unit"},
    },
    "required": ["city"],
}
CURRENCY_SCHEMA = {
    "type": "object",
    "properties": {
        "amount": {"type": "number", "description": "How much money to convert"},
        "to": {"type": "string", "enum": ["EUR", "USD", "JPY"], "description": "Currency to convert to"},
    },
    "required": ["amount", "to"],
}
WEATHER = {
    "toolSpec": {
        "name": "get_weather",
        "description": "Get the current weather for a city.",
        "inputSchema": {"json": WEATHER_SCHEMA},
    }
}
CURRENCY = {
    "toolSpec": {
        "name": "convert_currency",
        "description": "Convert an amount of money into another currency.",
        "inputSchema": {"json": CURRENCY_SCHEMA},
    }
}
TOOLS = {"tools": [WEATHER, CURRENCY]}


def user(text: str) -> dict:
    return {"role": "user", "content": [{"text": text}]}


def tool_uses(message: dict) -> list[dict]:
    return [block["toolUse"] for block in message["content"] if "toolUse" in block]


def results_turn(uses: list[dict], payloads: list[dict], status: str = "success") -> dict:
    """The user turn that answers each toolUse with a JSON result."""
    blocks = [
        {"toolResult": {"toolUseId": use["toolUseId"], "content": [{"json": payload}], "status": status}}
        for use, payload in zip(uses, payloads)
    ]
    return {"role": "user", "content": blocks}

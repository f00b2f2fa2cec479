"""Every error message the emulator reproduces says where its wording comes from (data/error-sources.json)."""

import json

import pytest

from helpers.offline import errors, fault_plan, guardrails, media_rules
from helpers.paths import DATA

SOURCES = json.loads((DATA / "error-sources.json").read_text(encoding="utf-8"))["messages"]
MESSAGES = [
    *(
        getattr(module, name)
        for module in (errors, media_rules, guardrails)
        for name in dir(module)
        if name.startswith("MSG_")
    ),
    *fault_plan.FAULT_MESSAGES.values(),
    *fault_plan.STREAM_FAULT_MESSAGES.values(),
]


@pytest.mark.parametrize("message", MESSAGES)
def test_each_reproduced_message_has_a_source_or_says_it_has_none(message):
    entry = SOURCES[message]
    assert entry["read"] == "2026-11-30"
    assert entry["status"] in ("confirmed", "unconfirmed wording")
    if entry["status"] == "confirmed":
        assert entry["source"].startswith("https://")

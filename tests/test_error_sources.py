"""Every error message the emulator reproduces says where its wording comes from (data/error-sources.json)."""

import json

import pytest

from helpers.offline import cache_rules, errors, fault_plan, media_rules, reasoning, tiers
from helpers.paths import DATA

SOURCES = json.loads((DATA / "error-sources.json").read_text(encoding="utf-8"))["messages"]
TEMPLATES = {reasoning.MSG_BAD_SIGNATURE, reasoning.MSG_THINKING_FIRST}
MESSAGES = [
    *(getattr(module, name) for module in (errors, media_rules) for name in dir(module) if name.startswith("MSG_")),
    *(getattr(module, name) for module in (reasoning, tiers) for name in dir(module) if name.startswith("MSG_")),
    reasoning.MSG_BAD_SIGNATURE.format(index=1, block=0),
    reasoning.MSG_THINKING_FIRST.format(index=1, found="text"),
    cache_rules.MSG_CACHE_AFTER_REASONING,
    cache_rules.MSG_TOO_MANY_CHECKPOINTS.format(limit=4, found=5),
    cache_rules.MSG_TTL_ORDER.format(path="messages.3.content.0"),
    cache_rules.MSG_TTL_UNSUPPORTED.format(path="system.0", ttl="1h"),
    *fault_plan.FAULT_MESSAGES.values(),
    *fault_plan.STREAM_FAULT_MESSAGES.values(),
]
MESSAGES = [message for message in MESSAGES if message not in TEMPLATES]


@pytest.mark.parametrize("message", MESSAGES)
def test_each_reproduced_message_has_a_source_or_says_it_has_none(message):
    entry = SOURCES[message]
    assert entry["read"] == "2026-11-30"
    assert entry["status"] in ("confirmed", "unconfirmed wording")
    if entry["status"] == "confirmed":
        assert entry["source"].startswith("https://")

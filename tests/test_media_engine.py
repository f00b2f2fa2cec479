"""One media engine for both sides: every rule the content helpers check before sending is the rule the
emulator enforces, found by helpers/media_limits.py; the helper refuses exactly what the emulator refuses."""

from __future__ import annotations

import io

import pytest
from botocore.exceptions import ClientError
from PIL import Image

from helpers import content, media_limits
from helpers.offline import media_rules
from tests.conftest import error_of

NOVA = "amazon.nova-lite-v1:0"


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (width, height)).save(buffer, format="PNG")
    return buffer.getvalue()


def image(data: bytes) -> dict:
    return {"image": {"format": "png", "source": {"bytes": data}}}


def document(name: str, data: bytes = b"Quarterly numbers.") -> dict:
    return {"document": {"format": "txt", "name": name, "source": {"bytes": data}}}


def user(*blocks) -> dict:
    return {"role": "user", "content": [*blocks]}


ASK = {"text": "Describe it."}
CASES = {
    "image-bytes": [user(ASK, image(b"\x89PNG" + b"\0" * (4 * 1024 * 1024)))],
    "image-side": [user(ASK, image(png(8001, 1)))],
    "document-name": [user(ASK, document("report.v2"))],
    "document-bytes": [user(ASK, document("big", b"x" * (5 * 1024 * 1024)))],
    "duplicate-document-name": [user(ASK, document("notes"), document("notes"))],
    "not-in-user-message": [user(ASK), {"role": "assistant", "content": [ASK, image(png(2, 2))]}, user(ASK)],
    "document-without-text": [user(document("notes"))],
    "too-many-images": [user(ASK, *[image(png(2, 2 + i)) for i in range(21)])],
    "too-many-documents": [user(ASK, *[document(f"doc {i}") for i in range(6)])],
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_the_helper_and_the_emulator_refuse_the_same_request_for_the_same_rule(runtime, rule):
    messages = CASES[rule]
    breach = media_limits.first_breach(messages)
    assert breach is not None and breach.rule == rule
    with pytest.raises(content.ContentError):
        content.check_messages(messages)
    with pytest.raises(ClientError) as excinfo:
        runtime.converse(modelId=NOVA, messages=messages)
    assert error_of(excinfo) == (400, "ValidationException", media_rules.message_for(breach))


def test_a_request_within_every_limit_passes_both(runtime):
    messages = [user(ASK, image(png(40, 30)), document("notes"))]
    assert media_limits.first_breach(messages) is None
    content.check_messages(messages)
    assert runtime.converse(modelId=NOVA, messages=messages)["stopReason"] == "end_turn"

"""Bedrock's media rules as one engine: which limit a conversation breaks, and where.

Both sides use it. The content helpers turn each finding into a learner's error with the fix, before
anything is sent; the offline emulator turns the same finding into Bedrock's own ValidationException.
So the helpers can never pass what the emulator refuses, nor refuse what it accepts. The numbers
themselves live in `formats.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .formats import (
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENTS,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_SIDE,
    MAX_IMAGES,
    MAX_INLINE_VIDEO_BYTES,
    image_size,
    is_legal_document_name,
)

MEDIA = ("image", "document", "video", "audio")


@dataclass(frozen=True)
class Breach:
    """One rule a conversation breaks. `rule` names it; `message` and `block` say where (indexes into
    `messages` and its `content`); `facts` holds what the wording needs (sizes, names, counts)."""

    rule: str
    kind: str | None = None
    message: int | None = None
    block: int | None = None
    facts: dict = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"messages.{self.message}.content.{self.block}"


def _payload(body) -> bytes | None:
    """Inline bytes of a block body, decoded (a native Claude document body keeps its own shape)."""
    if not isinstance(body, dict):
        return None
    data = (body.get("source") or {}).get("bytes")
    return data if isinstance(data, (bytes, bytearray)) else None


def block_breach(kind: str, body) -> Breach | None:
    """The first per-block limit a media block breaks: bytes and pixels of an image, a document's name
    and size, the size of an inline video."""
    data = _payload(body)
    if kind == "document":
        name = body.get("name") if isinstance(body, dict) else None
        if name is not None and not is_legal_document_name(name):
            return Breach("document-name", kind, facts={"name": name})
        if data is not None and len(data) > MAX_DOCUMENT_BYTES:
            return Breach("document-bytes", kind, facts={"size": len(data)})
    elif kind == "image" and data is not None:
        if len(data) > MAX_IMAGE_BYTES:
            return Breach("image-bytes", kind, facts={"size": len(data)})
        size = image_size(data)
        if size and max(size) > MAX_IMAGE_SIDE:
            return Breach("image-side", kind, facts={"width": size[0], "height": size[1]})
    elif kind == "video" and data is not None and len(data) > MAX_INLINE_VIDEO_BYTES:
        return Breach("video-bytes", kind, facts={"size": len(data)})
    return None


def _message_breaches(i: int, message: dict, can_see: Callable[[str], bool], names: set) -> Iterator[Breach]:
    blocks = message.get("content") or []
    kinds = [next(iter(block), None) if isinstance(block, dict) else None for block in blocks]
    for j, (kind, block) in enumerate(zip(kinds, blocks)):
        if kind not in MEDIA:
            continue
        if not can_see(kind):
            yield Breach("unsupported-block", kind, i, j)
        if kind in ("image", "document") and message.get("role") != "user":
            yield Breach("not-in-user-message", kind, i, j, {"role": message.get("role")})
        found = block_breach(kind, block[kind])
        if found is not None:
            yield Breach(found.rule, kind, i, j, found.facts)
        name = block[kind].get("name") if kind == "document" and isinstance(block[kind], dict) else None
        if name is not None:
            if name in names:
                yield Breach("duplicate-document-name", kind, i, j, {"name": name})
            names.add(name)
    if "document" in kinds and "text" not in kinds:
        yield Breach("document-without-text", "document", i)


def breaches(messages: list[dict], can_see: Callable[[str], bool] = lambda kind: True) -> Iterator[Breach]:
    """Every media rule the messages break, in the order Bedrock reports them: what the model can see
    (`can_see(kind)`), where a block may be, each block's own limits, then the request-wide counts."""
    names: set[str] = set()
    images = documents = 0
    for i, message in enumerate(messages):
        yield from _message_breaches(i, message, can_see, names)
        blocks = [b for b in message.get("content") or [] if isinstance(b, dict)]
        images += sum(1 for b in blocks if "image" in b)
        documents += sum(1 for b in blocks if "document" in b)
    if images > MAX_IMAGES:
        yield Breach("too-many-images", "image", facts={"count": images})
    if documents > MAX_DOCUMENTS:
        yield Breach("too-many-documents", "document", facts={"count": documents})


def first_breach(messages: list[dict], can_see: Callable[[str], bool] = lambda kind: True) -> Breach | None:
    if not any(isinstance(b, dict) and next(iter(b), None) in MEDIA for m in messages for b in m.get("content") or []):
        return None  # every rule is about a media block: a text-only conversation, the usual one, breaks none
    return next(breaches(messages, can_see), None)

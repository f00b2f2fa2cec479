"""Bedrock's rules for images, documents and video, checked server-side in Bedrock's words.

The limits are the ones the content helpers check before sending (helpers/formats.py), so a request
the helpers accept is one the emulator accepts. Where Bedrock's exact sentence is known it is used to
the letter (document names, document count, duplicate names, capabilities); the others follow the
same style: what is wrong, where (`messages.N.content.M`), and how to fix it.
"""

from __future__ import annotations

from ..formats import (
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENTS,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_SIDE,
    MAX_IMAGES,
    MAX_INLINE_VIDEO_BYTES,
    image_size,
    is_legal_document_name,
)
from .errors import BedrockError
from .prompt import Prompt

MEDIA = {"image": "images", "document": "documents", "video": "video"}  # block kind -> catalog capability

MSG_DOCUMENT_NAME = (
    "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, "
    "parentheses, and square brackets. The name can't contain more than one consecutive whitespace character. "
    "Check that the file name conforms to these restrictions and retry your request."
)
MSG_TOO_MANY_DOCUMENTS = f"You can't include more than {MAX_DOCUMENTS} documents in a request."
MSG_TOO_MANY_IMAGES = f"You can't include more than {MAX_IMAGES} images in a request."
MSG_DUPLICATE_DOCUMENT_NAMES = "Messages can't contain duplicate document names."


def msg_unsupported_block(kind: str) -> str:
    return (
        f"This model doesn't support the {kind} content block that you provided. "
        "Try again with input that the model supports."
    )


def msg_not_in_user_message(kind: str, where: str) -> str:
    return (
        f"The {kind} content block at {where} isn't allowed in an assistant message. "
        f"Images and documents can only be sent in user messages. Move the {kind} to a user message and try again."
    )


def msg_document_without_text(message_index: int) -> str:
    return (
        f"The message at messages.{message_index} contains a document but no text. "
        "Add a text block with your question about the document and try again."
    )


def msg_image_too_large(where: str, size: int) -> str:
    return (
        f"The image at {where} is {size:,} bytes, which exceeds the maximum image size of "
        f"{MAX_IMAGE_BYTES:,} bytes (3.75 MB). Reduce the image size and try again."
    )


def msg_image_too_wide(where: str, width: int, height: int) -> str:
    return (
        f"The image at {where} is {width} x {height} pixels, which exceeds the maximum of "
        f"{MAX_IMAGE_SIDE} pixels in width or height. Resize the image and try again."
    )


def msg_document_too_large(where: str, size: int) -> str:
    return (
        f"The document at {where} is {size:,} bytes, which exceeds the maximum document size of "
        f"{MAX_DOCUMENT_BYTES:,} bytes (4.5 MB). Reduce the document size and try again."
    )


def msg_video_too_large(where: str, size: int) -> str:
    return (
        f"The video at {where} is {size:,} bytes, which exceeds the maximum of {MAX_INLINE_VIDEO_BYTES:,} "
        "bytes (25 MB) for a video sent as bytes. Upload the video to Amazon S3 and use an s3Location source."
    )


def _payload(body) -> bytes | None:
    """Decoded inline bytes of a block body (native Claude document bodies keep their own shape)."""
    if not isinstance(body, dict):
        return None
    data = (body.get("source") or {}).get("bytes")
    return data if isinstance(data, (bytes, bytearray)) else None


def _check_block(kind: str, body, where: str) -> None:
    data = _payload(body)
    if kind == "document":
        name = body.get("name") if isinstance(body, dict) else None
        # Live Bedrock accepts underscores although the message does not list them; the evidence
        # (read 2026-11-30) is cited at formats.is_legal_document_name, the one home of this rule.
        if name is not None and not is_legal_document_name(name):
            raise BedrockError.validation(MSG_DOCUMENT_NAME)
        if data is not None and len(data) > MAX_DOCUMENT_BYTES:
            raise BedrockError.validation(msg_document_too_large(where, len(data)))
    elif kind == "image" and data is not None:
        if len(data) > MAX_IMAGE_BYTES:
            raise BedrockError.validation(msg_image_too_large(where, len(data)))
        size = image_size(data)
        if size and max(size) > MAX_IMAGE_SIDE:
            raise BedrockError.validation(msg_image_too_wide(where, *size))
    elif kind == "video" and data is not None and len(data) > MAX_INLINE_VIDEO_BYTES:
        raise BedrockError.validation(msg_video_too_large(where, len(data)))


def check(prompt: Prompt) -> None:
    """Every media rule, in the order Bedrock reports them: what the model can see, where a block may
    be, each block's own limits, then the request-wide counts."""
    capabilities = prompt.model["capabilities"]
    images = 0
    names: set[str] = set()
    for i, message in enumerate(prompt.messages):
        blocks = message.get("content") or []
        kinds = [next(iter(block), None) for block in blocks]
        for j, (kind, block) in enumerate(zip(kinds, blocks)):
            if kind not in MEDIA:
                continue
            if not capabilities.get(MEDIA[kind]):
                raise BedrockError.validation(msg_unsupported_block(kind))
            where = f"messages.{i}.content.{j}"
            if kind in ("image", "document") and message.get("role") != "user":
                raise BedrockError.validation(msg_not_in_user_message(kind, where))
            _check_block(kind, block[kind], where)
            if kind == "document" and isinstance(block[kind], dict) and "name" in block[kind]:
                if block[kind]["name"] in names:
                    raise BedrockError.validation(MSG_DUPLICATE_DOCUMENT_NAMES)
                names.add(block[kind]["name"])
        if "document" in kinds and "text" not in kinds:
            raise BedrockError.validation(msg_document_without_text(i))
        images += kinds.count("image")
    if images > MAX_IMAGES:
        raise BedrockError.validation(MSG_TOO_MANY_IMAGES)
    documents = sum(1 for m in prompt.messages for b in m.get("content") or [] if "document" in b)
    if documents > MAX_DOCUMENTS:
        raise BedrockError.validation(MSG_TOO_MANY_DOCUMENTS)

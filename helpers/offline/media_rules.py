"""Bedrock's rules for images, documents and video, checked server-side in Bedrock's words.

The rules are found by the same engine the content helpers check with before sending
(helpers/media_limits.py, numbers in helpers/formats.py), so a request the helpers accept is one the
emulator accepts. Where Bedrock's exact sentence is known it is used to
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
)
from ..media_limits import Breach, first_breach
from .errors import BedrockError
from .prompt import Prompt

CAPABILITY = {"image": "images", "document": "documents", "video": "video"}  # block kind -> catalog capability

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


def message_for(breach: Breach) -> str:
    """Bedrock's sentence for one finding of the shared media engine."""
    kind, where, facts = breach.kind, breach.where, breach.facts
    wording = {
        "unsupported-block": lambda: msg_unsupported_block(kind),
        "not-in-user-message": lambda: msg_not_in_user_message(kind, where),
        "document-name": lambda: MSG_DOCUMENT_NAME,
        "document-bytes": lambda: msg_document_too_large(where, facts.get("size", 0)),
        "image-bytes": lambda: msg_image_too_large(where, facts.get("size", 0)),
        "image-side": lambda: msg_image_too_wide(where, facts.get("width", 0), facts.get("height", 0)),
        "video-bytes": lambda: msg_video_too_large(where, facts.get("size", 0)),
        "duplicate-document-name": lambda: MSG_DUPLICATE_DOCUMENT_NAMES,
        "document-without-text": lambda: msg_document_without_text(breach.message),
        "too-many-images": lambda: MSG_TOO_MANY_IMAGES,
        "too-many-documents": lambda: MSG_TOO_MANY_DOCUMENTS,
    }
    return wording[breach.rule]()


def check(prompt: Prompt) -> None:
    """The first media rule the conversation breaks, found by the engine the content helpers use too
    (helpers/media_limits.py), refused in Bedrock's words."""
    capabilities = prompt.model["capabilities"]
    breach = first_breach(prompt.messages, lambda kind: bool(capabilities.get(CAPABILITY.get(kind, kind))))
    if breach is not None:
        message = message_for(breach)  # one of the msg_* / MSG_* sentences above
        raise BedrockError.validation(message)

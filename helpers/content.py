"""Content blocks for Converse, as the plain dicts Bedrock expects, checked before they are sent.

    from helpers import content
    message = content.user_message("What's in this image?", content.image(DATA / "samples" / "landscape.png"))

The format comes from the file's own bytes (a PNG renamed .jpg is still a PNG), a document's name
is made from its file name in the characters Bedrock allows, and every limit Bedrock enforces
raises `ContentError` with a sentence saying what to change, before a request is spent on it.
Through boto3, media travel as raw `bytes`; the SDK does the base64 encoding.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from . import formats
from .formats import (
    DOCUMENT_FORMATS,
    IMAGE_FORMATS,
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENTS,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_SIDE,
    MAX_IMAGES,
    MAX_INLINE_VIDEO_BYTES,
    VIDEO_FORMATS,
)


class ContentError(ValueError):
    """A content block or message Bedrock would refuse; the message says what to change."""


def _mb(size: int) -> str:
    return f"{size / formats.MB:.2f} MB ({size:,} bytes)"


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def _read(source, what: str, filename: str | None = None) -> tuple[bytes, str | None]:
    """(bytes, file name or None) of a path, or of bytes that may say which file they came from."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, name = bytes(source), filename
    elif isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise ContentError(f"No {what} file at {path.name!r}: check the path.")
        data, name = path.read_bytes(), path.name
    else:
        raise ContentError(f"A {what} comes from a file path or from bytes, not {type(source).__name__}.")
    if not data:
        raise ContentError(f"The {what} {name or 'bytes'} {'is' if name else 'are'} empty.")
    return data, name


def infer_format(data: bytes, kind: str, name: str | None = None, declared: str | None = None) -> str:
    """The Bedrock format of `data`: its magic bytes first, the file extension for formats without a
    signature (txt, md, csv, html) or unreadable bytes; a declared format must agree with the bytes."""
    allowed = {"image": IMAGE_FORMATS, "document": DOCUMENT_FORMATS, "video": VIDEO_FORMATS}[kind]
    sniffed = formats.sniff(data)
    if sniffed == "doc" and formats.from_extension(name) == "xls":
        sniffed = "xls"  # both are OLE compound files
    if sniffed == "mp4" and formats.from_extension(name) in ("mov", "three_gp"):
        sniffed = formats.from_extension(name)
    if declared is not None:
        if declared not in allowed:
            raise ContentError(f"Bedrock does not accept {kind} format {declared!r}; use one of: {', '.join(allowed)}.")
        if sniffed and sniffed != declared and not {sniffed, declared} <= {"mpeg", "mpg"}:
            raise ContentError(
                f"The {kind} was declared {declared!r} but its bytes are {sniffed!r}: "
                f"use format={sniffed!r} or leave format out."
            )
        return declared
    fmt = sniffed or formats.from_extension(name)
    if fmt is None and kind == "document" and formats.is_text(data):
        fmt = "txt"
    if fmt not in allowed:
        found = f"{_a(formats.kind_of(fmt))} ({fmt})" if fmt and formats.kind_of(fmt) else "an unsupported format"
        label = name or "These bytes"
        raise ContentError(
            f"{label} {'is' if name else 'are'} {found}, not {_a(kind)} Bedrock accepts ({', '.join(allowed)})."
        )
    return fmt


image_size = formats.image_size  # (width, height) of image bytes, or None


def text(value: str) -> dict:
    if not isinstance(value, str) or not value.strip():
        raise ContentError("A text block needs some text: Bedrock refuses blank text.")
    return {"text": value}


def image(source, *, format: str | None = None, filename: str | None = None) -> dict:
    """An image block from a path or bytes: `{'image': {'format': 'png', 'source': {'bytes': ...}}}`.
    `filename` tells where bytes came from (used when the bytes themselves do not say)."""
    data, filename = _read(source, "image", filename)
    block = {"image": {"format": infer_format(data, "image", filename, format), "source": {"bytes": data}}}
    check_block(block, filename)
    return block


def document_name(filename: str) -> str:
    """A legal document name from a file name ('Q2_report.v3.pdf' -> 'Q2 report v3')."""
    return formats.legal_document_name(filename)


def document(source, *, name: str | None = None, format: str | None = None, filename: str | None = None) -> dict:
    """A document block; the name defaults to the file name made legal. A name you pass yourself is
    checked, not changed, so a mistake shows instead of being silently renamed."""
    data, filename = _read(source, "document", filename)
    if name is None:
        name = document_name(filename) if filename else "document"
    fmt = infer_format(data, "document", filename, format)
    block = {"document": {"format": fmt, "name": name, "source": {"bytes": data}}}
    check_block(block, filename)
    return block


def video(source, *, format: str | None = None, bucket_owner: str | None = None, filename: str | None = None) -> dict:
    """A video block from a path, bytes, or an `s3://bucket/key` URI (up to 1 GB, no upload here)."""
    if isinstance(source, str) and source.startswith("s3://"):
        return s3_video(source, format=format, bucket_owner=bucket_owner)
    data, filename = _read(source, "video", filename)
    block = {"video": {"format": infer_format(data, "video", filename, format), "source": {"bytes": data}}}
    check_block(block, filename)
    return block


def s3_video(uri: str, *, format: str | None = None, bucket_owner: str | None = None) -> dict:
    """A video block read by Bedrock from Amazon S3; the format comes from the key's extension."""
    bucket, _, key = uri.removeprefix("s3://").partition("/") if uri.startswith("s3://") else ("", "", "")
    if not bucket or not key:
        raise ContentError(f"{uri!r} is not an S3 URI: write it as s3://bucket/key.")
    fmt = format or formats.from_extension(key)
    if fmt not in VIDEO_FORMATS:
        raise ContentError(f"Cannot tell the video format of {uri!r}: pass format= one of {', '.join(VIDEO_FORMATS)}.")
    location = {"uri": uri}
    if bucket_owner is not None:
        if not (bucket_owner.isdigit() and len(bucket_owner) == 12):
            raise ContentError(f"bucket_owner must be a 12-digit AWS account id, not {bucket_owner!r}.")
        location["bucketOwner"] = bucket_owner
    return {"video": {"format": fmt, "source": {"s3Location": location}}}


def user_message(*parts) -> dict:
    """A user message from strings (text blocks) and blocks, checked as Bedrock would check it."""
    message = {"role": "user", "content": [text(p) if isinstance(p, str) else p for p in parts]}
    check_messages([message])
    return message


# ---- checks ---------------------------------------------------------------------------------------


def check_block(block: dict, label: str | None = None) -> None:
    """Bedrock's per-block limits: image bytes and pixels, document size and name, inline video size."""
    kind = next(iter(block))
    body = block[kind]
    data = (body.get("source") or {}).get("bytes")
    label = label or f"The {kind}"
    if kind == "image" and data is not None:
        if len(data) > MAX_IMAGE_BYTES:
            raise ContentError(
                f"{label} is {_mb(len(data))}; Bedrock accepts images up to 3.75 MB "
                f"({MAX_IMAGE_BYTES:,} bytes). Shrink it first: content.downscale(...)."
            )
        size = image_size(data)
        if size and max(size) > MAX_IMAGE_SIDE:
            raise ContentError(
                f"{label} is {size[0]} x {size[1]} pixels; Bedrock accepts at most "
                f"{MAX_IMAGE_SIDE} pixels a side. Shrink it first: content.downscale(...)."
            )
    if kind == "document":
        name = body.get("name", "")
        if not formats.is_legal_document_name(name):
            raise ContentError(
                f"The document name {name!r} is not allowed: use only letters, digits, single "
                "spaces, underscores, hyphens, parentheses and square brackets (at most 200 characters), "
                f"e.g. {document_name(name)!r}."
            )
        if data is not None and len(data) > MAX_DOCUMENT_BYTES:
            raise ContentError(
                f"{label} is {_mb(len(data))}; Bedrock accepts documents up to 4.5 MB "
                f"({MAX_DOCUMENT_BYTES:,} bytes). Split it or send the pages that matter."
            )
    if kind == "video" and data is not None and len(data) > MAX_INLINE_VIDEO_BYTES:
        raise ContentError(
            f"{label} is {_mb(len(data))}; inline video is limited to 25 MB. Upload it to "
            "Amazon S3 and send an s3Location source instead: content.video('s3://bucket/key')."
        )


def check_messages(messages: list[dict]) -> None:
    """Bedrock's request-level rules: at most 20 images and 5 documents in the whole request, each
    document with its own name, images and documents only in user messages, and a text block beside
    every document."""
    images = documents = 0
    names: set[str] = set()
    for i, message in enumerate(messages):
        blocks = message.get("content") or []
        if not blocks:
            raise ContentError(f"messages[{i}] has no content: give it at least one block, e.g. a text block.")
        kinds = [next(iter(b), None) for b in blocks]
        for kind, block in zip(kinds, blocks):
            if kind in ("image", "document", "video"):
                check_block(block)
            if kind == "document":
                if block["document"].get("name") in names:
                    raise ContentError(
                        f"Two documents are named {block['document']['name']!r}: Bedrock refuses "
                        "duplicate document names in a request; give each document its own name."
                    )
                names.add(block["document"].get("name"))
            if kind in ("image", "document") and message.get("role") != "user":
                raise ContentError(
                    f"messages[{i}] is an {message.get('role')} message with an {kind}: "
                    "images and documents may only be sent in user messages."
                )
        images += kinds.count("image")
        documents += kinds.count("document")
        if "document" in kinds and "text" not in kinds:
            raise ContentError(
                f"messages[{i}] has a document but no text block: add a question or "
                "instruction beside it, e.g. content.text('Summarize this document.')."
            )
    if images > MAX_IMAGES:
        raise ContentError(f"The request has {images} images; Bedrock accepts at most {MAX_IMAGES} per request.")
    if documents > MAX_DOCUMENTS:
        raise ContentError(
            f"The request has {documents} documents; Bedrock accepts at most {MAX_DOCUMENTS} per request."
        )


# ---- making an image fit -------------------------------------------------------------------------


@dataclass
class Downscaled:
    """The image block that fits, and what was done to get there."""

    block: dict
    note: str
    original_size: tuple[int, int]
    new_size: tuple[int, int]
    original_bytes: int
    new_bytes: int


def downscale(source, *, max_side: int = 2048, max_bytes: int = MAX_IMAGE_BYTES, quality: int = 85) -> Downscaled:
    """Shrink an image until it fits Bedrock's limits, keeping its aspect ratio: the longer side is
    brought down to `max_side` pixels and the result saved as JPEG (PNG if it has transparency);
    halves again while still over `max_bytes`. An image that already fits is returned unchanged."""
    from PIL import Image

    data, filename = _read(source, "image")
    try:
        picture = Image.open(io.BytesIO(data))
        picture.load()
    except Exception as error:  # noqa: BLE001 - Pillow raises many kinds for unreadable data
        raise ContentError(f"{filename or 'These bytes'} cannot be read as an image ({error}).") from None
    original = picture.size
    label = filename or "The image"
    if max(original) <= min(max_side, MAX_IMAGE_SIDE) and len(data) <= max_bytes:
        block = image(data, filename=filename)
        note = f"{label} already fits: {original[0]} x {original[1]} px, {len(data):,} bytes; nothing changed."
        return Downscaled(block, note, original, original, len(data), len(data))
    keep_alpha = (
        picture.mode in ("RGBA", "LA", "P") and "transparency" in picture.info or picture.mode in ("RGBA", "LA")
    )
    side = min(max_side, MAX_IMAGE_SIDE)
    while True:
        scale = min(1.0, side / max(original))
        size = (max(1, round(original[0] * scale)), max(1, round(original[1] * scale)))
        resized = picture.resize(size, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if keep_alpha:
            resized.save(out, format="PNG", optimize=True)
        else:
            resized.convert("RGB").save(out, format="JPEG", quality=quality)
        if out.tell() <= max_bytes or side <= 64:
            break
        side //= 2
    new = out.getvalue()
    fmt = "PNG" if keep_alpha else f"JPEG (quality {quality})"
    note = (
        f"Resized {label} from {original[0]} x {original[1]} px ({len(data):,} bytes) to "
        f"{size[0]} x {size[1]} px ({len(new):,} bytes), saved as {fmt}; aspect ratio kept."
    )
    return Downscaled(image(new), note, original, size, len(data), len(new))

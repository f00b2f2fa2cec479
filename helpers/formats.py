"""Bedrock's media formats and limits, and what a file really is, read from its first bytes.

One place for the numbers, shared by the content helpers (checks before sending) and the offline
emulator (the same checks server-side), so the two can never disagree.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

IMAGE_FORMATS = ("png", "jpeg", "gif", "webp")
DOCUMENT_FORMATS = ("pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md")
VIDEO_FORMATS = ("mkv", "mov", "mp4", "webm", "flv", "mpeg", "mpg", "wmv", "three_gp")
TEXT_DOCUMENTS = ("txt", "md", "csv", "html")

MB = 1024 * 1024
MAX_IMAGE_BYTES = int(3.75 * MB)  # 3,932,160: Bedrock's 5 MB limit applies to the base64 text
MAX_IMAGE_SIDE = 8000  # pixels, width and height
MAX_IMAGES = 20  # per request
MAX_DOCUMENT_BYTES = int(4.5 * MB)  # 4,718,592
MAX_DOCUMENTS = 5  # per request
MAX_INLINE_VIDEO_BYTES = 25 * MB  # larger videos go through Amazon S3 (up to 1 GB)
MAX_DOCUMENT_NAME = 200

# A document name may hold ASCII letters and digits, whitespace (never two in a row), hyphens,
# parentheses and square brackets (DocumentBlock in the Bedrock API reference,
# https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_DocumentBlock.html) and, although
# that list omits them, underscores: live Bedrock accepts `test_name` and `test__name`
# (measured against jp.anthropic.claude-haiku-4-5, aws-samples/generative-ai-use-cases issue 1671,
# 2026-08-21) and @ai-sdk/amazon-bedrock keeps them "checked live" (vercel/ai pull request 20366,
# 2026-09-04); frameworks rely on it (litellm names PDFs like `DocumentPDFmessages_<hash>_pdf`).
# Non-ASCII letters and spaces (an ideographic space U+3000, even alone) are refused (issue 1671).
# Read 2026-11-30. Whitespace here is ASCII whitespace only; tabs and newlines are unconfirmed live.
_ILLEGAL_CHARACTER = re.compile(r"[^A-Za-z0-9_ \t\n\r\f\v\-()\[\]]")
_TWO_SPACES = re.compile(r"\s\s", re.ASCII)

# Extensions people use, to Bedrock's format names.
EXTENSIONS = {
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "gif": "gif",
    "webp": "webp",
    **{fmt: fmt for fmt in DOCUMENT_FORMATS},
    "htm": "html",
    "markdown": "md",
    "text": "txt",
    "mkv": "mkv",
    "mov": "mov",
    "mp4": "mp4",
    "m4v": "mp4",
    "webm": "webm",
    "flv": "flv",
    "mpeg": "mpeg",
    "mpg": "mpg",
    "wmv": "wmv",
    "3gp": "three_gp",
}


def kind_of(fmt: str) -> str | None:
    """'image', 'document' or 'video' for a Bedrock format name."""
    for kind, formats in (("image", IMAGE_FORMATS), ("document", DOCUMENT_FORMATS), ("video", VIDEO_FORMATS)):
        if fmt in formats:
            return kind
    return None


def from_extension(name: str | None) -> str | None:
    """Bedrock's format for a file name's extension ('photo.JPG' -> 'jpeg'), or None."""
    return EXTENSIONS.get(PurePath(name or "").suffix.lower().lstrip(".")) if name else None


def _zip_format(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _iso_bmff_format(data: bytes) -> str:
    brand = data[8:12]
    if brand == b"qt  ":
        return "mov"
    if brand.startswith(b"3g"):
        return "three_gp"
    return "mp4"


def _ebml_format(data: bytes) -> str:
    return "webm" if b"webm" in data[:64] else "mkv"


def sniff(data: bytes) -> str | None:
    """Bedrock's format name for these bytes, from their magic numbers; None for plain text or
    anything unknown (text formats have no signature: their extension decides)."""
    head = bytes(data[:16])
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(bytes(data))
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"  # an OLE compound file: .doc or .xls, the extension tells which
    if head[4:8] == b"ftyp":
        return _iso_bmff_format(head)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return _ebml_format(bytes(data[:64]))
    if head.startswith(b"FLV\x01"):
        return "flv"
    if head.startswith((b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3")):
        return "mpeg"
    if head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"):
        return "wmv"
    return None


def is_text(data: bytes) -> bool:
    """UTF-8 without NUL bytes: what txt, md, csv and html documents must be."""
    try:
        bytes(data).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data


def is_legal_document_name(name: str) -> bool:
    return 0 < len(name) <= MAX_DOCUMENT_NAME and not _ILLEGAL_CHARACTER.search(name) and not _TWO_SPACES.search(name)


def legal_document_name(filename: str) -> str:
    """A document name Bedrock accepts, from a file name: the extension dropped, every character
    Bedrock refuses replaced by a space, runs of whitespace collapsed ('Q2_report.v3.pdf' -> 'Q2_report v3')."""
    stem = PurePath(filename).name
    if from_extension(stem):
        stem = PurePath(stem).stem
    cleaned = " ".join(_ILLEGAL_CHARACTER.sub(" ", stem).split())
    return cleaned[:MAX_DOCUMENT_NAME].rstrip() or "document"


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) in pixels from the image header, without decoding the pixels; None for bytes
    that are not a PNG, JPEG, GIF or WebP. Pillow's format readers are called directly, because
    `Image.open` refuses huge sizes (decompression bombs) and so would hide the very sizes to refuse."""
    from PIL import Image

    Image.preinit()
    for name in ("PNG", "JPEG", "GIF", "WEBP"):
        factory, accept = Image.OPEN.get(name, (None, None))
        if factory is None or (accept and not accept(bytes(data[:16]))):
            continue
        try:
            with factory(io.BytesIO(data)) as picture:
                return picture.size
        except Exception:  # noqa: BLE001 - Pillow raises many kinds for bytes that are not an image
            continue
    return None

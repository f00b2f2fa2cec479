"""What the offline model sees in images, documents and videos, and what they cost in tokens.

Everything is read from the bytes themselves, so descriptions are truthful and the same on every run:
  * image: format, width x height (Pillow) and the dominant colours, each pixel named after the nearest
    colour of a small palette;
  * document: format, pages (PDF) or lines/rows/sheets, and the beginning of its text (pypdf for PDF,
    python-docx for DOCX, openpyxl for XLSX, the text formats directly; legacy .doc/.xls are not read);
  * video: container, duration and resolution from the MP4/MOV header (`mvhd`/`tkhd` boxes); other
    containers are named but not measured, and a video in S3 is not fetched.

Token rule for media (documented, deterministic):
  * image: ceil(width x height / 750), at most 1,600 (as Anthropic documents for Claude);
  * document: the tokens of its extracted text by the text rule in tokens.py, plus 10 per page or sheet;
  * video: 200 tokens per second of duration (one sampled frame a second), at least 200;
    a video in S3 counts as 10 seconds;
  * anything unreadable: one token per 750 bytes, at least 1.
"""

from __future__ import annotations

import csv
import hashlib
import html.parser
import io
import logging
import math
import struct
import threading
from dataclasses import dataclass, field

from ..formats import image_size, sniff
from . import tokens
from .errors import BedrockError

BYTES_PER_TOKEN = 750
IMAGE_TOKEN_CAP = 1600
TOKENS_PER_PAGE = 10
VIDEO_TOKENS_PER_SECOND = 200
S3_VIDEO_SECONDS = 10
BEGINNING_CHARS = 160
SAMPLE_SIDE = 160  # colours are counted on a thumbnail this wide
DECODE_BUDGET_PIXELS = 4096 * 4096  # larger PNG/GIF/WebP images are measured from the header only
# What Bedrock answers for image bytes the model cannot read. Anthropic's API says "Could not process
# image" (anthropics/claude-code issues 1747, 2854, 15941), and Bedrock prefixes what a model reports
# with "The model returned the following errors: " (boto/boto3 issue 4415, aws-samples/
# amazon-bedrock-client-for-mac issue 130); the two together are unconfirmed wording (2026-11-30).
MSG_IMAGE_NOT_PROCESSED = "The model returned the following errors: Could not process image"

PALETTE = {
    "white": (255, 255, 255),
    "light grey": (200, 200, 200),
    "grey": (128, 128, 128),
    "black": (0, 0, 0),
    "red": (220, 30, 30),
    "dark red": (140, 20, 20),
    "orange": (245, 140, 30),
    "yellow": (245, 210, 40),
    "light green": (150, 210, 120),
    "green": (60, 150, 60),
    "dark green": (30, 90, 40),
    "teal": (30, 140, 140),
    "sky blue": (120, 175, 235),
    "steel blue": (70, 130, 180),
    "blue": (30, 60, 200),
    "navy": (20, 30, 90),
    "purple": (130, 50, 160),
    "pink": (240, 150, 190),
    "brown": (120, 75, 40),
    "beige": (235, 225, 200),
}


@dataclass
class Seen:
    """What one attachment is, in facts and in one phrase, and its token cost."""

    kind: str
    format: str
    facts: dict = field(default_factory=dict)
    phrase: str = ""
    tokens: int = 1


def kind(block: dict) -> str:
    return next(iter(block))


def _source(block: dict) -> dict:
    """The block's `source` when it is an object; `searchResult` blocks carry a string there."""
    body = block[kind(block)]
    source = body.get("source") if isinstance(body, dict) else None
    return source if isinstance(source, dict) else {}


def _bytes_tokens(data: bytes) -> int:
    return max(1, len(data) // BYTES_PER_TOKEN)


def _a(acronym: str) -> str:
    """'a PDF', 'an HTML': the article as the letters are spoken."""
    return ("an " if acronym[:1] in "AEFHILMNORSX" else "a ") + acronym


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= BEGINNING_CHARS else text[: BEGINNING_CHARS - 3].rstrip() + "..."


# ---- images ----------------------------------------------------------------------------------------


def _colour_name(rgb: tuple[int, int, int]) -> str:
    return min(PALETTE, key=lambda name: sum((a - b) ** 2 for a, b in zip(rgb, PALETTE[name])))


def dominant_colours(picture, top: int = 4, floor: float = 0.03) -> list[tuple[str, float]]:
    """The palette colours covering the most pixels (at least `floor` of the image), largest first."""
    from PIL import Image

    sample = picture.convert("RGB")
    sample.thumbnail((160, 160), Image.Resampling.NEAREST)
    shares: dict[str, int] = {}
    for count, rgb in sample.getcolors(sample.width * sample.height):
        name = _colour_name(rgb)
        shares[name] = shares.get(name, 0) + count
    total = sample.width * sample.height
    ranked = sorted(shares.items(), key=lambda item: (-item[1], item[0]))
    return [(name, count / total) for name, count in ranked[:top] if count / total >= floor]


def _decoded(data: bytes, width: int, height: int):
    """The picture, decoded within the budget: a larger JPEG is decoded at a reduced scale (`draft`),
    a larger image of another format not at all (None). Raises on bytes that do not decode."""
    from PIL import Image

    picture = Image.open(io.BytesIO(data))
    if width * height > DECODE_BUDGET_PIXELS:
        if picture.format != "JPEG":
            picture.close()
            return None
        picture.draft("RGB", (SAMPLE_SIDE, SAMPLE_SIDE))
    picture.load()
    return picture


def inspect_image(data: bytes, fmt: str) -> Seen:
    """Size from the header first (never decoding to learn it), then colours from a decode within
    the budget. Bytes that are no image are refused as the model refuses them."""
    size = image_size(data)
    try:
        picture = _decoded(data, *size) if size else None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for damaged bytes
        size = None
    if not size:
        raise BedrockError.validation(MSG_IMAGE_NOT_PROCESSED)
    width, height = size
    if picture is None:
        colours, actual = [], fmt
        seen = f"whose colours the offline model did not sample (over {DECODE_BUDGET_PIXELS:,} pixels)"
    else:
        with picture:
            colours, actual = dominant_colours(picture), (picture.format or fmt).lower()
        seen = "whose main colours are " + ", ".join(f"{name} ({share:.0%})" for name, share in colours)
    phrase = f"{_a(actual.upper())} image of {width} x {height} pixels {seen}"
    facts = {
        "format": actual,
        "width": width,
        "height": height,
        "colours": [name for name, _ in colours],
        "bytes": len(data),
    }
    return Seen("image", actual, facts, phrase, min(IMAGE_TOKEN_CAP, math.ceil(width * height / 750)))


# ---- documents -------------------------------------------------------------------------------------


class _HtmlText(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.title, self.parts, self._in = "", [], None

    def handle_starttag(self, tag, attrs):
        self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in not in ("script", "style"):
            self.parts.append(data)


def _document_text(data: bytes, fmt: str) -> tuple[str, dict]:
    """(text, facts) of a document; raises on bytes the format's reader cannot parse."""
    if fmt == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        title = (reader.metadata or {}).get("/Title") if reader.metadata else None
        return text, {"pages": len(reader.pages), **({"title": str(title)} if title else {})}
    if fmt == "docx":
        import docx

        paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text.strip()]
        return "\n".join(paragraphs), {"paragraphs": len(paragraphs)}
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        lines, rows = [], 0
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                rows += 1
                lines.append(" | ".join("" if v is None else str(v) for v in row))
        facts = {"sheets": [s.title for s in book.worksheets], "rows": rows}
        book.close()
        return "\n".join(lines), facts
    text = bytes(data).decode("utf-8")
    if fmt == "html":
        parser = _HtmlText()
        parser.feed(text)
        return " ".join(parser.parts), {"title": " ".join(parser.title.split())} if parser.title.strip() else {}
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        return text, {"rows": len(rows), "columns": len(rows[0]) if rows else 0}
    return text, {"lines": len(text.splitlines())}


def _document_extent(facts: dict) -> str:
    if "pages" in facts:
        return f"{facts['pages']} page{'s' if facts['pages'] != 1 else ''}"
    if "sheets" in facts:
        return f"{len(facts['sheets'])} sheet ({', '.join(facts['sheets'])}) with {facts['rows']} rows"
    if "columns" in facts:
        return f"{facts['rows']} rows of {facts['columns']} columns"
    if "paragraphs" in facts:
        return f"{facts['paragraphs']} paragraphs"
    if "lines" in facts:
        return f"{facts['lines']} lines"
    return "one page"


def inspect_document(data: bytes, fmt: str, name: str | None) -> Seen:
    called = f' named "{name}"' if name else ""
    if fmt in ("doc", "xls"):
        return Seen(
            "document",
            fmt,
            {"bytes": len(data)},
            f"{_a(fmt.upper())} document{called} ({len(data):,} bytes) in the legacy binary format, "
            "which the offline model does not read",
            _bytes_tokens(data),
        )
    try:
        text, facts = _document_text(data, fmt)
    except Exception:  # noqa: BLE001 - a damaged or mislabelled file is described, not a server error
        return Seen(
            "document",
            fmt,
            {"bytes": len(data)},
            f"{_a(fmt.upper())} document{called} ({len(data):,} bytes) that could not be read as {fmt}",
            _bytes_tokens(data),
        )
    facts.update(bytes=len(data), beginning=_clip(text))
    units = facts.get("pages") or len(facts.get("sheets", [])) or 1
    phrase = f"{_a(fmt.upper())} document{called} of {_document_extent(facts)}"
    if facts.get("title"):
        phrase += f' titled "{facts["title"]}"'
    phrase += f' that begins "{facts["beginning"]}"' if facts["beginning"] else " with no text"
    return Seen("document", fmt, facts, phrase, max(1, tokens.count(text)) + TOKENS_PER_PAGE * units)


# ---- video -----------------------------------------------------------------------------------------


def _boxes(data, start: int, end: int):
    """(type, payload start, payload end) of the ISO-BMFF boxes between start and end."""
    offset = start
    while offset + 8 <= end:
        size, name = struct.unpack_from(">I4s", data, offset)
        header = 8
        if size == 1 and offset + 16 <= end:
            size, header = struct.unpack_from(">Q", data, offset + 8)[0], 16
        elif size == 0:
            size = end - offset
        if size < header:
            return
        yield name.decode("latin-1"), offset + header, min(offset + size, end)
        offset += size


def mp4_header(data) -> dict | None:
    """Duration (s) and the video track's width x height from an MP4/MOV `moov` box, or None."""
    view = memoryview(data)
    for name, start, end in _boxes(view, 0, len(view)):
        if name != "moov":
            continue
        facts: dict = {}
        for inner, s, e in _boxes(view, start, end):
            if inner == "mvhd":
                version = view[s]
                timescale, duration = (
                    struct.unpack_from(">IQ", view, s + 20) if version == 1 else struct.unpack_from(">II", view, s + 12)
                )
                if timescale:
                    facts["duration"] = duration / timescale
            elif inner == "trak":
                for leaf, ls, _end in _boxes(view, s, e):
                    if leaf == "tkhd":
                        base = ls + (88 if view[ls] == 1 else 76)
                        width, height = struct.unpack_from(">II", view, base)
                        if width and height and "width" not in facts:
                            facts["width"], facts["height"] = width >> 16, height >> 16
        return facts or None
    return None


CONTAINERS = {
    "mp4": "MP4",
    "mov": "QuickTime (MOV)",
    "three_gp": "3GP",
    "webm": "WebM",
    "mkv": "Matroska (MKV)",
    "flv": "Flash Video (FLV)",
    "mpeg": "MPEG program stream",
    "mpg": "MPEG program stream",
    "wmv": "Windows Media (ASF)",
}


def inspect_video(data: bytes, fmt: str) -> Seen:
    actual = sniff(data) or fmt
    container = CONTAINERS.get(actual, actual.upper())
    header = None
    if actual in ("mp4", "mov", "three_gp"):
        try:
            header = mp4_header(data)
        except (struct.error, IndexError, ValueError):  # a box cut short: described, not a server error
            header = None
    if not header or "duration" not in header:
        reason = (
            "its header could not be read"
            if actual in ("mp4", "mov", "three_gp")
            else "the offline model reads only MP4 and MOV headers"
        )
        return Seen(
            "video",
            actual,
            {"container": container, "bytes": len(data)},
            f"a video ({container} container, {len(data):,} bytes) whose duration and resolution are "
            f"unknown because {reason}",
            _bytes_tokens(data),
        )
    seconds = header["duration"]
    size = f", {header['width']} x {header['height']} pixels" if "width" in header else ""
    facts = {
        "container": container,
        "duration": round(seconds, 3),
        **{k: header[k] for k in ("width", "height") if k in header},
        "bytes": len(data),
    }
    length = f"{seconds:.1f}"
    phrase = (
        f"{'an' if length.startswith(('8', '11', '18')) else 'a'} {length}-second video ({container} container{size})"
    )
    return Seen(
        "video", actual, facts, phrase, max(VIDEO_TOKENS_PER_SECOND, math.ceil(seconds) * VIDEO_TOKENS_PER_SECOND)
    )


# ---- any block -------------------------------------------------------------------------------------


def _measure(kind_name: str, fmt: str, name: str | None, data: bytes) -> Seen:
    if kind_name == "image":
        return inspect_image(data, fmt)
    if kind_name == "document":
        return inspect_document(data, fmt, name)
    if kind_name == "video":
        return inspect_video(data, fmt)
    return Seen(kind_name, fmt, {"bytes": len(data)}, f"a {kind_name} block ({len(data):,} bytes)", _bytes_tokens(data))


# pypdf logs what it repairs in damaged files; without this, Python's last-resort handler would print
# it into a notebook's stderr. An application that configures logging still sees it.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

_cache: dict[tuple, Seen] = {}
_cache_lock = threading.Lock()  # the server answers on several threads
CACHE_SIZE = 64


def inspect(block: dict) -> Seen:
    """What a media block is. Results are remembered by content digest (not by the bytes, which may be
    large), since a conversation resends its earlier attachments with every turn."""
    name = kind(block)
    body = block[name] if isinstance(block[name], dict) else {}
    fmt = str(body.get("format", "?"))
    source = _source(block)
    data = source.get("bytes")
    if isinstance(data, (bytes, bytearray)):
        key = (name, fmt, str(body.get("name")), hashlib.blake2b(data, digest_size=16).digest())
        seen = _cache.get(key)
        if seen is None:
            seen = _measure(name, fmt, body.get("name"), bytes(data) if isinstance(data, bytearray) else data)
            with _cache_lock:
                if len(_cache) >= CACHE_SIZE:
                    _cache.pop(next(iter(_cache)))
                _cache[key] = seen
        return seen
    if "s3Location" in source:
        location = source["s3Location"]
        uri = location.get("uri", "S3") if isinstance(location, dict) else "S3"
        cost = S3_VIDEO_SECONDS * VIDEO_TOKENS_PER_SECOND if name == "video" else 1
        return Seen(
            name,
            fmt,
            {"uri": uri},
            f"{_a(fmt.upper())} {name} stored in Amazon S3 at {uri}, which the "
            "offline model cannot fetch, so it has not seen its content",
            cost,
        )
    return Seen(name, fmt, {}, f"a {name} block", 1)


def media_tokens(block: dict) -> int:
    """Tokens an attachment costs, by the rule in this module's docstring."""
    return inspect(block).tokens


def describe(block: dict) -> str:
    """One phrase about an attachment, e.g. 'a PNG image of 640 x 400 pixels whose main colours are ...'."""
    return inspect(block).phrase

"""What the offline model sees in non-text blocks, and what they cost in tokens.

Descriptions must be truthful and deterministic: they are read from the bytes themselves.
"""
from __future__ import annotations

BYTES_PER_TOKEN = 750  # documented fallback rule for media the emulator cannot measure


def kind(block: dict) -> str:
    return next(iter(block))


def media_tokens(block: dict) -> int:
    """Tokens an attachment costs: one token per 750 bytes of payload, at least 1."""
    body = block[kind(block)]
    data = (body.get("source") or {}).get("bytes") if isinstance(body, dict) else None
    return max(1, len(data) // BYTES_PER_TOKEN) if data else 1


def describe(block: dict) -> str:
    """One sentence about an attachment, e.g. 'an image (png, 12,345 bytes)'."""
    name = kind(block)
    body = block[name]
    fmt = body.get("format", "?") if isinstance(body, dict) else "?"
    source = (body.get("source") or {}) if isinstance(body, dict) else {}
    if "bytes" in source:
        return f"a {name} ({fmt}, {len(source['bytes']):,} bytes)"
    if "s3Location" in source:
        return f"a {name} ({fmt}, from {source['s3Location'].get('uri', 'S3')})"
    return f"a {name} block"

"""The `application/vnd.amazon.eventstream` frame encoder (botocore only ships the decoder).

A frame is, big-endian:

    uint32 total length | uint32 headers length | uint32 CRC32 of those 8 bytes (the prelude)
    headers | payload | uint32 CRC32 of every byte before it

and each header is `uint8 name length, name, uint8 type, value`. Bedrock only sends string
headers; booleans, integers and byte arrays are encoded too so tests can exercise the format.
"""

from __future__ import annotations

import functools
import json
import struct
import zlib

PRELUDE = struct.Struct(">II")
CRC = struct.Struct(">I")
PRELUDE_LENGTH = PRELUDE.size + CRC.size  # 12
MAX_HEADERS_LENGTH = 128 * 1024  # the decoders' limits (botocore, the JS and Rust SDKs)
MAX_PAYLOAD_LENGTH = 16 * 1024 * 1024

TRUE, FALSE, BYTE, SHORT, INTEGER, LONG, BYTES, STRING = range(8)

# Padding Bedrock adds to payloads so their length does not reveal the token; clients ignore it.
PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0"
_PADDING = PADDING.encode("ascii")


def _header(name: str, value) -> bytes:
    raw_name = name.encode("utf-8")
    if not 0 < len(raw_name) < 256:
        raise ValueError(f"Header name {name!r} must be 1 to 255 bytes long.")
    head = bytes([len(raw_name)]) + raw_name
    if isinstance(value, bool):
        return head + bytes([TRUE if value else FALSE])
    if isinstance(value, int):
        if -(2**31) <= value < 2**31:
            return head + struct.pack(">Bi", INTEGER, value)
        return head + struct.pack(">Bq", LONG, value)
    kind, raw = (BYTES, bytes(value)) if isinstance(value, (bytes, bytearray)) else (STRING, str(value).encode("utf-8"))
    if len(raw) > 0xFFFF:
        raise ValueError(f"Header {name!r} is longer than 65535 bytes.")
    return head + struct.pack(">BH", kind, len(raw)) + raw


def encode_headers(headers: dict) -> bytes:
    """The header block of a frame, in the mapping's order."""
    block = b"".join(_header(name, value) for name, value in headers.items())
    if len(block) > MAX_HEADERS_LENGTH:
        raise ValueError("Event-stream headers are longer than 128 KiB.")
    return block


def frame(headers: bytes | dict, payload: bytes) -> bytes:
    """One complete frame; `headers` is a mapping or an already-encoded header block."""
    block = headers if isinstance(headers, bytes) else encode_headers(headers)
    if len(payload) > MAX_PAYLOAD_LENGTH:
        raise ValueError("Event-stream payloads are limited to 16 MiB.")
    total = PRELUDE_LENGTH + len(block) + len(payload) + CRC.size
    prelude = PRELUDE.pack(total, len(block))
    prelude_crc = zlib.crc32(prelude)
    head = prelude + CRC.pack(prelude_crc)
    message_crc = zlib.crc32(payload, zlib.crc32(block, zlib.crc32(head)))
    return b"".join((head, block, payload, CRC.pack(message_crc)))


@functools.lru_cache(maxsize=64)
def event_headers(event_type: str) -> bytes:
    """Headers Bedrock puts on every event (cached: a stream reuses a handful of event types)."""
    return encode_headers({":event-type": event_type, ":content-type": "application/json", ":message-type": "event"})


@functools.lru_cache(maxsize=16)
def exception_headers(exception_type: str) -> bytes:
    return encode_headers(
        {":exception-type": exception_type, ":content-type": "application/json", ":message-type": "exception"}
    )


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # built once: streams encode thousands


def _json(payload: dict) -> bytes:
    return _ENCODER.encode(payload).encode("utf-8")


def padded_json(payload: dict, pad_to: int = 32) -> bytes:
    """The payload as JSON with Bedrock's `p` field last, sized so lengths grow in steps of `pad_to`."""
    data = _json(payload)
    separator = b"," if len(data) > 2 else b""
    fill = min(len(PADDING), pad_to - (len(data) + len(separator) + len(b'"p":""')) % pad_to)
    return data[:-1] + separator + b'"p":"' + _PADDING[:fill] + b'"}'


def event_frame(event_type: str, payload: dict, pad: bool = True) -> bytes:
    """A `:message-type event` frame with a JSON payload, padded as Bedrock pads its events."""
    return frame(event_headers(event_type), padded_json(payload) if pad else _json(payload))


def exception_frame(exception_type: str, payload: dict) -> bytes:
    """An error inside a stream: `:message-type exception`, payload `{"message": ...}`."""
    return frame(exception_headers(exception_type), _json(payload))

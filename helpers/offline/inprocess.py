"""In-process transport: a `before-send` hook on a botocore client hands the fully serialised and
signed HTTP request to the emulator and returns its HTTP response, so nothing but the socket is
skipped — botocore's serializer, signer, parser, retries and event-stream decoder all run."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from botocore.awsrequest import AWSResponse

from .emulator import Emulator
from .fault_plan import FaultPlan
from .wire import Request

ATTACHED = "_workbook_offline"


class RawBody:
    """The file-like `raw` botocore reads: `stream()` for event streams, `read()` for blobs."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = iter(chunks)
        self._buffer = b""

    def stream(self, amt: int = 1024, decode_content: bool = True) -> Iterator[bytes]:
        if self._buffer:
            yield self._buffer
            self._buffer = b""
        yield from self._chunks

    def read(self, amt: int | None = None) -> bytes:
        if amt is None:
            data, self._buffer = self._buffer + b"".join(self._chunks), b""
            return data
        while len(self._buffer) < amt:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        data, self._buffer = self._buffer[:amt], self._buffer[amt:]
        return data

    def close(self) -> None:
        self._chunks = iter(())


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class BotocoreHeaders:
    """Read-through view of botocore's case-insensitive request headers, decoding on access:
    copying every header up front cost more than the emulator's own work on a small request. It is
    the read-only part of wire.Headers (get, [], in, iteration, items, keys), not a dict: building
    an empty dict per request was measurable too."""

    __slots__ = ("_source",)

    def __init__(self, source):
        self._source = source

    def __getitem__(self, key):
        return _text(self._source[key])

    def get(self, key, default=None):
        value = self._source.get(key)
        return default if value is None else _text(value)

    def __contains__(self, key):
        return key in self._source

    def __iter__(self):
        return iter(self._source)

    def __len__(self):
        return len(self._source)

    def items(self):
        return [(_text(k), _text(v)) for k, v in self._source.items()]

    def keys(self):
        return [_text(k) for k in self._source]


def _body(body) -> bytes:
    if body is None:
        return b""
    if hasattr(body, "read"):
        return body.read()
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


def _send(emulator: Emulator, plan: FaultPlan, request, **_):
    incoming = Request(
        method=request.method,
        url=request.url,
        headers=BotocoreHeaders(request.headers),
        body=_body(request.body),
    )
    answer = emulator.handle(incoming, plan)
    return AWSResponse(request.url, answer.status, answer.headers, RawBody(answer.chunks()))


@functools.lru_cache(maxsize=1)
def shared_emulator() -> Emulator:
    """The emulator every offline client shares by default (so IAM set-up and access rules apply to all)."""
    return Emulator()


def attach(client, emulator: Emulator | None = None) -> FaultPlan:
    """Answer every request of `client` from the emulator; returns the client's own fault plan."""
    if hasattr(client, ATTACHED):
        return getattr(client, ATTACHED)[1]
    emulator = emulator or shared_emulator()
    plan = FaultPlan()
    client.meta.events.register_first("before-send", functools.partial(_send, emulator, plan))
    setattr(client, ATTACHED, (emulator, plan))
    return plan


def faults(client) -> FaultPlan:
    """The fault plan of an offline client: `faults(client).fail_next(2, "ThrottlingException")`."""
    if not hasattr(client, ATTACHED):
        raise ValueError("This client is not connected to the offline emulator (is BEDROCK_MODE=live?).")
    return getattr(client, ATTACHED)[1]


def emulator_of(client) -> Emulator:
    if not hasattr(client, ATTACHED):
        raise ValueError("This client is not connected to the offline emulator (is BEDROCK_MODE=live?).")
    return getattr(client, ATTACHED)[0]

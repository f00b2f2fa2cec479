"""HTTP in, HTTP out: requests, responses, routing and Bedrock's error serialisation.

Both transports (the in-process botocore hook and the standalone server) hand the emulator a
`Request` exactly as it came off the wire and send back the `Response` bytes unchanged, so boto3's
real serializer, parser, retry handler and event-stream decoder run on every call.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

import orjson

from .errors import BedrockError

MAX_BODY_BYTES = 200 * 1024 * 1024  # far above any legal request (25 MB video, base64) yet bounded
MAX_JSON_DEPTH = 64  # nesting of objects and arrays; Bedrock's own shapes need fewer than 12 levels
MSG_BODY_TOO_LARGE = "The request body is larger than the service accepts."  # emulator wording
MSG_TOO_DEEP = "The request body is nested too deeply to be processed."  # emulator wording
MSG_INTERNAL = "The server encountered an internal error."
ERROR_TYPE_SUFFIX = ":http://internal.amazon.com/coral/com.amazon.bedrock/"
# SigV4's credential scope, Credential=AKID/20261130/us-east-1/bedrock/aws4_request; the parts after the
# key are optional, so a scope cut short still names who signed it (and where, if it gets that far).
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/(?:(\d{8})/([a-z0-9-]+)/(?:([a-z0-9-]+)/aws4_request)?)?")


class lazy:  # noqa: N801 - used as a decorator, like functools.cached_property
    """functools.cached_property without the lock Python 3.11 takes on every first access (3.12
    dropped it): values computed this way are pure, so two threads computing one at once is harmless,
    and the lock cost more than computing a request's path."""

    def __init__(self, func):
        self.func, self.name, self.__doc__ = func, func.__name__, func.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


class Headers(dict):
    """Case-insensitive header mapping (keys stored lower-case)."""

    def __init__(self, items=()):
        super().__init__()
        for key, value in dict(items).items():
            self[key] = value

    def __setitem__(self, key, value):
        super().__setitem__(key.lower(), value)

    def __getitem__(self, key):
        return super().__getitem__(key.lower())

    def get(self, key, default=None):
        return super().get(key.lower(), default)

    def __contains__(self, key):
        return super().__contains__(key.lower())


@dataclass
class Request:
    method: str
    url: str
    headers: Headers
    body: bytes = b""

    @lazy
    def path(self) -> str:
        return urlsplit(self.url).path

    @lazy
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.url).query, keep_blank_values=True)

    def query_value(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    @lazy
    def credential_scope(self) -> tuple[str | None, ...]:
        """(access key, date, Region, service) from the SigV4 Authorization header, read once: who
        signed the request, where and for which service; a part the header lacks is None."""
        found = _CREDENTIAL.search(self.headers.get("authorization", ""))
        return found.groups() if found else (None, None, None, None)

    @property
    def access_key(self) -> str | None:
        """The access key id from the SigV4 Authorization header (who signed this request)."""
        return self.credential_scope[0]

    @property
    def signed_region(self) -> str | None:
        return self.credential_scope[2]

    def request_id(self) -> str:
        """Deterministic per request content, so stored outputs do not change between runs."""
        return self._request_id

    @lazy
    def _request_id(self) -> str:  # asked for by the rendering and by every response's headers
        """A UUID from a digest of what the request holds. BLAKE2 is CPython's own code: SHA-256 goes
        through OpenSSL 3, whose set-up per digest cost more than hashing a small body."""
        digest = hashlib.blake2b(self.method.encode() + b" " + self.path.encode() + b"\n", digest_size=16)
        digest.update(self.body)
        return uuid4_text(digest.hexdigest())


def is_ip_address(text: str) -> bool:
    """Whether the text is an IPv4 or IPv6 address: a Host the server accepts, a PII type guardrails find."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def uuid4_text(hex_digits: str) -> str:
    """`str(uuid.UUID(hex=hex_digits[:32], version=4))`, written out: the version nibble and the RFC 4122
    variant bits set on the digest's digits. Every response carries one, and building a UUID object
    cost more than hashing the whole request."""
    h = hex_digits[:32].lower()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


# A hex digit's two low bits under the RFC 4122 variant: 0, 4, 8, c -> 8; 1, 5, 9, d -> 9; ...
_VARIANT = dict(zip("0123456789abcdef", "89ab" * 4))


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes | Iterable[bytes] = b""

    @property
    def streamed(self) -> bool:
        return not isinstance(self.body, (bytes, bytearray))

    def chunks(self) -> Iterator[bytes]:
        if self.streamed:
            yield from self.body
        elif self.body:
            yield bytes(self.body)


def json_bytes(payload) -> bytes:
    """UTF-8 JSON as Bedrock sends it (compact, characters unescaped). orjson writes it several times
    faster than the standard library, which every response pays for; what orjson refuses (a lone
    surrogate that slipped past the parser, an integer beyond 64 bits) goes the standard way, and
    text that cannot be UTF-8 is written as a JSON escape instead of failing the response."""
    try:
        return orjson.dumps(payload)
    except TypeError:  # orjson.JSONEncodeError
        pass
    try:
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(payload, separators=(",", ":")).encode("ascii")


def json_response(payload, request: Request, status: int = 200, headers: dict | None = None) -> Response:
    body = json_bytes(payload)
    base = {
        "Content-Type": "application/json",
        "Content-Length": str(len(body)),
        "x-amzn-RequestId": request.request_id(),
    }
    base.update(headers or {})
    return Response(status, base, body)


def error_response(error: BedrockError, request: Request) -> Response:
    return json_response(
        {"message": error.message},
        request,
        status=error.status,
        headers={"x-amzn-ErrorType": error.code + ERROR_TYPE_SUFFIX},
    )


# A request whose own request id cannot be computed still gets an answer: these bytes need nothing.
LAST_RESORT = Response(
    500,
    {
        "Content-Type": "application/json",
        "Content-Length": str(len(json_bytes({"message": MSG_INTERNAL}))),
        "x-amzn-ErrorType": "InternalServerException" + ERROR_TYPE_SUFFIX,
    },
    json_bytes({"message": MSG_INTERNAL}),
)

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
_OPEN_CLOSE = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def nested_deeper_than(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text nests objects and arrays more than `limit` deep, found without parsing:
    bodies with few brackets (most, even a 25 MB base64 video) are cleared by counting alone."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS).translate(_OPEN_CLOSE)
    reached = 0
    for start in range(0, len(brackets), 65536):
        steps = memoryview(brackets[start : start + 65536]).cast("b")
        for reached in itertools.accumulate(steps, initial=reached):  # noqa: B020 - carried to the next slice
            if reached > limit:
                return True
    return False


# orjson reads small bodies several times faster, which every call pays for; but it builds a long
# string through buffers many times its size (a 20 MB inline video, 27 MB of base64, peaked at 347 MB
# against 53 MB for the standard reader, 2026-11-30, orjson 3.13), so large bodies go the standard way.
ORJSON_MAX_BYTES = 1 << 20

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _well_formed(value):
    """`value` with every lone UTF-16 surrogate (valid JSON, not valid Unicode) replaced by U+FFFD,
    as a UTF-8 decoder does with bytes it cannot read; pairs were already joined by the parser."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_well_formed(k): _well_formed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_well_formed(v) for v in value]
    return value


def parse_json_body(body: bytes) -> dict:
    """Decode a JSON request body; any malformed or hostile body becomes a ValidationException.
    Limits come first (size, nesting), so no hostile body costs more than reading it once."""
    if len(body) > MAX_BODY_BYTES:
        raise BedrockError.validation(MSG_BODY_TOO_LARGE)
    if not body or body.isspace():  # no copy of a large body
        return {}
    if nested_deeper_than(body):
        raise BedrockError.validation(MSG_TOO_DEEP)
    if len(body) > ORJSON_MAX_BYTES:
        value = _standard_loads(body)
    else:
        try:
            value = orjson.loads(body)  # the fast reader; what it refuses is read again below, for the message
        except orjson.JSONDecodeError:
            value = _standard_loads(body)
    if not isinstance(value, dict):
        raise BedrockError.validation("The request body must be a JSON object.")
    return _well_formed(value) if _SURROGATE_ESCAPE.search(body) else value


def _standard_loads(body: bytes):
    """The standard library's reading, which accepts what orjson does not (NaN, integers beyond 64
    bits, lone surrogates) and words the error for a body neither can read."""
    try:
        return json.loads(body)
    except RecursionError:
        raise BedrockError.validation(MSG_TOO_DEEP) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BedrockError.validation(f"The request body is not valid JSON: {exc}.") from None


_unquote = functools.lru_cache(maxsize=4096)(unquote)  # a path parameter (a model id) recurs on every call


@dataclass
class Route:
    operation: str
    service: str
    method: str
    pattern: re.Pattern
    handler: Callable
    tail: str = ""  # the literal text the path ends with ("/converse"): checked before the pattern


def _literal_tail(path: str) -> str:
    """What a route's path template ends with after its last group, when that is plain text: a
    request path without it is passed over without running the pattern, whose group would otherwise
    backtrack through a whole model id before failing."""
    tail = path.rsplit(")", 1)[-1]
    return tail if re.fullmatch(r"[\w./-]*", tail) else ""


def _first_segment(path: str) -> str:
    """The first segment of a path ("model" in /model/{id}/converse): what the router indexes on."""
    return path.split("/", 2)[1] if path.startswith("/") else ""


@dataclass
class Router:
    routes: list[Route] = field(default_factory=list)
    # first path segment -> its routes in registration order: a request is matched against the few
    # routes that can match it (5 under /model), not against every route the emulator knows
    by_segment: dict[str, list[Route]] = field(default_factory=dict)

    def add(self, operation: str, service: str, method: str, path: str):
        """Decorator: register `handler(ctx)` for METHOD + path regex (named groups become params).
        The path starts with a literal segment, which the router indexes on."""
        segment = _first_segment(path)
        if not re.fullmatch(r"[\w.-]+", segment):
            raise ValueError(f"route {operation}: {path!r} must start with a literal segment")

        def register(handler):
            route = Route(operation, service, method, re.compile(f"^{path}$"), handler, _literal_tail(path))
            self.routes.append(route)
            self.by_segment.setdefault(segment, []).append(route)
            return handler

        return register

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        candidates = self.by_segment.get(_first_segment(path), ())
        for route in candidates:
            if route.method == method and path.endswith(route.tail):
                found = route.pattern.match(path)
                if found:
                    params = found.groupdict()
                    for name, value in params.items():
                        if "%" in value:  # a model id's ":" arrives as %3A
                            params[name] = _unquote(value)
                    return route, params
        if any(route.pattern.match(path) for route in candidates):
            raise BedrockError("ValidationException", f"Method {method} is not allowed on {path}.", 405)
        raise BedrockError(
            "UnknownOperationException", "The requested operation is not recognized by the service.", 404
        )


ROUTER = Router()

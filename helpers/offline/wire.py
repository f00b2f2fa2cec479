"""HTTP in, HTTP out: requests, responses, routing and Bedrock's error serialisation.

Both transports (the in-process botocore hook and the standalone server) hand the emulator a
`Request` exactly as it came off the wire and send back the `Response` bytes unchanged, so boto3's
real serializer, parser, retry handler and event-stream decoder run on every call.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import BedrockError

MAX_BODY_BYTES = 200 * 1024 * 1024  # far above any legal request (25 MB video, base64) yet bounded
ERROR_TYPE_SUFFIX = ":http://internal.amazon.com/coral/com.amazon.bedrock/"


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

    @functools.cached_property
    def path(self) -> str:
        return urlsplit(self.url).path

    @functools.cached_property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.url).query, keep_blank_values=True)

    def query_value(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    @property
    def access_key(self) -> str | None:
        """The access key id from the SigV4 Authorization header (who signed this request)."""
        match = re.search(r"Credential=([^/,\s]+)/", self.headers.get("authorization", ""))
        return match.group(1) if match else None

    @functools.cached_property
    def signed_region(self) -> str | None:
        match = re.search(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/", self.headers.get("authorization", ""))
        return match.group(1) if match else None

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        digest.update(self.method.encode() + b" " + self.path.encode() + b"\n")
        digest.update(self.body)
        return digest.hexdigest()

    def request_id(self) -> str:
        """Deterministic per request content, so stored outputs do not change between runs."""
        return str(uuid.UUID(bytes=bytes.fromhex(self.fingerprint()[:32]), version=4))


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


def json_response(payload, request: Request, status: int = 200, headers: dict | None = None) -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
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


def parse_json_body(body: bytes) -> dict:
    """Decode a JSON request body; any malformed or hostile body becomes a ValidationException."""
    if len(body) > MAX_BODY_BYTES:
        raise BedrockError.validation("The request body is larger than the service accepts.")
    if not body.strip():
        return {}
    try:
        value = json.loads(body)
    except RecursionError:
        raise BedrockError.validation("The request body is nested too deeply to be processed.") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BedrockError.validation(f"The request body is not valid JSON: {exc}.") from None
    if not isinstance(value, dict):
        raise BedrockError.validation("The request body must be a JSON object.")
    return value


@dataclass
class Route:
    operation: str
    service: str
    method: str
    pattern: re.Pattern
    handler: Callable


@dataclass
class Router:
    routes: list[Route] = field(default_factory=list)

    def add(self, operation: str, service: str, method: str, path: str):
        """Decorator: register `handler(ctx)` for METHOD + path regex (named groups become params)."""

        def register(handler):
            self.routes.append(Route(operation, service, method, re.compile(f"^{path}$"), handler))
            return handler

        return register

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        for route in self.routes:
            if route.method == method:
                found = route.pattern.match(path)
                if found:
                    return route, {k: unquote(v) if "%" in v else v for k, v in found.groupdict().items()}
        if any(route.pattern.match(path) for route in self.routes):
            raise BedrockError("ValidationException", f"Method {method} is not allowed on {path}.", 405)
        raise BedrockError(
            "UnknownOperationException", "The requested operation is not recognized by the service.", 404
        )


ROUTER = Router()

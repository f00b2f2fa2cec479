"""Standalone transport: bedrock-runtime and the bedrock control plane on one local port, for any
client (AWS CLI, the JavaScript SDK, LangChain, plain boto3 with AWS_ENDPOINT_URL_BEDROCK_RUNTIME).

Streams go out with chunked transfer encoding, one event-stream frame per chunk, flushed as it is
produced; clients that open with the HTTP/2 preface (h2c) are served over HTTP/2 (see h2c.py).
Sockets time out, so a stalled client cannot hold a worker forever. With a TLS context (`--tls`, see
tls.py) every connection is HTTPS, the handshake done in the connection's own thread; ALPN offers h2
and http/1.1, and HTTP/2 inside TLS is served by the same h2c code once the client's preface arrives."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import re
import socket
import ssl
import sys
import threading
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import h2c
from .access import INVALID_TOKEN
from .emulator import Emulator
from .errors import BedrockError
from .fault_plan import FaultPlan, FaultPlans
from .wire import (
    MAX_BODY_BYTES,
    MSG_BODY_TOO_LARGE,
    Headers,
    Request,
    Response,
    error_response,
    is_ip_address,
    json_response,
    parse_json_body,
)

CONTROL_PATH = "/_offline/faults"
SOCKET_TIMEOUT = 30
MAX_LINE = 65537  # longest chunk-size line read; http.server caps request and header lines alike
MAX_TRAILERS = 64
MAX_BLANK_LINES = 8
LISTEN_BACKLOG = 128  # a classroom connecting at once is queued, not left to SYN retries
MSG_FRAMING = "The request's Content-Length or chunked transfer encoding is malformed."
MSG_CROSS_SITE = "Faults can only be set from this machine's own tools, not from a web page."
MSG_JSON_ONLY = "Fault requests must be sent as Content-Type: application/json."
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})(?:;[^\r\n]*)?\r\n")
_HOST = re.compile(r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[^:\[\]]+))(?::\d{1,5})?$")
_FAULT_FIELDS = {"error": {"error", "count", "operations"}, "stream_error": {"stream_error", "after", "operations"}}


class Malformed(ValueError):
    """HTTP/1.1 framing this server refuses rather than guesses at (RFC 9112, section 6)."""


class BedrockHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = SOCKET_TIMEOUT
    disable_nagle_algorithm = True  # a streamed frame leaves at once, not when the last one is acked
    wbufsize = 1 << 16  # status line, headers and a JSON body leave in one send; streams flush per frame
    server_version = "BedrockOffline/1.0"

    def version_string(self) -> str:
        return self.server_version  # http.server would append the Python version

    def handle(self):
        """HTTP/1.1 as http.server speaks it, or HTTP/2 when the client opens with the h2c preface
        (the AWS SDK for JavaScript v3 does, by default)."""
        if isinstance(self.connection, ssl.SSLSocket):
            try:
                self.connection.do_handshake()
            except (OSError, ssl.SSLError):  # a plain-HTTP client, an untrusting one, or a port scan
                self.close_connection = True
                return
        try:
            first = self.rfile.peek(len(h2c.PREFACE_START))[: len(h2c.PREFACE_START)]
        except (TimeoutError, ConnectionError):
            return
        if h2c.is_preface(first):
            return h2c.serve(self.connection, self.rfile, self.server.answer)
        super().handle()

    def parse_request(self) -> bool:
        """Empty lines before the request line are skipped (RFC 9112, 2.2) instead of ending the
        connection without an answer, as http.server would."""
        for _ in range(MAX_BLANK_LINES):
            if self.raw_requestline.strip():
                return super().parse_request()
            self.raw_requestline = self.rfile.readline(MAX_LINE)
            if not self.raw_requestline:  # the client left: nothing was asked
                self.close_connection = True
                return False
        self.send_error(400, "Bad request syntax: no request line.")
        return False

    def log_message(self, fmt, *args):  # quiet unless asked
        if self.server.verbose:
            super().log_message(fmt, *args)

    def _framing(self) -> tuple[int | None, bool]:
        """(Content-Length, chunked) of the request, refusing anything ambiguous: several different
        lengths, a coding other than `chunked`, or both headers at once (request smuggling)."""
        codings = ",".join(self.headers.get_all("Transfer-Encoding") or [])
        lengths = {value.strip() for value in self.headers.get_all("Content-Length") or []}
        if codings:
            if codings.strip().lower() != "chunked" or lengths:
                raise Malformed(codings)
            return None, True
        if not lengths:
            return 0, False
        if len(lengths) > 1 or not all(value.isdigit() and value.isascii() for value in lengths):
            raise Malformed(lengths)
        return int(lengths.pop()), False

    def _read_chunked(self) -> bytes:
        parts, total = [], 0
        while True:
            found = _CHUNK_SIZE.fullmatch(self.rfile.readline(MAX_LINE))
            if not found:
                raise Malformed("chunk size line")
            size = int(found.group(1), 16)
            if size == 0:
                break
            total += size
            if total > MAX_BODY_BYTES:
                raise BedrockError.validation(MSG_BODY_TOO_LARGE)
            part = self.rfile.read(size)
            if len(part) < size or self.rfile.read(2) != b"\r\n":
                raise Malformed("chunk cut short")
            parts.append(part)
        for _ in range(MAX_TRAILERS):  # trailer fields, then the empty line
            line = self.rfile.readline(MAX_LINE)
            if line in (b"\r\n", b"\n"):
                return b"".join(parts)
            if not line.endswith(b"\n"):
                raise Malformed("trailer cut short")
        raise Malformed("too many trailer fields")

    def _read_body(self) -> bytes:
        length, chunked = self._framing()
        if chunked:
            return self._read_chunked()
        if length > MAX_BODY_BYTES:
            raise BedrockError.validation(MSG_BODY_TOO_LARGE)
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            raise Malformed("the client closed the connection before sending the whole body")
        return body

    def _serve(self):
        # Neither the Host header nor an odd request target may break URL parsing: only the path counts.
        url = "http://localhost/" + self.path.lstrip("/")
        # http.server's header message is already case-insensitive (get, [], in, items): used as is.
        request = Request(self.command, url, self.headers)
        try:
            request.body = self._read_body()
        except TimeoutError:  # the client announced more body than it sent
            error = BedrockError("RequestTimeoutException", "Timed out waiting for the rest of the request body.", 408)
            self.close_connection = True
            return self._write(error_response(error, request))
        except (BedrockError, ValueError) as exc:
            error = exc if isinstance(exc, BedrockError) else BedrockError.validation(MSG_FRAMING)
            self.close_connection = True  # the rest of the connection cannot be trusted to be a request
            return self._write(error_response(error, request))
        self._write(self.server.answer(request))

    def _write(self, response):
        self.send_response(response.status)
        streamed = response.streamed
        for key, value in response.headers.items():
            if not (streamed and key.lower() == "content-length"):
                self.send_header(key, _header_value(value))
        if streamed:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if not streamed:
            self.wfile.write(response.body)
            self.wfile.flush()
            return
        try:
            for chunk in response.chunks():
                if chunk:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the client stopped reading mid-stream
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def send_error(self, code, message=None, explain=None):
        """Protocol-level refusals (unknown method, bad request line, oversized headers) in
        Bedrock's error format too, instead of http.server's HTML page."""
        command = getattr(self, "command", None) or "GET"
        self.request_version = self.protocol_version  # an HTTP/0.9-looking line still gets a status line
        if code == 501:  # a method no route knows, e.g. PATCH
            code, message = 405, f"Method {command} is not allowed on {urlsplit(self.path).path}."
        error = BedrockError("ValidationException", message or HTTPStatus(code).phrase, code)
        self.close_connection = True
        self._write(error_response(error, Request(command, "http://localhost/", Headers())))


def _header_value(value) -> str:
    """A header value http.server can write (Latin-1, one line), whatever text it came from."""
    text = str(value)
    if text.isascii() and "\r" not in text and "\n" not in text:
        return text
    return text.replace("\r", " ").replace("\n", " ").encode("latin-1", "replace").decode("latin-1")


_NO_FAULTS = FaultPlan()  # never armed: what callers without a plan of their own get


class BedrockServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(
        self,
        host: str,
        port: int,
        emulator: Emulator | None = None,
        verbose: bool = False,
        learner_keys: Iterable[str] | None = None,
        tls: ssl.SSLContext | None = None,
    ):
        if ":" in host:  # an IPv6 address such as ::1
            self.address_family = socket.AF_INET6
        self.tls = tls
        super().__init__((host, port), BedrockHandler)
        self.emulator = emulator or Emulator()
        self.fault_plans = FaultPlans()
        self.learner_keys = frozenset(learner_keys) if learner_keys else None
        self.verbose = verbose

    def get_request(self):
        connection, address = super().get_request()
        if self.tls is not None:  # the handshake waits for the connection's own thread (handle)
            connection = self.tls.wrap_socket(connection, server_side=True, do_handshake_on_connect=False)
        return connection, address

    def answer(self, request: Request) -> Response:
        """Every request of both protocols: the emulator answers, with the caller's own fault plan."""
        plan = self.fault_plans.get(request.access_key)
        return self.emulator.handle(request, plan or _NO_FAULTS, gate=self._gate)

    def _gate(self, request: Request) -> Response | None:
        if self.learner_keys is not None and request.access_key not in self.learner_keys:
            raise BedrockError("UnrecognizedClientException", INVALID_TOKEN)
        if request.path == CONTROL_PATH:
            return self.control(request)
        return None

    def control(self, request: Request) -> Response:
        """The caller's fault plan: POST {"error": ..., "count": N, "operations": [...]} or
        {"stream_error": ..., "after": N, "operations": [...]}; DELETE clears; GET reads. Scoped to
        the access key id that signs the request; refused from web pages (see `_same_machine`)."""
        _same_machine(request, self.scheme)
        if request.method not in ("GET", "POST", "DELETE"):
            raise BedrockError("ValidationException", f"Method {request.method} is not allowed on {CONTROL_PATH}.", 405)
        plan = self.fault_plans.of(request.access_key)
        if request.method == "DELETE":
            plan.clear()
        elif request.method == "POST":
            _arm(plan, _fault_spec(request))
        return json_response({"pending": plan.pending}, request)

    def handle_error(self, request, client_address):
        """A client hanging up mid-answer is routine, not a server error worth a traceback."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    @property
    def scheme(self) -> str:
        return "https" if self.tls is not None else "http"

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"{self.scheme}://[{host}]:{port}" if ":" in host else f"{self.scheme}://{host}:{port}"


def _same_machine(request: Request, scheme: str = "http") -> None:
    """Refuse what a web page could send: a browser names a foreign site in `Origin`, and a DNS
    rebinding attack names its own domain in `Host`. Tools (curl, boto3) send neither."""
    host = request.headers.get("host") or ""
    found = _HOST.match(host.strip())
    name = found and (found.group("v6") or found.group("name"))
    if not name or not (name == "localhost" or is_ip_address(name)):
        raise BedrockError("AccessDeniedException", MSG_CROSS_SITE)
    origin = request.headers.get("origin")
    if origin is not None and origin.rstrip("/") != f"{scheme}://{host.strip()}":
        raise BedrockError("AccessDeniedException", MSG_CROSS_SITE)


def _fault_spec(request: Request) -> dict:
    """The POSTed fault, JSON only and field by field (cross-site `text/plain` forms are refused)."""
    media_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise BedrockError("UnsupportedMediaTypeException", MSG_JSON_ONLY, 415)
    spec = parse_json_body(request.body)
    kind = "stream_error" if "stream_error" in spec else "error"
    unknown = sorted(set(spec) - _FAULT_FIELDS[kind])
    if unknown:
        allowed = ", ".join(sorted(_FAULT_FIELDS[kind]))
        raise BedrockError.validation(f"Unknown field {unknown[0]!r} in a fault request; allowed: {allowed}.")
    return spec


def _arm(plan: FaultPlan, spec: dict) -> None:
    try:
        if "stream_error" in spec:
            plan.fail_stream(spec.get("after", 3), spec["stream_error"], spec.get("operations"))
        else:
            plan.fail_next(spec.get("count", 1), spec.get("error", "ThrottlingException"), spec.get("operations"))
    except ValueError as exc:
        raise BedrockError.validation(str(exc)) from None


def arm_faults(url: str, spec: dict | None, access_key: str, secret_key: str = "offline", method: str = "POST") -> dict:
    """Set (POST), clear (DELETE) or read (GET) your fault plan on a running server, signed with SigV4
    like any AWS call so the server knows whose plan it is; returns {"pending": N}.
    `curl --aws-sigv4 "aws:amz:us-east-1:bedrock" --user KEY:SECRET -H "Content-Type: application/json"`
    does the same from a shell."""
    import urllib.request

    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    body = json.dumps(spec).encode() if spec is not None else b""
    request = AWSRequest(
        method, url.rstrip("/") + CONTROL_PATH, data=body, headers={"Content-Type": "application/json"}
    )
    SigV4Auth(Credentials(access_key, secret_key), "bedrock", "us-east-1").add_auth(request)
    sent = urllib.request.Request(request.url, data=body or None, headers=dict(request.headers.items()), method=method)
    with urllib.request.urlopen(sent, timeout=30) as answer:
        return json.loads(answer.read())


def check_host(host: str, allow_remote: bool) -> str:
    """Loopback only unless the caller explicitly allows other interfaces."""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback and not allow_remote:
        raise ValueError(
            f"Refusing to listen on {host}: the emulator accepts any credentials. "
            "Pass --allow-remote to expose it beyond this machine."
        )
    return host


@contextlib.contextmanager
def running(port: int = 0, host: str = "127.0.0.1", emulator: Emulator | None = None, learner_keys=None, tls=None):
    """Serve in a background thread for the duration of a `with` block; yields the server."""
    server = BedrockServer(check_host(host, False), port, emulator, learner_keys=learner_keys, tls=tls)
    # A short poll interval lets the `with` block end promptly (shutdown waits for the next poll).
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="bedrock-offline", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

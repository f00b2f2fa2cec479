"""Standalone transport: bedrock-runtime and the bedrock control plane on one local port, for any
client (AWS CLI, the JavaScript SDK, LangChain, plain boto3 with AWS_ENDPOINT_URL_BEDROCK_RUNTIME).

Streams go out with chunked transfer encoding, one event-stream frame per chunk, flushed as it is
produced; clients that open with the HTTP/2 preface (h2c) are served over HTTP/2 (see h2c.py).
Sockets time out, so a stalled client cannot hold a worker forever."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import h2c
from .emulator import Emulator
from .errors import BedrockError
from .fault_plan import FaultPlan
from .wire import MAX_BODY_BYTES, Headers, Request, error_response, json_response

CONTROL_PATH = "/_offline/faults"
SOCKET_TIMEOUT = 30
MAX_LINE = 65537  # longest chunk-size line read; http.server caps request and header lines alike


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
        try:
            first = self.rfile.peek(len(h2c.PREFACE_START))[: len(h2c.PREFACE_START)]
        except (TimeoutError, ConnectionError):
            return
        if h2c.is_preface(first):
            return h2c.serve(self.connection, self.rfile, self._answer_h2)
        super().handle()

    def _answer_h2(self, request: Request):
        return self.server.emulator.handle(request, self.server.faults)

    def log_message(self, fmt, *args):  # quiet unless asked
        if self.server.verbose:
            super().log_message(fmt, *args)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts, total = [], 0
            while True:
                size = int(self.rfile.readline(MAX_LINE).split(b";")[0].strip() or b"0", 16)
                if size < 0:
                    raise ValueError("negative chunk size")
                if size == 0:
                    self.rfile.readline()
                    return b"".join(parts)
                total += size
                if total > MAX_BODY_BYTES:
                    raise BedrockError.validation("The request body is larger than the service accepts.")
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError("negative Content-Length")
        if length > MAX_BODY_BYTES:
            raise BedrockError.validation("The request body is larger than the service accepts.")
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            raise ValueError("the client closed the connection before sending the whole body")
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
            message = "The request's Content-Length or chunked transfer encoding is malformed."
            error = exc if isinstance(exc, BedrockError) else BedrockError.validation(message)
            self.close_connection = True
            return self._write(error_response(error, request))
        if request.path == CONTROL_PATH:
            return self._write(self._control(request))
        self._write(self.server.emulator.handle(request, self.server.faults))

    def _control(self, request: Request):
        """Fault injection for the whole server: POST {"error": ..., "count": N} or
        {"stream_error": ..., "after": N} (a stream broken after N events); DELETE clears."""
        try:
            if self.command == "DELETE":
                self.server.faults.clear()
            elif self.command == "POST":
                spec = json.loads(request.body or b"{}")
                if "stream_error" in spec:  # {"stream_error": "throttlingException", "after": N}
                    self.server.faults.fail_stream(spec.get("after", 3), spec["stream_error"], spec.get("operations"))
                else:
                    self.server.faults.fail_next(
                        int(spec.get("count", 1)), spec.get("error", "ThrottlingException"), spec.get("operations")
                    )
            return json_response({"pending": self.server.faults.pending}, request)
        except (ValueError, TypeError, AttributeError) as exc:
            return error_response(BedrockError.validation(str(exc)), request)

    def _write(self, response):
        self.send_response(response.status)
        streamed = response.streamed
        for key, value in response.headers.items():
            if not (streamed and key.lower() == "content-length"):
                self.send_header(key, value)
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
        if code == 501:  # a method no route knows, e.g. PATCH
            code, message = 405, f"Method {command} is not allowed on {urlsplit(self.path).path}."
        error = BedrockError("ValidationException", message or HTTPStatus(code).phrase, code)
        self.close_connection = True
        self._write(error_response(error, Request(command, "http://localhost/", Headers())))


class BedrockServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, port: int, emulator: Emulator | None = None, verbose: bool = False):
        super().__init__((host, port), BedrockHandler)
        self.emulator = emulator or Emulator()
        self.faults = FaultPlan()
        self.verbose = verbose

    def handle_error(self, request, client_address):
        """A client hanging up mid-answer is routine, not a server error worth a traceback."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


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
def running(port: int = 0, host: str = "127.0.0.1", emulator: Emulator | None = None):
    """Serve in a background thread for the duration of a `with` block; yields the server."""
    server = BedrockServer(check_host(host, False), port, emulator)
    # A short poll interval lets the `with` block end promptly (shutdown waits for the next poll).
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="bedrock-offline", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

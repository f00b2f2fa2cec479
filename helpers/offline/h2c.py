"""HTTP/2 over cleartext (h2c with prior knowledge) for the standalone server.

The AWS SDK for JavaScript v3 talks HTTP/2 to bedrock-runtime by default; given an `http://`
endpoint it opens the connection with the HTTP/2 preface instead of an HTTP/1.1 request line. Such a
connection is served here with the `h2` library, through the same `Emulator.handle` as HTTP/1.1,
one request at a time, with event-stream frames sent as DATA frames the moment they exist. Request
bodies are held to the same limit as over HTTP/1.1, checked as the bytes arrive.
"""

from __future__ import annotations

import socket
from collections import deque
from collections.abc import Callable

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.exceptions

from .errors import BedrockError
from .wire import MAX_BODY_BYTES, MSG_BODY_TOO_LARGE, Headers, Request, Response, error_response

PREFACE_START = b"PRI * HTTP/2.0"
READ_SIZE = 65536
# Hop-by-hop headers have no place in HTTP/2 (RFC 9113, 8.2.2).
CONNECTION_HEADERS = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"}


def is_preface(first_bytes: bytes) -> bool:
    return first_bytes.startswith(PREFACE_START[: len(first_bytes)]) and len(first_bytes) >= 3


class _Closed(Exception):
    """The client went away or reset the stream being answered."""


class Session:
    """One HTTP/2 connection: read requests, answer each through `handle`, respect flow control.
    A stream the client resets is dropped alone (the JavaScript SDK aborts requests that way); a
    connection-level protocol error ends the connection with GOAWAY, as RFC 9113 asks."""

    def __init__(self, sock: socket.socket, reader, handle: Callable[[Request], Response], max_body: int):
        self.sock, self.reader, self.handle, self.max_body = sock, reader, handle, max_body
        # Header names and values stay bytes here and are decoded leniently in `_request`: a header
        # that is not UTF-8 is the client's mistake, not a reason to drop the connection.
        self.connection = h2.connection.H2Connection(
            config=h2.config.H2Configuration(client_side=False, header_encoding=None)
        )
        self.requests: dict[int, dict] = {}
        self.buffered = 0  # request body bytes held for all open streams together
        self.ready: deque[int] = deque()
        self.refused: dict[int, BedrockError] = {}
        self.reset: set[int] = set()

    def run(self) -> None:
        self.connection.initiate_connection()
        self._flush()
        try:
            while True:
                while self.ready:
                    self._answer(self.ready.popleft())
                self._receive()
        except (_Closed, OSError):
            return
        except h2.exceptions.ProtocolError as error:
            self._goaway(getattr(error, "error_code", None) or h2.errors.ErrorCodes.PROTOCOL_ERROR)

    def _goaway(self, code) -> None:
        try:
            self.connection.close_connection(error_code=code)
            self._flush()
        except (OSError, h2.exceptions.ProtocolError):
            pass

    # ---- input --------------------------------------------------------------------------------
    def _receive(self) -> None:
        data = self.reader.read1(READ_SIZE)
        if not data:
            raise _Closed()
        for event in self.connection.receive_data(data):
            self._dispatch(event)
        self._flush()

    def _dispatch(self, event) -> None:
        if isinstance(event, h2.events.RequestReceived):
            self._start(event.stream_id, event.headers)
        elif isinstance(event, h2.events.DataReceived):
            self.connection.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            self._take(event.stream_id, event.data)
        elif isinstance(event, h2.events.StreamEnded) and event.stream_id in self.requests:
            self.ready.append(event.stream_id)
        elif isinstance(event, h2.events.StreamReset):
            self._forget(event.stream_id)
            self.reset.add(event.stream_id)
        elif isinstance(event, h2.events.ConnectionTerminated):
            raise _Closed()

    def _start(self, stream_id: int, headers) -> None:
        declared = next((value for name, value in headers if name == b"content-length"), b"0")
        self.requests[stream_id] = {"headers": headers, "body": bytearray()}
        if not declared.isdigit() or int(declared) > self.max_body:
            self._refuse(stream_id, BedrockError.validation(MSG_BODY_TOO_LARGE))

    def _take(self, stream_id: int, data: bytes) -> None:
        """Buffer a request's body, refusing it as soon as it (or all bodies together) pass the limit."""
        received = self.requests.get(stream_id)
        if received is None:  # refused or reset: the data is acknowledged and dropped
            return
        received["body"] += data
        self.buffered += len(data)
        if len(received["body"]) > self.max_body or self.buffered > self.max_body:
            self._refuse(stream_id, BedrockError.validation(MSG_BODY_TOO_LARGE))

    def _refuse(self, stream_id: int, error: BedrockError) -> None:
        """Answer now, without waiting for (or keeping) the rest of the body."""
        self.refused[stream_id] = error
        if stream_id not in self.ready:
            self.ready.append(stream_id)

    def _forget(self, stream_id: int) -> None:
        received = self.requests.pop(stream_id, None)
        if received is not None:
            self.buffered -= len(received["body"])
        self.refused.pop(stream_id, None)
        if stream_id in self.ready:
            self.ready.remove(stream_id)

    def _request(self, stream_id: int) -> Request:
        received = self.requests[stream_id]
        fields = [(_text(k), _text(v)) for k, v in received["headers"]]
        pseudo = {k: v for k, v in fields if k.startswith(":")}
        headers = Headers({k: v for k, v in fields if not k.startswith(":")})
        url = "http://localhost/" + pseudo.get(":path", "/").lstrip("/")  # only the path counts, as over HTTP/1.1
        return Request(pseudo.get(":method", "GET"), url, headers, bytes(received["body"]))

    # ---- output -------------------------------------------------------------------------------
    def _answer(self, stream_id: int) -> None:
        if stream_id in self.reset or stream_id not in self.requests:
            return
        request = self._request(stream_id)
        refusal = self.refused.get(stream_id)
        self._forget(stream_id)
        response = error_response(refusal, request) if refusal else self.handle(request)
        try:
            self._respond(stream_id, response)
            if refusal:  # the client may still be sending: tell it to stop (RFC 9113, 8.1)
                self.connection.reset_stream(stream_id, h2.errors.ErrorCodes.NO_ERROR)
                self._flush()
        except (_Closed, h2.exceptions.StreamClosedError):
            if stream_id not in self.reset and not self._stream_gone(stream_id):
                raise _Closed() from None  # the whole connection is gone

    def _stream_gone(self, stream_id: int) -> bool:
        stream = self.connection.streams.get(stream_id)
        return stream is None or stream.closed

    def _respond(self, stream_id: int, response: Response) -> None:
        headers = [(":status", str(response.status))]
        headers += [
            (name.lower(), str(value))
            for name, value in response.headers.items()
            if name.lower() not in CONNECTION_HEADERS and not (response.streamed and name.lower() == "content-length")
        ]
        self.connection.send_headers(stream_id, [(k.encode(), v.encode("utf-8", "replace")) for k, v in headers])
        self._flush()
        for chunk in response.chunks():
            self._send(stream_id, chunk)
        self.connection.end_stream(stream_id)
        self._flush()

    def _send(self, stream_id: int, data: bytes) -> None:
        while data:
            if stream_id in self.reset:
                raise _Closed()
            window = min(self.connection.local_flow_control_window(stream_id), self.connection.max_outbound_frame_size)
            if window <= 0:
                self._receive()  # wait for the client's WINDOW_UPDATE
                continue
            self.connection.send_data(stream_id, data[:window])
            data = data[window:]
            self._flush()

    def _flush(self) -> None:
        out = self.connection.data_to_send()
        if out:
            self.sock.sendall(out)


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def serve(sock: socket.socket, reader, handle: Callable[[Request], Response], max_body: int | None = None) -> None:
    """Serve an h2c connection whose preface is still unread in `reader` (a buffered socket file)."""
    Session(sock, reader, handle, max_body or MAX_BODY_BYTES).run()

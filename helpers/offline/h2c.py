"""HTTP/2 over cleartext (h2c with prior knowledge) for the standalone server.

The AWS SDK for JavaScript v3 talks HTTP/2 to bedrock-runtime by default; given an `http://`
endpoint it opens the connection with the HTTP/2 preface instead of an HTTP/1.1 request line. Such a
connection is served here with the `h2` library, through the same `Emulator.handle` as HTTP/1.1,
one request at a time, with event-stream frames sent as DATA frames the moment they exist.
"""

from __future__ import annotations

import socket
from collections import deque
from collections.abc import Callable

import h2.config
import h2.connection
import h2.events
import h2.exceptions

from .wire import Headers, Request, Response

PREFACE_START = b"PRI * HTTP/2.0"
READ_SIZE = 65536
# Hop-by-hop headers have no place in HTTP/2 (RFC 9113, 8.2.2).
CONNECTION_HEADERS = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"}


def is_preface(first_bytes: bytes) -> bool:
    return first_bytes.startswith(PREFACE_START[: len(first_bytes)]) and len(first_bytes) >= 3


class _Closed(Exception):
    """The client went away or reset the stream being answered."""


class Session:
    """One HTTP/2 connection: read requests, answer each through `handle`, respect flow control."""

    def __init__(self, sock: socket.socket, reader, handle: Callable[[Request], Response]):
        self.sock, self.reader, self.handle = sock, reader, handle
        self.connection = h2.connection.H2Connection(
            config=h2.config.H2Configuration(client_side=False, header_encoding="utf-8")
        )
        self.requests: dict[int, dict] = {}
        self.ready: deque[int] = deque()
        self.reset: set[int] = set()

    def run(self) -> None:
        self.connection.initiate_connection()
        self._flush()
        try:
            while True:
                while self.ready:
                    self._answer(self.ready.popleft())
                self._receive()
        except (_Closed, OSError, h2.exceptions.ProtocolError):
            return

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
            self.requests[event.stream_id] = {"headers": event.headers, "body": bytearray()}
        elif isinstance(event, h2.events.DataReceived):
            if event.stream_id in self.requests:
                self.requests[event.stream_id]["body"] += event.data
            self.connection.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        elif isinstance(event, h2.events.StreamEnded) and event.stream_id in self.requests:
            self.ready.append(event.stream_id)
        elif isinstance(event, h2.events.StreamReset):
            self.reset.add(event.stream_id)
        elif isinstance(event, h2.events.ConnectionTerminated):
            raise _Closed()

    def _request(self, stream_id: int) -> Request:
        received = self.requests.pop(stream_id)
        pseudo = {k: v for k, v in received["headers"] if k.startswith(":")}
        headers = Headers({k: v for k, v in received["headers"] if not k.startswith(":")})
        url = "http://localhost/" + pseudo.get(":path", "/").lstrip("/")  # only the path counts, as over HTTP/1.1
        return Request(pseudo.get(":method", "GET"), url, headers, bytes(received["body"]))

    # ---- output -------------------------------------------------------------------------------
    def _answer(self, stream_id: int) -> None:
        response = self.handle(self._request(stream_id))
        headers = [(":status", str(response.status))]
        headers += [
            (name.lower(), str(value))
            for name, value in response.headers.items()
            if name.lower() not in CONNECTION_HEADERS and not (response.streamed and name.lower() == "content-length")
        ]
        self.connection.send_headers(stream_id, headers)
        self._flush()
        try:
            for chunk in response.chunks():
                self._send(stream_id, chunk)
            self.connection.end_stream(stream_id)
            self._flush()
        except _Closed:
            if stream_id not in self.reset:
                raise  # the whole connection is gone

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


def serve(sock: socket.socket, reader, handle: Callable[[Request], Response]) -> None:
    """Serve an h2c connection whose preface is still unread in `reader` (a buffered socket file)."""
    Session(sock, reader, handle).run()

"""A bare HTTP client for tests that must send what botocore refuses to send (values below its
client-side minimums, wrong types, malformed JSON) straight to the standalone server."""

from __future__ import annotations

import http.client
import json
import socket
from dataclasses import dataclass
from urllib.parse import quote, urlsplit


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def error_type(self) -> str:
        """Error code as botocore reads it: the x-amzn-ErrorType header up to the first ':'."""
        return self.headers.get("x-amzn-errortype", "").split(":")[0]

    @property
    def message(self) -> str:
        return json.loads(self.body)["message"]

    def json(self):
        return json.loads(self.body)


def send(
    url: str, method: str, path: str, body: bytes = b"", headers: dict | None = None, timeout: float = 30
) -> Answer:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={"Content-Type": "application/json", **(headers or {})})
        response = connection.getresponse()
        data = response.read()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    finally:
        connection.close()


def converse_path(model_id: str) -> str:
    return f"/model/{quote(model_id, safe='')}/converse"


def converse(url: str, model_id: str, payload) -> Answer:
    """POST a Converse body (any JSON value, or raw bytes) without client-side validation."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return send(url, "POST", converse_path(model_id), body)


def send_bytes(url: str, data: bytes, timeout: float = 30, half_close: bool = False) -> Answer:
    """Write `data` verbatim on a fresh socket and parse the server's answer, for requests no
    well-behaved client would produce. The socket stays open for writing unless `half_close`."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        response = http.client.HTTPResponse(sock)
        response.begin()
        body = response.read()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, body)

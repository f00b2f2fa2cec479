"""Offline IAM and STS: moto's threaded server on a free loopback port, started once per process.

A server rather than moto's `mock_aws` decorator, because `mock_aws` patches every botocore client
in the process: its `before-send` hook would also answer (and fail) the bedrock-runtime requests the
emulator serves, and starting it resets all state. A server only answers the clients pointed at its
`endpoint_url`, and the AWS CLI can use it too.
"""

from __future__ import annotations

import logging
import threading
import urllib.request

_lock = threading.Lock()
_server = None


def url() -> str:
    """The endpoint of the shared moto server (started on first use)."""
    global _server
    with _lock:
        if _server is None:
            from moto.server import ThreadedMotoServer

            werkzeug_log = logging.getLogger("werkzeug")
            if werkzeug_log.level == logging.NOTSET:  # no request log lines in notebook outputs
                werkzeug_log.setLevel(logging.WARNING)
            server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
            server.start()
            _server = server
        host, port = _server.get_host_and_port()
    return f"http://{host}:{port}"


def reset() -> None:
    """Forget every user, policy and key (moto's documented `/moto-api/reset`)."""
    request = urllib.request.Request(url() + "/moto-api/reset", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    from .api_keys import LONG_TERM  # long-term Bedrock API keys live beside moto's IAM (see api_keys.py)

    LONG_TERM.clear()

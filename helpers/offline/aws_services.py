"""S3, IAM and STS on the emulator's own endpoint: requests signed for those services go to moto.

One endpoint for everything, as a learner expects from `AWS_ENDPOINT_URL=http://127.0.0.1:PORT`:
boto3, the AWS CLI and the other SDKs sign every request with SigV4, and the credential scope in its
Authorization header (`Credential=AKID/20261130/us-east-1/s3/aws4_request`) names the service it is
for. Requests for `s3`, `iam` and `sts` (or presigned URLs naming them in `X-Amz-Credential`) are
handed, bytes unchanged, to the process's moto server (iam_server.py); everything else is Bedrock's.
moto keeps its state per process, so a batch job reading its input (batch.py) sees exactly what a
client uploaded through either transport.
"""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlsplit

from . import iam_server
from .wire import Request, Response

MOTO_SERVICES = frozenset({"s3", "iam", "sts"})
_QUERY_SCOPE = re.compile(r"^[^/]+/\d{8}/[a-z0-9-]+/([a-z0-9-]+)/aws4_request$")
# Hop-by-hop headers (RFC 9110, 7.6.1) and the framing http.client sets itself.
_NOT_FORWARDED = {"connection", "keep-alive", "transfer-encoding", "content-length", "te", "upgrade"}
TIMEOUT = 120


def signing_service(request: Request) -> str | None:
    """The service a SigV4 request was signed for (header or presigned query), else None."""
    service = request.credential_scope[3]
    if service:
        return service
    scope = request.query_value("X-Amz-Credential")
    found = _QUERY_SCOPE.match(scope or "")
    return found.group(1) if found else None


def claims(request: Request) -> bool:
    signed_for = request.credential_scope[3]  # the usual request: read here, without a second call
    return (signed_for or signing_service(request)) in MOTO_SERVICES


def forward(request: Request) -> Response:
    """Send the request to moto as it came (path, query, headers, body) and return moto's answer."""
    target = urlsplit(iam_server.url())
    original = urlsplit(request.url)
    path = (original.path or "/") + (f"?{original.query}" if original.query else "")
    headers = {k: v for k, v in request.headers.items() if k.lower() not in _NOT_FORWARDED}
    if not any(k.lower() == "host" for k in headers):  # in-process requests: the host the client signed
        headers["Host"] = original.netloc
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=TIMEOUT)
    try:
        connection.request(request.method, path, body=request.body or None, headers=headers)
        answer = connection.getresponse()
        body = answer.read()
        kept = [(k, v) for k, v in answer.getheaders() if k.lower() not in _NOT_FORWARDED]
    finally:
        connection.close()
    response_headers = dict(kept)
    response_headers["Content-Length"] = str(len(body))
    return Response(answer.status, response_headers, body)

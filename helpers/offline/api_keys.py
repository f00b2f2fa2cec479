"""Bedrock API keys offline: the bearer tokens boto3 sends when AWS_BEARER_TOKEN_BEDROCK is set.

Two kinds exist (Bedrock user guide "API keys", IAM user guide "API keys for Amazon Bedrock", read
2026-11-30):
- short-term: `bedrock-api-key-` + base64 of a SigV4 *presigned URL* for
  `POST https://bedrock.amazonaws.com/?Action=CallWithBearerToken`, signed by some identity's access
  key, valid up to 12 hours, `&Version=1` appended (the construction of the `aws-bedrock-token-generator`
  package, 1.1.0). It carries the same permissions as the identity that signed it, so offline it is
  verified against that identity: its access key must be active in IAM and the signature must be the
  one that key's secret makes.
- long-term: an IAM service-specific credential for bedrock.amazonaws.com, owned by an IAM user, with
  an optional expiry. moto (5.2) does not implement service-specific credentials, so the offline
  ones are kept here (`LONG_TERM`, emptied with moto's IAM by `iam_server.reset`). Real keys start
  with `ABSK`; what follows is opaque, and ours is random.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import secrets
import threading
from dataclasses import dataclass
from urllib.parse import parse_qsl

from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from .errors import MSG_BAD_API_KEY, BedrockError

SHORT_TERM_PREFIX = "bedrock-api-key-"
LONG_TERM_PREFIX = "ABSK"
TOKEN_HOST = "bedrock.amazonaws.com"
TOKEN_ACTION = "CallWithBearerToken"
TOKEN_VERSION = "&Version=1"
MAX_SECONDS = 12 * 3600
SIGV4_TIME = "%Y%m%dT%H%M%SZ"


def bearer_token(headers) -> str | None:
    """The token of an `Authorization: Bearer ...` header, or None for SigV4 and unsigned requests."""
    scheme, _, token = (headers.get("authorization") or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def bad_key() -> BedrockError:
    return BedrockError("AccessDeniedException", MSG_BAD_API_KEY)


# ---- short-term keys -------------------------------------------------------------------------------
def short_term_key(credentials: Credentials, region: str, expires: int = MAX_SECONDS) -> str:
    """A short-term key signed by `credentials`, as `aws_bedrock_token_generator.provide_token` makes it."""
    if not 0 < expires <= MAX_SECONDS:
        raise ValueError("A short-term API key lasts more than 0 seconds and at most 12 hours (43200 s).")
    request = AWSRequest(
        method="POST", url=f"https://{TOKEN_HOST}/", headers={"host": TOKEN_HOST}, params={"Action": TOKEN_ACTION}
    )
    SigV4QueryAuth(credentials, "bedrock", region, expires=expires).add_auth(request)
    url = request.url.replace("https://", "") + TOKEN_VERSION
    return SHORT_TERM_PREFIX + base64.b64encode(url.encode("utf-8")).decode("ascii")


@dataclass(frozen=True)
class ShortTermKey:
    """What a short-term key says: who signed it, where, when, for how long, and the signed query."""

    access_key: str
    region: str
    signed_at: dt.datetime
    seconds: int
    signature: str
    query: tuple[tuple[str, str], ...]  # every parameter but the signature and Version, in order

    @classmethod
    def parse(cls, token: str) -> ShortTermKey:
        """Decode a `bedrock-api-key-...` token; anything that is not one is a bad key."""
        try:
            url = base64.b64decode(token[len(SHORT_TERM_PREFIX) :], validate=True).decode("utf-8")
            host, _, query = url.partition("/?")
            params = dict(parse_qsl(query, keep_blank_values=True, strict_parsing=True))
            access_key, _, region, service, _ = params["X-Amz-Credential"].split("/")
            signed_at = dt.datetime.strptime(params["X-Amz-Date"], SIGV4_TIME).replace(tzinfo=dt.timezone.utc)
            seconds = int(params["X-Amz-Expires"])
            signature = params["X-Amz-Signature"]
        except (binascii.Error, UnicodeDecodeError, ValueError, KeyError):
            raise bad_key() from None
        if host != TOKEN_HOST or service != "bedrock" or params.get("Action") != TOKEN_ACTION:
            raise bad_key()
        if params.get("Version") != "1" or not 0 < seconds <= MAX_SECONDS:
            raise bad_key()
        signed = tuple((k, v) for k, v in parse_qsl(query) if k not in ("X-Amz-Signature", "Version"))
        return cls(access_key, region, signed_at, seconds, signature, signed)

    def expired(self, now: dt.datetime) -> bool:
        return now >= self.signed_at + dt.timedelta(seconds=self.seconds) or now < self.signed_at - dt.timedelta(
            minutes=5
        )

    def signed_by(self, secret_key: str) -> bool:
        """Whether `secret_key` makes this signature (botocore's own SigV4 computation)."""
        request = AWSRequest(method="POST", url=f"https://{TOKEN_HOST}/", headers={"host": TOKEN_HOST})
        request.params = list(self.query)  # the key's own query and time: add_auth would sign "now"
        request.context["timestamp"] = self.signed_at.strftime(SIGV4_TIME)
        signer = SigV4QueryAuth(Credentials(self.access_key, secret_key), "bedrock", self.region, expires=self.seconds)
        canonical = signer.canonical_request(request)
        expected = signer.signature(signer.string_to_sign(request, canonical), request)
        return secrets.compare_digest(expected, self.signature)


# ---- long-term keys --------------------------------------------------------------------------------
@dataclass
class LongTermKey:
    credential_id: str
    user_name: str
    expires: dt.datetime | None
    active: bool = True


class LongTermKeys:
    """The offline stand-in for IAM's service-specific credentials for Bedrock."""

    def __init__(self):
        self._keys: dict[str, LongTermKey] = {}
        self._lock = threading.Lock()

    def create(self, user_name: str, days: int | None = None, now: dt.datetime | None = None) -> dict:
        """A key for `user_name`, expiring after `days` (None: never), shaped like IAM's answer."""
        now = now or dt.datetime.now(dt.timezone.utc)
        credential_id = "ACCA" + secrets.token_hex(8).upper()
        secret = LONG_TERM_PREFIX + base64.b64encode(secrets.token_bytes(48)).decode("ascii")
        expires = now + dt.timedelta(days=days) if days else None
        with self._lock:
            self._keys[secret] = LongTermKey(credential_id, user_name, expires)
        answer = {
            "ServiceSpecificCredentialId": credential_id,
            "UserName": user_name,
            "ServiceName": "bedrock.amazonaws.com",
            "ServiceCredentialSecret": secret,
            "Status": "Active",
            "CreateDate": now,
        }
        return answer | ({"ExpirationDate": expires} if expires else {})

    def set_active(self, credential_id: str, active: bool) -> None:
        with self._lock:
            for key in self._keys.values():
                if key.credential_id == credential_id:
                    key.active = active

    def owner_of(self, token: str, now: dt.datetime) -> str:
        """The IAM user name owning an active, unexpired key; otherwise Bedrock's bad-key error."""
        with self._lock:
            key = self._keys.get(token)
        if key is None or not key.active or (key.expires is not None and now >= key.expires):
            raise bad_key()
        return key.user_name

    def clear(self) -> None:
        with self._lock:
            self._keys.clear()


LONG_TERM = LongTermKeys()


def moto_secret(access_key_id: str) -> str | None:
    """The secret of an access key in moto's IAM (running in this process): IAM's API never returns a
    secret after CreateAccessKey, so verifying a signature offline reads moto's own records."""
    from moto.iam.models import iam_backends

    for account_id in list(iam_backends.keys()):
        backend = iam_backends[account_id]["global"]
        for user in list(backend.users.values()):
            for key in user.access_keys:
                if key.access_key_id == access_key_id:
                    return key.secret_access_key
    return None

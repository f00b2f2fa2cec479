"""HTTPS for the standalone server: botocore sends Bedrock API keys only over HTTPS ("Bearer
authorization requires an HTTPS endpoint.", botocore/auth.py BearerAuth), so `--tls` serves TLS with a
certificate for 127.0.0.1, ::1 and localhost signed by a certificate authority made on the spot.

The authority's certificate goes to DIR/ca.pem (public: clients trust it through AWS_CA_BUNDLE); its
private key is never written, so nobody can sign anything else with it once the server stops. The
server's own key and certificate are written 0600 beside it, for tools that want to inspect them.
Certificates come from the `cryptography` library. ALPN offers h2 and http/1.1: a client choosing h2
opens with the HTTP/2 preface, which the server already recognises (h2c.py).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_FILE, CERT_FILE, KEY_FILE = "ca.pem", "server.pem", "server-key.pem"
VALID_DAYS = 30
NAMES = ("localhost",)
ADDRESSES = ("127.0.0.1", "::1")


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject, issuer, public_key, signing_key, now, extensions) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
    )
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(signing_key, hashes.SHA256())


def make_certificates(directory: str | os.PathLike) -> Path:
    """Write DIR/ca.pem, DIR/server.pem and DIR/server-key.pem; returns the CA file's path."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Bedrock Workbook offline CA")
    ca = _certificate(
        ca_name,
        ca_name,
        ca_key.public_key(),
        ca_key,
        now,
        [
            (x509.BasicConstraints(ca=True, path_length=0), True),
            (x509.KeyUsage(False, False, False, False, False, True, True, False, False), True),
            (x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False),
        ],
    )
    key = ec.generate_private_key(ec.SECP256R1())
    alt_names = [x509.DNSName(n) for n in NAMES] + [x509.IPAddress(ipaddress.ip_address(a)) for a in ADDRESSES]
    server = _certificate(
        _name("localhost"),
        ca_name,
        key.public_key(),
        ca_key,
        now,
        [
            (x509.SubjectAlternativeName(alt_names), False),
            (x509.BasicConstraints(ca=False, path_length=None), True),
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False),
            (x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False),
        ],
    )
    pem = serialization.Encoding.PEM
    (folder / CA_FILE).write_bytes(ca.public_bytes(pem))
    (folder / CERT_FILE).write_bytes(server.public_bytes(pem))
    key_bytes = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    descriptor = os.open(folder / KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key_bytes)
    return folder / CA_FILE


def server_context(directory: str | os.PathLike) -> ssl.SSLContext:
    """A TLS 1.2+ server context for fresh certificates in `directory`."""
    make_certificates(directory)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(Path(directory) / CERT_FILE, Path(directory) / KEY_FILE)
    context.set_alpn_protocols(["h2", "http/1.1"])
    return context


def trust_hint(directory: str | os.PathLike, url: str) -> str:
    """How a client trusts the server: the lines the server prints."""
    ca = Path(directory).resolve() / CA_FILE
    return "\n".join(
        [
            f"  TLS: certificates for localhost and 127.0.0.1 signed by a local authority: {ca}",
            f"  export AWS_CA_BUNDLE={ca}   # boto3 and the AWS CLI trust it",
            f"  curl --cacert {ca} {url}/foundation-models   # any other client: trust that file",
        ]
    )

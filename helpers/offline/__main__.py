"""`python -m helpers.offline --port 8765`: serve the offline Bedrock emulator on 127.0.0.1.

--allow-remote listens on another interface (e.g. 0.0.0.0 for a workshop LAN). Whoever reaches the
port can then call every operation the emulator serves (bedrock-runtime and the bedrock control
plane, including the IAM users and policies notebooks create) and arm fault plans for their own
access key id, over plain HTTP unless --tls is given; credentials are not verified, so any key is accepted
unless --learner-keys lists the ones allowed."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path

from . import tls
from .catalog import Catalog
from .emulator import Emulator
from .lifecycle import ACTIVE_USER_ENV, AS_OF_ENV, Clock
from .server import BedrockServer, check_host


def _clock(args) -> Clock:
    """Flags win over BEDROCK_OFFLINE_AS_OF / BEDROCK_OFFLINE_ACTIVE_USER_OF, which win over the catalog."""
    environ = dict(os.environ)
    if args.as_of:
        environ[AS_OF_ENV] = args.as_of
    if args.active_user_of is not None:
        environ[ACTIVE_USER_ENV] = args.active_user_of
    return Clock.from_env(Catalog.load().as_of, environ)


def _keys(option: str | None) -> list[str] | None:
    if option is None:
        return None
    text = Path(option[1:]).read_text() if option.startswith("@") else option.replace(",", "\n")
    keys = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not keys:
        raise SystemExit("--learner-keys lists no key")
    return keys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.offline", description=__doc__)
    parser.add_argument("--port", type=int, default=8765, help="port to listen on (0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="interface (loopback unless --allow-remote)")
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback --host: anyone who reaches the port may call every operation over plain "
        "HTTP, with any credentials unless --learner-keys is given",
    )
    parser.add_argument(
        "--learner-keys",
        default=None,
        metavar="KEYS",
        help="accept only these access key ids (comma-separated, or @FILE with one a line); others get "
        "UnrecognizedClientException. Hand each learner one key: their faults stay their own.",
    )
    parser.add_argument(
        "--tls",
        action="store_true",
        help="serve HTTPS (needed by Bedrock API keys: botocore sends bearer tokens only over HTTPS) with a "
        "certificate for localhost and 127.0.0.1 signed by a local certificate authority",
    )
    parser.add_argument(
        "--tls-dir",
        default=None,
        metavar="DIR",
        help="where --tls writes ca.pem (trust it with AWS_CA_BUNDLE) and the server's certificate "
        "(default: a new temporary directory)",
    )
    parser.add_argument("--region", default=None, help="region for unsigned requests (default us-east-1)")
    parser.add_argument("--stream-delay", type=float, default=0.0, help="seconds between streamed events")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    parser.add_argument("--as-of", default=None, help="the emulator's date, YYYY-MM-DD (default: the catalog's)")
    parser.add_argument(
        "--active-user-of", default=None, help="comma-separated Legacy model ids (or *) the caller actively uses"
    )
    args = parser.parse_args(argv)
    try:
        host = check_host(args.host, args.allow_remote)
        clock = _clock(args)
    except ValueError as exc:
        parser.error(str(exc))
    if args.allow_remote and args.learner_keys is None:
        print("warning: --allow-remote without --learner-keys accepts any credentials", file=sys.stderr)
    if args.verbose:  # tracebacks of the emulator's own failures, for whoever runs the server
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if args.tls_dir and not args.tls:
        parser.error("--tls-dir needs --tls")
    tls_dir = (args.tls_dir or tempfile.mkdtemp(prefix="bedrock-offline-tls-")) if args.tls else None
    emulator = Emulator(region=args.region, stream_delay=args.stream_delay, clock=clock)
    server = BedrockServer(
        host,
        args.port,
        emulator,
        args.verbose,
        learner_keys=_keys(args.learner_keys),
        tls=tls.server_context(tls_dir) if tls_dir else None,
    )
    print(f"Offline Bedrock emulator listening on {server.url}", flush=True)
    if tls_dir:
        print(tls.trust_hint(tls_dir, server.url), flush=True)
    print(f"  export AWS_ENDPOINT_URL_BEDROCK_RUNTIME={server.url} AWS_ENDPOINT_URL_BEDROCK={server.url}", flush=True)
    print(f"  Bedrock as of {clock.day} (--as-of YYYY-MM-DD replays another day)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m helpers.offline --port 8765`: serve the offline Bedrock emulator on 127.0.0.1."""

from __future__ import annotations

import argparse
import sys

from .emulator import Emulator
from .server import BedrockServer, check_host


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.offline", description=__doc__)
    parser.add_argument("--port", type=int, default=8765, help="port to listen on (0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="interface (loopback unless --allow-remote)")
    parser.add_argument("--allow-remote", action="store_true", help="allow a non-loopback --host")
    parser.add_argument("--region", default=None, help="region for unsigned requests (default us-east-1)")
    parser.add_argument("--stream-delay", type=float, default=0.0, help="seconds between streamed events")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    try:
        host = check_host(args.host, args.allow_remote)
    except ValueError as exc:
        parser.error(str(exc))
    server = BedrockServer(host, args.port, Emulator(region=args.region, stream_delay=args.stream_delay), args.verbose)
    print(f"Offline Bedrock emulator listening on {server.url}", flush=True)
    print(f"  export AWS_ENDPOINT_URL_BEDROCK_RUNTIME={server.url} AWS_ENDPOINT_URL_BEDROCK={server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

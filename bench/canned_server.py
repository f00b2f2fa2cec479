"""The floor for the server benchmark: the smallest stdlib HTTP server that answers every POST with
the same canned bytes, with the emulator server's socket settings. Prints its URL, then serves.

    python bench/canned_server.py BODY_FILE
"""

import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class CannedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    wbufsize = 1 << 16
    body = b"{}"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)
        self.wfile.flush()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as handle:
        CannedHandler.body = handle.read()
    server = ThreadingHTTPServer(("127.0.0.1", 0), CannedHandler)
    server.daemon_threads = True
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()

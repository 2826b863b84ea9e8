"""`python -m tinyservice`: see the package's docstring."""

from __future__ import annotations

import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer


class Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        known = self.path in ("/health/live", "/health/ready")
        body = b'{"status": "ok"}' if known else b"{}"
        self.send_response(200 if known else 404)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the supervisor's probes would fill the log


def main() -> int:
    time.sleep(float(os.environ.get("ASN_TINY_START_DELAY_S", "0")))
    code = os.environ.get("ASN_TINY_EXIT")
    if code:
        print(f"tinyservice: refusing to start (ASN_TINY_EXIT={code})", flush=True)
        return int(code)
    server = HTTPServer(("127.0.0.1", int(os.environ["ASN_PORT"])), Health)
    print(f"tinyservice {os.environ.get('ASN_SERVICE_NAME')} on {server.server_port}", flush=True)
    server.serve_forever()
    return 0


sys.exit(main())

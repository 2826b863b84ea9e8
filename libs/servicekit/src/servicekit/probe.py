"""`python -m servicekit.probe`: the container's HEALTHCHECK, without a shell or curl.

Exits 0 when this process's own `/health/live` answers 200 on `ASN_PORT`, 1 otherwise, as
Docker's HEALTHCHECK expects (the images have no shell: deploy/docker/Dockerfile).
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def live(port: int, *, path: str = "/health/live", timeout_s: float = 3.0) -> bool:
    """Whether the server on this host's `port` answers `path` with 200."""
    url = f"http://127.0.0.1:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def main() -> int:
    return 0 if live(int(os.environ.get("ASN_PORT", "8000"))) else 1


if __name__ == "__main__":
    sys.exit(main())

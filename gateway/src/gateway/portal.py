"""The built portal (portal/dist) served at `/`, with the single-page app's fallback.

One origin for the pages and the API, so no CORS. Paths the gateway owns (`/api`, `/auth`,
`/health`, `/metrics`, the OpenAPI pages, the event catalogue `/events`) never fall back to
the page: an unknown API path stays a 404 problem a client can read, not an HTML page.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from servicekit.errors import ProblemError
from servicekit.problems import not_found

# Every method, so that a path no route of the gateway takes (POST /auth/dev-token outside
# dev) is a 404 as before, not a 405 from this route matching the path alone.
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
OWN_PREFIXES = ("api", "auth", "health", "metrics", "docs", "redoc", "openapi.json", "events")
# Vite names what it builds under assets/ by content hash: cache it for good. index.html
# and the rest must be asked for again so a new build is seen at once.
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def _is_own(path: str) -> bool:
    first = path.split("/", 1)[0]
    return first in OWN_PREFIXES


def mount_portal(app: FastAPI, root: Path) -> None:
    """Serve `root` at `/`: files as they are, any other page path as index.html."""
    root = root.resolve()
    index = root / "index.html"

    async def page(request: Request, path: str = "") -> Response:
        if _is_own(path):
            raise not_found("route", f"/{path}")
        if request.method not in ("GET", "HEAD"):
            raise ProblemError(
                405,
                "method_not_allowed",
                "Metode tidak diizinkan",
                "Halaman portal hanya dapat dibaca.",
                headers={"Allow": "GET, HEAD"},
            )
        if path:
            candidate = (root / path).resolve()
            # resolve() folds `..`: anything outside the build folder is not ours to serve.
            if candidate.is_relative_to(root) and candidate.is_file():
                cache = IMMUTABLE if path.startswith("assets/") else REVALIDATE
                return FileResponse(candidate, headers={"Cache-Control": cache})
            if "." in path.rsplit("/", 1)[-1]:
                # A missing file (a stale asset name, a favicon) is a 404, not the page.
                raise not_found("file", f"/{path}")
        if not index.is_file():
            raise not_found("portal", "Portal (jalankan `make portal`)")
        return FileResponse(index, headers={"Cache-Control": REVALIDATE})

    for route in ("/", "/{path:path}"):
        app.add_api_route(route, page, methods=METHODS, include_in_schema=False)

"""Commands and service reads: `/api/<resource>/…` forwarded to the owning service.

The caller's token is verified here too (each service still decides access itself), and
travels on with the request id and a child span of the trace. The service's status,
body and the headers a client needs come back unchanged; a service that is down or
slow becomes a 503 problem that names it.
"""

from __future__ import annotations

import httpx
from fastapi import APIRouter, Request, Response
from servicekit.auth import CurrentIdentity
from servicekit.context import current_request_id, current_traceparent
from servicekit.errors import ProblemError
from servicekit.logging import get_logger

from gateway.state import State
from gateway.upstream import owner

log = get_logger(__name__)
router = APIRouter(tags=["routing"])
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
FORWARDED_REQUEST_HEADERS = (
    "authorization",
    "content-type",
    "accept",
    "accept-language",
    "idempotency-key",
    "if-match",
    "if-none-match",
)
RETURNED_HEADERS = (
    "content-type",
    "etag",
    "location",
    "retry-after",
    "www-authenticate",
    "cache-control",
    "link",
)


def unavailable(service: str, detail: str) -> ProblemError:
    return ProblemError(
        503,
        "service_unavailable",
        "Layanan sedang tidak tersedia",
        detail,
        headers={"Retry-After": "5"},
        service=service,
    )


@router.api_route("/api/{resource}", methods=METHODS, include_in_schema=False)
@router.api_route("/api/{resource}/{rest:path}", methods=METHODS, include_in_schema=False)
async def forward(
    resource: str, request: Request, who: CurrentIdentity, state: State, rest: str = ""
) -> Response:
    """Forward to the service that owns `resource`."""
    service = owner(resource, rest)
    if service is None:
        raise ProblemError(
            404, "unknown_resource", "Alamat tidak dikenal", f"/api/{resource} tidak ada."
        )
    upstreams = state.upstreams
    path = f"/{resource}/{rest}" if rest else f"/{resource}"
    url = f"{upstreams.urls[service]}{path}"
    headers = {k: v for k, v in request.headers.items() if k.lower() in FORWARDED_REQUEST_HEADERS}
    request_id = current_request_id()
    if request_id:
        headers["x-request-id"] = request_id
    headers["traceparent"] = str(current_traceparent().child())
    body = await request.body()
    try:
        upstream = await upstreams.client.request(
            request.method,
            url,
            params=request.url.query or None,
            content=body or None,
            headers=headers,
        )
    except httpx.TimeoutException as exc:
        upstreams.mark(service, False, type(exc).__name__)
        raise unavailable(service, f"Layanan {service} tidak menjawab tepat waktu.") from exc
    except httpx.TransportError as exc:
        upstreams.mark(service, False, type(exc).__name__)
        raise unavailable(service, f"Layanan {service} tidak dapat dihubungi.") from exc
    upstreams.mark(service, True)
    returned = {k: v for k, v in upstream.headers.items() if k.lower() in RETURNED_HEADERS}
    location = returned.get("location")
    if location and location.startswith("/") and not location.startswith("/api/"):
        returned["location"] = f"/api{location}"
    return Response(content=upstream.content, status_code=upstream.status_code, headers=returned)

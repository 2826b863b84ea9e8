"""Commands and service reads: `/api/<resource>/…` forwarded to the owning service.

The caller's token is verified here too (each service still decides access itself), and
travels on with the request id and a child span of the trace. The service's status,
body and the headers a client needs come back unchanged; a service that is down or
slow becomes a 503 problem that names it.
"""

from __future__ import annotations

import aiohttp
from fastapi import APIRouter, Request, Response
from servicekit.auth import request_identity
from servicekit.context import current_request_id, current_traceparent
from servicekit.errors import ProblemError
from servicekit.logging import get_logger
from servicekit.ratelimit import client_key, enforce

from gateway.state import GatewayState
from gateway.upstream import PUBLIC_SERVICE, owner

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
    "x-ticket-secret",  # aspirasi's public routes: the citizen's ticket secret
)
RETURNED_HEADERS = (
    "content-type",
    "etag",
    "location",
    "retry-after",
    "www-authenticate",
    "cache-control",
    "link",
    "content-disposition",  # a report file's name (pegawai's DUK and retirements as XLSX/CSV)
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


_NO_CONTENT_TYPE = ("Content-Type",)
_FORWARDED = frozenset(h.encode("latin-1") for h in FORWARDED_REQUEST_HEADERS)
_RETURNED = frozenset(h.encode("latin-1") for h in RETURNED_HEADERS)


@router.api_route("/api/public/{rest:path}", methods=METHODS, include_in_schema=False)
async def forward_public(request: Request) -> Response:
    """Citizens' routes: no token, rate-limited per client here and again in aspirasi."""
    state: GatewayState = request.app.state.gateway
    client = client_key(request, state.settings.trusted_proxies)
    enforce(state.public_limiter, client)
    if request.method != "GET":
        enforce(state.public_submission_limiter, client)
    rest: str = request.path_params["rest"]
    # The service limits by the client too: it trusts the gateway's forwarded address.
    return await _relay(
        request, state, PUBLIC_SERVICE, f"public/{rest}", {"x-forwarded-for": client}
    )


@router.api_route("/api/{resource}", methods=METHODS, include_in_schema=False)
@router.api_route("/api/{resource}/{rest:path}", methods=METHODS, include_in_schema=False)
async def forward(request: Request) -> Response:
    """Forward to the service that owns `resource`.

    Path parameters, token and state are taken here, not declared as FastAPI parameters
    and dependencies: resolving those cost about a tenth of a forwarded call's CPU
    (bench/gateway check-ins), on the gateway's busiest route.
    """
    await request_identity(request)  # 401 before anything else
    params = request.path_params
    resource: str = params["resource"]
    rest: str = params.get("rest", "")
    state: GatewayState = request.app.state.gateway
    service = owner(resource, rest)
    if service is None:
        raise ProblemError(
            404, "unknown_resource", "Alamat tidak dikenal", f"/api/{resource} tidak ada."
        )
    return await _relay(request, state, service, f"{resource}/{rest}" if rest else resource)


async def _relay(
    request: Request,
    state: GatewayState,
    service: str,
    path: str,
    extra_headers: dict[str, str] | None = None,
) -> Response:
    upstreams = state.upstreams
    url = f"{upstreams.urls[service]}/{path}"
    query = request.scope["query_string"]
    if query:
        url = f"{url}?{query.decode('latin-1')}"
    # ASGI header names are lower-case already: no Headers object, no .lower() per header.
    headers = {
        k.decode("latin-1"): v.decode("latin-1")
        for k, v in request.scope["headers"]
        if k in _FORWARDED
    }
    request_id = current_request_id()
    if request_id:
        headers["x-request-id"] = request_id
    headers["traceparent"] = str(current_traceparent().child())
    if extra_headers:
        headers.update(extra_headers)
    body = await request.body()
    try:
        async with upstreams.client.request(
            request.method,
            url,
            data=body or None,
            headers=headers,
            allow_redirects=False,
            # Without it aiohttp invents `application/octet-stream` for a body sent with no
            # Content-Type; per request only then, as it costs a header copy per call.
            skip_auto_headers=None if "content-type" in headers else _NO_CONTENT_TYPE,
        ) as upstream:
            content = await upstream.read()
    except TimeoutError as exc:  # aiohttp's connect and read timeouts are TimeoutErrors too
        upstreams.mark(service, False, type(exc).__name__)
        raise unavailable(service, f"Layanan {service} tidak menjawab tepat waktu.") from exc
    except aiohttp.ClientError as exc:
        upstreams.mark(service, False, type(exc).__name__)
        raise unavailable(service, f"Layanan {service} tidak dapat dihubungi.") from exc
    upstreams.mark(service, True)
    response = Response(content=content, status_code=upstream.status)
    returned = response.raw_headers
    for name, value in upstream.raw_headers:
        name = name.lower()
        if name in _RETURNED:
            if name == b"location" and value.startswith(b"/") and not value.startswith(b"/api/"):
                value = b"/api" + value
            returned.append((name, value))
    return response

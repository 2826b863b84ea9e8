"""The web defaults every service shares: request ids and traces, problem+json, health, metrics."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servicekit.context import bound_context
from servicekit.errors import install_problem_handlers
from servicekit.metrics import HTTP_LATENCY, HTTP_REQUESTS
from servicekit.nulguard import NulRefusalMiddleware
from servicekit.tracing import parse_traceparent

ReadinessCheck = Callable[[], Awaitable[None]]
REQUEST_ID_HEADER = "x-request-id"


class RequestContextMiddleware:
    """Binds request id and W3C trace for logs and the outbox; counts and times requests.

    Plain ASGI rather than BaseHTTPMiddleware: it runs on every request, and the
    latter costs a task and a stream copy per call.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        request_id = headers.get(REQUEST_ID_HEADER) or uuid.uuid4().hex
        incoming = parse_traceparent(headers.get("traceparent"))
        traceparent = incoming.child() if incoming else None
        status = 500
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                extra = [(REQUEST_ID_HEADER.encode(), request_id.encode("latin-1"))]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        with bound_context(traceparent=traceparent, request_id=request_id):
            try:
                await self.app(scope, receive, send_with_headers)
            finally:
                route = scope.get("route")
                template = getattr(route, "path", "unmatched")
                method = scope["method"]
                HTTP_REQUESTS.labels(method, template, str(status)).inc()
                HTTP_LATENCY.labels(method, template).observe(time.perf_counter() - started)


def install_web_defaults(app: FastAPI, readiness: Mapping[str, ReadinessCheck]) -> None:
    """Problem handlers, request context, the NUL guard, and the /health and /metrics endpoints."""
    install_problem_handlers(app)
    # Added first, so it runs inside the request context: its refusals are logged and counted.
    app.add_middleware(NulRefusalMiddleware, api=app)
    app.add_middleware(RequestContextMiddleware)

    @app.get("/health/live", tags=["health"], include_in_schema=False)
    async def live() -> dict[str, str]:
        """The process is up and its event loop answers."""
        return {"status": "ok"}

    @app.get("/health/ready", tags=["health"], include_in_schema=False)
    async def ready() -> JSONResponse:
        """Ready when every dependency (database, Kafka) answers."""
        results: dict[str, Any] = {}
        for name, check in readiness.items():
            try:
                await asyncio.wait_for(check(), 3.0)
                results[name] = "ok"
            except Exception as exc:
                results[name] = f"unavailable: {type(exc).__name__}"
        ok = all(value == "ok" for value in results.values())
        return JSONResponse(
            {"status": "ok" if ok else "unavailable", "checks": results},
            status_code=200 if ok else 503,
        )

    @app.get("/metrics", tags=["health"], include_in_schema=False)
    async def metrics() -> Response:
        """Prometheus text format."""
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

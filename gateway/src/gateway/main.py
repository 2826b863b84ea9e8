"""The gateway app, and its process entry point: migrate, then serve."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from servicekit.migrations import upgrade
from servicekit.runtime import ServiceRuntime, create_service_app, serve
from starlette.routing import Route

from gateway.api import catalogue, devtoken, openapi, proxy, reads, signin, team_views
from gateway.lag import LagMonitor
from gateway.oidc import Discovery
from gateway.portal import mount_portal
from gateway.projections import consumer_specs, purge_applied_events
from gateway.settings import GatewaySettings
from gateway.state import GatewayState, create_read_pool
from gateway.upstream import Upstreams

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    routers = [
        signin.router,
        reads.router,
        team_views.router,
        openapi.router,
        catalogue.router,
        proxy.router,
    ]
    if settings.dev_sign_in:
        routers.insert(0, devtoken.router)
    app = create_service_app(
        settings,
        title="gateway",
        description="Pintu tunggal portal SDM: meneruskan perintah ke layanan pemiliknya dan "
        "menjawab tampilan gabungan (profil, dasbor unit, kotak masuk, pencarian) dari read "
        "model yang dibangun dari aliran event.",
        routers=routers,
        consumers=consumer_specs(settings) if settings.projection == "inline" else (),
    )
    state = GatewayState(
        settings=settings,
        upstreams=Upstreams(settings),
        lag=LagMonitor(
            settings.kafka,
            settings.consumer_group,
            list(settings.source_topics.values()),
            interval_s=settings.lag_poll_interval_s,
        ),
    )
    app.state.gateway = state
    app.state.discovery = Discovery(settings.jwt_issuer, ttl_s=settings.oidc_discovery_ttl_s)
    purge_applied_events(app.state.runtime, settings)
    _wrap_lifespan(app, state)
    _replace_readiness(app, state)
    if settings.portal_dir is not None:
        mount_portal(app, settings.portal_dir)  # last: it answers every path left over
    return app


def _wrap_lifespan(app: FastAPI, state: GatewayState) -> None:
    """Open the read pool, the upstream client and the lag monitor beside the runtime."""
    inner = app.router.lifespan_context
    runtime: ServiceRuntime = app.state.runtime

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        async with inner(app) as value:
            state.pool = await create_read_pool(
                runtime.db.asyncpg_dsn, state.settings.read_pool_size
            )
            await state.upstreams.start()
            state.lag.start()
            try:
                yield value
            finally:
                await state.lag.stop()
                await state.upstreams.stop()
                await state.pool.close()

    app.router.lifespan_context = lifespan


def _replace_readiness(app: FastAPI, state: GatewayState) -> None:
    """servicekit's /health/ready, plus the read model's lag and the services' state."""
    runtime: ServiceRuntime = app.state.runtime

    async def ready() -> JSONResponse:
        checks: dict[str, str] = {}
        for name, check in (("database", runtime.db.ping), ("kafka", runtime.kafka_ready)):
            try:
                await asyncio.wait_for(check(), 3.0)
                checks[name] = "ok"
            except Exception as exc:
                checks[name] = f"unavailable: {type(exc).__name__}"
        ok = all(v == "ok" for v in checks.values())
        body = {
            "status": "ok" if ok else "unavailable",
            "checks": checks,
            "read_model": state.freshness(),
            "services": {
                name: {"up": s.up, "error": s.error} for name, s in state.upstreams.state.items()
            },
        }
        return JSONResponse(body, status_code=200 if ok else 503)

    app.router.routes[:] = [
        r for r in app.router.routes if not (isinstance(r, Route) and r.path == "/health/ready")
    ]
    app.add_api_route("/health/ready", ready, include_in_schema=False, tags=["health"])


def migrate(settings: GatewaySettings) -> None:
    upgrade(MIGRATIONS, settings.database_url.get_secret_value())


def run() -> None:
    settings = GatewaySettings()
    migrate(settings)
    serve("gateway.main:create_app", settings)

"""`python -m bench.checkin.prototype`: presensi's app with one proposed change, served as
`python -m presensi` serves it (same settings, one uvicorn worker, relay and consumer).

BENCH_CHECKIN_VARIANT picks the change:
- `async-deps`: presensi unchanged but for its two synchronous dependencies (`now`,
  servicekit's `get_runtime`) made async (FastAPI runs sync ones in a worker thread:
  two thread hops per check-in);
- `pool-tuned`: `async-deps`, and servicekit's engine without `pool_pre_ping` (a
  BEGIN; ROLLBACK before every unit of work) and with 20 pooled connections instead of
  10 + 10 overflow (overflow connections are closed on release and reopened later);
- `fast-path`: `async-deps`, and the check-in route of fastpath.py (asyncpg, 4 round
  trips) in front of presensi's own routes.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Any

import uvicorn
from fastapi import APIRouter, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from presensi.api import attendance, calendar, leave
from presensi.api.schemas import now
from presensi.consumers import consumer_specs
from presensi.domain.calendar import system_clock
from presensi.settings import PresensiSettings
from servicekit.db import Database
from servicekit.runtime import ServiceRuntime, create_service_app, get_runtime
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from bench.checkin import fastpath

VARIANTS = ("async-deps", "pool-tuned", "fast-path")
TUNED_POOL_SIZE = 20


class TunedDatabase(Database):
    """servicekit's Database without the pre-ping, and a pool as large as the concurrency."""

    def __init__(self, url: str) -> None:
        super().__init__(url, pool_size=TUNED_POOL_SIZE)  # nothing connects until used
        self.engine = create_async_engine(
            self.url, pool_size=TUNED_POOL_SIZE, max_overflow=0, pool_pre_ping=False
        )
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)


async def async_now(request: Request) -> dt.datetime:
    value: dt.datetime = request.app.state.clock()
    return value


async def async_get_runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


def create_app(settings: PresensiSettings, variant: str) -> FastAPI:
    if variant not in VARIANTS:
        raise SystemExit(f"BENCH_CHECKIN_VARIANT must be one of {VARIANTS}, not {variant!r}")
    routers = [attendance.router, leave.router, calendar.router]
    _swap_calls(routers, {now: async_now, get_runtime: async_get_runtime})
    if variant == "fast-path":
        routers.insert(0, fastpath.router)  # first match wins: it shadows the original
    app = create_service_app(
        settings,
        title="presensi (prototype)",
        description=variant,
        routers=routers,
        consumers=consumer_specs(settings),
    )
    app.state.clock = system_clock
    if variant == "pool-tuned":
        runtime: ServiceRuntime = app.state.runtime
        runtime.db = TunedDatabase(settings.database_url.get_secret_value())
    return app


Swaps = dict[Callable[..., Any], Callable[..., Any]]


def _swap_calls(routers: list[APIRouter], swaps: Swaps) -> None:
    """Replace dependencies in the routes' dependency trees, before the first request.

    Not `app.dependency_overrides`: with any override present FastAPI re-derives every
    sub-dependency's signature on every request (inspect.signature), a cost of its own.
    """

    def walk(dependant: Dependant) -> None:
        if dependant.call in swaps:
            dependant.call = swaps[dependant.call]
        for sub in dependant.dependencies:
            walk(sub)

    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute):
                walk(route.dependant)


def run() -> None:
    settings = PresensiSettings()
    variant = os.environ.get("BENCH_CHECKIN_VARIANT", "fast-path")
    uvicorn.run(
        create_app(settings, variant),
        host=settings.host,
        port=settings.port,
        log_config=None,
        timeout_graceful_shutdown=20,
    )


if __name__ == "__main__":
    run()

"""The aspirasi app, and its process entry point: migrate, then serve."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from servicekit.migrations import upgrade
from servicekit.runtime import ServiceRuntime, create_service_app, serve

from aspirasi import mail, sender, sla
from aspirasi.api import forums_routes, public, staff, testing
from aspirasi.api.deps import Limiters
from aspirasi.consumers import consumer_specs
from aspirasi.domain.workdays import Clock, system_clock
from aspirasi.settings import AspirasiSettings
from aspirasi.testclock import SettableClock

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: AspirasiSettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    settings = settings or AspirasiSettings()
    routers = [public.router, staff.router, forums_routes.router]
    if settings.test_clock:
        clock = SettableClock()
        routers.append(testing.router)
    app = create_service_app(
        settings,
        title="aspirasi",
        description="Aspirasi dan pengaduan warga atas pelayanan ASN Kota Sawahlunto "
        "(Perpres 76/2013, SP4N-LAPOR!): tanpa akun, kode tiket dan kode rahasia, "
        "disposisi ke OPD, tenggat dalam hari kerja, buka kembali, forum masyarakat, "
        "papan publik. Rute /public/… tanpa token dan dibatasi per klien.",
        routers=routers,
        consumers=consumer_specs(settings),
    )
    app.state.clock = clock
    app.state.limiters = Limiters.from_settings(settings)
    runtime: ServiceRuntime = app.state.runtime
    if settings.sla_sweep_enabled:
        _run_beside(
            app,
            lambda: sla.run_forever(
                runtime, clock, settings.sla_sweep_interval_s, settings.contact_retention_days
            ),
        )
    if settings.notify_enabled:
        transport = mail.transport_for(settings)
        policy = sender.Policy.from_settings(settings)
        _run_beside(
            app,
            lambda: sender.run_forever(
                runtime, transport, clock, settings.notify_interval_s, policy
            ),
        )
    return app


def _run_beside(app: FastAPI, loop: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run a background loop for the app's lifetime (wrapping the lifespan so far)."""
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        async with inner(app) as value:
            task = asyncio.create_task(loop())
            try:
                yield value
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app.router.lifespan_context = lifespan


def migrate(settings: AspirasiSettings) -> None:
    upgrade(MIGRATIONS, settings.database_url.get_secret_value())


def run() -> None:
    settings = AspirasiSettings()
    migrate(settings)
    serve("aspirasi.main:create_app", settings)

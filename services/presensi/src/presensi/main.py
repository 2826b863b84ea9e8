"""The presensi app, and its process entry point: migrate, then serve."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from servicekit.migrations import upgrade
from servicekit.runtime import create_service_app, serve

from presensi.api import (
    attendance_routes,
    calendar_routes,
    corrections_routes,
    devices_routes,
    flexible_work_routes,
    leave_routes,
    rosters_routes,
)
from presensi.consumers import consumer_specs
from presensi.domain.calendar import Clock, system_clock
from presensi.punches import desks
from presensi.settings import PresensiSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: PresensiSettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    settings = settings or PresensiSettings()
    app = create_service_app(
        settings,
        title="presensi",
        description="Presensi dan cuti ASN Kota Sawahlunto: presensi masuk/pulang (jam server, "
        "WIB), TL/PSW, penutupan hari, rekap, cuti dengan persetujuan atasan dan BKPSDM, saldo "
        "cuti, hari libur dan jadwal kerja. ⚠ Persentase potongan TL/PSW adalah data (default "
        "Kemenag SK Sekjen 13/2014) sampai Perwako TPP Sawahlunto dimuat.",
        routers=[
            attendance_routes.router,
            leave_routes.router,
            calendar_routes.router,
            rosters_routes.router,
            corrections_routes.router,
            flexible_work_routes.router,
            devices_routes.router,
        ],
        consumers=consumer_specs(settings),
    )
    app.state.clock = clock
    app.state.desks = desks(app.state.runtime.db)
    return app


def migrate(settings: PresensiSettings) -> None:
    upgrade(MIGRATIONS, settings.database_url.get_secret_value())


def run() -> None:
    settings = PresensiSettings()
    migrate(settings)
    serve("presensi.main:create_app", settings)

"""The pelatihan app, and its process entry point: migrate, then serve."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from servicekit.migrations import upgrade
from servicekit.runtime import create_service_app, serve

from pelatihan.api import (
    enrollments_routes,
    institutions_routes,
    learning_routes,
    programs_routes,
    reports_routes,
)
from pelatihan.consumers import consumer_specs
from pelatihan.settings import PelatihanSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: PelatihanSettings | None = None) -> FastAPI:
    settings = settings or PelatihanSettings()
    return create_service_app(
        settings,
        title="pelatihan",
        description="Pengembangan kompetensi ASN Kota Sawahlunto bersama lembaga pelatihan: "
        "program, pendaftaran dan seleksi, 20 JP per tahun (1 JP = 45 menit), anggaran per OPD, "
        "kebutuhan pelatihan dari penilaian kinerja.",
        routers=[
            institutions_routes.router,
            programs_routes.router,
            enrollments_routes.router,
            learning_routes.router,
            reports_routes.router,
        ],
        consumers=consumer_specs(settings),
    )


def migrate(settings: PelatihanSettings) -> None:
    upgrade(MIGRATIONS, settings.database_url.get_secret_value())


def run() -> None:
    settings = PelatihanSettings()
    migrate(settings)
    serve("pelatihan.main:create_app", settings)

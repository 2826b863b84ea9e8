"""The pegawai app, and its process entry point: migrate, then serve."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from servicekit.migrations import upgrade
from servicekit.runtime import create_service_app, serve

from pegawai.api import careers_routes, employees, reports, units_routes
from pegawai.consumers import consumer_specs
from pegawai.settings import PegawaiSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: PegawaiSettings | None = None) -> FastAPI:
    settings = settings or PegawaiSettings()
    return create_service_app(
        settings,
        title="pegawai",
        description="Data induk ASN Kota Sawahlunto: unit, pegawai, kenaikan pangkat, mutasi, "
        "jabatan, atasan, pensiun, DUK.",
        routers=[units_routes.router, employees.router, careers_routes.router, reports.router],
        consumers=consumer_specs(settings),
    )


def migrate(settings: PegawaiSettings) -> None:
    upgrade(MIGRATIONS, settings.database_url.get_secret_value())


def run() -> None:
    settings = PegawaiSettings()
    migrate(settings)
    serve("pegawai.main:create_app", settings)

"""The kinerja app, and its process entry point: migrate, then serve."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from servicekit.migrations import upgrade
from servicekit.runtime import create_service_app, serve

from kinerja.api import appraisals_routes, feedback, organisation, skp_routes
from kinerja.consumers import consumer_specs
from kinerja.settings import KinerjaSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: KinerjaSettings | None = None) -> FastAPI:
    settings = settings or KinerjaSettings()
    return create_service_app(
        settings,
        title="kinerja",
        description="Manajemen kinerja ASN Kota Sawahlunto (PermenPANRB 6/2022): SKP, "
        "penilaian berkala dan tahunan, predikat, umpan balik berkelanjutan, keberatan. "
        "⚠ Periode penilaian berkala (triwulan/bulan) dan batas hari keberatan adalah "
        "konfigurasi (ASN_APPRAISAL_CADENCE, ASN_OBJECTION_DAYS).",
        routers=[skp_routes.router, appraisals_routes.router, feedback.router, organisation.router],
        consumers=consumer_specs(settings),
    )


def migrate(settings: KinerjaSettings) -> None:
    upgrade(MIGRATIONS, settings.database_url.get_secret_value())


def run() -> None:
    settings = KinerjaSettings()
    migrate(settings)
    serve("kinerja.main:create_app", settings)

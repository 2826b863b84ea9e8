"""`python -m pegawai.seed`: apply migrations, then load the DEMO data set (idempotent)."""

from __future__ import annotations

import asyncio

from servicekit.db import Database
from servicekit.logging import configure_logging, get_logger

from pegawai.domain.dates import today_wib
from pegawai.main import migrate
from pegawai.seed.load import load
from pegawai.settings import PegawaiSettings


async def main(settings: PegawaiSettings) -> None:
    db = Database(settings.database_url.get_secret_value())
    try:
        units, employees = await load(
            db, settings.topic, today_wib(), settings.retirement_convention
        )
    finally:
        await db.dispose()
    get_logger("pegawai.seed").info("demo data loaded", units=units, employees=employees)


if __name__ == "__main__":
    settings = PegawaiSettings()
    configure_logging("pegawai-seed", settings.log_level, json=settings.log_json)
    migrate(settings)
    asyncio.run(main(settings))

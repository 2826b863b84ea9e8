"""`python -m pelatihan.seed`: apply migrations, wait for the replica of pegawai's demo
employees, then load the demo through the service's commands (idempotent)."""

from __future__ import annotations

import asyncio

from servicekit.db import Database
from servicekit.logging import configure_logging, get_logger
from servicekit.seeding import replica_settled
from sqlalchemy import func, select

from pelatihan.domain.dates import today_wib
from pelatihan.main import migrate
from pelatihan.models import Employee
from pelatihan.seed.load import load
from pelatihan.settings import PelatihanSettings

log = get_logger("pelatihan.seed")


async def main(settings: PelatihanSettings) -> None:
    db = Database(settings.database_url.get_secret_value())
    try:
        employees = await replica_settled(
            db,
            select(func.count()).select_from(Employee),
            consumer=(settings.kafka_bootstrap, settings.consumer_group, [settings.pegawai_topic]),
        )
        if employees <= 0:
            log.warning("no employees in the replica: is pegawai's demo loaded?")
            return
        counts = await load(db, settings, today_wib())
    finally:
        await db.dispose()
    log.info("demo data loaded", employees=employees, **counts)


if __name__ == "__main__":
    settings = PelatihanSettings()
    configure_logging("pelatihan-seed", settings.log_level, json=settings.log_json)
    migrate(settings)
    asyncio.run(main(settings))

"""`python -m kinerja.seed`: apply migrations, wait for the replica of pegawai's demo
employees, then load the demo through the service's commands (idempotent)."""

from __future__ import annotations

import asyncio
import time

from servicekit.db import Database
from servicekit.logging import configure_logging, get_logger
from servicekit.seeding import replica_settled
from sqlalchemy import func, select

from kinerja.domain.periods import today_wib
from kinerja.main import migrate
from kinerja.models import Employee
from kinerja.seed.load import load
from kinerja.settings import KinerjaSettings

log = get_logger("kinerja.seed")


async def main(settings: KinerjaSettings) -> None:
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
        began = time.monotonic()
        counts = await load(db, settings, today_wib())
        counts["seconds"] = round(time.monotonic() - began, 1)
    finally:
        await db.dispose()
    log.info("demo data loaded", employees=employees, **counts)


if __name__ == "__main__":
    settings = KinerjaSettings()
    configure_logging("kinerja-seed", settings.log_level, json=settings.log_json)
    migrate(settings)
    asyncio.run(main(settings))

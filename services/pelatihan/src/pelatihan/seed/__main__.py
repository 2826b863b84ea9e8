"""`python -m pelatihan.seed`: apply migrations, wait for the replica of pegawai's demo
employees, then load the demo through the service's commands (idempotent)."""

from __future__ import annotations

import asyncio

from servicekit.db import Database
from servicekit.logging import configure_logging, get_logger
from sqlalchemy import text

from pelatihan.domain.dates import today_wib
from pelatihan.main import migrate
from pelatihan.seed.load import load
from pelatihan.settings import PelatihanSettings

log = get_logger("pelatihan.seed")
SETTLED_S = 3.0
LIMIT_S = 300.0


async def replica_settled(db: Database) -> int:
    """Wait until the employee replica stops growing (pegawai's demo is being consumed)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + LIMIT_S
    last, since = -1, loop.time()
    while loop.time() < deadline:
        async with db.read_session() as session:
            count = int((await session.execute(text("SELECT count(*) FROM employee"))).scalar_one())
        if count != last:
            last, since = count, loop.time()
        elif count > 0 and loop.time() - since >= SETTLED_S:
            return count
        await asyncio.sleep(0.5)
    return last


async def main(settings: PelatihanSettings) -> None:
    db = Database(settings.database_url.get_secret_value())
    try:
        employees = await replica_settled(db)
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

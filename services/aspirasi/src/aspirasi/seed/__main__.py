"""`python -m aspirasi.seed`: apply migrations, wait for the unit replica, then load the
demo tickets and forums through the service's own commands (idempotent: nothing is loaded
when tickets exist). The running service's relay publishes their events."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from servicekit.logging import configure_logging, get_logger
from servicekit.runtime import ServiceRuntime

from aspirasi.main import migrate
from aspirasi.seed.load import load
from aspirasi.settings import AspirasiSettings

log = get_logger("aspirasi.seed")


async def main(settings: AspirasiSettings) -> None:
    runtime = ServiceRuntime(settings)
    try:
        loaded = await load(runtime, datetime.now(UTC))
    finally:
        await runtime.db.dispose()
    log.info("demo data loaded", **loaded)


if __name__ == "__main__":
    settings = AspirasiSettings()
    configure_logging("aspirasi-seed", settings.log_level, json=settings.log_json)
    migrate(settings)
    asyncio.run(main(settings))

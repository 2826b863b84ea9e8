"""The Alembic migrations create exactly what the models describe (servicekit's too)."""

import asyncio

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from aspirasi.main import MIGRATIONS
from aspirasi.models import AspirasiTable
from servicekit.db import Database
from servicekit.migrations import upgrade
from servicekit.tables import IdempotencyRecord, InboxRecord, OutboxRecord
from sqlalchemy import MetaData, text

pytestmark = pytest.mark.integration


def expected_metadata() -> MetaData:
    metadata = MetaData()
    for table in AspirasiTable.metadata.tables.values():
        table.to_metadata(metadata)
    for record in (OutboxRecord, InboxRecord, IdempotencyRecord):
        record.__table__.to_metadata(metadata)  # type: ignore[attr-defined]
    return metadata


async def test_migrated_schema_matches_the_models(new_database):
    dsn = await new_database("aspirasi_mig")
    await asyncio.to_thread(upgrade, MIGRATIONS, dsn)
    db = Database(dsn)
    try:
        async with db.engine.connect() as conn:

            def diff(sync_conn):
                return compare_metadata(MigrationContext.configure(sync_conn), expected_metadata())

            assert await conn.run_sync(diff) == []
            number = (await conn.execute(text("SELECT nextval('ticket_number')"))).scalar()
            assert number == 1
    finally:
        await db.dispose()

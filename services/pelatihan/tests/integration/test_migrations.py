"""The Alembic migrations create exactly what the models describe (servicekit's too)."""

import asyncio

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pelatihan.main import MIGRATIONS
from pelatihan.models import PelatihanTable
from servicekit.db import Database
from servicekit.migrations import upgrade
from servicekit.tables import IdempotencyRecord, InboxRecord, OutboxRecord
from sqlalchemy import MetaData

pytestmark = pytest.mark.integration


def expected_metadata() -> MetaData:
    # A copy, because SQLModel's shared metadata also holds other services' tables when a
    # test process imports them (the cross-service test imports pegawai).
    metadata = MetaData()
    for table in PelatihanTable.metadata.tables.values():
        table.to_metadata(metadata)
    for record in (OutboxRecord, InboxRecord, IdempotencyRecord):
        record.__table__.to_metadata(metadata)  # type: ignore[attr-defined]
    return metadata


async def test_migrated_schema_matches_the_models(new_database):
    dsn = await new_database("pelatihan_mig")
    await asyncio.to_thread(upgrade, MIGRATIONS, dsn)
    metadata = expected_metadata()
    db = Database(dsn)
    try:
        async with db.engine.connect() as conn:

            def diff(sync_conn):
                return compare_metadata(MigrationContext.configure(sync_conn), metadata)

            assert await conn.run_sync(diff) == []
    finally:
        await db.dispose()

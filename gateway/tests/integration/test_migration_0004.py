"""0004 on a read model from before it: history rows a re-send duplicated are reduced to
one, and the tables end as a fresh migration (and a rebuild) makes them."""

from __future__ import annotations

import uuid

import pytest
from gateway.main import MIGRATIONS
from gateway_testkit import STAFF
from servicekit.db import Database
from servicekit.migrations import upgrade_async
from sqlalchemy import text

pytestmark = pytest.mark.integration

COLUMNS = text(
    "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
    "WHERE table_schema = 'readmodel' ORDER BY 1, 2"
)
INDEXES = text("SELECT indexname FROM pg_indexes WHERE schemaname = 'readmodel' ORDER BY 1")
HISTORY = text(
    "INSERT INTO readmodel.employee_history (nip, field, value, event_type, event_id, "
    "recorded_at) VALUES (:nip, :field, '\"III/b\"', 'pegawai.employee.registered.v1', :id, "
    "now())"
)


async def test_0004_dedupes_history_and_adds_the_guards(gateway):
    url = gateway.settings.database_url.get_secret_value()
    db = Database(url, pool_size=1)
    event_id = uuid.uuid4()
    try:
        async with db.engine.begin() as conn:
            columns, indexes = (
                (await conn.execute(COLUMNS)).all(),
                (await conn.execute(INDEXES)).all(),
            )
            # Back to the shape 0003 left, holding one registration applied twice.
            for statement in (
                "DROP INDEX readmodel.ux_history_event_field",
                "DROP TABLE readmodel.applied_event",
                "DROP TABLE readmodel.holiday",
                "UPDATE alembic_version SET version_num = '0003'",
            ):
                await conn.execute(text(statement))
            for field in ("golongan", "golongan", "status"):
                await conn.execute(HISTORY, {"nip": STAFF, "field": field, "id": event_id})
        await upgrade_async(MIGRATIONS, url, revision="0004")
        async with db.engine.begin() as conn:
            assert (await conn.execute(COLUMNS)).all() == columns
            assert (await conn.execute(INDEXES)).all() == indexes
            rows = await conn.execute(
                text("SELECT field FROM readmodel.employee_history WHERE event_id = :id"),
                {"id": event_id},
            )
            assert sorted(field for (field,) in rows) == ["golongan", "status"]
            version = await conn.execute(text("SELECT version_num FROM alembic_version"))
            assert version.scalar() == "0004"
    finally:
        await db.dispose()

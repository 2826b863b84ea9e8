"""The database's TLS setting reaches every client a service opens, on the real PostgreSQL.

The local PostgreSQL speaks plaintext only: a client told `sslmode=require` must be refused
by it, and one told `sslmode=prefer` must fall back and connect. Each kind of connection a
service makes (the SQLAlchemy engine, the raw asyncpg pool, a single asyncpg connection as
the relay and the purge open, and alembic's engine) shows that it was given the setting.
"""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest
from servicekit.connections import with_pg_tls
from servicekit.db import Database
from servicekit.migrations import upgrade_async

pytestmark = pytest.mark.integration

MIGRATIONS = Path(__file__).parents[4] / "services/pegawai/src/pegawai/migrations"


async def test_sslmode_require_reaches_the_engine_the_raw_pool_and_asyncpg(new_database):
    dsn = await new_database("tls")
    required = Database(with_pg_tls(dsn, "require", None))
    try:
        with pytest.raises((ConnectionError, OSError), match="SSL"):
            await required.ping()
        with pytest.raises((ConnectionError, OSError), match="SSL"):
            await required.raw_pool()
        with pytest.raises((ConnectionError, OSError), match="SSL"):
            await asyncpg.connect(required.asyncpg_dsn)
        with pytest.raises((ConnectionError, OSError), match="SSL"):
            await upgrade_async(MIGRATIONS, required.url)
    finally:
        await required.dispose()

    preferred = Database(with_pg_tls(dsn, "prefer", None))
    try:
        await preferred.ping()
        pool = await preferred.raw_pool()
        assert await pool.fetchval("SELECT 1") == 1
    finally:
        await preferred.dispose()

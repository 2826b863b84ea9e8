"""Alembic, shared: each service keeps its own `migrations/` folder and calls these.

A service's `migrations/env.py` is two lines (`from servicekit.migrations import run_env;
run_env(ServiceTable.metadata)`), and `upgrade(...)` applies its migrations at start-up or
in tests.

Each service declares its tables on a base of its own (`class PegawaiTable(SQLModel,
registry=registry())`), not on SQLModel's shared metadata: two services may both have an
`employee` table, and a test process or a tool may import both. The shared metadata holds
only servicekit's own tables (outbox, inbox, idempotency_key), which every service's
database has and which `run_env` always adds.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

from servicekit.connections import pg_engine_args


def alembic_config(migrations_dir: Path, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", _async_url(database_url).replace("%", "%%"))
    return config


def upgrade(migrations_dir: Path, database_url: str, revision: str = "head") -> None:
    """Apply migrations (blocking: call it before the event loop starts, or in a thread)."""
    command.upgrade(alembic_config(migrations_dir, database_url), revision)


async def upgrade_async(migrations_dir: Path, database_url: str, revision: str = "head") -> None:
    await asyncio.to_thread(upgrade, migrations_dir, database_url, revision)


def run_env(service_metadata: MetaData) -> None:
    """The body of every service's `env.py`: online migrations over asyncpg."""
    import servicekit.tables  # noqa: F401 - registers outbox, inbox and idempotency_key

    target_metadata = [service_metadata, SQLModel.metadata]
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("sqlalchemy.url is not set: use servicekit.migrations.alembic_config")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    def migrate(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            # Processes sharing a database (replicas, the gateway and its projector) start
            # together: one migrates, the others wait and then find nothing left to do.
            connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('alembic'))"))
            context.run_migrations()

    async def run() -> None:
        engine_url, connect_args = pg_engine_args(url)
        engine = create_async_engine(engine_url, connect_args=connect_args, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(migrate)
        await engine.dispose()

    asyncio.run(run())


def _async_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+asyncpg://", 1)


PURGE_INDEXES = (
    ("ix_outbox_published_at", "outbox", "published_at"),
    ("ix_inbox_processed_at", "inbox", "processed_at"),
    ("ix_idempotency_key_created_at", "idempotency_key", "created_at"),
)
"""The BRIN indexes servicekit.housekeeping purges by (servicekit.tables declares them)."""


def create_purge_indexes() -> None:
    """For a service's migration that adds them to an existing database (idempotent; a
    database without one of the tables, like the gateway's without idempotency keys,
    gets the others)."""
    from alembic import op
    from sqlalchemy import inspect

    present = set(inspect(op.get_bind()).get_table_names())
    for name, table, column in PURGE_INDEXES:
        if table in present:
            op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING brin ({column})")


def drop_purge_indexes() -> None:
    from alembic import op

    for name, _, _ in PURGE_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")

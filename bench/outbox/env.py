"""The benchmark's own stack: free ports, its own state folder, destroyed at the end.

Its own stack (not `make run`'s) so a run neither disturbs a running suite nor is
disturbed by its traffic; `.stack-bench/` is git-ignored.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from devstack import Stack, StackConfig
from servicekit.db import Database
from servicekit.tables import InboxRecord, OutboxRecord
from sqlmodel import SQLModel

from bench.outbox.domain import EFFECTS, envelope_document

REPO_ROOT = Path(__file__).resolve().parents[2]
STATE_BASE = REPO_ROOT / ".stack-bench"


@contextmanager
def bench_stack(databases: tuple[str, ...]) -> Iterator[Stack]:
    """A started stack with only the benchmark's databases and no topics; destroyed after."""
    STATE_BASE.mkdir(exist_ok=True)
    state_dir = Path(tempfile.mkdtemp(prefix="run-", dir=STATE_BASE))
    # The suite's databases and topics would only cost start-up time here.
    config = dataclasses.replace(StackConfig.for_tests(state_dir), databases=databases, topics={})
    stack = Stack(config)
    try:
        stack.kafka.fetch()
        stack.start()
        yield stack
    finally:
        stack.destroy()
        # Leave no empty `.stack-bench/` behind; another run's folder keeps it.
        with contextlib.suppress(OSError):
            STATE_BASE.rmdir()


async def prepare_database(dsn: str, *, pool_size: int = 10) -> Database:
    """The service-side tables the building blocks need (outbox, inbox) plus the effects."""
    db = Database(dsn, pool_size=pool_size)
    async with db.engine.begin() as conn:
        tables = [SQLModel.metadata.tables[m.__tablename__] for m in (OutboxRecord, InboxRecord)]
        await conn.run_sync(lambda sync: SQLModel.metadata.create_all(sync, tables=tables))
        await conn.run_sync(EFFECTS.metadata.create_all)
    return db


async def table_count(dsn: str, table: str, where: str = "") -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval(f"SELECT count(*) FROM {table} {where}"))  # noqa: S608 -- fixed names
    finally:
        await conn.close()


async def value_bytes(dsn: str, samples: int = 200) -> int:
    """Mean size of the Kafka value the relay sends: `payload::text` of the JSONB column.

    PostgreSQL renders JSONB with its own spacing, so the size is taken from it rather
    than from Python's JSON.
    """
    documents = [json.dumps(envelope_document(n)) for n in range(samples)]
    conn = await asyncpg.connect(dsn)
    try:
        mean = await conn.fetchval(
            "SELECT avg(octet_length(d::jsonb::text)) FROM unnest($1::text[]) AS d", documents
        )
    finally:
        await conn.close()
    return round(float(mean))

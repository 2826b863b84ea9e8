"""The purges of outbox, inbox and idempotency keys, on the real database."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest
from servicekit.housekeeping import Housekeeper, Retention
from servicekit.testing import eventually

pytestmark = pytest.mark.integration


async def seed(dsn: str, *, age_days: int, tag: str) -> None:
    """One row of each kind, `age_days` old (published, for the outbox) plus, in the outbox,
    an unpublished row just as old: the relay has not sent it yet, so it must stay."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "INSERT INTO outbox (event_id, topic, key, event_type, payload, created_at, "
            "published, published_at) VALUES "
            "($1, 't', $2, 'x.v1', '{}', now() - make_interval(days => $4), true, "
            "now() - make_interval(days => $4)), "
            "($3, 't', $2, 'x.v1', '{}', now() - make_interval(days => $4), false, NULL)",
            uuid.uuid4(),
            tag,
            uuid.uuid4(),
            age_days,
        )
        await conn.execute(
            "INSERT INTO inbox (consumer_group, event_id, event_type, processed_at) "
            "VALUES ($1, $2, 'x.v1', now() - make_interval(days => $3))",
            tag,
            uuid.uuid4(),
            age_days,
        )
        await conn.execute(
            "INSERT INTO idempotency_key (actor, key, fingerprint, created_at) "
            "VALUES ($1, $1, 'fp', now() - make_interval(days => $2))",
            tag,
            age_days,
        )
    finally:
        await conn.close()


async def remaining(dsn: str) -> dict[str, list[str]]:
    conn = await asyncpg.connect(dsn)
    try:
        return {
            "outbox": sorted(
                f"{r['key']}:{'published' if r['published'] else 'pending'}"
                for r in await conn.fetch("SELECT key, published FROM outbox")
            ),
            "inbox": sorted(r[0] for r in await conn.fetch("SELECT consumer_group FROM inbox")),
            "idempotency_key": sorted(
                r[0] for r in await conn.fetch("SELECT actor FROM idempotency_key")
            ),
        }
    finally:
        await conn.close()


async def test_each_table_keeps_rows_for_its_own_retention(service_db):
    dsn = service_db.asyncpg_dsn
    await seed(dsn, age_days=2, tag="recent")
    await seed(dsn, age_days=30, tag="month")
    await seed(dsn, age_days=500, tag="ancient")

    deleted = await Housekeeper(dsn, retention=Retention()).purge()

    assert deleted == {"outbox": 2, "idempotency_key": 2, "inbox": 1}
    assert await remaining(dsn) == {
        # Published rows go after 7 days; unpublished ones never (the relay still owes them).
        "outbox": ["ancient:pending", "month:pending", "recent:pending", "recent:published"],
        # Idempotency keys go after 7 days: no client retries a command that late.
        "idempotency_key": ["recent"],
        # Event ids stay 400 days: a dead letter replayed months later is still a duplicate.
        "inbox": ["month", "recent"],
    }


async def test_a_quiet_service_purges_by_wall_clock_time(service_db):
    """No events flow, yet rows past retention go within one interval."""
    dsn = service_db.asyncpg_dsn
    housekeeper = Housekeeper(dsn, retention=Retention(), interval_s=0.2)
    task = asyncio.create_task(housekeeper.run())
    try:
        await eventually(lambda: _rounds(housekeeper, 1), what="the purge at start")
        await seed(dsn, age_days=500, tag="ancient")
        await eventually(
            lambda: _only_pending_left(dsn), timeout_s=30, what="the periodic purge ran"
        )
    finally:
        housekeeper.stop()
        await task
    assert await remaining(dsn) == {
        "outbox": ["ancient:pending"],
        "idempotency_key": [],
        "inbox": [],
    }


async def _rounds(housekeeper: Housekeeper, n: int) -> bool:
    return housekeeper.rounds >= n


async def _only_pending_left(dsn: str) -> bool:
    return (await remaining(dsn))["inbox"] == []


async def test_purges_go_in_batches_until_nothing_old_is_left(service_db, monkeypatch):
    import servicekit.housekeeping as housekeeping

    monkeypatch.setattr(housekeeping, "BATCH", 3)
    dsn = service_db.asyncpg_dsn
    for i in range(7):
        await seed(dsn, age_days=500, tag=f"old{i}")
    deleted = await Housekeeper(dsn).purge()
    assert deleted == {"outbox": 7, "idempotency_key": 7, "inbox": 7}


async def test_a_database_without_idempotency_keys_still_purges_the_rest(service_db):
    """The gateway's database has an inbox and an outbox, but keeps no idempotency keys."""
    dsn = service_db.asyncpg_dsn
    await seed(dsn, age_days=500, tag="ancient")
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("DROP TABLE idempotency_key")
    finally:
        await conn.close()
    assert await Housekeeper(dsn).purge() == {"outbox": 1, "inbox": 1}

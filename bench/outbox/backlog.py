"""Backlog drain: a large outbox already committed (Kafka was down, or the relay was), then
`OutboxRelay.drain()` timed until every row is marked published; then a consumer group
drains those events from Kafka into its inbox, timed separately.

The backlog is written through `UnitOfWork` (`fill_events_per_tx` events a transaction),
so the rows are exactly what services write. Nothing else runs while the relay drains.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass
from typing import Any

import asyncpg
from devstack import Stack
from servicekit.db import Database

from bench.outbox import cpu
from bench.outbox.domain import add_note, unit_of_work
from bench.outbox.env import prepare_database, table_count
from bench.outbox.harness import running, wait_until
from bench.outbox.probes import Probe, ProbedRelay, probed_consumer

TOPIC = "bench.backlog.events"


@dataclass(frozen=True)
class BacklogConfig:
    events: int
    partitions: int
    fill_events_per_tx: int = 1000
    fill_writers: int = 2
    relay_batch_size: int = 500
    """servicekit's default (ServiceSettings.relay_batch_size)."""
    timeout_s: float = 300.0


@dataclass(frozen=True)
class RelayDrain:
    seconds: float
    events_per_s: float
    unpublished_left: int
    cpu_per_s: dict[str, float]


@dataclass(frozen=True)
class ConsumerDrain:
    seconds: float
    """First record fetched → last batch committed (the group join left out)."""
    events_per_s: float
    seconds_with_join: float
    cpu_per_s: dict[str, float]


@dataclass(frozen=True)
class BacklogResult:
    config: BacklogConfig
    fill_s: float
    fill_events_per_s: float
    relay: RelayDrain
    consumer: ConsumerDrain

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


async def fill(db: Database, topic: str, events: int, per_tx: int, writers: int) -> float:
    """Commit `events` outbox rows through UnitOfWork; returns the seconds it took."""
    tx_numbers = iter(range(events // per_tx))

    async def writer() -> None:
        for tx in tx_numbers:
            async with unit_of_work(db, topic) as uow:
                for n in range(tx * per_tx, (tx + 1) * per_tx):
                    add_note(uow, n)

    started = time.perf_counter()
    await asyncio.gather(*(writer() for _ in range(writers)))
    return time.perf_counter() - started


async def analyze(dsn: str) -> None:
    # A backlog that built up over minutes would have had autovacuum's ANALYZE; one written
    # in seconds has not, and the relay's claim must not be timed on an empty-table plan.
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("ANALYZE outbox")
    finally:
        await conn.close()


async def drain_relay(stack: Stack, dsn: str, relay: ProbedRelay) -> tuple[int, RelayDrain]:
    try:
        before = cpu.sample(stack.kafka.pid(), stack.postgres.pid())
        started = time.perf_counter()
        drained = await relay.drain()
        seconds = time.perf_counter() - started
        after = cpu.sample(stack.kafka.pid(), stack.postgres.pid())
    finally:
        await relay.close()
    return drained, RelayDrain(
        seconds=round(seconds, 3),
        events_per_s=round(drained / seconds, 1),
        unpublished_left=await table_count(dsn, "outbox", "WHERE NOT published"),
        cpu_per_s=cpu.per_second(before, after, seconds),
    )


async def drain_consumer(
    stack: Stack,
    db: Database,
    topic: str,
    events: int,
    timeout_s: float,
) -> ConsumerDrain:
    probe = Probe()
    probe.reset(events)
    consumer = probed_consumer(db, stack.kafka.bootstrap, topic, probe, group=f"{topic}-group")
    async with running(db, topic, None, consumer) as tasks:
        before = cpu.sample(stack.kafka.pid(), stack.postgres.pid())
        started = time.perf_counter()
        await wait_until(probe.done, tasks, timeout_s=timeout_s, what="the consumer's last event")
        after = cpu.sample(stack.kafka.pid(), stack.postgres.pid())
    assert probe.first_fetched is not None and probe.last_applied is not None
    seconds = probe.last_applied - probe.first_fetched
    return ConsumerDrain(
        seconds=round(seconds, 3),
        events_per_s=round(events / seconds, 1),
        seconds_with_join=round(probe.last_applied - started, 3),
        cpu_per_s=cpu.per_second(before, after, probe.last_applied - started),
    )


async def run_backlog(
    stack: Stack,
    db_name: str,
    config: BacklogConfig,
    *,
    topic: str = TOPIC,
) -> BacklogResult:
    stack.kafka.create_topics({topic: config.partitions})
    dsn = stack.postgres.dsn(db_name)
    db = await prepare_database(dsn)
    total = config.events // config.fill_events_per_tx * config.fill_events_per_tx
    try:
        fill_s = await fill(db, topic, total, config.fill_events_per_tx, config.fill_writers)
        await analyze(dsn)
        relay = ProbedRelay(
            dsn,
            stack.kafka.bootstrap,
            name="bench-backlog-relay",
            batch_size=config.relay_batch_size,
        )
        drained, relay_drain = await drain_relay(stack, dsn, relay)
        consumer_drain = await drain_consumer(stack, db, topic, drained, config.timeout_s)
    finally:
        await db.dispose()
    return BacklogResult(
        config=config,
        fill_s=round(fill_s, 3),
        fill_events_per_s=round(total / fill_s, 1),
        relay=relay_drain,
        consumer=consumer_drain,
    )

"""Pipeline throughput: writers commit events while the relay and a consumer group run.

Writers are concurrent tasks, each committing units of work of `events_per_tx` events
(a batch command, e.g. a unit's employees transferred at once). Throughput is the events
over the time from the first commit returning to the last event's effect committed by
the consumer: everything in between — outbox INSERT, NOTIFY, relay claim, Kafka with
acks=all, fetch, inbox and handler INSERT, commit — is on the clock.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass
from typing import Any

from devstack import Stack

from bench.outbox import cpu
from bench.outbox.domain import add_note, unit_of_work
from bench.outbox.env import prepare_database
from bench.outbox.harness import running, wait_until
from bench.outbox.probes import Probe, ProbedRelay, probed_consumer

TOPIC = "bench.pipeline.events"


@dataclass(frozen=True)
class PipelineConfig:
    events: int
    events_per_tx: int
    writers: int
    partitions: int
    timeout_s: float = 240.0


@dataclass(frozen=True)
class PipelineResult:
    config: PipelineConfig
    elapsed_s: float
    events_per_s: float
    writers_done_s: float
    """When the last commit returned, from the first: the offered load's pace."""
    relay_done_s: float
    """When Kafka had acknowledged the last event, from the first commit."""
    relay_batches: int
    consumer_batches: int
    cpu_per_s: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


async def run_pipeline(
    stack: Stack,
    db_name: str,
    config: PipelineConfig,
    *,
    topic: str = TOPIC,
) -> PipelineResult:
    stack.kafka.create_topics({topic: config.partitions})
    db = await prepare_database(stack.postgres.dsn(db_name))
    bootstrap = stack.kafka.bootstrap
    relay = ProbedRelay(db.asyncpg_dsn, bootstrap, name="bench-pipeline-relay")
    probe = Probe()
    consumer = probed_consumer(db, bootstrap, topic, probe, group=f"{topic}-group")
    transactions = config.events // config.events_per_tx
    total = transactions * config.events_per_tx
    try:
        async with running(db, topic, relay, consumer) as tasks:
            probe.reset(total)
            relay.reset(total)
            tx_numbers = iter(range(transactions))  # shared: each writer takes the next one
            commits: list[float] = []

            async def writer() -> None:
                for tx in tx_numbers:
                    async with unit_of_work(db, topic) as uow:
                        for n in range(tx * config.events_per_tx, (tx + 1) * config.events_per_tx):
                            add_note(uow, n)
                    commits.append(time.perf_counter())

            before = cpu.sample(stack.kafka.pid(), stack.postgres.pid())
            started = time.perf_counter()
            await asyncio.gather(*(writer() for _ in range(config.writers)))
            await wait_until(
                probe.done, tasks, timeout_s=config.timeout_s, what="the pipeline's last event"
            )
            after = cpu.sample(stack.kafka.pid(), stack.postgres.pid())
    finally:
        await db.dispose()
    first_commit = min(commits)
    assert probe.last_applied is not None and relay.done_at is not None
    elapsed = probe.last_applied - first_commit
    return PipelineResult(
        config=config,
        elapsed_s=round(elapsed, 3),
        events_per_s=round(total / elapsed, 1),
        writers_done_s=round(max(commits) - first_commit, 3),
        relay_done_s=round(relay.done_at - first_commit, 3),
        relay_batches=relay.batches,
        consumer_batches=probe.batches,
        cpu_per_s=cpu.per_second(before, after, probe.last_applied - started),
    )

"""Latency: commit returned → the consumer's handler sees the event, at a steady low rate.

One event per unit of work, paced on an absolute schedule (no drift when a commit is
slow). The commit time is taken right after the unit of work's block returns, the seen
time in the handler, both on this process's `perf_counter`, matched by event id. The
time the event's batch committed in the consumer (`applied`) is kept beside it.
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from devstack import Stack

from bench.outbox.domain import add_note, unit_of_work
from bench.outbox.env import prepare_database
from bench.outbox.harness import running, wait_until
from bench.outbox.probes import Probe, ProbedRelay, probed_consumer

TOPIC = "bench.latency.events"


@dataclass(frozen=True)
class LatencyConfig:
    rate_per_s: float
    duration_s: float
    partitions: int


@dataclass(frozen=True)
class LatencyResult:
    config: LatencyConfig
    events: int
    seen_ms: dict[str, float]
    """Commit returned → handler sees it: what is compared with EndToEndLatency."""
    applied_ms: dict[str, float]
    """Commit returned → the consumer's transaction with its effect committed."""
    achieved_rate_per_s: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def percentiles(values_s: list[float]) -> dict[str, float]:
    """Nearest-rank percentiles in ms (EndToEndLatency reports nearest-rank, too)."""
    ordered = sorted(values_s)

    def rank(p: float) -> float:
        index = max(0, math.ceil(p / 100 * len(ordered)) - 1)
        return round(ordered[index] * 1000, 2)

    return {
        "avg": round(sum(ordered) / len(ordered) * 1000, 2),
        "p50": rank(50),
        "p99": rank(99),
        "p99.9": rank(99.9),
        "max": round(ordered[-1] * 1000, 2),
    }


async def run_latency(
    stack: Stack,
    db_name: str,
    config: LatencyConfig,
    *,
    topic: str = TOPIC,
) -> LatencyResult:
    stack.kafka.create_topics({topic: config.partitions})
    db = await prepare_database(stack.postgres.dsn(db_name))
    bootstrap = stack.kafka.bootstrap
    relay = ProbedRelay(db.asyncpg_dsn, bootstrap, name="bench-latency-relay")
    probe = Probe(keep_ids=True)
    consumer = probed_consumer(db, bootstrap, topic, probe, group=f"{topic}-group")
    count = int(config.rate_per_s * config.duration_s)
    committed: dict[uuid.UUID, float] = {}
    try:
        async with running(db, topic, relay, consumer) as tasks:
            probe.reset(count)
            loop = asyncio.get_running_loop()
            start = loop.time()
            for n in range(count):
                delay = start + n / config.rate_per_s - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                async with unit_of_work(db, topic) as uow:
                    event_id = add_note(uow, n)
                committed[event_id] = time.perf_counter()
            offered = count / (loop.time() - start)
            await wait_until(probe.done, tasks, timeout_s=60, what="the last latency event")
    finally:
        await db.dispose()
    return LatencyResult(
        config=config,
        events=count,
        seen_ms=percentiles([probe.seen[i] - t for i, t in committed.items()]),
        applied_ms=percentiles([probe.applied[i] - t for i, t in committed.items()]),
        achieved_rate_per_s=round(offered, 1),
    )

"""The relay and the consumer runner, unchanged, with stamps of when work is done.

The subclasses only observe: `publish_batch` and `_process` run as in servicekit and
are timed once they return (rows marked published; a partition batch's effects and inbox
rows committed). All times are `time.perf_counter()` of this one process.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from servicekit.consumer import ConsumedEvent, ConsumerRunner, Handler
from servicekit.db import Database
from servicekit.relay import OutboxRelay
from servicekit.uow import UnitOfWork

from bench.outbox.domain import SOURCE, NoteRecorded, record_effect


@dataclass
class Probe:
    """What the consumer applied and when.

    With `keep_ids`, per event: `seen` when the handler got it, `applied` when its batch
    committed (for latency); otherwise only counts, the first fetch and the last commit.
    """

    target: int = 0
    keep_ids: bool = False
    seen: dict[uuid.UUID, float] = field(default_factory=dict)
    applied: dict[uuid.UUID, float] = field(default_factory=dict)
    applied_count: int = 0
    batches: int = 0
    first_fetched: float | None = None
    last_applied: float | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)
    _in_batch: set[uuid.UUID] = field(default_factory=set)

    def handler(self, effect: Handler = record_effect) -> Handler:
        async def handle(event: ConsumedEvent, uow: UnitOfWork) -> None:
            self.saw(event)
            await effect(event, uow)
            self.handled(event)

        return handle

    def saw(self, event: ConsumedEvent) -> None:
        if self.keep_ids:
            self.seen.setdefault(event.envelope.id, time.perf_counter())

    def handled(self, event: ConsumedEvent) -> None:
        # A set: a failed batch is retried one event at a time and would count twice.
        self._in_batch.add(event.envelope.id)

    def reset(self, target: int) -> None:
        """Forget the warm-up: count from here on, up to `target` events."""
        self.target = target
        self.seen.clear()
        self.applied.clear()
        self.applied_count = self.batches = 0
        self.first_fetched = self.last_applied = None
        self.done.clear()

    def batch_committed(self) -> None:
        now = time.perf_counter()
        self.last_applied = now
        self.batches += 1
        self.applied_count += len(self._in_batch)
        if self.keep_ids:
            for event_id in self._in_batch:
                self.applied.setdefault(event_id, now)
        self._in_batch.clear()
        if self.target and self.applied_count >= self.target:
            self.done.set()


class ProbedConsumer(ConsumerRunner):
    def __init__(self, probe: Probe, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.probe = probe

    async def _process(self, records: list[Any]) -> None:
        if self.probe.first_fetched is None:
            self.probe.first_fetched = time.perf_counter()
        await super()._process(records)
        self.probe.batch_committed()


def probed_consumer(
    db: Database,
    bootstrap: str,
    topic: str,
    probe: Probe,
    *,
    group: str,
    **kwargs: Any,
) -> ProbedConsumer:
    return ProbedConsumer(
        probe,
        db=db,
        bootstrap=bootstrap,
        group_id=group,
        topics=[topic],
        handlers={NoteRecorded.event_type: probe.handler()},
        source=SOURCE,
        own_topic=topic,
        **kwargs,
    )


class ProbedRelay(OutboxRelay):
    """Counts what Kafka acknowledged and stamps when `target` events are out."""

    def __init__(self, *args: Any, target: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target = target
        self.published = 0
        self.batches = 0
        self.done_at: float | None = None

    def reset(self, target: int) -> None:
        self.target = target
        self.published = self.batches = 0
        self.done_at = None

    async def publish_batch(self) -> int:
        published = await super().publish_batch()
        if published:
            self.published += published
            self.batches += 1
            if self.done_at is None and self.target and self.published >= self.target:
                self.done_at = time.perf_counter()
        return published

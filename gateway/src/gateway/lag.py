"""How far the read model is behind its topics: events and seconds, per topic.

Events behind: the topics' end offsets minus the consumer group's committed offsets.
Seconds behind: the age of the oldest event not yet applied (its Kafka timestamp), per
partition, the largest over a topic; 0 when caught up.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client import Gauge
from servicekit.connections import KafkaTarget, kafka_client_args
from servicekit.logging import get_logger

log = get_logger(__name__)

LAG_EVENTS = Gauge("gateway_readmodel_lag_events", "Events not yet in the read model", ["topic"])
LAG_SECONDS = Gauge(
    "gateway_readmodel_lag_seconds", "Age of the oldest event not yet in the read model", ["topic"]
)


@dataclass(frozen=True)
class TopicLag:
    events_behind: int
    seconds_behind: float


class LagMonitor:
    def __init__(
        self, bootstrap: KafkaTarget, group_id: str, topics: Sequence[str], *, interval_s: float
    ) -> None:
        self._bootstrap = bootstrap
        self._group_id = group_id
        self._topics = list(topics)
        self._interval_s = interval_s
        self.lag: dict[str, TopicLag] | None = None  # None: unknown (Kafka unreachable)
        self.checked_at: float | None = None
        self._task: asyncio.Task[None] | None = None
        self._admin: AIOKafkaAdminClient | None = None
        self._consumer: AIOKafkaConsumer | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._close_clients()

    def as_dict(self) -> dict[str, dict[str, float]] | None:
        if self.lag is None:
            return None
        return {
            topic: {"events_behind": lag.events_behind, "seconds_behind": lag.seconds_behind}
            for topic, lag in self.lag.items()
        }

    def total_events_behind(self) -> int | None:
        return None if self.lag is None else sum(x.events_behind for x in self.lag.values())

    async def _run(self) -> None:
        while True:
            try:
                await self.check()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("lag check failed", error=repr(exc))
                self.lag = None
                await self._close_clients()
            await asyncio.sleep(self._interval_s)

    async def _clients(self) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        if self._admin is None:
            self._admin = AIOKafkaAdminClient(
                **kafka_client_args(self._bootstrap), request_timeout_ms=5000
            )
            await self._admin.start()
        if self._consumer is None:
            self._consumer = AIOKafkaConsumer(
                **kafka_client_args(self._bootstrap),
                enable_auto_commit=False,
                request_timeout_ms=5000,
                client_id=f"{self._group_id}-lag",
            )
            await self._consumer.start()
        return self._admin, self._consumer

    async def _close_clients(self) -> None:
        consumer, admin = self._consumer, self._admin
        self._admin, self._consumer = None, None
        if consumer is not None:
            with contextlib.suppress(Exception):
                await consumer.stop()
        if admin is not None:
            with contextlib.suppress(Exception):
                await admin.close()

    async def check(self) -> None:
        admin, consumer = await self._clients()
        partitions: list[TopicPartition] = []
        for topic in self._topics:
            known = consumer.partitions_for_topic(topic)
            if not known:
                await consumer._client.force_metadata_update()
                known = consumer.partitions_for_topic(topic) or set()
            partitions += [TopicPartition(topic, p) for p in sorted(known)]
        committed = await admin.list_consumer_group_offsets(self._group_id)
        end = await consumer.end_offsets(partitions) if partitions else {}
        begin = await consumer.beginning_offsets(partitions) if partitions else {}
        lag: dict[str, TopicLag] = {t: TopicLag(0, 0.0) for t in self._topics}
        behind: dict[TopicPartition, int] = {}
        for tp in partitions:
            meta = committed.get(tp)
            position = meta.offset if meta is not None and meta.offset >= 0 else begin[tp]
            if end[tp] > position:
                behind[tp] = position
        ages = await self._ages(consumer, behind) if behind else {}
        now = time.time()
        for tp, position in behind.items():
            old = lag[tp.topic]
            age = max(0.0, now - ages[tp]) if tp in ages else 0.0
            lag[tp.topic] = TopicLag(
                old.events_behind + end[tp] - position, max(old.seconds_behind, round(age, 3))
            )
        for topic, value in lag.items():
            LAG_EVENTS.labels(topic).set(value.events_behind)
            LAG_SECONDS.labels(topic).set(value.seconds_behind)
        self.lag, self.checked_at = lag, now

    async def _ages(
        self, consumer: AIOKafkaConsumer, positions: dict[TopicPartition, int]
    ) -> dict[TopicPartition, float]:
        """The timestamp (s) of the first unapplied event of each lagging partition."""
        consumer.assign(list(positions))
        for tp, offset in positions.items():
            consumer.seek(tp, offset)
        found: dict[TopicPartition, float] = {}
        batches = await consumer.getmany(timeout_ms=1000, max_records=len(positions) * 50)
        for tp, records in batches.items():
            if records:
                found[tp] = records[0].timestamp / 1000
        return found

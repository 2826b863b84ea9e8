"""Dead letters: where a consumer group parks what it could not handle, and the way back.

A dead letter keeps the original key, value and headers, plus `dlq.*` headers with
the error, the original topic/partition/offset and the attempts, so an operator can
see why and, once the cause is fixed, replay it to its original topic (the inbox of
groups that had already handled it turns the replay into a no-op for them).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.structs import ConsumerRecord

from servicekit.connections import KafkaTarget, kafka_client_args
from servicekit.kafka import (
    DEAD_LETTER_SUFFIX,
    ensure_topics,
    idempotent_producer,
    topic_partitions,
)
from servicekit.logging import get_logger
from servicekit.metrics import EVENTS_DEAD_LETTERED

log = get_logger(__name__)

DLQ_PREFIX = "dlq."
MAX_ERROR_BYTES = 2000


def dlq_topic(group_id: str) -> str:
    return f"{group_id}{DEAD_LETTER_SUFFIX}"


class DeadLetterWriter:
    def __init__(self, bootstrap: KafkaTarget, group_id: str, *, partitions: int = 1) -> None:
        self._bootstrap = bootstrap
        self._group_id = group_id
        self.topic = dlq_topic(group_id)
        self._partitions = partitions
        self._producer: AIOKafkaProducer | None = None

    async def ensure_topic(self) -> None:
        """Create the topic with its long retention (servicekit.kafka.DEAD_LETTER_TOPIC_CONFIG)."""
        await ensure_topics(self._bootstrap, {self.topic: self._partitions})

    async def send(
        self, record: ConsumerRecord[bytes, bytes], error: BaseException, *, attempts: int
    ) -> None:
        """Park the record; returns only once Kafka has it, so the offset may then move on."""
        if self._producer is None:
            producer = idempotent_producer(self._bootstrap, client_id=f"{self._group_id}-dlq")
            try:
                await producer.start()
            except BaseException:
                await producer.stop()
                raise
            self._producer = producer
        headers = [(k, v) for k, v in (record.headers or ()) if not k.startswith(DLQ_PREFIX)]
        message = f"{type(error).__name__}: {error}".encode()[:MAX_ERROR_BYTES]
        headers += [
            ("dlq.error.type", type(error).__name__.encode()),
            ("dlq.error.message", message),
            ("dlq.original.topic", record.topic.encode()),
            ("dlq.original.partition", str(record.partition).encode()),
            ("dlq.original.offset", str(record.offset).encode()),
            ("dlq.attempts", str(attempts).encode()),
            ("dlq.failed_at", datetime.now(UTC).isoformat().encode()),
        ]
        await self._producer.send_and_wait(
            self.topic, value=record.value, key=record.key, headers=headers
        )
        EVENTS_DEAD_LETTERED.labels(group=self._group_id).inc()
        log.error(
            "event dead-lettered",
            dlq_topic=self.topic,
            original=f"{record.topic}/{record.partition}@{record.offset}",
            error_type=type(error).__name__,
            attempts=attempts,
        )

    async def reset(self) -> None:
        """Drop the producer after a failed send: a new one starts with a fresh producer id
        (an idempotent producer can stay broken after a broker outage, NOTES-infra)."""
        await self.close()

    async def close(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            with contextlib.suppress(Exception):
                await producer.stop()


@dataclass(frozen=True, slots=True)
class ReplayResult:
    replayed: int
    topics: dict[str, int]


async def replay_dead_letters(
    bootstrap: KafkaTarget, group_id: str, *, limit: int | None = None, dry_run: bool = False
) -> ReplayResult:
    """Send each dead letter of `group_id` back to its original topic, once.

    Progress is kept as the offsets of the group `<group>.dlq-replay`, so running it
    twice does not replay twice; it stops at the end the topic had when it began.
    """
    topic = dlq_topic(group_id)
    consumer = AIOKafkaConsumer(
        **kafka_client_args(bootstrap),
        group_id=f"{topic}-replay",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    producer = idempotent_producer(bootstrap, client_id=f"{topic}-replay")
    await consumer.start()
    await producer.start()
    replayed: dict[str, int] = {}
    try:
        tps = [TopicPartition(topic, p) for p in await topic_partitions(bootstrap, topic)]
        if not tps:
            return ReplayResult(0, {})
        consumer.assign(tps)
        end = await consumer.end_offsets(tps)
        pending = {tp for tp in tps if await consumer.position(tp) < end[tp]}
        count = 0
        while pending and (limit is None or count < limit):
            batches = await consumer.getmany(*pending, timeout_ms=1000)
            for tp, records in batches.items():
                for record in records:
                    if record.offset >= end[tp] or (limit is not None and count >= limit):
                        break
                    original = _header(record, "dlq.original.topic")
                    if original is None:
                        log.warning(
                            "dead letter without its original topic; left", offset=record.offset
                        )
                    elif not dry_run:
                        headers = [
                            (k, v) for k, v in record.headers or () if not k.startswith(DLQ_PREFIX)
                        ]
                        await producer.send_and_wait(
                            original, value=record.value, key=record.key, headers=headers
                        )
                    if original is not None:
                        replayed[original] = replayed.get(original, 0) + 1
                        count += 1
                    if not dry_run:
                        await consumer.commit({tp: record.offset + 1})
            pending = {tp for tp in pending if await consumer.position(tp) < end[tp]}
        return ReplayResult(count, replayed)
    finally:
        await producer.stop()
        await consumer.stop()


def _header(record: ConsumerRecord[bytes, bytes], name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name:
            return bytes(value).decode()
    return None

"""Read every `*.events` topic into the DuckDB file, from where the file says it stopped.

The positions in DuckDB are the source of truth: at start each partition is sought to the
`next_offset` stored beside the rows (or to the beginning, the topics being kept for
ever). The consumer group `analytics` gets the same positions committed after each
batch only so that `asn lag` shows how far behind it is; a lost commit costs nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import ConsumerRecord, OffsetAndMetadata
from asn_schemas import parse_envelope
from pydantic import ValidationError

from asn_analytics.store import Landed, Rejected, Store

GROUP = "analytics"
EVENTS_SUFFIX = ".events"


@dataclass
class Totals:
    landed: int = 0
    duplicates: int = 0
    rejected: int = 0
    topics: set[str] = field(default_factory=set)

    @property
    def read(self) -> int:
        return self.landed + self.duplicates + self.rejected


def to_row(record: ConsumerRecord[bytes, bytes]) -> Landed | Rejected:
    """The raw-table row of a message, or why it is none (not JSON, not a CloudEvent)."""
    value = record.value or b""
    try:
        envelope = parse_envelope(value)
    except (ValidationError, ValueError) as error:
        reason = str(error).splitlines()[0][:200]
        return Rejected(record.topic, record.partition, record.offset, reason, len(value))
    return Landed(
        id=str(envelope.id),
        type=envelope.type,
        source=envelope.source,
        subject=envelope.subject,
        time=envelope.time,
        actor=envelope.actor,
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        data=envelope.data,
    )


def _client_args(kafka: str | Mapping[str, Any]) -> dict[str, Any]:
    """A bootstrap address, or a whole aiokafka connection (TLS, SASL) as the suite's
    `servicekit.connections.KafkaConnection.client_args()` gives it; this package stays
    free of the suite's own libraries so an outside team can install it alone."""
    return {"bootstrap_servers": kafka} if isinstance(kafka, str) else dict(kafka)


async def consume(
    bootstrap: str | Mapping[str, Any],
    store: Store,
    *,
    topics: list[str] | None = None,
    follow: bool = False,
    group: str = GROUP,
    max_records: int | None = None,
    batch_size: int = 2000,
    rediscover_s: float = 10.0,
    on_batch: Callable[[Totals], None] | None = None,
    stop: asyncio.Event | None = None,
) -> Totals:
    """Land events until caught up with the ends seen at start (or for ever with `follow`).

    `topics` None means every `*.events` topic, found again every `rediscover_s` when
    following. `max_records` stops after about that many messages (a batch is never cut);
    `stop` ends a follow between batches, never inside one.
    """
    totals = Totals()
    consumer = AIOKafkaConsumer(
        **_client_args(bootstrap),
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        client_id="asn-analytics",
        max_poll_records=batch_size,
    )
    admin = AIOKafkaAdminClient(**_client_args(bootstrap), request_timeout_ms=15_000)
    await consumer.start()
    try:
        await admin.start()
        assigned: list[TopicPartition] = []
        loop = asyncio.get_running_loop()
        next_discovery = 0.0
        end: dict[TopicPartition, int] = {}
        while True:
            if loop.time() >= next_discovery:
                wanted = await _partitions(admin, topics)
                new = [tp for tp in wanted if tp not in assigned]
                if new:
                    assigned = sorted(set(assigned) | set(new))
                    consumer.assign(assigned)
                    stored = store.positions()
                    for tp in new:
                        at = stored.get((tp.topic, tp.partition))
                        if at is None:
                            await consumer.seek_to_beginning(tp)
                        else:
                            consumer.seek(tp, at)
                    if not follow:
                        end.update(await consumer.end_offsets(new))
                totals.topics = {tp.topic for tp in assigned}
                # Without follow the partitions are fixed at start: the end is where to stop.
                next_discovery = loop.time() + rediscover_s if follow else float("inf")
            if not follow and all([await consumer.position(tp) >= end[tp] for tp in assigned]):
                break
            if max_records is not None and totals.read >= max_records:
                break
            if stop is not None and stop.is_set():
                break
            batches = await consumer.getmany(timeout_ms=500, max_records=batch_size)
            if not batches:
                continue
            await _land(consumer, store, batches, totals)
            if on_batch is not None:
                on_batch(totals)
    finally:
        await admin.close()
        await consumer.stop()
    return totals


async def _partitions(admin: AIOKafkaAdminClient, topics: list[str] | None) -> list[TopicPartition]:
    """The partitions of `topics` (or of every `*.events` topic) as the broker knows them now."""
    names = topics
    if names is None:
        names = sorted(t for t in await admin.list_topics() if t.endswith(EVENTS_SUFFIX))
    if not names:
        return []
    described = await admin.describe_topics(names)
    return sorted(
        TopicPartition(entry["topic"], partition["partition"])
        for entry in described
        if entry["error_code"] == 0
        for partition in entry["partitions"]
    )


async def _land(
    consumer: AIOKafkaConsumer,
    store: Store,
    batches: dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]],
    totals: Totals,
) -> None:
    events: list[Landed] = []
    rejected: list[Rejected] = []
    after: dict[TopicPartition, int] = {}
    for tp, records in batches.items():
        for record in records:
            row = to_row(record)
            (events if isinstance(row, Landed) else rejected).append(row)  # type: ignore[arg-type]
        after[tp] = records[-1].offset + 1
    # DuckDB is synchronous; a thread keeps the consumer's heartbeats and fetches going.
    outcome = await asyncio.to_thread(
        store.write_batch,
        events,
        rejected,
        [(tp.topic, tp.partition, offset) for tp, offset in after.items()],
    )
    totals.landed += outcome.landed
    totals.duplicates += outcome.duplicates
    totals.rejected += outcome.rejected
    await consumer.commit({tp: OffsetAndMetadata(offset, "") for tp, offset in after.items()})

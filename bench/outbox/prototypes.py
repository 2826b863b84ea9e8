"""Prototypes of changes to servicekit's relay and consumer, measured by the same code.

Not used by services: copies of `OutboxRelay.publish_batch` and of `ConsumerRunner.run`
/ `_process`, each switch one proposed change, so `--prototypes` shows what a change
would gain on this machine before anyone edits servicekit.

Relay (copy: `PrototypeRelay`, unchanged; its distance from the original is the noise):
- `SingleActiveRelay`: one relay per database publishes at a time (advisory xact lock),
  so it claims with a plain SELECT and skips the blocked-keys query;
- `BatchedRelay`: one Kafka batch per partition (`create_batch` / `send_batch`) instead
  of one `send()` per event;
- `AsyncCommitRelay`: `synchronous_commit=off` for the relay's mark;
- `DeletingRelay`: DELETE published rows instead of UPDATE (gives up retention).

Consumer:
- `PerPollConsumer`: per `getmany()`, one transaction and one offset commit for all its
  partitions instead of one of each per partition;
- `BatchedConsumer`: that, plus one inbox INSERT per transaction (`unnest` of the ids,
  `RETURNING` the new ones) instead of one per event;
- `BulkHandlerConsumer`: that, plus a handler that takes the batch (one INSERT).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.partitioner import DefaultPartitioner
from aiokafka.structs import ConsumerRecord
from asn_schemas import CONTENT_TYPE
from servicekit.consumer import ConsumedEvent, _Rebalance
from servicekit.kafka import CONTENT_TYPE_HEADER, TRACEPARENT_HEADER
from servicekit.metrics import EVENTS_CONSUMED, OUTBOX_PUBLISHED
from servicekit.relay import _CLAIM, _MARK
from sqlalchemy import text

from bench.outbox.domain import record_effects
from bench.outbox.probes import ProbedConsumer, ProbedRelay

_PARTITIONER = DefaultPartitioner()
# Any fixed key: relays of one database contend for it (each service has its own database).
_TRY_ACTIVE = "SELECT pg_try_advisory_xact_lock(hashtext('servicekit.outbox-relay'))"
_CLAIM_ACTIVE = """
SELECT id, topic, key, traceparent, payload::text AS value
FROM outbox WHERE NOT published ORDER BY id LIMIT $1
"""


class PrototypeRelay(ProbedRelay):
    """A copy of `OutboxRelay.publish_batch` whose changes are switched by class attributes.

    As is (all switches off) it behaves as servicekit's relay, so the copy itself can be
    checked against the original in the same run.
    """

    per_partition_batches = False
    """`create_batch` / `send_batch` per partition instead of one `send()` per event."""
    async_commit = False
    """`synchronous_commit=off` on the relay's connections: a mark lost in a crash only
    re-sends events, which consumers dedupe anyway, so the relay need not wait for the
    WAL flush."""
    mark_sql = _MARK
    """How a published row is marked: servicekit's UPDATE, or a DELETE (no retention)."""
    single_active = False
    """One relay per database publishes at a time, chosen by a transaction-level advisory
    lock; the others find it taken and wait for the next wake-up. The active one then
    holds no competitor's row locks: it claims with a plain SELECT (no FOR UPDATE SKIP
    LOCKED, whose row locks are writes) and needs no blocked-keys query."""

    async def publish_batch(self) -> int:
        published = await self._publish()
        if published:
            self.published += published
            self.batches += 1
            if self.done_at is None and self.target and self.published >= self.target:
                self.done_at = time.perf_counter()
        return published

    async def _get_pool(self) -> asyncpg.Pool:
        if self._pool is None:
            settings = {"synchronous_commit": "off"} if self.async_commit else None
            self._pool = await asyncpg.create_pool(
                self._dsn, min_size=1, max_size=2, server_settings=settings
            )
        return self._pool

    async def _publish(self) -> int:
        pool = await self._get_pool()
        async with pool.acquire() as conn, conn.transaction():
            if self.single_active:
                if not await conn.fetchval(_TRY_ACTIVE):
                    return 0
                rows = await conn.fetch(_CLAIM_ACTIVE, self._batch_size)
            else:
                rows = await conn.fetch(_CLAIM, self._batch_size)
                if rows:
                    rows = await self._without_blocked_keys(conn, rows)
            if not rows:
                return 0
            producer = await self._get_producer()
            if self.per_partition_batches:
                acks = await self._send_batched(producer, rows)
            else:
                acks = await self._send_each(producer, rows)
            await asyncio.gather(*acks)
            await conn.execute(self.mark_sql, [row["id"] for row in rows])
        OUTBOX_PUBLISHED.inc(len(rows))
        return len(rows)

    @staticmethod
    def _headers(row: asyncpg.Record) -> list[tuple[str, bytes]]:
        headers = [(CONTENT_TYPE_HEADER, CONTENT_TYPE.encode())]
        if row["traceparent"]:
            headers.append((TRACEPARENT_HEADER, row["traceparent"].encode()))
        return headers

    async def _send_each(
        self, producer: AIOKafkaProducer, rows: list[asyncpg.Record]
    ) -> list[asyncio.Future[Any]]:
        return [
            await producer.send(
                row["topic"],
                value=row["value"].encode(),
                key=row["key"].encode(),
                headers=self._headers(row),
            )
            for row in rows
        ]

    async def _send_batched(
        self, producer: AIOKafkaProducer, rows: list[asyncpg.Record]
    ) -> list[asyncio.Future[Any]]:
        partitions: dict[str, list[int]] = {}
        open_batches: dict[tuple[str, int], Any] = {}
        acks: list[asyncio.Future[Any]] = []
        for row in rows:
            topic, key = row["topic"], row["key"].encode()
            if topic not in partitions:
                partitions[topic] = sorted(await producer.partitions_for(topic))
            # The same murmur2 partitioner as send() and the Java client: keys keep
            # their partition, so per-key order holds whichever way a row is sent.
            partition = _PARTITIONER(key, partitions[topic], partitions[topic])
            record = {
                "timestamp": None,
                "key": key,
                "value": row["value"].encode(),
                "headers": self._headers(row),
            }
            batch = open_batches.get((topic, partition))
            if batch is None:
                batch = open_batches[(topic, partition)] = producer.create_batch()
            if batch.append(**record) is None:
                # Full: send it (it was filled first, so order holds) and start another.
                acks.append(await producer.send_batch(batch, topic, partition=partition))
                batch = open_batches[(topic, partition)] = producer.create_batch()
                batch.append(**record)
        for (topic, partition), batch in open_batches.items():
            acks.append(await producer.send_batch(batch, topic, partition=partition))
        return acks


class SingleActiveRelay(PrototypeRelay):
    single_active = True


class BatchedRelay(PrototypeRelay):
    per_partition_batches = True


class AsyncCommitRelay(PrototypeRelay):
    async_commit = True


class DeletingRelay(PrototypeRelay):
    mark_sql = "DELETE FROM outbox WHERE id = ANY($1::bigint[])"


_INBOX_INSERT_MANY = text(
    "INSERT INTO inbox (consumer_group, event_id, event_type) "
    "SELECT :group, e.id, e.type FROM unnest(CAST(:ids AS uuid[]), CAST(:types AS text[])) "
    "AS e(id, type) ON CONFLICT DO NOTHING RETURNING event_id"
)


class BatchedConsumer(ProbedConsumer):
    """One transaction and one offset commit per poll; one inbox INSERT per transaction."""

    batch_inbox = True
    """Off: servicekit's per-event inbox INSERT, inside the one transaction per poll."""

    async def run(self) -> None:
        await self._dead_letters.ensure_topic()
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            group_id=self.group_id,
            client_id=self.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self._max_batch,
        )
        consumer.subscribe(self._topics, listener=_Rebalance(self))
        self._consumer = consumer
        await consumer.start()
        self.healthy = True
        try:
            while not self._stopping.is_set():
                batches = await consumer.getmany(timeout_ms=500, max_records=self._max_batch)
                async with self._batch_lock:
                    assigned = consumer.assignment()
                    live = {tp: recs for tp, recs in batches.items() if recs and tp in assigned}
                    if live:
                        await self._process([r for recs in live.values() for r in recs])
                        await self._commit_offsets(
                            {tp: recs[-1].offset + 1 for tp, recs in live.items()}
                        )
        finally:
            self.healthy = False

    async def _commit_offsets(self, offsets: dict[TopicPartition, int]) -> None:
        assert self._consumer is not None
        # As servicekit: a partition lost in a rebalance is redelivered; the inbox dedupes.
        with contextlib.suppress(Exception):
            await self._consumer.commit(offsets)

    async def _process(self, records: list[ConsumerRecord[bytes, bytes]]) -> None:
        if self.probe.first_fetched is None:
            self.probe.first_fetched = time.perf_counter()
        decoded = [(record, self._decode(record)) for record in records]
        events = [event for _, event in decoded if isinstance(event, ConsumedEvent)]
        if len(events) == len(decoded) and len(events) > 1:
            try:
                async with self._uow() as uow:
                    await self._apply_many(events, uow)
                self.probe.batch_committed()
                return
            except Exception:  # noqa: S110 -- as servicekit: retried one by one below
                pass
        for record, outcome in decoded:
            await self._process_one(record, outcome)
        self.probe.batch_committed()

    async def _apply_many(self, events: list[ConsumedEvent], uow: Any) -> None:
        if not self.batch_inbox:
            for event in events:
                with self._log_context(event):
                    await self._apply(event, uow)
            return
        handled = [e for e in events if e.envelope.type in self._handlers]
        for _ in range(len(events) - len(handled)):
            EVENTS_CONSUMED.labels(group=self.group_id, outcome="skipped").inc()
        if not handled:
            return
        result = await uow.session.execute(
            _INBOX_INSERT_MANY,
            {
                "group": self.group_id,
                "ids": [e.envelope.id for e in handled],
                "types": [e.envelope.type for e in handled],
            },
        )
        # A set, consumed as applied: an id twice in one poll is applied once.
        new = {row[0] for row in result}
        fresh = []
        for event in handled:
            if event.envelope.id in new:
                new.discard(event.envelope.id)
                fresh.append(event)
        duplicates = len(handled) - len(fresh)
        if duplicates:
            EVENTS_CONSUMED.labels(group=self.group_id, outcome="duplicate").inc(duplicates)
        await self._handle_fresh(fresh, uow)
        EVENTS_CONSUMED.labels(group=self.group_id, outcome="handled").inc(len(fresh))

    async def _handle_fresh(self, events: list[ConsumedEvent], uow: Any) -> None:
        for event in events:
            with self._log_context(event):
                await self._handlers[event.envelope.type](event, uow)


class PerPollConsumer(BatchedConsumer):
    """Only the first half of the change: one transaction and offset commit per poll."""

    batch_inbox = False


class BulkHandlerConsumer(BatchedConsumer):
    """`BatchedConsumer` whose handler takes the batch's new events at once.

    Not a drop-in change: it needs a second handler signature in servicekit
    (`Callable[[list[ConsumedEvent], UnitOfWork], Awaitable[None]]`) for projections
    that can write many rows in one statement. Measured to show the ceiling.
    """

    async def _handle_fresh(self, events: list[ConsumedEvent], uow: Any) -> None:
        for event in events:
            self.probe.saw(event)
        await record_effects(events, uow)
        for event in events:
            self.probe.handled(event)

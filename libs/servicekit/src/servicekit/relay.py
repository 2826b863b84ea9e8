"""The outbox relay: publishes committed events to Kafka, then marks them published.

Rows are claimed by their `published` flag with FOR UPDATE SKIP LOCKED (never by an
id high-water mark, which would skip a slow transaction's smaller id), published with
the idempotent producer, and marked only after Kafka acknowledged them. A crash
between ack and mark re-sends the batch; consumers dedupe by event id.

Several relays may run on one database (one per service replica): a transaction-level
advisory lock lets one publish a batch at a time, so claims never interleave and each
key keeps its order; the others stand by and take over the moment it stops.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import asyncpg
from aiokafka import AIOKafkaProducer
from asn_schemas import CONTENT_TYPE

from servicekit.connections import KafkaTarget
from servicekit.failpoints import RelayCrashAfterSend
from servicekit.kafka import (
    CONTENT_TYPE_HEADER,
    FATAL_PRODUCER_ERRORS,
    TRACEPARENT_HEADER,
    idempotent_producer,
)
from servicekit.logging import get_logger
from servicekit.metrics import OUTBOX_PUBLISHED, RELAY_FAILURES
from servicekit.tables import OUTBOX_CHANNEL

log = get_logger(__name__)

_CLAIM = """
SELECT id, topic, key, traceparent, payload::text AS value
FROM outbox WHERE NOT published ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
"""
_LEAD = "SELECT pg_try_advisory_xact_lock(hashtext('servicekit.outbox-relay'))"
_MARK = "UPDATE outbox SET published = true, published_at = now() WHERE id = ANY($1::bigint[])"

ProducerFactory = Callable[[], AIOKafkaProducer]


class OutboxRelay:
    def __init__(
        self,
        dsn: str,
        bootstrap: KafkaTarget,
        *,
        name: str = "relay",
        batch_size: int = 500,
        poll_interval_s: float = 2.0,
        linger_s: float = 0.0,
        producer_factory: ProducerFactory | None = None,
        failpoint: RelayCrashAfterSend | None = None,
    ) -> None:
        self._dsn = dsn
        self._name = name
        self._batch_size = batch_size
        self._poll_interval_s = poll_interval_s
        self._linger_s = linger_s
        self._producer_factory = producer_factory or (
            lambda: idempotent_producer(bootstrap, client_id=name)
        )
        self._failpoint = failpoint
        self._producer: AIOKafkaProducer | None = None
        self._pool: asyncpg.Pool | None = None
        self._listener: asyncpg.Connection | None = None
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self.healthy = False
        """True while the last attempt to publish succeeded: feeds /health/ready."""

    async def run(self) -> None:
        """Publish until `stop()`; outages of Kafka or PostgreSQL are waited out, not fatal."""
        backoff = 0.5
        while not self._stopping.is_set():
            try:
                await self._ensure_listener()
                published = await self.publish_batch()
                backoff = 0.5
                self.healthy = True
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.healthy = False
                await self._on_failure(exc)
                await self._sleep(backoff)
                backoff = min(backoff * 2, 10.0)
                continue
            if published < self._batch_size:
                await self._wait_for_work()

    async def publish_batch(self) -> int:
        """Claim, publish and mark one batch; returns how many events Kafka acknowledged."""
        pool = await self._get_pool()
        async with pool.acquire() as conn, conn.transaction():
            # One relay publishes at a time: with claims that never interleave, each key's
            # order holds without a per-batch check (bench/outbox: +27 % drain rate), and
            # another relay on the database is a warm standby that takes over at once.
            if not await conn.fetchval(_LEAD):
                return 0
            rows = await conn.fetch(_CLAIM, self._batch_size)
            if not rows:
                return 0
            producer = await self._get_producer()
            acks = []
            for row in rows:
                headers = [(CONTENT_TYPE_HEADER, CONTENT_TYPE.encode())]
                if row["traceparent"]:
                    headers.append((TRACEPARENT_HEADER, row["traceparent"].encode()))
                # One sender loop, not one task per event: concurrent send() calls on
                # one producer wake each other quadratically (aiokafka issue 528).
                acks.append(
                    await producer.send(
                        row["topic"],
                        value=row["value"].encode(),
                        key=row["key"].encode(),
                        headers=headers,
                    )
                )
            await asyncio.gather(*acks)
            if self._failpoint is not None:  # drill only (servicekit.failpoints)
                self._failpoint.batch_acknowledged(len(rows))
            await conn.execute(_MARK, [row["id"] for row in rows])
        OUTBOX_PUBLISHED.inc(len(rows))
        return len(rows)

    async def drain(self) -> int:
        """Publish until nothing is left (tests, benchmarks, a one-shot catch-up)."""
        total = 0
        while published := await self.publish_batch():
            total += published
        return total

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    async def close(self) -> None:
        self.stop()
        await self._close_producer()
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close()
            self._listener = None
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def _get_pool(self) -> asyncpg.Pool:
        if self._pool is None:
            self._pool = await asyncpg.create_pool(self._dsn, min_size=1, max_size=2)
        return self._pool

    async def _get_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = self._producer_factory()
            try:
                await producer.start()
            except BaseException:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def _close_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            with contextlib.suppress(Exception):
                await producer.stop()

    async def _on_failure(self, exc: Exception) -> None:
        fatal = isinstance(exc, FATAL_PRODUCER_ERRORS)
        RELAY_FAILURES.labels(reason=type(exc).__name__).inc()
        log.warning("outbox relay batch failed", error=repr(exc), fatal_producer_error=fatal)
        # Any failed send may leave the idempotent producer with sequence numbers the
        # broker won't accept; a new producer id is cheap and always safe here.
        await self._close_producer()

    async def _ensure_listener(self) -> None:
        if self._listener is not None and not self._listener.is_closed():
            return
        conn = await asyncpg.connect(self._dsn)
        await conn.add_listener(OUTBOX_CHANNEL, lambda *_: self._wake.set())
        self._listener = conn
        self._wake.set()  # events may have committed while nobody listened

    async def _wait_for_work(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self._poll_interval_s)
            if self._linger_s:
                # A burst of commits then shares one claim, one Kafka request and one mark
                # (bench/checkin: the broker's CPU per event), for a few ms of latency.
                await self._sleep(self._linger_s)
        self._wake.clear()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

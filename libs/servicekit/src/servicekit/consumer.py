"""The consumer runner: handlers by event type, an inbox for exactly-one effect, dead letters.

For each partition's batch the handlers' effects and the event ids (inbox) commit in
one transaction, then the offset is committed — so a crash in between redelivers the
batch and the inbox turns the redelivery into a no-op. If a batch fails, its events
are retried one by one with backoff; one that still fails goes to `<group>.dlq` with
its error in the headers, and the partition moves on.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.structs import ConsumerRecord
from asn_schemas import Envelope, parse_envelope, payload_model
from pydantic import BaseModel, ValidationError
from sqlalchemy import text

from servicekit.connections import KafkaTarget, kafka_client_args
from servicekit.context import bound_context
from servicekit.db import Database, database_unavailable
from servicekit.deadletter import DeadLetterWriter
from servicekit.identity import Identity
from servicekit.logging import get_logger
from servicekit.metrics import CONSUMER_RETRIES, EVENTS_CONSUMED
from servicekit.tracing import parse_traceparent
from servicekit.uow import UnitOfWork

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class ConsumedEvent:
    """An event as a handler sees it: the envelope and its payload, typed where known."""

    envelope: Envelope
    payload: BaseModel | dict[str, Any]
    topic: str
    partition: int
    offset: int


Handler = Callable[[ConsumedEvent, UnitOfWork], Awaitable[None]]


@runtime_checkable
class BatchHandler(Protocol):
    """A handler that can also take several events at once (e.g. one statement for many).

    In a batch, each run of consecutive new events bound to the same handler object goes
    to `handle_batch` in order, in the batch's transaction; retries one by one use the
    plain call. The effect must be that of calling it for each event in turn."""

    async def __call__(self, event: ConsumedEvent, uow: UnitOfWork) -> None: ...

    async def handle_batch(self, events: Sequence[ConsumedEvent], uow: UnitOfWork) -> None: ...


class _ShuttingDown(Exception):
    """Stop was asked while an outage held an event: leave it uncommitted for next time."""


class PoisonMessage(Exception):
    """The message can never be handled as it is (not an event, or a payload that fails
    its contract): retrying would only delay the partition, so it goes to the DLQ at once."""


_INBOX_INSERT_MANY = text(
    "INSERT INTO inbox (consumer_group, event_id, event_type) "
    "SELECT :group, e.id, e.type FROM unnest(CAST(:ids AS uuid[]), CAST(:types AS text[])) "
    "AS e(id, type) ON CONFLICT DO NOTHING RETURNING event_id"
)
_INBOX_INSERT = text(
    "INSERT INTO inbox (consumer_group, event_id, event_type) VALUES (:group, :event_id, :type) "
    "ON CONFLICT DO NOTHING RETURNING event_id"
)


class _Rebalance(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, runner: ConsumerRunner) -> None:
        self._runner = runner

    async def on_partitions_revoked(self, revoked: Sequence[TopicPartition]) -> None:
        # Waiting for the in-flight batch means its offset is committed by us, before
        # the partition's next owner starts from the committed offset.
        if self._runner._stopping.is_set() or self._runner._consumer is None:
            # close() holds the batch lock while it stops the consumer, and stopping can
            # run this callback (a join in progress): waiting here would deadlock. A loop
            # that failed releases its client the same way (`_release`).
            log.info("partitions revoked while stopping")
            return
        async with self._runner._batch_lock:
            await self._runner._settle_commit()
            log.info(
                "partitions revoked", partitions=[f"{tp.topic}/{tp.partition}" for tp in revoked]
            )

    async def on_partitions_assigned(self, assigned: Sequence[TopicPartition]) -> None:
        log.info(
            "partitions assigned", partitions=[f"{tp.topic}/{tp.partition}" for tp in assigned]
        )


class ConsumerRunner:
    def __init__(
        self,
        *,
        db: Database,
        bootstrap: KafkaTarget,
        group_id: str,
        topics: Sequence[str],
        handlers: Mapping[str, Handler],
        source: str,
        own_topic: str,
        max_attempts: int = 5,
        backoff_initial_s: float = 0.2,
        backoff_max_s: float = 5.0,
        max_batch: int = 500,
        outage_ping_timeout_s: float = 2.0,
    ) -> None:
        self._db = db
        self._bootstrap = bootstrap
        self.group_id = group_id
        self._topics = list(topics)
        self._handlers = dict(handlers)
        self._source = source
        self._own_topic = own_topic
        self._max_attempts = max_attempts
        self._backoff_initial_s = backoff_initial_s
        self._backoff_max_s = backoff_max_s
        self._max_batch = max_batch
        self._outage_ping_timeout_s = outage_ping_timeout_s
        self._actor = Identity.system(f"consumer:{group_id}")
        self._consumer: AIOKafkaConsumer | None = None
        self._dead_letters = DeadLetterWriter(bootstrap, group_id)
        self._batch_lock = asyncio.Lock()
        self._commit_task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self.healthy = False

    async def run(self) -> None:
        """Consume until `stop()`; a broker outage is waited out by the client's reconnects.

        However the loop ends, its client leaves the group: the runtime's supervisor calls
        `run()` again after a failure, and a client left running would stay a second
        member of the group, holding partitions that nobody consumes."""
        await self._dead_letters.ensure_topic()
        consumer = AIOKafkaConsumer(
            **kafka_client_args(self._bootstrap),
            group_id=self.group_id,
            client_id=self.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self._max_batch,
        )
        consumer.subscribe(self._topics, listener=_Rebalance(self))
        self._consumer = consumer
        try:
            await consumer.start()
            self.healthy = True
            while not self._stopping.is_set():
                batches = await consumer.getmany(timeout_ms=500, max_records=self._max_batch)
                async with self._batch_lock:
                    # One transaction and one offset commit per poll, across partitions:
                    # per-partition commits cost a coordinator round trip (~10 ms) each, and
                    # events queued behind them (bench/outbox: p50 216 ms -> ~30-50 ms).
                    assigned = consumer.assignment()
                    owned = {tp: rs for tp, rs in batches.items() if rs and tp in assigned}
                    if owned:
                        await self._process([r for rs in owned.values() for r in rs])
                        # The offset commit (a coordinator round trip, as long as the
                        # transaction itself) runs while the next poll is processed: one in
                        # flight at a time keeps commits in order, and each covers only
                        # events whose transaction has committed (gateway at 200 events/s
                        # on 2 busy cores: 8-25 ms a commit, about half the loop's cycle).
                        await self._settle_commit()
                        self._commit_task = asyncio.create_task(
                            self._commit_offsets(
                                {tp: rs[-1].offset + 1 for tp, rs in owned.items()}
                            )
                        )
                    else:
                        await self._settle_commit()
            await self._settle_commit()
        except _ShuttingDown:
            log.info("stopped during an outage; uncommitted events will be redelivered")
        finally:
            self.healthy = False
            await self._release(consumer)

    async def _release(self, consumer: AIOKafkaConsumer) -> None:
        """Stop the client the loop used, unless `close()` already took it over."""
        taken_by_close = self._consumer is not consumer
        if taken_by_close:
            return
        # Cleared first: the rebalance listener then won't wait on the batch lock while
        # the client leaves the group (nothing else processes once the loop is gone).
        self._consumer = None
        task, self._commit_task = self._commit_task, None
        if task is not None:
            # Its offsets may be left uncommitted: the inbox turns the redelivery into no-ops.
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        try:
            await consumer.stop()
        except Exception as exc:
            log.warning("consumer client did not stop cleanly", error=repr(exc))

    def stop(self) -> None:
        self._stopping.set()

    async def close(self) -> None:
        """Stop taking work; the batch in flight finishes and commits first."""
        self.stop()
        async with self._batch_lock:
            if self._consumer is not None:
                await self._settle_commit()
                await self._consumer.stop()
                self._consumer = None
        await self._dead_letters.close()

    async def _settle_commit(self) -> None:
        """Wait for the offset commit in flight, if any (its failure is logged there)."""
        task, self._commit_task = self._commit_task, None
        if task is not None:
            await task

    async def _commit_offsets(self, offsets: dict[TopicPartition, int]) -> None:
        assert self._consumer is not None
        try:
            await self._consumer.commit(offsets)
        except Exception as exc:
            # Lost a partition in a rebalance: its new owner redelivers and the inbox dedupes.
            log.warning(
                "offset commit failed",
                partitions=[f"{tp.topic}/{tp.partition}" for tp in offsets],
                error=repr(exc),
            )

    async def _process(self, records: list[ConsumerRecord[bytes, bytes]]) -> None:
        decoded: list[tuple[ConsumerRecord[bytes, bytes], ConsumedEvent | PoisonMessage]] = [
            (record, self._decode(record)) for record in records
        ]
        events = [event for _, event in decoded if isinstance(event, ConsumedEvent)]
        if len(events) == len(decoded) and len(events) > 1:
            try:
                async with self._uow() as uow:
                    await self._apply_batch(events, uow)
                return
            except Exception as exc:
                log.info("batch failed; retrying its events one by one", error=repr(exc))
        for record, outcome in decoded:
            await self._process_one(record, outcome)

    async def _process_one(
        self, record: ConsumerRecord[bytes, bytes], event: ConsumedEvent | PoisonMessage
    ) -> None:
        if isinstance(event, PoisonMessage):
            await self._dead_letter(record, event, attempts=1)
            return
        delay = self._backoff_initial_s
        attempt = 0
        while True:
            try:
                with self._log_context(event):
                    async with self._uow() as uow:
                        await self._apply(event, uow)
                EVENTS_CONSUMED.labels(group=self.group_id, outcome="handled").inc()
                return
            except Exception as exc:
                outage = await self._confirmed_outage(exc)
                # An outage of our own database says nothing about the event: waiting it
                # out keeps the partition in order and the dead-letter topic for real faults.
                attempt += 0 if outage else 1
                CONSUMER_RETRIES.labels(
                    group=self.group_id, reason="outage" if outage else "failure"
                ).inc()
                with self._log_context(event):
                    log.warning("handler failed", attempt=attempt, outage=outage, error=repr(exc))
                if attempt >= self._max_attempts:
                    await self._dead_letter(record, exc, attempts=attempt)
                    return
                if self._stopping.is_set() and outage:
                    raise _ShuttingDown from exc  # the offset stays; redelivered after restart
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._backoff_max_s)

    async def _confirmed_outage(self, exc: BaseException) -> bool:
        """Whether `exc` looks like a lost database and the database indeed does not answer.

        The look alone is not enough: a handler's own bug may raise a TimeoutError or an
        OSError, and retrying that forever would stall its partition. A database that
        answers a ping is up, so the failure counts as an attempt like any other."""
        if not database_unavailable(exc):
            return False
        try:
            await asyncio.wait_for(self._db.ping(), self._outage_ping_timeout_s)
        except Exception:
            return True
        return False

    async def _apply_batch(self, events: list[ConsumedEvent], uow: UnitOfWork) -> None:
        """Record the batch's new event ids in one statement, then run their handlers in order."""
        handled = [e for e in events if e.envelope.type in self._handlers]
        fresh: set[uuid.UUID] = set()
        if handled:
            result = await uow.session.execute(
                _INBOX_INSERT_MANY,
                {
                    "group": self.group_id,
                    "ids": [e.envelope.id for e in handled],
                    "types": [e.envelope.type for e in handled],
                },
            )
            fresh = {row[0] for row in result}
        outcomes: list[str] = []
        run: list[ConsumedEvent] = []
        run_handler: BatchHandler | None = None
        for event in events:
            handler = self._handlers.get(event.envelope.type)
            if handler is None:
                outcomes.append("skipped")
            elif event.envelope.id not in fresh:
                outcomes.append("duplicate")
            else:
                # Discarded once applied: the same id twice in one poll runs once.
                fresh.discard(event.envelope.id)
                if run and handler is not run_handler:
                    await self._run_batch(run_handler, run, uow)
                    run, run_handler = [], None
                if isinstance(handler, BatchHandler):
                    run.append(event)
                    run_handler = handler
                else:
                    with self._log_context(event):
                        await handler(event, uow)
                outcomes.append("handled")
        if run:
            await self._run_batch(run_handler, run, uow)
        # Counted only here, after every handler ran; the commit follows at block exit.
        for outcome in outcomes:
            EVENTS_CONSUMED.labels(group=self.group_id, outcome=outcome).inc()

    async def _run_batch(
        self, handler: BatchHandler | None, events: list[ConsumedEvent], uow: UnitOfWork
    ) -> None:
        assert handler is not None
        with self._log_context(events[-1]):
            await handler.handle_batch(events, uow)

    async def _apply(self, event: ConsumedEvent, uow: UnitOfWork) -> None:
        handler = self._handlers.get(event.envelope.type)
        if handler is None:
            log.info("event type not handled here; skipped", event_type=event.envelope.type)
            EVENTS_CONSUMED.labels(group=self.group_id, outcome="skipped").inc()
            return
        inserted = await uow.session.execute(
            _INBOX_INSERT,
            {"group": self.group_id, "event_id": event.envelope.id, "type": event.envelope.type},
        )
        if inserted.first() is None:
            log.info("duplicate event; already applied", event_id=str(event.envelope.id))
            EVENTS_CONSUMED.labels(group=self.group_id, outcome="duplicate").inc()
            return
        await handler(event, uow)

    def _decode(self, record: ConsumerRecord[bytes, bytes]) -> ConsumedEvent | PoisonMessage:
        try:
            envelope = parse_envelope(record.value or b"")
        except (ValidationError, ValueError) as exc:
            return PoisonMessage(f"not a CloudEvent of this suite: {exc}")
        model = payload_model(envelope.type)
        payload: BaseModel | dict[str, Any] = envelope.data
        if model is not None and envelope.type in self._handlers:
            try:
                # Tolerant reader: a newer producer may add fields within the version.
                payload = model.model_validate(envelope.data, extra="ignore")
            except ValidationError as exc:
                return PoisonMessage(f"payload breaks the {envelope.type} contract: {exc}")
        return ConsumedEvent(envelope, payload, record.topic, record.partition, record.offset)

    def _uow(self) -> UnitOfWork:
        return UnitOfWork(self._db, actor=self._actor, source=self._source, topic=self._own_topic)

    def _log_context(self, event: ConsumedEvent) -> contextlib.AbstractContextManager[None]:
        return bound_context(
            traceparent=parse_traceparent(event.envelope.traceparent),
            event_id=str(event.envelope.id),
            event_type=event.envelope.type,
            consumer_group=self.group_id,
        )

    async def _dead_letter(
        self, record: ConsumerRecord[bytes, bytes], error: BaseException, *, attempts: int
    ) -> None:
        """Park the record; a Kafka that cannot take it is an outage to wait out, not a
        reason to end the loop (the offset moves on only once the dead letter is kept)."""
        delay = self._backoff_initial_s
        while True:
            try:
                await self._dead_letters.send(record, error, attempts=attempts)
                break
            except Exception as exc:
                log.warning("dead letter not sent; retrying", error=repr(exc))
                await self._dead_letters.reset()
                if self._stopping.is_set():
                    raise _ShuttingDown from exc  # redelivered and retried after restart
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._backoff_max_s)
        EVENTS_CONSUMED.labels(group=self.group_id, outcome="dead_lettered").inc()

"""The outbox and its relay, on the real broker and database."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict

import pytest
from servicekit.consumer import ConsumerRunner
from servicekit.context import bound_context
from servicekit.identity import Identity
from servicekit.metrics import RELAY_FAILURES
from servicekit.relay import OutboxRelay
from servicekit.tables import OutboxRecord
from servicekit.testing import eventually
from servicekit.testing import read_topic_records as read_topic
from servicekit.tracing import parse_traceparent
from servicekit.uow import UnitOfWork
from servicekit_testdomain import (
    SOURCE,
    Effect,
    Note,
    NoteWritten,
    count,
)

pytestmark = pytest.mark.integration
ACTOR = Identity("198503152010011001", frozenset({"bkpsdm"}))
TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def test_committed_event_is_published_once_and_read_by_another_group(
    service_db, kafka_bootstrap, new_topic
):
    topic = await new_topic()
    relay = OutboxRelay(service_db.asyncpg_dsn, kafka_bootstrap, poll_interval_s=30)
    relay_task = asyncio.create_task(relay.run())
    reader = ConsumerRunner(
        db=service_db,
        bootstrap=kafka_bootstrap,
        group_id="proof-1-reader",
        topics=[topic],
        handlers={NoteWritten.event_type: record_trace},
        source=SOURCE,
        own_topic=topic,
    )
    reader_task = asyncio.create_task(reader.run())
    try:
        with bound_context(traceparent=parse_traceparent(TRACE), request_id="req-1"):
            async with UnitOfWork(service_db, actor=ACTOR, source=SOURCE, topic=topic) as uow:
                uow.session.add(Note(note_id="n1", body="hello"))
                envelope = uow.add_event(NoteWritten(note_id="n1", body="hello"), subject="n1")

        # Woken by NOTIFY: the poll interval is 30 s, far longer than the wait below needs.
        await eventually(lambda: _count_effects(service_db), what="the other group applying it")
        assert await relay.drain() == 0, "a published row must not be published again"
        records = await read_topic(kafka_bootstrap, topic)
        assert [r.key for r in records] == [b"n1"]
        event = json.loads(records[0].value)
        assert event["id"] == str(envelope.id)
        assert event["actor"] == ACTOR.sub
        assert event["source"] == SOURCE
        assert event["traceparent"].split("-")[1] == TRACE.split("-")[1], "trace carried on"
        headers = dict(records[0].headers)
        assert headers["content-type"].startswith(b"application/cloudevents+json")
        assert headers["traceparent"].split(b"-")[1] == TRACE.split("-")[1].encode()
        assert await count(service_db, Note) == 1
        async with service_db.read_session() as session:
            from sqlalchemy import select

            effects = list((await session.execute(select(Effect.body))).scalars())
        assert effects == [f"trace_id={TRACE.split('-')[1]}"], "the consumer logs in the trace"
    finally:
        await reader.close()
        relay.stop()
        await asyncio.gather(reader_task, relay_task, return_exceptions=True)
        await relay.close()


async def record_trace(event, uow) -> None:
    """Keeps what the handler's log lines would carry: the trace of the originating request."""
    import structlog

    trace_id = structlog.contextvars.get_contextvars().get("trace_id")
    uow.session.add(Effect(event_id=event.envelope.id, body=f"trace_id={trace_id}"))


async def _count_effects(db) -> bool:
    return await count(db, Effect) == 1


async def test_rolled_back_transaction_publishes_nothing(service_db, kafka_bootstrap, new_topic):
    topic = await new_topic()

    async def failing_command() -> None:
        async with UnitOfWork(service_db, actor=ACTOR, source=SOURCE, topic=topic) as uow:
            uow.session.add(Note(note_id="n2", body="never"))
            uow.add_event(NoteWritten(note_id="n2", body="never"), subject="n2")
            raise RuntimeError("validation failed late")

    with pytest.raises(RuntimeError, match="validation failed late"):
        await failing_command()

    relay = OutboxRelay(service_db.asyncpg_dsn, kafka_bootstrap)
    try:
        assert await relay.drain() == 0
    finally:
        await relay.close()
    assert await count(service_db, Note) == 0
    assert await count(service_db, OutboxRecord) == 0
    assert await read_topic(kafka_bootstrap, topic) == []


async def test_events_committed_while_the_broker_is_down_all_arrive_after_it_returns(
    stack, service_db, kafka_bootstrap, new_topic
):
    topic = await new_topic(partitions=3)
    relay = OutboxRelay(service_db.asyncpg_dsn, kafka_bootstrap, batch_size=200, poll_interval_s=1)
    failures_before = _relay_failures()
    relay_task = asyncio.create_task(relay.run())
    stack.kafka.stop()
    try:
        keys = [f"nip-{i % 20:02d}" for i in range(500)]
        for i, key in enumerate(keys):
            async with UnitOfWork(service_db, actor=ACTOR, source=SOURCE, topic=topic) as uow:
                uow.add_event(NoteWritten(note_id=str(i), body=f"{key}:{i}"), subject=key)
        assert await count(service_db, OutboxRecord) == 500
        # The relay tries, fails and backs off meanwhile, and says so in its health.
        await eventually(
            lambda: _failed_batches_since(failures_before, 2), what="two failed relay batches"
        )
        assert not relay.healthy
        assert not await _any_published(service_db)
    finally:
        stack.kafka.start()

    async def all_published() -> bool:
        async with service_db.read_session() as session:
            from sqlalchemy import func, select

            pending = await session.execute(
                select(func.count()).select_from(OutboxRecord).where(~OutboxRecord.published)
            )
            return int(pending.scalar_one()) == 0

    try:
        await eventually(all_published, timeout_s=120, what="the relay catching up")
    finally:
        relay.stop()
        await asyncio.gather(relay_task, return_exceptions=True)
        await relay.close()
    records = await read_topic(kafka_bootstrap, topic)
    bodies = [json.loads(r.value)["data"]["body"] for r in records]
    assert len(set(bodies)) == 500, "every committed event arrived"
    per_key: dict[str, list[int]] = defaultdict(list)
    for body in dict.fromkeys(bodies):  # first arrival of each, in log order per partition
        key, number = body.split(":")
        per_key[key].append(int(number))
    assert all(numbers == sorted(numbers) for numbers in per_key.values()), "per-key order kept"


async def test_concurrent_relays_on_one_database_publish_each_event_once_in_key_order(
    service_db, kafka_bootstrap, new_topic
):
    topic = await new_topic(partitions=3)
    for batch in range(20):
        async with UnitOfWork(service_db, actor=ACTOR, source=SOURCE, topic=topic) as uow:
            for i in range(50):
                n = batch * 50 + i
                uow.add_event(
                    NoteWritten(note_id=str(n), body=f"k{n % 7}:{n}"), subject=f"k{n % 7}"
                )
    relays = [
        OutboxRelay(service_db.asyncpg_dsn, kafka_bootstrap, name=f"relay-{i}", batch_size=37)
        for i in range(3)
    ]
    try:
        published = await asyncio.gather(*(relay.drain() for relay in relays))
    finally:
        for relay in relays:
            await relay.close()
    assert sum(published) == 1000
    records = await read_topic(kafka_bootstrap, topic)
    ids = [json.loads(r.value)["id"] for r in records]
    assert len(ids) == 1000 and len(set(ids)) == 1000, "no event published twice"
    per_key: dict[str, list[int]] = defaultdict(list)
    for record in records:
        key, number = json.loads(record.value)["data"]["body"].split(":")
        per_key[key].append(int(number))
    assert all(numbers == sorted(numbers) for numbers in per_key.values()), "per-key order kept"


async def test_a_second_relay_stands_by_while_one_is_publishing(
    service_db, kafka_bootstrap, new_topic
):
    """Claims never interleave: per-key order needs no cross-relay bookkeeping."""
    import asyncpg

    topic = await new_topic(partitions=1)
    async with UnitOfWork(service_db, actor=ACTOR, source=SOURCE, topic=topic) as uow:
        for n in range(6):
            uow.add_event(NoteWritten(note_id=f"a{n}", body=f"a:{n}"), subject="a")
    other_relay = await asyncpg.connect(service_db.asyncpg_dsn)
    relay = OutboxRelay(service_db.asyncpg_dsn, kafka_bootstrap)
    try:
        publishing = other_relay.transaction()
        await publishing.start()
        # "Another relay" is in the middle of a batch: it holds the lead for its transaction.
        assert await other_relay.fetchval(
            "SELECT pg_try_advisory_xact_lock(hashtext('servicekit.outbox-relay'))"
        )
        assert await relay.publish_batch() == 0
        await publishing.rollback()  # it crashed before publishing anything
        assert await relay.drain() == 6
    finally:
        await other_relay.close()
        await relay.close()
    bodies = [json.loads(r.value)["data"]["body"] for r in await read_topic(kafka_bootstrap, topic)]
    assert bodies == [f"a:{n}" for n in range(6)]


def _relay_failures() -> float:
    return sum(
        sample.value
        for metric in RELAY_FAILURES.collect()
        for sample in metric.samples
        if sample.name.endswith("_total")
    )


async def _failed_batches_since(before: float, n: int) -> bool:
    return _relay_failures() >= before + n


async def _any_published(db) -> bool:
    from sqlalchemy import select

    async with db.read_session() as session:
        published = select(OutboxRecord.id).where(OutboxRecord.published).limit(1)
        return (await session.execute(published)).first() is not None

"""The consumer runner: inbox, redelivery, dead letters, unknown types, on the real broker."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from datetime import UTC, datetime

import pytest
from asn_schemas import new_event
from servicekit.consumer import ConsumerRunner
from servicekit.deadletter import dlq_topic, replay_dead_letters
from servicekit.metrics import CONSUMER_RETRIES, EVENTS_CONSUMED
from servicekit.testing import eventually
from servicekit.testing import read_topic_records as read_topic
from servicekit_testdomain import (
    SOURCE,
    Effect,
    NoteWritten,
    count,
    produce_raw,
    record_effect,
)

pytestmark = pytest.mark.integration


def event_bytes(body: str, *, key: str = "k", event_id: uuid.UUID | None = None, **extra) -> bytes:
    envelope = new_event(
        NoteWritten(note_id=key, body=body),
        subject=key,
        actor="system:test",
        source=SOURCE,
        event_id=event_id,
    )
    document = envelope.model_dump(mode="json", exclude_none=True)
    document.update(extra)
    return json.dumps(document).encode()


def runner(db, bootstrap, group, topic, cls=ConsumerRunner, **kwargs) -> ConsumerRunner:
    return cls(
        db=db,
        bootstrap=bootstrap,
        group_id=group,
        topics=[topic],
        handlers={NoteWritten.event_type: record_effect},
        source=SOURCE,
        own_topic=topic,
        **kwargs,
    )


async def run_until(consumer: ConsumerRunner, condition, what: str) -> None:
    task = asyncio.create_task(consumer.run())
    try:
        await eventually(condition, what=what)
    finally:
        await consumer.close()
        await asyncio.gather(task, return_exceptions=True)


async def committed(bootstrap: str, group: str, topic: str) -> int:
    """The group's committed offsets on the topic, summed over partitions."""
    from aiokafka.admin import AIOKafkaAdminClient
    from aiokafka.errors import GroupCoordinatorNotAvailableError

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        try:
            offsets = await admin.list_consumer_group_offsets(group)
        except (
            GroupCoordinatorNotAvailableError
        ):  # a fresh broker creates __consumer_offsets lazily
            return 0
        return sum(meta.offset for tp, meta in offsets.items() if tp.topic == topic)
    finally:
        await admin.close()


async def test_same_event_id_delivered_twice_has_one_effect(service_db, kafka_bootstrap, new_topic):
    topic = await new_topic(partitions=1)
    event_id = uuid.uuid4()
    value = event_bytes("once", event_id=event_id)
    await produce_raw(kafka_bootstrap, topic, [(b"k", value), (b"k", value)])
    await produce_raw(kafka_bootstrap, topic, [(b"k", value)])  # and again, in a later batch
    group = f"dedupe-{uuid.uuid4().hex[:6]}"
    await run_until(
        runner(service_db, kafka_bootstrap, group, topic),
        lambda: _offset_reached(kafka_bootstrap, group, topic, 3),
        "all three deliveries consumed",
    )
    assert await count(service_db, Effect) == 1


async def _offset_reached(bootstrap: str, group: str, topic: str, offset: int) -> bool:
    return await committed(bootstrap, group, topic) >= offset


class Crash(BaseException):
    """Stands for the process dying: nothing after the database commit runs."""


class CrashBeforeOffsetCommit(ConsumerRunner):
    async def _commit_offsets(self, offsets) -> None:
        raise Crash


async def test_consumer_killed_between_db_commit_and_offset_commit_redelivers_with_one_effect(
    service_db, kafka_bootstrap, new_topic
):
    topic = await new_topic(partitions=1)
    await produce_raw(kafka_bootstrap, topic, [(b"k", event_bytes("survives a crash"))])
    group = f"crash-{uuid.uuid4().hex[:6]}"
    crashing = runner(service_db, kafka_bootstrap, group, topic, cls=CrashBeforeOffsetCommit)
    with pytest.raises(Crash):
        await crashing.run()
    assert await count(service_db, Effect) == 1, "the handler's effect was committed"
    assert await committed(kafka_bootstrap, group, topic) == 0, "the offset was not"
    assert crashing._consumer is None, "the dead loop's client left the group, uncommitted"

    duplicates = EVENTS_CONSUMED.labels(group=group, outcome="duplicate")
    before = duplicates._value.get()
    await run_until(
        runner(service_db, kafka_bootstrap, group, topic),
        lambda: _offset_reached(kafka_bootstrap, group, topic, 1),
        "the redelivered event consumed",
    )
    assert duplicates._value.get() == before + 1, "the event was redelivered"
    assert await count(service_db, Effect) == 1, "and still had exactly one effect"


async def test_poison_messages_go_to_the_dead_letter_topic_and_the_rest_are_processed(
    service_db, kafka_bootstrap, new_topic
):
    topic = await new_topic(partitions=1)
    group = f"poison-{uuid.uuid4().hex[:6]}"
    await produce_raw(
        kafka_bootstrap,
        topic,
        [
            (b"k", event_bytes("before")),
            (b"k", b"{not json"),
            (b"k", event_bytes("boom")),
            (b"k", event_bytes("after")),
        ],
    )
    consumer = runner(
        service_db, kafka_bootstrap, group, topic, max_attempts=3, backoff_initial_s=0.01
    )
    await run_until(
        consumer,
        lambda: _offset_reached(kafka_bootstrap, group, topic, 4),
        "the partition consumed past the poison",
    )
    async with service_db.read_session() as session:
        from sqlalchemy import select

        bodies = sorted((await session.execute(select(Effect.body))).scalars())
    assert bodies == ["after", "before"]

    dead = await read_topic(kafka_bootstrap, dlq_topic(group))
    assert [r.value for r in dead][:1] == [b"{not json"]
    headers = [dict(r.headers) for r in dead]
    assert headers[0]["dlq.error.type"] == b"PoisonMessage"
    assert headers[0]["dlq.attempts"] == b"1", "a message that isn't an event is not retried"
    assert headers[1]["dlq.error.type"] == b"RuntimeError"
    assert b"cannot apply 'boom'" in headers[1]["dlq.error.message"]
    assert headers[1]["dlq.attempts"] == b"3"
    assert headers[1]["dlq.original.topic"] == topic.encode()
    assert headers[1]["dlq.original.offset"] == b"2"


async def test_replayed_dead_letters_are_processed_once_the_cause_is_fixed(
    service_db, kafka_bootstrap, new_topic
):
    topic = await new_topic(partitions=1)
    group = f"replay-{uuid.uuid4().hex[:6]}"
    await produce_raw(kafka_bootstrap, topic, [(b"k", event_bytes("boom"))])
    await run_until(
        runner(service_db, kafka_bootstrap, group, topic, max_attempts=1),
        lambda: _offset_reached(kafka_bootstrap, group, topic, 1),
        "the failing event dead-lettered",
    )
    assert await count(service_db, Effect) == 0

    async def fixed_handler(event, uow) -> None:
        uow.session.add(Effect(event_id=event.envelope.id, body="fixed"))

    # The operator's command, as the README gives it.
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "servicekit.replay",
        "--group",
        group,
        "--bootstrap",
        kafka_bootstrap,
        stdout=asyncio.subprocess.PIPE,
    )
    output, _ = await process.communicate()
    assert process.returncode == 0
    assert f"replayed 1 dead letter(s) from {group}.dlq" in output.decode()
    again = await replay_dead_letters(kafka_bootstrap, group)
    assert again.replayed == 0, "replay progress is remembered"

    fixed = runner(service_db, kafka_bootstrap, group, topic)
    fixed._handlers[NoteWritten.event_type] = fixed_handler
    await run_until(
        fixed,
        lambda: _offset_reached(kafka_bootstrap, group, topic, 2),
        "the replayed event consumed",
    )
    assert await count(service_db, Effect) == 1


async def test_unknown_types_are_skipped_and_extra_fields_ignored(
    service_db, kafka_bootstrap, new_topic
):
    topic = await new_topic(partitions=1)
    group = f"tolerant-{uuid.uuid4().hex[:6]}"
    unknown = json.loads(event_bytes("x"))
    unknown["type"] = "testsuite.note.archived.v1"
    extended = json.loads(event_bytes("extended", newattribute="ignored"))
    extended["data"]["added_later"] = {"nested": True}
    extended["time"] = datetime.now(UTC).isoformat()
    await produce_raw(
        kafka_bootstrap,
        topic,
        [(b"k", json.dumps(unknown).encode()), (b"k", json.dumps(extended).encode())],
    )
    await run_until(
        runner(service_db, kafka_bootstrap, group, topic),
        lambda: _offset_reached(kafka_bootstrap, group, topic, 2),
        "both consumed",
    )
    async with service_db.read_session() as session:
        from sqlalchemy import select

        assert list((await session.execute(select(Effect.body))).scalars()) == ["extended"]
    assert await read_topic(kafka_bootstrap, dlq_topic(group)) == []


async def test_an_outage_of_the_consumers_database_is_waited_out_not_dead_lettered(
    stack, service_db, kafka_bootstrap, new_topic
):
    topic = await new_topic(partitions=1)
    group = f"outage-{uuid.uuid4().hex[:6]}"
    consumer = runner(
        service_db, kafka_bootstrap, group, topic, max_attempts=2, backoff_initial_s=0.05
    )
    task = asyncio.create_task(consumer.run())
    try:
        await eventually(lambda: _assigned(consumer), what="the consumer joining its group")
        outage_retries = CONSUMER_RETRIES.labels(group=group, reason="outage")
        stack.postgres.stop()
        try:
            await produce_raw(kafka_bootstrap, topic, [(b"k", event_bytes("during outage"))])
            await eventually(
                lambda: _at_least(outage_retries, 3 * 2),
                what="many more failed attempts than max_attempts",
            )
        finally:
            stack.postgres.start()
        await eventually(lambda: _offset_reached(kafka_bootstrap, group, topic, 1), what="applied")
    finally:
        await consumer.close()
        await asyncio.gather(task, return_exceptions=True)
    assert await count(service_db, Effect) == 1
    assert await read_topic(kafka_bootstrap, dlq_topic(group)) == []


async def _assigned(consumer: ConsumerRunner) -> bool:
    return consumer._consumer is not None and bool(consumer._consumer.assignment())


async def _at_least(counter, value: float) -> bool:
    return bool(counter._value.get() >= value)


async def raise_timeout(event, uow) -> None:
    """A handler's own bug that looks like an outage: the database itself is fine."""
    raise TimeoutError("the handler waited on something of its own")


async def test_a_handler_raising_timeout_with_the_database_up_is_dead_lettered(
    service_db, kafka_bootstrap, new_topic
):
    topic = await new_topic(partitions=1)
    group = f"bugtimeout-{uuid.uuid4().hex[:6]}"
    await produce_raw(
        kafka_bootstrap, topic, [(b"k", event_bytes("stalls")), (b"k", event_bytes("next"))]
    )
    consumer = runner(
        service_db, kafka_bootstrap, group, topic, max_attempts=3, backoff_initial_s=0.01
    )
    calls = 0

    async def first_times_out(event, uow) -> None:
        nonlocal calls
        calls += 1
        if event.payload["body"] == "stalls":
            await raise_timeout(event, uow)
        await record_effect(event, uow)

    consumer._handlers[NoteWritten.event_type] = first_times_out
    await run_until(
        consumer,
        lambda: _offset_reached(kafka_bootstrap, group, topic, 2),
        "the partition consumed past the failing event",
    )
    dead = await read_topic(kafka_bootstrap, dlq_topic(group))
    assert [dict(r.headers)["dlq.error.type"] for r in dead] == [b"TimeoutError"]
    assert dict(dead[0].headers)["dlq.attempts"] == b"3"
    assert CONSUMER_RETRIES.labels(group=group, reason="outage")._value.get() == 0
    async with service_db.read_session() as session:
        from sqlalchemy import select

        assert list((await session.execute(select(Effect.body))).scalars()) == ["next"]


async def group_members(bootstrap: str, group: str) -> list[str]:
    """The members the broker's coordinator lists for the group right now."""
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_consumer_groups([group])
    finally:
        await admin.close()
    members: list[str] = []
    for response in described:
        for entry in response.groups:
            # (error_code, group_id, state, protocol_type, protocol, members, ...)
            members += [member[0] for member in entry[5]]
    return members


class FailsOncePolled(ConsumerRunner):
    """The loop dies once after joining (a bug, a lost connection), as in production."""

    failed = False

    async def _process(self, records) -> None:
        if not FailsOncePolled.failed:
            FailsOncePolled.failed = True
            raise RuntimeError("the loop died")
        await super()._process(records)


async def test_a_restarted_consumer_loop_leaves_exactly_one_member_in_the_group(
    service_db, kafka_bootstrap, new_topic
):
    from servicekit.runtime import supervise

    topic = await new_topic(partitions=1)
    group = f"restart-{uuid.uuid4().hex[:6]}"
    await produce_raw(kafka_bootstrap, topic, [(b"k", event_bytes("survives a restart"))])
    consumer = runner(service_db, kafka_bootstrap, group, topic, cls=FailsOncePolled)
    stopping = False
    task = asyncio.create_task(
        supervise("consumer", consumer.run, stopping=lambda: stopping, initial_delay_s=0.1)
    )
    try:
        await eventually(
            lambda: _offset_reached(kafka_bootstrap, group, topic, 1), what="consumed after restart"
        )
        assert FailsOncePolled.failed, "the loop did die once"
        members = await group_members(kafka_bootstrap, group)
        assert len(members) == 1, f"one member after the restart, not {members}"
    finally:
        stopping = True
        await consumer.close()
        await asyncio.gather(task, return_exceptions=True)
    assert await count(service_db, Effect) == 1


class FlakyDeadLetters:
    """The dead-letter topic unreachable for the first sends (Kafka in an outage)."""

    def __init__(self, real, failures: int) -> None:
        self.real = real
        self.failures = failures
        self.attempts = 0

    async def send(self, record, error, *, attempts) -> None:
        self.attempts += 1
        if self.attempts <= self.failures:
            from aiokafka.errors import KafkaConnectionError

            raise KafkaConnectionError("broker unreachable")
        await self.real.send(record, error, attempts=attempts)

    async def reset(self) -> None:
        await self.real.reset()

    async def ensure_topic(self) -> None:
        await self.real.ensure_topic()

    async def close(self) -> None:
        await self.real.close()


async def test_a_failed_dead_letter_send_is_waited_out_and_the_loop_goes_on(
    service_db, kafka_bootstrap, new_topic
):
    topic = await new_topic(partitions=1)
    group = f"dlqdown-{uuid.uuid4().hex[:6]}"
    await produce_raw(
        kafka_bootstrap, topic, [(b"k", event_bytes("boom")), (b"k", event_bytes("after"))]
    )
    consumer = runner(
        service_db, kafka_bootstrap, group, topic, max_attempts=1, backoff_initial_s=0.01
    )
    flaky = FlakyDeadLetters(consumer._dead_letters, failures=3)
    consumer._dead_letters = flaky
    await run_until(
        consumer,
        lambda: _offset_reached(kafka_bootstrap, group, topic, 2),
        "the partition consumed past the dead letter",
    )
    assert flaky.attempts == 4, "three failed sends, then the one that Kafka took"
    dead = await read_topic(kafka_bootstrap, dlq_topic(group))
    assert [json.loads(r.value)["data"]["body"] for r in dead] == ["boom"]
    assert dict(dead[0].headers)["dlq.original.offset"] == b"0"
    async with service_db.read_session() as session:
        from sqlalchemy import select

        assert list((await session.execute(select(Effect.body))).scalars()) == ["after"]

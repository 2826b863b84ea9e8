"""Event history is kept for ever; dead letters for a stated year. On the real broker."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from asn_schemas import new_event
from servicekit.consumer import ConsumerRunner
from servicekit.deadletter import DeadLetterWriter
from servicekit.kafka import DEAD_LETTER_TOPIC_CONFIG, EVENT_TOPIC_CONFIG, ensure_topics
from servicekit.testing import eventually, read_topic_config
from servicekit_testdomain import SOURCE, Effect, NoteWritten, count, record_effect

pytestmark = pytest.mark.integration

DAY_MS = 86_400_000
BROKER_DEFAULT_RETENTION_MS = "604800000"  # 7 days: what every topic had before


async def test_event_topics_made_by_the_helpers_keep_everything(kafka_bootstrap, new_topic):
    topic = await new_topic("retained")
    config = await read_topic_config(kafka_bootstrap, topic)
    assert config["retention.ms"] == "-1"
    assert config["retention.bytes"] == "-1"
    assert config["cleanup.policy"] == "delete"  # history, not a compacted snapshot
    assert EVENT_TOPIC_CONFIG == {"retention.ms": "-1", "retention.bytes": "-1"}


async def test_dead_letter_topics_keep_a_year(kafka_bootstrap):
    writer = DeadLetterWriter(kafka_bootstrap, f"retention-{uuid.uuid4().hex[:6]}")
    await writer.ensure_topic()
    config = await read_topic_config(kafka_bootstrap, writer.topic)
    assert config["retention.ms"] == str(365 * DAY_MS)
    assert config["retention.bytes"] == "-1"
    assert config["retention.ms"] == DEAD_LETTER_TOPIC_CONFIG["retention.ms"]


def note(n: int) -> bytes:
    envelope = new_event(
        NoteWritten(note_id=f"n{n}", body=f"note {n}"),
        subject=f"n{n}",
        actor="system:test",
        source=SOURCE,
    )
    return json.dumps(envelope.model_dump(mode="json", exclude_none=True)).encode()


ROUND_AGES_DAYS = (30, 20, 10, 0)
PER_ROUND = 25
TOTAL = PER_ROUND * len(ROUND_AGES_DAYS)


async def write_aged_rounds(bootstrap: str, topic: str) -> None:
    """One record batch per round, stamped as written `age` days ago (CreateTime, which
    retention goes by): a month of history, written now."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        n = 0
        for age in ROUND_AGES_DAYS:
            stamp = int(time.time() * 1000) - age * DAY_MS
            batch = producer.create_batch()
            for _ in range(PER_ROUND):
                assert batch.append(key=f"n{n}".encode(), value=note(n), timestamp=stamp)
                n += 1
            await (await producer.send_batch(batch, topic, partition=0))
    finally:
        await producer.stop()


async def log_start(bootstrap: str, topic: str) -> int:
    """The oldest offset the broker still holds: > 0 once retention deleted a segment."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        tp = TopicPartition(topic, 0)
        return int((await consumer.beginning_offsets([tp]))[tp])
    finally:
        await consumer.stop()


async def test_a_consumer_group_started_a_month_later_builds_its_whole_replica(
    service_db, kafka_bootstrap, new_topic
):
    # segment.ms far below the rounds' age gap: each round gets a segment of its own, and
    # retention only ever deletes whole closed segments, so the test has some to delete.
    small_segments = {"segment.ms": "60000"}
    kept = await new_topic("latejoin", partitions=1, config=small_segments)
    # The same history on a topic made as they were before: the broker's 7-day default.
    before = f"latejoin-before.{uuid.uuid4().hex[:8]}"
    await ensure_topics(kafka_bootstrap, {before: 1}, config_overrides=small_segments)
    assert (await read_topic_config(kafka_bootstrap, before))["retention.ms"] == (
        BROKER_DEFAULT_RETENTION_MS
    )
    await write_aged_rounds(kafka_bootstrap, kept)
    await write_aged_rounds(kafka_bootstrap, before)

    # The broker's retention check (every 5 s on the test stack) walks every log in one
    # pass: once it has cut the 7-day topic back to its newest round, it has seen `kept` too.
    async def old_rounds_deleted() -> bool:
        return await log_start(kafka_bootstrap, before) == TOTAL - PER_ROUND

    await eventually(old_rounds_deleted, what="the 7-day topic losing its three old segments")
    assert await log_start(kafka_bootstrap, kept) == 0

    late = ConsumerRunner(
        db=service_db,
        bootstrap=kafka_bootstrap,
        group_id=f"latejoin-{uuid.uuid4().hex[:6]}",
        topics=[kept],
        handlers={NoteWritten.event_type: record_effect},
        source=SOURCE,
        own_topic=kept,
    )
    task = asyncio.create_task(late.run())
    try:

        async def replica_complete() -> bool:
            return await count(service_db, Effect) >= TOTAL

        await eventually(replica_complete, what=f"the late group applying all {TOTAL} events")
    finally:
        await late.close()
        await asyncio.gather(task, return_exceptions=True)
    assert await count(service_db, Effect) == TOTAL


async def test_a_groups_committed_offsets_outlive_a_year_of_absence(kafka_bootstrap):
    """With the 7-day default, a consumer group stopped for a week and a day would restart
    from the beginning of topics that keep everything, past what its inbox remembers."""
    from aiokafka.admin import AIOKafkaAdminClient
    from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        responses = await admin.describe_configs([ConfigResource(ConfigResourceType.BROKER, "1")])
    finally:
        await admin.close()
    configs = {
        entry[0]: entry[1]
        for response in responses
        for *_, entries in response.resources
        for entry in entries
    }
    assert configs["offsets.retention.minutes"] == str(365 * 24 * 60)

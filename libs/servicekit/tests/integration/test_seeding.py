"""A demo seed waits for its replica's consumer group to catch up (servicekit.seeding): a
replica that merely stopped growing for a few seconds may be a paused consumer halfway
through (kinerja's seed once started with 1,374 of 2,549 employees). On the real broker."""

from __future__ import annotations

import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.structs import OffsetAndMetadata
from servicekit.seeding import group_caught_up

pytestmark = pytest.mark.integration


async def _commit(bootstrap: str, group: str, topic: str, offset: int) -> None:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group,
                                enable_auto_commit=False)  # fmt: skip
    await consumer.start()
    try:
        consumer.assign([TopicPartition(topic, 0)])
        await consumer.commit({TopicPartition(topic, 0): OffsetAndMetadata(offset, "")})
    finally:
        await consumer.stop()


async def test_a_group_is_caught_up_only_when_it_has_committed_the_topics_end(
    kafka_bootstrap, new_topic
):
    topic = await new_topic("seeding")
    group = f"seeding-{uuid.uuid4().hex[:8]}"
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    await producer.start()
    try:
        for n in range(5):
            await producer.send_and_wait(topic, f"event {n}".encode(), partition=0)
    finally:
        await producer.stop()

    assert not await group_caught_up(kafka_bootstrap, group, [topic])  # nothing committed
    await _commit(kafka_bootstrap, group, topic, 3)
    assert not await group_caught_up(kafka_bootstrap, group, [topic])  # halfway
    await _commit(kafka_bootstrap, group, topic, 5)
    assert await group_caught_up(kafka_bootstrap, group, [topic])
    assert not await group_caught_up(kafka_bootstrap, group, [f"{topic}-missing"])

"""Kafka clients that are closed however a command ends (a failed start included)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from servicekit.connections import KafkaTarget, kafka_client_args


@contextlib.asynccontextmanager
async def reader(kafka: KafkaTarget, client_id: str) -> AsyncIterator[AIOKafkaConsumer]:
    """A consumer without a group: reading never moves anyone's committed offsets."""
    consumer = AIOKafkaConsumer(
        **kafka_client_args(kafka), enable_auto_commit=False, client_id=client_id
    )
    try:
        await consumer.start()
        yield consumer
    finally:
        await consumer.stop()


@contextlib.asynccontextmanager
async def admin(kafka: KafkaTarget) -> AsyncIterator[AIOKafkaAdminClient]:
    client = AIOKafkaAdminClient(**kafka_client_args(kafka), request_timeout_ms=10_000)
    try:
        await client.start()
        yield client
    finally:
        await client.close()

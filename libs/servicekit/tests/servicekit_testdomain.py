"""What the servicekit tests share: a tiny test domain and ways to look at a topic."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import ClassVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.structs import ConsumerRecord
from asn_schemas import EventPayload
from servicekit.consumer import ConsumedEvent
from servicekit.db import Database
from servicekit.kafka import topic_partitions
from servicekit.uow import UnitOfWork
from sqlalchemy import Column, Text, func, select
from sqlalchemy.dialects.postgresql import UUID
from sqlmodel import Field, SQLModel

SOURCE = "/sawahlunto/testsuite"


class NoteWritten(EventPayload):
    event_type: ClassVar[str] = "testsuite.note.written.v1"
    note_id: str
    body: str


class Note(SQLModel, table=True):
    """State a test command changes (stands in for a service's own table)."""

    __tablename__ = "test_note"
    note_id: str = Field(primary_key=True)
    body: str


class Effect(SQLModel, table=True):
    """One row per time a handler ran: counting them shows exactly-once effects."""

    __tablename__ = "test_effect"
    id: int | None = Field(default=None, primary_key=True)
    event_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))


async def record_effect(event: ConsumedEvent, uow: UnitOfWork) -> None:
    body = event.payload["body"] if isinstance(event.payload, dict) else event.payload.body
    if body == "boom":
        raise RuntimeError("handler cannot apply 'boom'")
    uow.session.add(Effect(event_id=event.envelope.id, body=body))


async def count(db: Database, model: type[SQLModel]) -> int:
    async with db.read_session() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def read_topic(bootstrap: str, topic: str) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record currently in the topic, across partitions (no group, no commits)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in await topic_partitions(bootstrap, topic)]
        if not tps:
            return []
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        end = await consumer.end_offsets(tps)
        records: list[ConsumerRecord[bytes, bytes]] = []
        while [tp for tp in tps if await consumer.position(tp) < end[tp]]:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                records.extend(batch)
        return records
    finally:
        await consumer.stop()


async def produce_raw(bootstrap: str, topic: str, messages: list[tuple[bytes, bytes]]) -> None:
    """Put bytes on a topic as any producer could, bypassing the outbox (poison, duplicates)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(topic, value=value, key=key)
    finally:
        await producer.stop()


async def eventually(
    check: Callable[[], Awaitable[bool]], *, timeout_s: float = 60.0, what: str = "condition"
) -> None:
    """Wait for an asynchronous outcome; the generous limit only guards against a hang."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout_s:.0f} s")
        await asyncio.sleep(0.1)

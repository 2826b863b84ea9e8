"""What the servicekit tests share: a tiny test domain and ways to look at a topic."""

from __future__ import annotations

import uuid
from typing import ClassVar

from aiokafka import AIOKafkaProducer
from asn_schemas import EventPayload
from servicekit.consumer import ConsumedEvent
from servicekit.db import Database
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


async def produce_raw(bootstrap: str, topic: str, messages: list[tuple[bytes, bytes]]) -> None:
    """Put bytes on a topic as any producer could, bypassing the outbox (poison, duplicates)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(topic, value=value, key=key)
    finally:
        await producer.stop()

"""The benchmark's event and the effect its handler writes.

The event is shaped like the suite's own (a NIP as key, a few fields, a text body) and
goes through the same `UnitOfWork` → outbox → `OutboxRelay` → `ConsumerRunner` path as
theirs. Its size is measured at each run and given to Kafka's tools, so the anchors
move the same bytes.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from asn_schemas import EventPayload, new_event
from servicekit.consumer import ConsumedEvent
from servicekit.db import Database
from servicekit.identity import Identity
from servicekit.tracing import new_traceparent
from servicekit.uow import UnitOfWork
from sqlalchemy import BigInteger, Column, DateTime, MetaData, Table, Text, func, insert
from sqlalchemy.dialects.postgresql import UUID

SOURCE = "/sawahlunto/bench"
ACTOR = Identity.system("bench-writer")
KEYS = 2000
"""Distinct aggregates (NIPs): spreads keys over every partition, as a real city would."""
BODY_CHARS = 240
"""Brings the Kafka value to ~760 bytes: a mid-sized event of the suite."""


class NoteRecorded(EventPayload):
    event_type: ClassVar[str] = "bench.note.recorded.v1"
    nip: str
    seq: int
    unit_id: str
    body: str


def nip_for(n: int) -> str:
    return f"1985031520100{n % KEYS:05d}"


def note(n: int) -> NoteRecorded:
    nip = nip_for(n)
    return NoteRecorded(nip=nip, seq=n, unit_id="bkpsdm", body=("catatan " * 40)[:BODY_CHARS])


def add_note(uow: UnitOfWork, n: int) -> uuid.UUID:
    """Queue event number `n` on the unit of work, keyed by its NIP as services do."""
    payload = note(n)
    return uow.add_event(payload, subject=payload.nip).id


def unit_of_work(db: Database, topic: str) -> UnitOfWork:
    return UnitOfWork(db, actor=ACTOR, source=SOURCE, topic=topic)


EFFECTS = Table(
    "bench_effect",
    MetaData(),
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("nip", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


def _effect_row(event: ConsumedEvent) -> dict[str, object]:
    payload = event.payload
    nip = payload["nip"] if isinstance(payload, dict) else event.envelope.subject
    return {"event_id": event.envelope.id, "nip": nip}


async def record_effect(event: ConsumedEvent, uow: UnitOfWork) -> None:
    """The handler: one small INSERT, the kind of effect a projection writes."""
    await uow.session.execute(insert(EFFECTS).values(**_effect_row(event)))


def envelope_document(n: int) -> dict[str, object]:
    """Event `n` as UnitOfWork stores it in `outbox.payload` (what the relay sends as text)."""
    payload = note(n)
    envelope = new_event(
        payload,
        subject=payload.nip,
        actor=ACTOR.sub,
        source=SOURCE,
        traceparent=str(new_traceparent()),
    )
    return envelope.model_dump(mode="json", exclude_none=True)

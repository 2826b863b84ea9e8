"""The unit of work: the one place that commits, and where events join the state change.

A route opens one with the caller's identity, changes state through `uow.session`,
adds events with `uow.add_event(...)`, and leaves the block: state, outbox rows and
a NOTIFY for the relay commit together, or — on any exception — nothing does.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from asn_schemas import Envelope, EventPayload, new_event
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.context import current_traceparent
from servicekit.db import Database
from servicekit.identity import Identity
from servicekit.tables import OUTBOX_CHANNEL, OutboxRecord


class UnitOfWork:
    def __init__(self, db: Database, *, actor: Identity, source: str, topic: str) -> None:
        self._db = db
        self.actor = actor
        self._source = source
        self._topic = topic
        self._events: list[tuple[str, Envelope]] = []
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("a UnitOfWork is used inside `async with`")
        return self._session

    @property
    def events(self) -> tuple[Envelope, ...]:
        """The events this unit will publish, in order (handy for responses and tests)."""
        return tuple(envelope for _, envelope in self._events)

    def add_event(
        self,
        payload: EventPayload,
        *,
        subject: str,
        sequence: int | None = None,
        topic: str | None = None,
    ) -> Envelope:
        """Queue an event for the outbox; it is written only if the unit commits."""
        envelope = new_event(
            payload,
            subject=subject,
            actor=self.actor.sub,
            source=self._source,
            traceparent=str(current_traceparent().child()),
            sequence=sequence,
        )
        self._events.append((topic or self._topic, envelope))
        return envelope

    async def __aenter__(self) -> Self:
        self._session = self._db.sessionmaker()
        await self._session.begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            if exc_type is None:
                await self._write_outbox(session)
                await session.commit()
            else:
                await session.rollback()
        finally:
            await session.close()
            self._session = None

    async def _write_outbox(self, session: AsyncSession) -> None:
        if not self._events:
            return
        rows = [outbox_row(topic, envelope) for topic, envelope in self._events]
        await session.execute(insert(OutboxRecord), rows)
        # Delivered by PostgreSQL only at commit, so the relay never wakes for a rollback.
        await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": OUTBOX_CHANNEL})


def outbox_row(topic: str, envelope: Envelope) -> dict[str, Any]:
    """An event as the relay reads it back: the `outbox` table's columns, key = subject."""
    return {
        "event_id": envelope.id,
        "topic": topic,
        "key": envelope.subject,
        "event_type": envelope.type,
        "traceparent": envelope.traceparent,
        "payload": envelope.model_dump(mode="json", exclude_none=True),
    }


UnitOfWorkFactory = Callable[[Identity], UnitOfWork]


def unit_of_work_factory(db: Database, *, source: str, topic: str) -> UnitOfWorkFactory:
    """Bind a service's database and topic once; routes then only name the actor."""

    def make(actor: Identity) -> UnitOfWork:
        return UnitOfWork(db, actor=actor, source=source, topic=topic)

    return make

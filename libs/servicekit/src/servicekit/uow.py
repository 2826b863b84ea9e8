"""The unit of work: the one place that commits, and where events join the state change.

A route opens one with the caller's identity, changes state through `uow.session`,
adds events with `uow.add_event(...)`, and leaves the block: state, outbox rows and
a NOTIFY for the relay commit together, or — on any exception — nothing does.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from asn_schemas import Envelope, EventPayload, new_event
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.context import current_traceparent
from servicekit.db import Database
from servicekit.identity import Identity
from servicekit.outbox import outbox_row, write_outbox


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
        # The session's own asyncpg connection, inside its transaction: the same statement
        # group commit's batches use (servicekit.outbox), in one round trip.
        connection = await session.connection()
        driver = (await connection.get_raw_connection()).driver_connection
        assert driver is not None, "an open session has a connection"
        rows = [outbox_row(topic, envelope) for topic, envelope in self._events]
        await write_outbox(driver, rows)

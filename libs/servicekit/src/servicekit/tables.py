"""The outbox and inbox tables every service's database holds beside its own state.

They live in SQLModel's shared metadata, so each service's Alembic migrations
create them with the service's own tables.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlmodel import Field, SQLModel

OUTBOX_CHANNEL = "outbox"
"""LISTEN/NOTIFY channel that wakes the relay after commit (NOTIFY is per database)."""


class OutboxRecord(SQLModel, table=True):
    """An event awaiting (or done with) publication, written in its state change's transaction."""

    __tablename__ = "outbox"
    __table_args__ = (
        # The relay scans only what is unpublished, in commit-ish order and per key.
        Index("ix_outbox_unpublished", "id", postgresql_where=text("NOT published")),
        Index("ix_outbox_unpublished_key", "key", "id", postgresql_where=text("NOT published")),
        Index("ix_outbox_published_at", "published_at", postgresql_using="brin"),
    )

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), primary_key=True)
    )
    event_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), nullable=False, unique=True))
    topic: str = Field(sa_column=Column(Text, nullable=False))
    key: str = Field(sa_column=Column(Text, nullable=False))
    event_type: str = Field(sa_column=Column(Text, nullable=False))
    traceparent: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    payload: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now())
    )
    published: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=text("false"))
    )
    published_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class InboxRecord(SQLModel, table=True):
    """An event a consumer group has applied; committed with the handler's effects."""

    __tablename__ = "inbox"
    __table_args__ = (
        # servicekit.housekeeping purges by age: rows arrive in time order, so a BRIN
        # index finds old ones at a fraction of a B-tree's size and insert cost.
        Index("ix_inbox_processed_at", "processed_at", postgresql_using="brin"),
    )

    consumer_group: str = Field(sa_column=Column(Text, primary_key=True))
    event_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    event_type: str = Field(sa_column=Column(Text, nullable=False))
    processed_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now())
    )


class IdempotencyRecord(SQLModel, table=True):
    """A command's response, kept per caller and `Idempotency-Key` so a retry replays it."""

    __tablename__ = "idempotency_key"
    __table_args__ = (
        Index("ix_idempotency_key_created_at", "created_at", postgresql_using="brin"),
    )

    actor: str = Field(sa_column=Column(Text, primary_key=True))
    key: str = Field(sa_column=Column(Text, primary_key=True))
    fingerprint: str = Field(sa_column=Column(Text, nullable=False))
    status: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    body: Any = Field(default=None, sa_column=Column(JSONB, nullable=True))
    etag: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now())
    )

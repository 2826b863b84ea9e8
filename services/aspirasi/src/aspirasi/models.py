"""Tables of the aspirasi database (servicekit's outbox, inbox and idempotency keys live
in SQLModel's shared metadata).

Enumerations are text columns: vocabularies grow additively (DESIGN, Events). A ticket's
contact and its secret's hash never leave this database.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    Sequence,
    SmallInteger,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel


def _now() -> Column[dt.datetime]:
    return Column(DateTime(timezone=True), nullable=False, server_default=func.now())


def _uuid(*args: Any, **kwargs: Any) -> Column[uuid.UUID]:
    return Column(UUID(as_uuid=True), *args, **kwargs)


def _at() -> Column[dt.datetime]:
    return Column(DateTime(timezone=True), nullable=True)


class AspirasiTable(SQLModel, registry=registry()):
    """Base of aspirasi's tables: their own metadata (another service has a `unit` too)."""


TICKET_NUMBER = Sequence("ticket_number", metadata=AspirasiTable.metadata)


class Unit(AspirasiTable, table=True):
    """Replica of pegawai's units: where a ticket may be routed, and whose admin_opd sees it."""

    __tablename__ = "unit"

    id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    code: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    active: bool = Field(default=True, sa_column=Column(Boolean, nullable=False))


class Holiday(AspirasiTable, table=True):
    """Replica of presensi's calendar: holidays and cuti bersama are not working days."""

    __tablename__ = "holiday"

    holiday_id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    date: dt.date = Field(sa_column=Column(Date, nullable=False, index=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(sa_column=Column(Text, nullable=False))


class Submission(AspirasiTable, table=True):
    """A ticket: a citizen's submission, or a forum's follow-up item (`forum_id`)."""

    __tablename__ = "submission"
    __table_args__ = (
        Index("ix_submission_unit_status", "unit_code", "status"),
        Index("ix_submission_status", "status"),
    )

    id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    code: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    kind: str = Field(sa_column=Column(Text, nullable=False))
    privacy: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(sa_column=Column(Text, nullable=False))
    title: str = Field(sa_column=Column(Text, nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    location: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    suggested_unit_code: str | None = Field(default=None, sa_column=Column(Text))
    unit_code: str | None = Field(default=None, sa_column=Column(Text))
    reporter_name: str | None = Field(default=None, sa_column=Column(Text))
    contact: str | None = Field(default=None, sa_column=Column(Text))
    secret_salt: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    secret_hash: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    forum_id: uuid.UUID | None = Field(
        default=None, sa_column=_uuid(ForeignKey("forum.id"), nullable=True, index=True)
    )
    returned_by: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(Text), nullable=False)
    )
    follow_up_note: str | None = Field(default=None, sa_column=Column(Text))
    answer: str | None = Field(default=None, sa_column=Column(Text))
    decision_note: str | None = Field(default=None, sa_column=Column(Text))
    reopen_count: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    rating: int | None = Field(default=None, sa_column=Column(SmallInteger))
    close_outcome: str | None = Field(default=None, sa_column=Column(Text))
    escalated: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    received_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    verified_at: dt.datetime | None = Field(default=None, sa_column=_at())
    routed_at: dt.datetime | None = Field(default=None, sa_column=_at())
    first_follow_up_at: dt.datetime | None = Field(default=None, sa_column=_at())
    answered_at: dt.datetime | None = Field(default=None, sa_column=_at())
    closed_at: dt.datetime | None = Field(default=None, sa_column=_at())
    rated_at: dt.datetime | None = Field(default=None, sa_column=_at())
    sequence: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))


class Step(AspirasiTable, table=True):
    """The ticket's history: who did what, when (citizens' messages too)."""

    __tablename__ = "step"

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    submission_id: uuid.UUID = Field(
        sa_column=_uuid(ForeignKey("submission.id"), nullable=False, index=True)
    )
    at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    actor: str = Field(sa_column=Column(Text, nullable=False))
    action: str = Field(sa_column=Column(Text, nullable=False))
    unit_code: str | None = Field(default=None, sa_column=Column(Text))
    note: str | None = Field(default=None, sa_column=Column(Text))


class Clock(AspirasiTable, table=True):
    """One run of an SLA clock. A reopen or a return starts a new run; each run breaches
    at most once. `fixed_due` is set for a forum item's own due date."""

    __tablename__ = "sla_clock"
    __table_args__ = (Index("ix_sla_clock_open", "stopped_at", "breached_at"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    submission_id: uuid.UUID = Field(
        sa_column=_uuid(ForeignKey("submission.id"), nullable=False, index=True)
    )
    clock: str = Field(sa_column=Column(Text, nullable=False))
    unit_code: str | None = Field(default=None, sa_column=Column(Text))
    started_on: dt.date = Field(sa_column=Column(Date, nullable=False))
    due_on: dt.date = Field(sa_column=Column(Date, nullable=False))
    fixed_due: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    stopped_at: dt.datetime | None = Field(default=None, sa_column=_at())
    breached_at: dt.datetime | None = Field(default=None, sa_column=_at())


class Photo(AspirasiTable, table=True):
    """A photo as re-encoded here (no EXIF); the upload itself is never stored."""

    __tablename__ = "photo"

    id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    submission_id: uuid.UUID = Field(
        sa_column=_uuid(ForeignKey("submission.id"), nullable=False, index=True)
    )
    position: int = Field(sa_column=Column(SmallInteger, nullable=False))
    content_type: str = Field(sa_column=Column(Text, nullable=False))
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Forum(AspirasiTable, table=True):
    """A forum masyarakat session: counts of organisations, no personal data."""

    __tablename__ = "forum"

    id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    unit_code: str | None = Field(default=None, sa_column=Column(Text, index=True))
    held_on: dt.date = Field(sa_column=Column(Date, nullable=False))
    place: str = Field(sa_column=Column(Text, nullable=False))
    organisations: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    participant_count: int = Field(sa_column=Column(Integer, nullable=False))
    minutes: str | None = Field(default=None, sa_column=Column(Text))
    created_by: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime | None = Field(default=None, sa_column=_now())
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))


class UnitSignal(AspirasiTable, table=True):
    """The last figures published for a unit and month (a change publishes again)."""

    __tablename__ = "unit_signal"

    unit_code: str = Field(sa_column=Column(Text, primary_key=True))
    month: str = Field(sa_column=Column(Text, primary_key=True))
    figures: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    computed_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Notification(AspirasiTable, table=True):
    """A progress notice owed to a ticket's contact, written in the step's own transaction
    (an outbox: no step without its notice, no notice without its step). It holds no
    address: the sender reads the contact at send time, so erasing the contact erases it
    from the notices still due too."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_due", "next_attempt_at", "state"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    submission_id: uuid.UUID = Field(
        sa_column=_uuid(ForeignKey("submission.id"), nullable=False, index=True)
    )
    action: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(sa_column=Column(Text, nullable=False))
    state: str = Field(default="pending", sa_column=Column(Text, nullable=False))
    attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    created_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    next_attempt_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    done_at: dt.datetime | None = Field(default=None, sa_column=_at())
    last_error: str | None = Field(default=None, sa_column=Column(Text))

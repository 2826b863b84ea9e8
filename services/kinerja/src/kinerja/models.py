"""Tables of the kinerja database (besides servicekit's outbox, inbox and idempotency keys,
which live in SQLModel's shared metadata).

Enumerations are text columns: vocabularies grow additively (DESIGN, Events).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel


def _now() -> Column[datetime]:
    return Column(DateTime(timezone=True), nullable=False, server_default=func.now())


def _uuid(*args: Any, **kwargs: Any) -> Column[uuid.UUID]:
    return Column(UUID(as_uuid=True), *args, **kwargs)


class KinerjaTable(SQLModel, registry=registry()):
    """Base of kinerja's tables: their own metadata, so that a test process that also
    imports another service (whose `employee` or `unit` table has the same name) works."""


class Unit(KinerjaTable, table=True):
    """Replica of pegawai's units (for admin_opd scope and the distribution check)."""

    __tablename__ = "unit"

    id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    code: str = Field(sa_column=Column(Text, nullable=False, index=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    parent_id: uuid.UUID | None = Field(default=None, sa_column=_uuid(nullable=True, index=True))


class Employee(KinerjaTable, table=True):
    """Replica of pegawai's employee: what kinerja needs to know who rates whom.

    `source_sequence` is the last pegawai `sequence` applied (older snapshots are
    ignored); `event_sequence` numbers kinerja's own events about this employee."""

    __tablename__ = "employee"

    nip: str = Field(sa_column=Column(Text, primary_key=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(sa_column=Column(Text, nullable=False))
    unit_id: uuid.UUID = Field(sa_column=_uuid(nullable=False, index=True))
    unit_code: str = Field(sa_column=Column(Text, nullable=False))
    supervisor_nip: str | None = Field(default=None, sa_column=Column(Text, index=True))
    position_name: str = Field(sa_column=Column(Text, nullable=False))
    position_kind: str = Field(sa_column=Column(Text, nullable=False))
    source_sequence: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    event_sequence: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    updated_at: datetime | None = Field(default=None, sa_column=_now())


class Skp(KinerjaTable, table=True):
    """An SKP: one employee, (part of) one year, with the supervisor who agrees and rates it.

    `closed_on` is set when a mutasi or a new supervisor cut it short; the earlier
    part stays as it was (its `end` becomes the day before the change)."""

    __tablename__ = "skp"
    __table_args__ = (Index("ix_skp_nip_year", "nip", "year"), Index("ix_skp_rater", "rater_nip"))

    id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    nip: str = Field(sa_column=Column(Text, nullable=False))
    year: int = Field(sa_column=Column(Integer, nullable=False))
    start: date = Field(sa_column=Column(Date, nullable=False))
    end: date = Field(sa_column=Column(Date, nullable=False))
    status: str = Field(sa_column=Column(Text, nullable=False))
    unit_id: uuid.UUID = Field(sa_column=_uuid(nullable=False))
    unit_code: str = Field(sa_column=Column(Text, nullable=False))
    rater_nip: str | None = Field(default=None, sa_column=Column(Text))
    approver_nip: str | None = Field(default=None, sa_column=Column(Text))
    approved_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    return_note: str | None = Field(default=None, sa_column=Column(Text))
    supersedes_id: uuid.UUID | None = Field(default=None, sa_column=_uuid(ForeignKey("skp.id")))
    closed_on: date | None = Field(default=None, sa_column=Column(Date))
    closed_reason: str | None = Field(default=None, sa_column=Column(Text))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_at: datetime | None = Field(default=None, sa_column=_now())
    updated_at: datetime | None = Field(default=None, sa_column=_now())


class Rhk(KinerjaTable, table=True):
    """A Rencana Hasil Kerja of an SKP, with its indicators and targets."""

    __tablename__ = "rhk"

    id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    skp_id: uuid.UUID = Field(sa_column=_uuid(ForeignKey("skp.id"), nullable=False, index=True))
    position: int = Field(sa_column=Column(SmallInteger, nullable=False))
    kind: str = Field(sa_column=Column(Text, nullable=False))
    title: str = Field(sa_column=Column(Text, nullable=False))
    indicators: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    supervisor_rhk_id: uuid.UUID | None = Field(
        default=None, sa_column=_uuid(ForeignKey("rhk.id", ondelete="SET NULL"))
    )


class Appraisal(KinerjaTable, table=True):
    """A periodic or annual appraisal of one SKP: the self-assessment, the rating, the
    predikat, and at most one keberatan."""

    __tablename__ = "appraisal"
    __table_args__ = (
        Index(
            "uq_appraisal_skp_period",
            "skp_id",
            "period_kind",
            text("coalesce(period_number, 0)"),
            unique=True,
        ),
        Index("ix_appraisal_nip_year", "nip", "year"),
        Index("ix_appraisal_rater", "rater_nip"),
    )

    id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    skp_id: uuid.UUID = Field(sa_column=_uuid(ForeignKey("skp.id"), nullable=False))
    nip: str = Field(sa_column=Column(Text, nullable=False))
    year: int = Field(sa_column=Column(Integer, nullable=False))
    period_kind: str = Field(sa_column=Column(Text, nullable=False))
    period_number: int | None = Field(default=None, sa_column=Column(SmallInteger))
    start: date = Field(sa_column=Column(Date, nullable=False))
    end: date = Field(sa_column=Column(Date, nullable=False))
    status: str = Field(sa_column=Column(Text, nullable=False))
    unit_id: uuid.UUID = Field(sa_column=_uuid(nullable=False))
    unit_code: str = Field(sa_column=Column(Text, nullable=False))
    self_assessment: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    submitted_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    rater_nip: str | None = Field(default=None, sa_column=Column(Text))
    rating: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    rating_hasil_kerja: str | None = Field(default=None, sa_column=Column(Text))
    rating_perilaku_kerja: str | None = Field(default=None, sa_column=Column(Text))
    predikat: str | None = Field(default=None, sa_column=Column(Text))
    finalized_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    revision: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    objection: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    objection_status: str | None = Field(default=None, sa_column=Column(Text))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_at: datetime | None = Field(default=None, sa_column=_now())
    updated_at: datetime | None = Field(default=None, sa_column=_now())


class Feedback(KinerjaTable, table=True):
    """Continuous feedback from a supervisor, tied to an RHK or a BerAKHLAK value."""

    __tablename__ = "feedback"
    __table_args__ = (Index("ix_feedback_nip", "nip", "created_at"),)

    id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    nip: str = Field(sa_column=Column(Text, nullable=False))
    giver_nip: str = Field(sa_column=Column(Text, nullable=False, index=True))
    skp_id: uuid.UUID | None = Field(default=None, sa_column=_uuid(ForeignKey("skp.id")))
    rhk_id: uuid.UUID | None = Field(default=None, sa_column=_uuid(nullable=True))
    value: str | None = Field(default=None, sa_column=Column(Text))
    text: str = Field(sa_column=Column(Text, nullable=False))
    reply: str | None = Field(default=None, sa_column=Column(Text))
    replied_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_at: datetime | None = Field(default=None, sa_column=_now())


class OrganisationPredikat(KinerjaTable, table=True):
    """The predikat of a unit (OPD) for a year, which limits its staff's distribution."""

    __tablename__ = "organisation_predikat"

    unit_id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    year: int = Field(sa_column=Column(Integer, primary_key=True))
    predikat: str = Field(sa_column=Column(Text, nullable=False))
    set_by: str = Field(sa_column=Column(Text, nullable=False))
    set_at: datetime | None = Field(default=None, sa_column=_now())


class UnitSignal(KinerjaTable, table=True):
    """Replica of aspirasi's monthly unit signal: shown beside the organisation predikat as
    context. No appraisal reads it (issue 12: it never touches an individual's appraisal)."""

    __tablename__ = "unit_signal"

    unit_code: str = Field(sa_column=Column(Text, primary_key=True))
    month: str = Field(sa_column=Column(Text, primary_key=True))
    received: int = Field(sa_column=Column(Integer, nullable=False))
    resolved: int = Field(sa_column=Column(Integer, nullable=False))
    sla_compliance: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    reopen_rate: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    average_rating: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    computed_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))

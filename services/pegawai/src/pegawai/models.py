"""Tables of the pegawai database (besides servicekit's outbox and inbox).

Enumerations are stored as text, not PostgreSQL enums: vocabularies grow additively
(DESIGN, Events) and a text column needs no migration to take a new value.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Identity,
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


class PegawaiTable(SQLModel, registry=registry()):
    """Base of pegawai's tables: a metadata of its own (see servicekit.migrations)."""


class Unit(PegawaiTable, table=True):
    __tablename__ = "unit"

    id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    code: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(sa_column=Column(Text, nullable=False))
    parent_id: uuid.UUID | None = Field(
        default=None, sa_column=Column(UUID(as_uuid=True), ForeignKey("unit.id"), index=True)
    )
    latitude: float | None = Field(default=None, sa_column=Column(Double))
    longitude: float | None = Field(default=None, sa_column=Column(Double))
    geofence_radius_m: int | None = Field(default=None, sa_column=Column(Integer))
    active: bool = Field(default=True, sa_column=Column(Boolean, nullable=False))
    demo: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_at: datetime | None = Field(default=None, sa_column=_now())
    updated_at: datetime | None = Field(default=None, sa_column=_now())


class Employee(PegawaiTable, table=True):
    """The latest recorded state; `tmt_*` say since when each part holds.

    Contact details (`phone`, `address`) are personal data: only the person and BKPSDM
    read them, and they never leave this table in an event or a log line.
    """

    __tablename__ = "employee"
    __table_args__ = (
        Index("ix_employee_unit", "unit_id"),
        Index("ix_employee_supervisor", "supervisor_nip"),
        Index("ix_employee_status_golongan", "status", "golongan"),
    )

    nip: str = Field(sa_column=Column(Text, primary_key=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    sex: str = Field(sa_column=Column(Text, nullable=False))
    birth_date: date = Field(sa_column=Column(Date, nullable=False))
    asn_type: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(sa_column=Column(Text, nullable=False))
    tmt_status: date = Field(sa_column=Column(Date, nullable=False))
    golongan: str = Field(sa_column=Column(Text, nullable=False))
    tmt_golongan: date = Field(sa_column=Column(Date, nullable=False))
    tmt_cpns: date = Field(sa_column=Column(Date, nullable=False))
    position_code: str | None = Field(default=None, sa_column=Column(Text))
    position_name: str = Field(sa_column=Column(Text, nullable=False))
    position_kind: str = Field(sa_column=Column(Text, nullable=False))
    position_level: str | None = Field(default=None, sa_column=Column(Text))
    tmt_position: date = Field(sa_column=Column(Date, nullable=False))
    unit_id: uuid.UUID = Field(
        sa_column=Column(UUID(as_uuid=True), ForeignKey("unit.id"), nullable=False)
    )
    tmt_unit: date = Field(sa_column=Column(Date, nullable=False))
    supervisor_nip: str | None = Field(
        default=None, sa_column=Column(Text, ForeignKey("employee.nip"))
    )
    tmt_supervisor: date = Field(sa_column=Column(Date, nullable=False))
    education: str = Field(sa_column=Column(Text, nullable=False))
    ujian_dinas: int = Field(default=0, sa_column=Column(SmallInteger, nullable=False))
    leadership_training: date | None = Field(default=None, sa_column=Column(Date))
    phone: str | None = Field(default=None, sa_column=Column(Text))
    address: str | None = Field(default=None, sa_column=Column(Text))
    nip_warnings: list[dict[str, Any]] = Field(
        default_factory=list,
        sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    )
    retirement_reason: str | None = Field(default=None, sa_column=Column(Text))
    demo: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_at: datetime | None = Field(default=None, sa_column=_now())
    updated_at: datetime | None = Field(default=None, sa_column=_now())


class EmployeeHistory(PegawaiTable, table=True):
    """One row per change of an effective-dated part (golongan, position, unit, supervisor,
    status), so the record can be read as of any date whatever order changes came in."""

    __tablename__ = "employee_history"
    __table_args__ = (Index("ix_history_nip_field_tmt", "nip", "field", "tmt"),)

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), primary_key=True)
    )
    nip: str = Field(sa_column=Column(Text, ForeignKey("employee.nip"), nullable=False))
    field: str = Field(sa_column=Column(Text, nullable=False))
    value: Any = Field(sa_column=Column(JSONB, nullable=True))
    tmt: date = Field(sa_column=Column(Date, nullable=False))
    event_type: str = Field(sa_column=Column(Text, nullable=False))
    actor: str = Field(sa_column=Column(Text, nullable=False))
    note: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    recorded_at: datetime | None = Field(default=None, sa_column=_now())


class Appraisal(PegawaiTable, table=True):
    """Replica of kinerja's finalized appraisals, for promotion eligibility (no FK: events
    from kinerja may arrive before the employee is registered here)."""

    __tablename__ = "appraisal"
    __table_args__ = (Index("ix_appraisal_nip_year", "nip", "year"),)

    appraisal_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    nip: str = Field(sa_column=Column(Text, nullable=False))
    year: int = Field(sa_column=Column(Integer, nullable=False))
    period_kind: str = Field(sa_column=Column(Text, nullable=False))
    predikat: str = Field(sa_column=Column(Text, nullable=False))
    finalized_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    event_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), nullable=False))


class Penalty(PegawaiTable, table=True):
    """A disciplinary penalty (hukuman disiplin): sensitive, so it is in no event."""

    __tablename__ = "penalty"

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), primary_key=True)
    )
    nip: str = Field(sa_column=Column(Text, ForeignKey("employee.nip"), nullable=False, index=True))
    level: str = Field(sa_column=Column(Text, nullable=False))
    start: date = Field(sa_column=Column(Date, nullable=False))
    end: date | None = Field(default=None, sa_column=Column(Date))
    decree_number: str | None = Field(default=None, sa_column=Column(Text))
    recorded_by: str = Field(sa_column=Column(Text, nullable=False))
    recorded_at: datetime | None = Field(default=None, sa_column=_now())

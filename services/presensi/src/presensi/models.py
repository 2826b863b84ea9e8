"""Tables of the presensi database (besides servicekit's outbox, inbox and idempotency keys).

Enumerations are text, not PostgreSQL enums, so a vocabulary grows without a migration.
Positions are never stored: only inside/outside the geofence and the distance.
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
    Double,
    Identity,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel


def _now() -> Column[dt.datetime]:
    return Column(DateTime(timezone=True), nullable=False, server_default=func.now())


class PresensiTable(SQLModel, registry=registry()):
    """Base of presensi's tables: a metadata of its own (see servicekit.migrations)."""


class UnitReplica(PresensiTable, table=True):
    """Units from `pegawai.events`, with the attendance geofence."""

    __tablename__ = "unit"

    unit_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    code: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    parent_code: str | None = Field(default=None, sa_column=Column(Text))
    latitude: float | None = Field(default=None, sa_column=Column(Double))
    longitude: float | None = Field(default=None, sa_column=Column(Double))
    geofence_radius_m: int | None = Field(default=None, sa_column=Column(Integer))
    active: bool = Field(default=True, sa_column=Column(Boolean, nullable=False))
    updated_at: dt.datetime | None = Field(default=None, sa_column=_now())


class EmployeeReplica(PresensiTable, table=True):
    """What presensi needs of an employee, kept from `pegawai.events` (never by a call)."""

    __tablename__ = "employee"
    __table_args__ = (
        Index("ix_employee_unit", "unit_code"),
        Index("ix_employee_supervisor", "supervisor_nip"),
    )

    nip: str = Field(sa_column=Column(Text, primary_key=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    sex: str = Field(sa_column=Column(Text, nullable=False))
    asn_type: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(sa_column=Column(Text, nullable=False))
    unit_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), nullable=False))
    unit_code: str = Field(sa_column=Column(Text, nullable=False))
    supervisor_nip: str | None = Field(default=None, sa_column=Column(Text))
    service_start: dt.date | None = Field(default=None, sa_column=Column(Date))
    left_on: dt.date | None = Field(default=None, sa_column=Column(Date))
    sequence: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    updated_at: dt.datetime | None = Field(default=None, sa_column=_now())


class Attendance(PresensiTable, table=True):
    """One row per person per business date: the check-in, then the check-out."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("nip", "date", name="uq_attendance_nip_date"),)

    id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    nip: str = Field(sa_column=Column(Text, nullable=False))
    date: dt.date = Field(sa_column=Column(Date, nullable=False))
    unit_code: str = Field(sa_column=Column(Text, nullable=False))
    checked_in_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    scheduled_start: str = Field(sa_column=Column(Text, nullable=False))
    scheduled_end: str = Field(sa_column=Column(Text, nullable=False))
    minutes_late: int = Field(sa_column=Column(Integer, nullable=False))
    late_category: str | None = Field(default=None, sa_column=Column(Text))
    in_inside_geofence: bool | None = Field(default=None, sa_column=Column(Boolean))
    in_distance_m: int | None = Field(default=None, sa_column=Column(Integer))
    checked_out_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True))
    )
    minutes_early: int | None = Field(default=None, sa_column=Column(Integer))
    early_category: str | None = Field(default=None, sa_column=Column(Text))
    out_inside_geofence: bool | None = Field(default=None, sa_column=Column(Boolean))
    out_distance_m: int | None = Field(default=None, sa_column=Column(Integer))


class OfficialTravel(PresensiTable, table=True):
    """Dinas luar registered by the supervisor for one day."""

    __tablename__ = "official_travel"

    nip: str = Field(sa_column=Column(Text, primary_key=True))
    date: dt.date = Field(sa_column=Column(Date, primary_key=True))
    reference: str = Field(sa_column=Column(Text, nullable=False))
    registered_by: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime | None = Field(default=None, sa_column=_now())


class DayStatus(PresensiTable, table=True):
    """The closed day: one status per active employee per working day."""

    __tablename__ = "day_status"
    __table_args__ = (Index("ix_day_status_unit_date", "unit_code", "date"),)

    nip: str = Field(sa_column=Column(Text, primary_key=True))
    date: dt.date = Field(sa_column=Column(Date, primary_key=True))
    unit_code: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(sa_column=Column(Text, nullable=False))
    leave_type: str | None = Field(default=None, sa_column=Column(Text))
    late_category: str | None = Field(default=None, sa_column=Column(Text))
    early_category: str | None = Field(default=None, sa_column=Column(Text))
    deduction_percent: float = Field(sa_column=Column(Double, nullable=False))
    closed_at: dt.datetime | None = Field(default=None, sa_column=_now())


class Holiday(PresensiTable, table=True):
    """Libur nasional, cuti bersama and local holidays, by date (BKPSDM)."""

    __tablename__ = "holiday"

    id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    date: dt.date = Field(sa_column=Column(Date, nullable=False, unique=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(sa_column=Column(Text, nullable=False))
    created_by: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime | None = Field(default=None, sa_column=_now())


class ScheduleRow(PresensiTable, table=True):
    """An effective-dated schedule of a unit (or `default` for the city)."""

    __tablename__ = "schedule"
    __table_args__ = (Index("ix_schedule_unit", "unit_code", "valid_from"),)

    id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    unit_code: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(sa_column=Column(Text, nullable=False))
    valid_from: dt.date = Field(sa_column=Column(Date, nullable=False))
    valid_to: dt.date | None = Field(default=None, sa_column=Column(Date))
    days: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_by: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime | None = Field(default=None, sa_column=_now())


class DeductionRuleRow(PresensiTable, table=True):
    """TL/PSW/TK deduction percent from a date (the city's Perwako overrides the defaults)."""

    __tablename__ = "deduction_rule"

    code: str = Field(sa_column=Column(Text, primary_key=True))
    valid_from: dt.date = Field(sa_column=Column(Date, primary_key=True))
    percent: float = Field(sa_column=Column(Double, nullable=False))


class LeaveRequest(PresensiTable, table=True):
    """A cuti request. `reason` and `certificate_ref` are private to this service."""

    __tablename__ = "leave_request"
    __table_args__ = (
        Index("ix_leave_nip_dates", "nip", "start_date"),
        Index("ix_leave_approver_status", "approver_nip", "status"),
    )

    id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    nip: str = Field(sa_column=Column(Text, nullable=False))
    unit_code: str = Field(sa_column=Column(Text, nullable=False))
    leave_type: str = Field(sa_column=Column(Text, nullable=False))
    start_date: dt.date = Field(sa_column=Column(Date, nullable=False))
    end_date: dt.date = Field(sa_column=Column(Date, nullable=False))
    working_days: int = Field(sa_column=Column(Integer, nullable=False))
    calendar_days: int = Field(sa_column=Column(Integer, nullable=False))
    status: str = Field(sa_column=Column(Text, nullable=False))
    approver_nip: str | None = Field(default=None, sa_column=Column(Text))
    needs_bkpsdm: bool = Field(sa_column=Column(Boolean, nullable=False))
    reason: str | None = Field(default=None, sa_column=Column(Text))
    certificate_ref: str | None = Field(default=None, sa_column=Column(Text))
    child_order: int | None = Field(default=None, sa_column=Column(Integer))
    first_hajj: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    decisions: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_at: dt.datetime | None = Field(default=None, sa_column=_now())
    updated_at: dt.datetime | None = Field(default=None, sa_column=_now())


class LeaveLedger(PresensiTable, table=True):
    """Movements of a person's cuti tahunan balance; entitlement and carry-over are derived."""

    __tablename__ = "leave_ledger"
    __table_args__ = (Index("ix_leave_ledger_nip_year", "nip", "year"),)

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), primary_key=True)
    )
    nip: str = Field(sa_column=Column(Text, nullable=False))
    year: int = Field(sa_column=Column(Integer, nullable=False))
    kind: str = Field(sa_column=Column(Text, nullable=False))
    days: int = Field(sa_column=Column(Integer, nullable=False))
    on: dt.date = Field(sa_column=Column(Date, nullable=False))
    request_id: uuid.UUID | None = Field(default=None, sa_column=Column(UUID(as_uuid=True)))
    note: str | None = Field(default=None, sa_column=Column(Text))
    created_at: dt.datetime | None = Field(default=None, sa_column=_now())

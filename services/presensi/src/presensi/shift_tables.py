"""Tables of shift work, corrections, flexible work, fingerprint devices and policies
(issue 14), beside `models.py`'s.

Shift times are `HH:MM` text in WIB, like the office schedule's; an end not after the
start means the shift ends the next day. A roster entry's `date` is the day the shift
starts on; `shift_type_id` null is a rostered day off.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Identity,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlmodel import Field

from presensi.models import PresensiTable


def _now() -> Column[dt.datetime]:
    return Column(DateTime(timezone=True), nullable=False, server_default=func.now())


class ShiftTypeRow(PresensiTable, table=True):
    """A unit's kind of shift (pagi, siang, malam…) with its check-in/out windows."""

    __tablename__ = "shift_type"
    __table_args__ = (UniqueConstraint("unit_code", "code", name="uq_shift_type_unit_code"),)

    id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    unit_code: str = Field(sa_column=Column(Text, nullable=False))
    code: str = Field(sa_column=Column(Text, nullable=False))
    name: str = Field(sa_column=Column(Text, nullable=False))
    start_time: str = Field(sa_column=Column(Text, nullable=False))
    end_time: str = Field(sa_column=Column(Text, nullable=False))
    break_minutes: int = Field(sa_column=Column(Integer, nullable=False))
    check_in_before_minutes: int = Field(sa_column=Column(Integer, nullable=False))
    check_out_after_minutes: int = Field(sa_column=Column(Integer, nullable=False))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_by: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime | None = Field(default=None, sa_column=_now())


class RosterRow(PresensiTable, table=True):
    """A unit's roster (jadwal dinas) for a month: `draft` until published."""

    __tablename__ = "roster"

    unit_code: str = Field(sa_column=Column(Text, primary_key=True))
    month: str = Field(sa_column=Column(Text, primary_key=True))
    status: str = Field(sa_column=Column(Text, nullable=False))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    updated_by: str = Field(sa_column=Column(Text, nullable=False))
    published_by: str | None = Field(default=None, sa_column=Column(Text))
    published_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True))
    )
    updated_at: dt.datetime | None = Field(default=None, sa_column=_now())


class RosterEntry(PresensiTable, table=True):
    """One person's rostered day: a shift type, or null for a day off."""

    __tablename__ = "roster_entry"
    __table_args__ = (Index("ix_roster_entry_unit_month", "unit_code", "month"),)

    nip: str = Field(sa_column=Column(Text, primary_key=True))
    date: dt.date = Field(sa_column=Column(Date, primary_key=True))
    unit_code: str = Field(sa_column=Column(Text, nullable=False))
    month: str = Field(sa_column=Column(Text, nullable=False))
    shift_type_id: uuid.UUID | None = Field(default=None, sa_column=Column(UUID(as_uuid=True)))


class RosterChange(PresensiTable, table=True):
    """Every change of a published roster, with its reason (kept, never edited)."""

    __tablename__ = "roster_change"
    __table_args__ = (Index("ix_roster_change_nip_date", "nip", "date"),)

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), primary_key=True)
    )
    unit_code: str = Field(sa_column=Column(Text, nullable=False))
    nip: str = Field(sa_column=Column(Text, nullable=False))
    date: dt.date = Field(sa_column=Column(Date, nullable=False))
    from_shift_type_id: uuid.UUID | None = Field(default=None, sa_column=Column(UUID(as_uuid=True)))
    to_shift_type_id: uuid.UUID | None = Field(default=None, sa_column=Column(UUID(as_uuid=True)))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    changed_by: str = Field(sa_column=Column(Text, nullable=False))
    changed_at: dt.datetime | None = Field(default=None, sa_column=_now())


class WorkPolicy(PresensiTable, table=True):
    """Limits as data per unit (`default`: the city); a null column takes the domain default
    (37.5 h a week, 3 corrections a month until the 5th of the next, 4 flexible days)."""

    __tablename__ = "work_policy"

    unit_code: str = Field(sa_column=Column(Text, primary_key=True))
    max_weekly_minutes: int | None = Field(default=None, sa_column=Column(Integer))
    correction_monthly_limit: int | None = Field(default=None, sa_column=Column(Integer))
    correction_deadline_day: int | None = Field(default=None, sa_column=Column(Integer))
    flexible_days_per_month: int | None = Field(default=None, sa_column=Column(Integer))
    """0 for a front-line unit where flexible work is not allowed."""


class AttendanceCorrection(PresensiTable, table=True):
    """A koreksi presensi: asked by the employee, decided by the direct supervisor."""

    __tablename__ = "attendance_correction"
    __table_args__ = (
        Index("ix_correction_approver_status", "approver_nip", "status"),
        Index("ix_correction_nip_date", "nip", "date"),
        Index(
            "uq_correction_pending_day",
            "nip",
            "date",
            unique=True,
            postgresql_where=text("status = 'diajukan'"),
        ),
    )

    id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    nip: str = Field(sa_column=Column(Text, nullable=False))
    unit_code: str = Field(sa_column=Column(Text, nullable=False))
    date: dt.date = Field(sa_column=Column(Date, nullable=False))
    kind: str = Field(sa_column=Column(Text, nullable=False))
    check_in_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    check_out_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True))
    )
    reason: str = Field(sa_column=Column(Text, nullable=False))
    evidence_ref: str | None = Field(default=None, sa_column=Column(Text))
    status: str = Field(sa_column=Column(Text, nullable=False))
    approver_nip: str | None = Field(default=None, sa_column=Column(Text))
    decided_by: str | None = Field(default=None, sa_column=Column(Text))
    decided_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    decision_note: str | None = Field(default=None, sa_column=Column(Text))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_at: dt.datetime | None = Field(default=None, sa_column=_now())


class FlexibleWork(PresensiTable, table=True):
    """A day of work from elsewhere (PermenPANRB 4/2025), approved by the supervisor."""

    __tablename__ = "flexible_work"
    __table_args__ = (
        Index("ix_flexible_approver_status", "approver_nip", "status"),
        Index(
            "uq_flexible_work_day",
            "nip",
            "date",
            unique=True,
            postgresql_where=text("status <> 'ditolak'"),
        ),
    )

    id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    nip: str = Field(sa_column=Column(Text, nullable=False))
    unit_code: str = Field(sa_column=Column(Text, nullable=False))
    date: dt.date = Field(sa_column=Column(Date, nullable=False))
    place: str = Field(sa_column=Column(Text, nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(sa_column=Column(Text, nullable=False))
    approver_nip: str | None = Field(default=None, sa_column=Column(Text))
    decided_by: str | None = Field(default=None, sa_column=Column(Text))
    decided_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    decision_note: str | None = Field(default=None, sa_column=Column(Text))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_at: dt.datetime | None = Field(default=None, sa_column=_now())


class Device(PresensiTable, table=True):
    """A unit's fingerprint machine; only a hash of its push token is kept."""

    __tablename__ = "device"

    serial: str = Field(sa_column=Column(Text, primary_key=True))
    unit_code: str = Field(sa_column=Column(Text, nullable=False))
    name: str = Field(sa_column=Column(Text, nullable=False))
    token_hash: str = Field(sa_column=Column(Text, nullable=False))
    created_by: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime | None = Field(default=None, sa_column=_now())


class DevicePin(PresensiTable, table=True):
    """A person's enrolment number (PIN) on one device, mapped to the NIP."""

    __tablename__ = "device_pin"

    serial: str = Field(sa_column=Column(Text, primary_key=True))
    pin: str = Field(sa_column=Column(Text, primary_key=True))
    nip: str = Field(sa_column=Column(Text, nullable=False))


class DevicePunch(PresensiTable, table=True):
    """Every log line a device sent, once: a re-sent batch finds its lines here. `outcome`
    stays null until the line has been applied as a punch (or refused)."""

    __tablename__ = "device_punch"

    serial: str = Field(sa_column=Column(Text, primary_key=True))
    pin: str = Field(sa_column=Column(Text, primary_key=True))
    at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), primary_key=True))
    nip: str | None = Field(default=None, sa_column=Column(Text))
    outcome: str | None = Field(default=None, sa_column=Column(Text))
    received_at: dt.datetime | None = Field(default=None, sa_column=_now())

"""Request bodies of the presensi API."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from asn_schemas.base import Nip
from asn_schemas.presensi import HolidayKind, LeaveType
from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field
from servicekit.answers import Answer, Timestamp
from servicekit.dates import BusinessDate


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CheckBody(Body):
    """Optional position for the geofence check; only inside/outside and distance are kept."""

    nip: Nip | None = Field(default=None, description="If sent, must be the caller's own NIP.")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    accuracy_m: float | None = Field(default=None, ge=0, le=10_000)


class OfficialTravelBody(Body):
    nip: Nip
    start_date: BusinessDate
    end_date: BusinessDate
    reference: str = Field(min_length=1, max_length=200, description="Nomor surat tugas.")


class LeaveRequestBody(Body):
    nip: Nip | None = Field(default=None, description="If sent, must be the caller's own NIP.")
    leave_type: LeaveType
    start_date: BusinessDate
    end_date: BusinessDate
    reason: str | None = Field(default=None, max_length=1000, description="Stays private.")
    certificate_ref: str | None = Field(
        default=None, max_length=200, description="Sick-leave certificate; never published."
    )
    child_order: int | None = Field(default=None, ge=1, le=20, description="For melahirkan.")
    first_hajj: bool = Field(default=False, description="Waives 5 years for cuti besar.")


class DecisionBody(Body):
    decision: Literal["approve", "reject", "defer"]
    note: str | None = Field(default=None, max_length=1000)


class HolidayBody(Body):
    date: BusinessDate
    name: str = Field(min_length=1, max_length=200)
    kind: HolidayKind


class DayHoursBody(Body):
    start: dt.time
    end: dt.time
    break_minutes: int = Field(ge=0, le=240)


Weekday = Annotated[int, Field(ge=0, le=6)]


class ScheduleBody(Body):
    """Hours per weekday (0 = Monday … 6 = Sunday); days left out are not working days."""

    kind: Literal["regular", "ramadan"] = "regular"
    valid_from: BusinessDate
    valid_to: BusinessDate | None = None
    days: dict[Weekday, DayHoursBody] = Field(min_length=1)


async def now(request: Request) -> dt.datetime:
    """The server's clock (Asia/Jakarta business dates are derived from it)."""
    clock = request.app.state.clock
    value: dt.datetime = clock()
    return value


# Answers: what each route returns, declared for the OpenAPI (the portal's types are
# generated from it). Routes that answer a Response (ETag, Location) only declare them;
# routes that answer a dict are validated through them. The fuzz tests and every
# integration test (`servicekit.testing.answers_as_declared`) hold the answers to them, and
# an undeclared key fails (`servicekit.answers.Answer`).


class LeaveRequestView(Answer):
    """A leave request; `reason` and `certificate_ref` only for the requester, the approver
    and BKPSDM."""

    id: uuid.UUID
    nip: str
    unit_code: str | None
    leave_type: str
    start_date: dt.date
    end_date: dt.date
    working_days: int
    calendar_days: int
    status: str
    approver_nip: str | None
    needs_bkpsdm: bool
    child_order: int | None
    decisions: list[dict[str, Any]]
    version: int
    reason: str | None = None
    certificate_ref: str | None = None


class HolidayView(Answer):
    id: uuid.UUID
    date: dt.date
    name: str
    kind: str


class ScheduleRowView(Answer):
    id: uuid.UUID
    unit_code: str
    kind: str
    valid_from: dt.date
    valid_to: dt.date | None
    days: dict[str, Any]


class CorrectionView(Answer):
    id: uuid.UUID
    nip: str
    unit_code: str | None
    date: dt.date
    kind: str
    check_in_at: Timestamp | None
    check_out_at: Timestamp | None
    reason: str
    evidence_ref: str | None
    status: str
    approver_nip: str | None
    decided_by: str | None
    decided_at: Timestamp | None
    decision_note: str | None
    version: int


class FlexibleWorkView(Answer):
    id: uuid.UUID
    nip: str
    unit_code: str | None
    date: dt.date
    place: str
    reason: str
    status: str
    approver_nip: str | None
    decided_by: str | None
    decided_at: Timestamp | None
    decision_note: str | None
    version: int


class LeaveRequestPage(Answer):
    items: list[LeaveRequestView]
    next_cursor: str | None


class CorrectionPage(Answer):
    items: list[CorrectionView]
    next_cursor: str | None


class FlexibleWorkPage(Answer):
    items: list[FlexibleWorkView]
    next_cursor: str | None


class HolidayYear(Answer):
    year: int
    items: list[HolidayView]


class LedgerEntryView(Answer):
    """A movement of the balance; `days` is signed (taken and forfeited are negative)."""

    kind: str
    days: int
    on: dt.date
    request_id: str | None = None
    note: str | None = None


class YearBalanceView(Answer):
    year: int
    entitlement: int
    carried_over: int
    carry_cap: int
    used: int
    balance: int
    besar_taken: bool
    deferred: bool
    entries: list[LedgerEntryView]


class LeaveBalances(Answer):
    """This year's balance, what pending requests reserve of it, and every year that feeds it."""

    nip: str
    year: int
    balance: int
    reserved: int
    available: int
    years: list[YearBalanceView]


class DayHoursView(Answer):
    start: str
    end: str
    break_minutes: int


class EffectiveSchedule(Answer):
    unit_code: str
    kind: str
    valid_from: dt.date
    valid_to: dt.date | None
    weekly_minutes: int
    days: dict[str, DayHoursView]


class UnitSchedule(Answer):
    """The schedule in force for the unit on `date`, and the unit's own rows."""

    unit_code: str
    date: dt.date
    effective: EffectiveSchedule
    rows: list[ScheduleRowView]


class CheckInView(Answer):
    """A check-in; the geofence result (inside or not, distance) is this punch's own."""

    id: uuid.UUID
    nip: str
    date: dt.date
    checked_in_at: Timestamp
    scheduled_start: str
    minutes_late: int
    late_category: str | None
    inside_geofence: bool | None
    distance_m: float | None


class CheckOutView(Answer):
    id: uuid.UUID
    nip: str
    date: dt.date
    checked_in_at: Timestamp
    checked_out_at: Timestamp
    scheduled_end: str
    minutes_early: int
    early_category: str | None
    inside_geofence: bool | None
    distance_m: float | None


class AttendanceRecordView(Answer):
    id: uuid.UUID
    nip: str
    date: dt.date
    unit_code: str
    checked_in_at: Timestamp
    scheduled_start: str
    minutes_late: int
    late_category: str | None
    in_inside_geofence: bool | None
    checked_out_at: Timestamp | None
    scheduled_end: str
    minutes_early: int | None
    early_category: str | None
    out_inside_geofence: bool | None


class TravelDay(Answer):
    date: dt.date
    reference: str


class AttendanceList(Answer):
    nip: str
    items: list[AttendanceRecordView]
    official_travel: list[TravelDay]


class PersonRecap(Answer):
    nip: str
    days: int
    by_status: dict[str, int]
    deduction_percent: float


class AttendanceRecap(Answer):
    month: str
    nip: str | None
    unit: str | None
    people: list[PersonRecap]
    deduction_percent_total: float


class ClosedDay(Answer):
    date: dt.date
    closed: int
    by_status: dict[str, int]


class OfficialTravelView(Answer):
    nip: str
    reference: str
    dates: list[dt.date]


class ShiftTypeView(Answer):
    id: uuid.UUID
    unit_code: str
    code: str
    name: str
    start: str
    end: str
    overnight: bool
    break_minutes: int
    working_minutes: int
    check_in_before_minutes: int
    check_out_after_minutes: int
    version: int


class ShiftTypeList(Answer):
    unit_code: str
    items: list[ShiftTypeView]


class RosteredPerson(Answer):
    """Each rostered day (ISO date) with its shift code."""

    nip: str
    days: dict[str, str | None]


class RosterChange(Answer):
    model_config = ConfigDict(populate_by_name=True)

    nip: str
    date: dt.date
    from_: str | None = Field(alias="from")
    to: str | None
    reason: str
    changed_by: str
    changed_at: Timestamp


class RosterView(Answer):
    unit_code: str
    month: str
    status: str
    version: int
    published_at: Timestamp | None
    shift_types: list[ShiftTypeView]
    people: list[RosteredPerson]
    changes: list[RosterChange]


class DeviceView(Answer):
    """A registered device; `token` is its push token, shown this once."""

    serial: str
    unit_code: str
    name: str
    pins: int
    token: str


class DevicePunchResult(Answer):
    pin: str
    nip: str | None
    at: Timestamp
    outcome: str


class DevicePunches(Answer):
    serial: str
    received: int
    applied: dict[str, int]
    unknown_pins: list[str]
    results: list[DevicePunchResult]

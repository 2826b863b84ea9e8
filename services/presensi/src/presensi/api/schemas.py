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


# Answers. The routes build their JSON in the command modules' `view` functions; these models
# declare it in the OpenAPI (the portal's types are generated from it) and the fuzz tests check
# every answer against them (an undeclared key fails: `servicekit.answers.Answer`).


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

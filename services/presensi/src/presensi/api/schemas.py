"""Request bodies of the presensi API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from asn_schemas.base import Nip
from asn_schemas.presensi import HolidayKind, LeaveType
from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field
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

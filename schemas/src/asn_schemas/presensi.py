"""Events published by the presensi service on `presensi.events` (DOMAIN 1.6–1.7).

Attendance and leave events are keyed by the NIP; calendar events by the holiday date
(`YYYY-MM-DD`). Business dates (`date`, `start_date`, …) are in Asia/Jakarta (WIB);
instants (`…_at`) are UTC. Sick leave is only ever `sakit`: no diagnosis, no certificate,
no contact data leaves the service. A position is never published, only whether it was
inside the unit's geofence and how far away it was (DOMAIN §3 item 17).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Self
from uuid import UUID

from pydantic import Field, model_validator

from asn_schemas.base import ContractModel, EventPayload, Nip, UtcDatetime


class LateCategory(StrEnum):
    """Terlambat (TL) by minutes: 1–30, 31–60, 61–90, >90 or no check-in."""

    TL1 = "TL1"
    TL2 = "TL2"
    TL3 = "TL3"
    TL4 = "TL4"


class EarlyCategory(StrEnum):
    """Pulang sebelum waktunya (PSW) by minutes: 1–30, 31–60, 61–90, >90 or no check-out."""

    PSW1 = "PSW1"
    PSW2 = "PSW2"
    PSW3 = "PSW3"
    PSW4 = "PSW4"


class DayStatus(StrEnum):
    """The one status of a person for a working day, set when the day is closed."""

    HADIR = "hadir"
    TERLAMBAT = "terlambat"
    PULANG_CEPAT = "pulang_cepat"
    CUTI = "cuti"
    DINAS_LUAR = "dinas_luar"
    TANPA_KETERANGAN = "tanpa_keterangan"


class LeaveType(StrEnum):
    TAHUNAN = "tahunan"
    BESAR = "besar"
    SAKIT = "sakit"
    MELAHIRKAN = "melahirkan"
    ALASAN_PENTING = "alasan_penting"
    CLTN = "cltn"


class HolidayKind(StrEnum):
    LIBUR_NASIONAL = "libur_nasional"
    CUTI_BERSAMA = "cuti_bersama"
    LIBUR_DAERAH = "libur_daerah"


class AttendanceCheckedInV1(EventPayload):
    """An employee checked in for a working day: minutes late and the TL category."""

    event_type = "presensi.attendance.checked_in.v1"

    attendance_id: UUID
    nip: Nip
    unit_code: str = Field(min_length=1)
    date: dt.date = Field(description="Business date in Asia/Jakarta (WIB).")
    checked_in_at: UtcDatetime = Field(description="Server clock, not the client's.")
    scheduled_start: dt.time = Field(description="Start of the working day (WIB) that applied.")
    minutes_late: int = Field(ge=0)
    late_category: LateCategory | None = Field(description="Null when on time.")
    inside_geofence: bool | None = Field(
        default=None, description="Null when no position was sent or the unit has no geofence."
    )
    distance_m: int | None = Field(default=None, ge=0)


class AttendanceCheckedOutV1(EventPayload):
    """An employee checked out: minutes early and the PSW category."""

    event_type = "presensi.attendance.checked_out.v1"

    attendance_id: UUID
    nip: Nip
    unit_code: str = Field(min_length=1)
    date: dt.date = Field(description="Business date in Asia/Jakarta (WIB).")
    checked_in_at: UtcDatetime
    checked_out_at: UtcDatetime = Field(description="Server clock, not the client's.")
    scheduled_end: dt.time = Field(description="End of the working day (WIB) that applied.")
    minutes_early: int = Field(ge=0)
    early_category: EarlyCategory | None = Field(description="Null when not early.")
    inside_geofence: bool | None = None
    distance_m: int | None = Field(default=None, ge=0)


class AttendanceDayClosedV1(EventPayload):
    """One per active employee per working day: the day's final status and deduction."""

    event_type = "presensi.attendance.day_closed.v1"

    nip: Nip
    unit_code: str = Field(min_length=1)
    date: dt.date = Field(description="Business date in Asia/Jakarta (WIB).")
    status: DayStatus
    leave_type: LeaveType | None = Field(default=None, description="Set when status is cuti.")
    leave_request_id: UUID | None = None
    checked_in_at: UtcDatetime | None = None
    checked_out_at: UtcDatetime | None = None
    minutes_late: int = Field(default=0, ge=0)
    minutes_early: int = Field(default=0, ge=0)
    late_category: LateCategory | None = None
    early_category: EarlyCategory | None = None
    deduction_percent: float = Field(
        ge=0, le=100, description="Allowance (TPP) deduction for the day, per the rules in force."
    )
    flexible_work: bool = Field(
        default=False,
        description="Worked from elsewhere by an approved arrangement (no geofence applied).",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.status is DayStatus.CUTI) != (self.leave_type is not None):
            raise ValueError("leave_type is set exactly when status is cuti")
        return self


class LeaveRequestedV1(EventPayload):
    """An employee requested cuti; it waits for the direct supervisor (then BKPSDM if needed)."""

    event_type = "presensi.leave.requested.v1"

    request_id: UUID
    nip: Nip
    unit_code: str = Field(min_length=1)
    leave_type: LeaveType
    start_date: dt.date
    end_date: dt.date
    working_days: int = Field(ge=0, description="Working days the leave covers (WIB calendar).")
    calendar_days: int = Field(ge=1)
    approver_nip: Nip | None = Field(description="Direct supervisor who decides first.")
    needs_bkpsdm: bool = Field(description="A second step by BKPSDM follows the supervisor.")

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


class _LeaveDecision(ContractModel):
    request_id: UUID
    nip: Nip
    unit_code: str = Field(min_length=1)
    leave_type: LeaveType
    start_date: dt.date
    end_date: dt.date
    working_days: int = Field(ge=0)
    decided_by: str = Field(min_length=1, description="NIP of the decider.")
    decided_at: UtcDatetime


class LeaveForwardedV1(_LeaveDecision, EventPayload):
    """The supervisor agreed; the request now waits for BKPSDM (e.g. CLTN)."""

    event_type = "presensi.leave.forwarded.v1"


class LeaveApprovedV1(_LeaveDecision, EventPayload):
    """Final approval. `balance_after` is the remaining tahunan balance for that year."""

    event_type = "presensi.leave.approved.v1"

    balance_year: int | None = None
    balance_after: float | None = Field(
        default=None, description="Remaining cuti tahunan days, when the type draws on it."
    )


class LeaveDeferredV1(_LeaveDecision, EventPayload):
    """Ditangguhkan for urgent duty (at most a year); the person may request again later."""

    event_type = "presensi.leave.deferred.v1"


class LeaveRejectedV1(_LeaveDecision, EventPayload):
    """The request was refused (by the supervisor or BKPSDM); the balance is untouched."""

    event_type = "presensi.leave.rejected.v1"


class LeaveCancelledV1(EventPayload):
    """A requested or approved leave was cancelled; an approved one gives its days back."""

    event_type = "presensi.leave.cancelled.v1"

    request_id: UUID
    nip: Nip
    unit_code: str = Field(min_length=1)
    leave_type: LeaveType
    start_date: dt.date
    end_date: dt.date
    working_days: int = Field(ge=0)
    cancelled_by: str = Field(min_length=1, description="NIP of the person, or `system`.")
    cancelled_at: UtcDatetime
    reason: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        description="`by_requester`, `employee_retired`, … (a code, never free text).",
    )
    was_approved: bool
    balance_year: int | None = None
    balance_after: float | None = None


class ThresholdKind(StrEnum):
    CUMULATIVE = "cumulative"
    CONSECUTIVE = "consecutive"


class DisciplineThresholdReachedV1(EventPayload):
    """Advisory for HR (PP 94/2021): a person decides, nothing follows automatically."""

    event_type = "presensi.discipline.threshold_reached.v1"

    nip: Nip
    unit_code: str = Field(min_length=1)
    year: int
    kind: ThresholdKind
    threshold_days: int = Field(ge=1)
    days: int = Field(ge=1, description="Unexcused working days counted (in the year or in a run).")
    as_of: dt.date
    possible_penalty: str = Field(description="The PP 94/2021 penalty band, for the reviewer.")


class HolidayDeclaredV1(EventPayload):
    """A holiday or cuti bersama day; other services count working days with it."""

    event_type = "presensi.calendar.holiday_declared.v1"

    holiday_id: UUID
    date: dt.date
    name: str = Field(min_length=1)
    kind: HolidayKind


class HolidayRemovedV1(EventPayload):
    """A holiday or cuti bersama day was taken off the calendar: a working day again."""

    event_type = "presensi.calendar.holiday_removed.v1"

    holiday_id: UUID
    date: dt.date
    name: str = Field(min_length=1)
    kind: HolidayKind


class RosteredDay(ContractModel):
    """One person's rostered day in a published roster: a shift, or a day off."""

    nip: Nip
    date: dt.date = Field(description="Business date the shift starts on (WIB).")
    shift_code: str | None = Field(description="Null for a rostered day off.")
    start: dt.time | None = Field(default=None, description="Shift start (WIB).")
    end: dt.time | None = Field(
        default=None, description="Shift end (WIB); before the start means the next day."
    )


class RosterPublishedV1(EventPayload):
    """A unit's roster (jadwal dinas) for a month, published by its admin_opd; keyed by
    `<unit_code>/<YYYY-MM>`."""

    event_type = "presensi.roster.published.v1"

    unit_code: str = Field(min_length=1)
    month: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}$")
    version: int = Field(ge=1)
    published_by: str = Field(min_length=1)
    published_at: UtcDatetime
    days: list[RosteredDay]


class RosterChangedV1(EventPayload):
    """One rostered day of a published roster changed (the reason stays in the service)."""

    event_type = "presensi.roster.changed.v1"

    unit_code: str = Field(min_length=1)
    month: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}$")
    version: int = Field(ge=1)
    changed_by: str = Field(min_length=1)
    changed_at: UtcDatetime
    day: RosteredDay
    previous_shift_code: str | None = None


class AttendanceCorrectedV1(EventPayload):
    """An approved correction recomputed a person's day: the day's new status and deduction
    (recaps, deductions and discipline counts follow this, not the earlier day_closed)."""

    event_type = "presensi.attendance.corrected.v1"

    correction_id: UUID
    nip: Nip
    unit_code: str = Field(min_length=1)
    date: dt.date = Field(description="Business date in Asia/Jakarta (WIB).")
    kind: str = Field(
        description="missing_check_in | missing_check_out | wrong_status | official_travel"
    )
    previous_status: DayStatus | None = Field(description="Null when the day was not closed yet.")
    status: DayStatus | None = Field(description="Null when the day is not closed yet.")
    checked_in_at: UtcDatetime | None = None
    checked_out_at: UtcDatetime | None = None
    minutes_late: int = Field(default=0, ge=0)
    minutes_early: int = Field(default=0, ge=0)
    late_category: LateCategory | None = None
    early_category: EarlyCategory | None = None
    deduction_percent: float = Field(default=0, ge=0, le=100)
    decided_by: str = Field(min_length=1, description="NIP of the supervisor who approved.")
    decided_at: UtcDatetime


class AttendanceCorrectionRequestedV1(EventPayload):
    """An employee asked to correct one of their days; it waits for their direct supervisor
    (the reason and the evidence stay in the service)."""

    event_type = "presensi.attendance.correction_requested.v1"

    correction_id: UUID
    nip: Nip
    unit_code: str = Field(min_length=1)
    date: dt.date = Field(description="Business date in Asia/Jakarta (WIB).")
    kind: str = Field(
        description="missing_check_in | missing_check_out | wrong_status | official_travel"
    )
    approver_nip: Nip = Field(description="The direct supervisor who decides.")
    requested_at: UtcDatetime


class AttendanceCorrectionRejectedV1(EventPayload):
    """The supervisor refused a correction: the day stays as it was (an approval is
    `presensi.attendance.corrected.v1`)."""

    event_type = "presensi.attendance.correction_rejected.v1"

    correction_id: UUID
    nip: Nip
    unit_code: str = Field(min_length=1)
    date: dt.date = Field(description="Business date in Asia/Jakarta (WIB).")
    kind: str
    decided_by: str = Field(min_length=1, description="NIP of the supervisor who refused.")
    decided_at: UtcDatetime


class FlexibleWorkRequestedV1(EventPayload):
    """An employee asked to work from elsewhere on a day; it waits for their direct
    supervisor (the place and reason stay in the service)."""

    event_type = "presensi.flexible_work.requested.v1"

    request_id: UUID
    nip: Nip
    unit_code: str = Field(min_length=1)
    date: dt.date = Field(description="Business date in Asia/Jakarta (WIB).")
    approver_nip: Nip = Field(description="The direct supervisor who decides.")
    requested_at: UtcDatetime


class FlexibleWorkDecidedV1(EventPayload):
    """The supervisor approved or refused a flexible-work day."""

    event_type = "presensi.flexible_work.decided.v1"

    request_id: UUID
    nip: Nip
    unit_code: str = Field(min_length=1)
    date: dt.date = Field(description="Business date in Asia/Jakarta (WIB).")
    approved: bool
    decided_by: str = Field(min_length=1, description="NIP of the supervisor who decided.")
    decided_at: UtcDatetime


PRESENSI_EVENTS: tuple[type[EventPayload], ...] = (
    AttendanceCheckedInV1,
    AttendanceCheckedOutV1,
    AttendanceDayClosedV1,
    LeaveRequestedV1,
    LeaveForwardedV1,
    LeaveApprovedV1,
    LeaveDeferredV1,
    LeaveRejectedV1,
    LeaveCancelledV1,
    DisciplineThresholdReachedV1,
    HolidayDeclaredV1,
    HolidayRemovedV1,
    RosterPublishedV1,
    RosterChangedV1,
    AttendanceCorrectedV1,
    AttendanceCorrectionRequestedV1,
    AttendanceCorrectionRejectedV1,
    FlexibleWorkRequestedV1,
    FlexibleWorkDecidedV1,
)

"""presensi.events → attendance days, leave requests, leave balances and the calendar."""

from __future__ import annotations

from typing import Any

from asn_schemas.presensi import (
    AttendanceCheckedInV1,
    AttendanceCheckedOutV1,
    AttendanceDayClosedV1,
    HolidayDeclaredV1,
    HolidayRemovedV1,
    LeaveApprovedV1,
    LeaveCancelledV1,
    LeaveDeferredV1,
    LeaveForwardedV1,
    LeaveRejectedV1,
    LeaveRequestedV1,
)
from servicekit.consumer import ConsumedEvent
from sqlalchemy import Executable
from sqlalchemy.dialects.postgresql import insert

from gateway.models import attendance_day, holiday, leave_balance, leave_request
from gateway.projections.common import Projection, Write, payload

_DAY_KEY = ("nip", "date")


def _day_upsert(*columns: str) -> Executable:
    """Last writer wins per day: each event's own columns, in the order events come."""
    statement = insert(attendance_day)
    return statement.on_conflict_do_update(
        index_elements=list(_DAY_KEY),
        set_={k: statement.excluded[k] for k in columns if k not in _DAY_KEY},
    )


_CHECKED_IN_COLUMNS = (
    "nip",
    "date",
    "unit_code",
    "checked_in_at",
    "minutes_late",
    "late_category",
    "updated_at",
)
_CHECKED_OUT_COLUMNS = (
    "nip",
    "date",
    "unit_code",
    "checked_in_at",
    "checked_out_at",
    "minutes_early",
    "early_category",
    "updated_at",
)
_DAY_CLOSED_COLUMNS = (
    "nip",
    "date",
    "unit_code",
    "status",
    "leave_type",
    "checked_in_at",
    "checked_out_at",
    "minutes_late",
    "late_category",
    "minutes_early",
    "early_category",
    "deduction_percent",
    "updated_at",
)
_UPSERT_CHECKED_IN = _day_upsert(*_CHECKED_IN_COLUMNS)
_UPSERT_CHECKED_OUT = _day_upsert(*_CHECKED_OUT_COLUMNS)
_UPSERT_DAY_CLOSED = _day_upsert(*_DAY_CLOSED_COLUMNS)


def on_checked_in(event: ConsumedEvent) -> list[Write]:
    data = payload(event, AttendanceCheckedInV1)
    return [
        Write(
            _UPSERT_CHECKED_IN,
            {
                "nip": data.nip,
                "date": data.date,
                "unit_code": data.unit_code,
                "checked_in_at": data.checked_in_at,
                "minutes_late": data.minutes_late,
                "late_category": str(data.late_category) if data.late_category else None,
                "updated_at": event.envelope.time,
            },
        )
    ]


def on_checked_out(event: ConsumedEvent) -> list[Write]:
    data = payload(event, AttendanceCheckedOutV1)
    return [
        Write(
            _UPSERT_CHECKED_OUT,
            {
                "nip": data.nip,
                "date": data.date,
                "unit_code": data.unit_code,
                "checked_in_at": data.checked_in_at,
                "checked_out_at": data.checked_out_at,
                "minutes_early": data.minutes_early,
                "early_category": str(data.early_category) if data.early_category else None,
                "updated_at": event.envelope.time,
            },
        )
    ]


def on_day_closed(event: ConsumedEvent) -> list[Write]:
    data = payload(event, AttendanceDayClosedV1)
    return [
        Write(
            _UPSERT_DAY_CLOSED,
            {
                "nip": data.nip,
                "date": data.date,
                "unit_code": data.unit_code,
                "status": str(data.status),
                "leave_type": str(data.leave_type) if data.leave_type else None,
                "checked_in_at": data.checked_in_at,
                "checked_out_at": data.checked_out_at,
                "minutes_late": data.minutes_late,
                "late_category": str(data.late_category) if data.late_category else None,
                "minutes_early": data.minutes_early,
                "early_category": str(data.early_category) if data.early_category else None,
                "deduction_percent": data.deduction_percent,
                "updated_at": event.envelope.time,
            },
        )
    ]


def _requested_upsert() -> Executable:
    statement = insert(leave_request)
    # A decision seen first (it cannot, per key order, but be tolerant) keeps its state.
    return statement.on_conflict_do_update(
        index_elements=["request_id"],
        set_={
            "approver_nip": statement.excluded.approver_nip,
            "needs_bkpsdm": statement.excluded.needs_bkpsdm,
            "requested_at": statement.excluded.requested_at,
        },
    )


_UPSERT_REQUESTED = _requested_upsert()


def on_requested(event: ConsumedEvent) -> list[Write]:
    data = payload(event, LeaveRequestedV1)
    return [
        Write(
            _UPSERT_REQUESTED,
            {
                "request_id": data.request_id,
                "nip": data.nip,
                "unit_code": data.unit_code,
                "leave_type": str(data.leave_type),
                "start_date": data.start_date,
                "end_date": data.end_date,
                "working_days": data.working_days,
                "approver_nip": data.approver_nip,
                "needs_bkpsdm": data.needs_bkpsdm,
                "state": "requested",
                "requested_at": event.envelope.time,
                "updated_at": event.envelope.time,
            },
        )
    ]


_STATE_OF = {
    LeaveForwardedV1.event_type: "forwarded",
    LeaveApprovedV1.event_type: "approved",
    LeaveDeferredV1.event_type: "deferred",
    LeaveRejectedV1.event_type: "rejected",
    LeaveCancelledV1.event_type: "cancelled",
}
_MODEL_OF: dict[str, Any] = {
    LeaveForwardedV1.event_type: LeaveForwardedV1,
    LeaveApprovedV1.event_type: LeaveApprovedV1,
    LeaveDeferredV1.event_type: LeaveDeferredV1,
    LeaveRejectedV1.event_type: LeaveRejectedV1,
    LeaveCancelledV1.event_type: LeaveCancelledV1,
}


def _decision_upsert() -> Executable:
    statement = insert(leave_request)
    return statement.on_conflict_do_update(
        index_elements=["request_id"],
        set_={
            k: statement.excluded[k]
            for k in ("state", "decided_by", "decided_at", "start_date", "end_date", "updated_at")
        },
    )


def _balance_upsert() -> Executable:
    statement = insert(leave_balance)
    return statement.on_conflict_do_update(
        index_elements=["nip", "year", "leave_type"],
        set_={
            "remaining": statement.excluded.remaining,
            "updated_at": statement.excluded.updated_at,
        },
    )


_UPSERT_DECISION = _decision_upsert()
_UPSERT_BALANCE = _balance_upsert()


def on_decision(event: ConsumedEvent) -> list[Write]:
    data = payload(event, _MODEL_OF[event.envelope.type])
    cancelled = isinstance(data, LeaveCancelledV1)
    decided_by = data.cancelled_by if cancelled else data.decided_by
    decided_at = data.cancelled_at if cancelled else data.decided_at
    writes = [
        Write(
            _UPSERT_DECISION,
            {
                "request_id": data.request_id,
                "nip": data.nip,
                "unit_code": data.unit_code,
                "leave_type": str(data.leave_type),
                "start_date": data.start_date,
                "end_date": data.end_date,
                "working_days": data.working_days,
                "state": _STATE_OF[event.envelope.type],
                "requested_at": decided_at,
                "decided_by": decided_by,
                "decided_at": decided_at,
                "updated_at": event.envelope.time,
            },
        )
    ]
    balance_year = getattr(data, "balance_year", None)
    balance_after = getattr(data, "balance_after", None)
    if balance_year is not None and balance_after is not None:
        writes.append(
            Write(
                _UPSERT_BALANCE,
                {
                    "nip": data.nip,
                    "year": balance_year,
                    "leave_type": "tahunan",
                    "remaining": balance_after,
                    "updated_at": event.envelope.time,
                },
            )
        )
    return writes


def _holiday_values(data: HolidayDeclaredV1 | HolidayRemovedV1) -> dict[str, Any]:
    return {
        "holiday_id": data.holiday_id,
        "date": data.date,
        "name": data.name,
        "kind": str(data.kind),
    }


# A declaration never revives a removed holiday, whatever order the two come in.
_INSERT_HOLIDAY = insert(holiday).on_conflict_do_nothing(index_elements=["holiday_id"])


def _removal_upsert() -> Executable:
    statement = insert(holiday)
    return statement.on_conflict_do_update(
        index_elements=["holiday_id"],
        set_={"removed": True, "updated_at": statement.excluded.updated_at},
    )


_UPSERT_REMOVAL = _removal_upsert()


def on_holiday_declared(event: ConsumedEvent) -> list[Write]:
    data = payload(event, HolidayDeclaredV1)
    values = {**_holiday_values(data), "removed": False, "updated_at": event.envelope.time}
    return [Write(_INSERT_HOLIDAY, values)]


def on_holiday_removed(event: ConsumedEvent) -> list[Write]:
    data = payload(event, HolidayRemovedV1)
    values = {**_holiday_values(data), "removed": True, "updated_at": event.envelope.time}
    return [Write(_UPSERT_REMOVAL, values)]


PROJECTIONS: dict[str, Projection] = {
    AttendanceCheckedInV1.event_type: on_checked_in,
    AttendanceCheckedOutV1.event_type: on_checked_out,
    AttendanceDayClosedV1.event_type: on_day_closed,
    LeaveRequestedV1.event_type: on_requested,
    **dict.fromkeys(_STATE_OF, on_decision),
    HolidayDeclaredV1.event_type: on_holiday_declared,
    HolidayRemovedV1.event_type: on_holiday_removed,
}

"""presensi.events → attendance days, leave requests and leave balances."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asn_schemas.presensi import (
    AttendanceCheckedInV1,
    AttendanceCheckedOutV1,
    AttendanceDayClosedV1,
    LeaveApprovedV1,
    LeaveCancelledV1,
    LeaveDeferredV1,
    LeaveForwardedV1,
    LeaveRejectedV1,
    LeaveRequestedV1,
)
from servicekit.consumer import ConsumedEvent
from sqlalchemy.dialects.postgresql import insert

from gateway.models import attendance_day, leave_balance, leave_request
from gateway.projections.common import Executor, payload


async def _upsert_day(executor: Executor, values: dict[str, Any]) -> None:
    statement = insert(attendance_day).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["nip", "date"],
        set_={k: statement.excluded[k] for k in values if k not in ("nip", "date")},
    )
    await executor.execute(statement)


async def on_checked_in(executor: Executor, event: ConsumedEvent) -> None:
    data = payload(event, AttendanceCheckedInV1)
    await _upsert_day(
        executor,
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


async def on_checked_out(executor: Executor, event: ConsumedEvent) -> None:
    data = payload(event, AttendanceCheckedOutV1)
    await _upsert_day(
        executor,
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


async def on_day_closed(executor: Executor, event: ConsumedEvent) -> None:
    data = payload(event, AttendanceDayClosedV1)
    await _upsert_day(
        executor,
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


async def on_requested(executor: Executor, event: ConsumedEvent) -> None:
    data = payload(event, LeaveRequestedV1)
    statement = insert(leave_request).values(
        request_id=data.request_id,
        nip=data.nip,
        unit_code=data.unit_code,
        leave_type=str(data.leave_type),
        start_date=data.start_date,
        end_date=data.end_date,
        working_days=data.working_days,
        approver_nip=data.approver_nip,
        needs_bkpsdm=data.needs_bkpsdm,
        state="requested",
        requested_at=event.envelope.time,
        updated_at=event.envelope.time,
    )
    # A decision seen first (it cannot, per key order, but be tolerant) keeps its state.
    statement = statement.on_conflict_do_update(
        index_elements=["request_id"],
        set_={
            "approver_nip": statement.excluded.approver_nip,
            "needs_bkpsdm": statement.excluded.needs_bkpsdm,
            "requested_at": statement.excluded.requested_at,
        },
    )
    await executor.execute(statement)


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


async def on_decision(executor: Executor, event: ConsumedEvent) -> None:
    data = payload(event, _MODEL_OF[event.envelope.type])
    cancelled = isinstance(data, LeaveCancelledV1)
    decided_by = data.cancelled_by if cancelled else data.decided_by
    decided_at = data.cancelled_at if cancelled else data.decided_at
    values = {
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
    }
    statement = insert(leave_request).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["request_id"],
        set_={
            k: statement.excluded[k]
            for k in ("state", "decided_by", "decided_at", "start_date", "end_date", "updated_at")
        },
    )
    await executor.execute(statement)
    balance_year = getattr(data, "balance_year", None)
    balance_after = getattr(data, "balance_after", None)
    if balance_year is not None and balance_after is not None:
        balance = insert(leave_balance).values(
            nip=data.nip,
            year=balance_year,
            leave_type="tahunan",
            remaining=balance_after,
            updated_at=event.envelope.time,
        )
        balance = balance.on_conflict_do_update(
            index_elements=["nip", "year", "leave_type"],
            set_={
                "remaining": balance.excluded.remaining,
                "updated_at": balance.excluded.updated_at,
            },
        )
        await executor.execute(balance)


PROJECTIONS: dict[str, Callable[[Executor, ConsumedEvent], Awaitable[None]]] = {
    AttendanceCheckedInV1.event_type: on_checked_in,
    AttendanceCheckedOutV1.event_type: on_checked_out,
    AttendanceDayClosedV1.event_type: on_day_closed,
    LeaveRequestedV1.event_type: on_requested,
    **dict.fromkeys(_STATE_OF, on_decision),
}

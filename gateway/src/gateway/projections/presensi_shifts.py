"""presensi's shift-work events → corrections and flexible-work requests waiting for a
supervisor (the inbox), and the days of published rosters (profile and unit)."""

from __future__ import annotations

from typing import Any

from asn_schemas.presensi import (
    AttendanceCorrectedV1,
    AttendanceCorrectionRejectedV1,
    AttendanceCorrectionRequestedV1,
    FlexibleWorkDecidedV1,
    FlexibleWorkRequestedV1,
    RosterChangedV1,
    RosteredDay,
    RosterPublishedV1,
)
from servicekit.consumer import ConsumedEvent
from sqlalchemy import Executable, bindparam, delete
from sqlalchemy.dialects.postgresql import insert

from gateway.models import presensi_request, roster_day
from gateway.projections.common import Projection, Write, payload

CORRECTION, FLEXIBLE = "attendance_correction", "flexible_work"


def _requested_upsert() -> Executable:
    statement = insert(presensi_request)
    # A decision seen first (a request made before these events existed) keeps its state:
    # the request only fills in who decides and when it was asked.
    return statement.on_conflict_do_update(
        index_elements=["request_id"],
        set_={
            "approver_nip": statement.excluded.approver_nip,
            "requested_at": statement.excluded.requested_at,
        },
    )


def _decision_upsert() -> Executable:
    statement = insert(presensi_request)
    return statement.on_conflict_do_update(
        index_elements=["request_id"],
        set_={
            k: statement.excluded[k] for k in ("state", "decided_by", "decided_at", "updated_at")
        },
    )


_UPSERT_REQUESTED = _requested_upsert()
_UPSERT_DECISION = _decision_upsert()


def _request(
    event: ConsumedEvent, request_id: Any, kind: str, correction_kind: str | None, data: Any
) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "kind": kind,
        "correction_kind": correction_kind,
        "nip": data.nip,
        "unit_code": data.unit_code,
        "date": data.date,
        "updated_at": event.envelope.time,
    }


def on_correction_requested(event: ConsumedEvent) -> list[Write]:
    data = payload(event, AttendanceCorrectionRequestedV1)
    values = _request(event, data.correction_id, CORRECTION, data.kind, data)
    return [
        Write(
            _UPSERT_REQUESTED,
            {
                **values,
                "approver_nip": data.approver_nip,
                "state": "requested",
                "requested_at": data.requested_at,
            },
        )
    ]


def _decided(values: dict[str, Any], approved: bool, by: str, at: Any) -> Write:
    state = "approved" if approved else "rejected"
    return Write(_UPSERT_DECISION, {**values, "state": state, "decided_by": by, "decided_at": at})


def on_correction_decided(event: ConsumedEvent) -> list[Write]:
    if event.envelope.type == AttendanceCorrectedV1.event_type:
        approved = payload(event, AttendanceCorrectedV1)
        values = _request(event, approved.correction_id, CORRECTION, approved.kind, approved)
        return [_decided(values, True, approved.decided_by, approved.decided_at)]
    refused = payload(event, AttendanceCorrectionRejectedV1)
    values = _request(event, refused.correction_id, CORRECTION, refused.kind, refused)
    return [_decided(values, False, refused.decided_by, refused.decided_at)]


def on_flexible_requested(event: ConsumedEvent) -> list[Write]:
    data = payload(event, FlexibleWorkRequestedV1)
    values = _request(event, data.request_id, FLEXIBLE, None, data)
    return [
        Write(
            _UPSERT_REQUESTED,
            {
                **values,
                "approver_nip": data.approver_nip,
                "state": "requested",
                "requested_at": data.requested_at,
            },
        )
    ]


def on_flexible_decided(event: ConsumedEvent) -> list[Write]:
    data = payload(event, FlexibleWorkDecidedV1)
    values = _request(event, data.request_id, FLEXIBLE, None, data)
    return [_decided(values, data.approved, data.decided_by, data.decided_at)]


def _day_upsert() -> Executable:
    statement = insert(roster_day)
    excluded = statement.excluded
    # Events of one roster come in order (one key), but a day may also sit in another
    # unit's roster of the month: the newest version of the roster that wrote it wins.
    return statement.on_conflict_do_update(
        index_elements=["nip", "date"],
        set_={
            k: excluded[k]
            for k in ("unit_code", "month", "version", "shift_code", "start", "end", "updated_at")
        },
        where=(roster_day.c.unit_code != excluded.unit_code)
        | (roster_day.c.month != excluded.month)
        | (roster_day.c.version <= excluded.version),
    )


_UPSERT_DAY = _day_upsert()


def _drop_older_days() -> Executable:
    """A republished roster replaces the month: days it no longer has go."""
    return delete(roster_day).where(
        roster_day.c.unit_code == bindparam("unit_code"),
        roster_day.c.month == bindparam("month"),
        roster_day.c.version < bindparam("version"),
    )


_DROP_OLDER_DAYS = _drop_older_days()


def _day(event: ConsumedEvent, unit_code: str, month: str, version: int, day: RosteredDay) -> Write:
    return Write(
        _UPSERT_DAY,
        {
            "nip": day.nip,
            "date": day.date,
            "unit_code": unit_code,
            "month": month,
            "version": version,
            "shift_code": day.shift_code,
            "start": day.start,
            "end": day.end,
            "updated_at": event.envelope.time,
        },
    )


def on_roster_published(event: ConsumedEvent) -> list[Write]:
    data = payload(event, RosterPublishedV1)
    key = {"unit_code": data.unit_code, "month": data.month, "version": data.version}
    return [Write(_DROP_OLDER_DAYS, key)] + [
        _day(event, data.unit_code, data.month, data.version, day) for day in data.days
    ]


def on_roster_changed(event: ConsumedEvent) -> list[Write]:
    data = payload(event, RosterChangedV1)
    return [_day(event, data.unit_code, data.month, data.version, data.day)]


PROJECTIONS: dict[str, Projection] = {
    AttendanceCorrectionRequestedV1.event_type: on_correction_requested,
    AttendanceCorrectedV1.event_type: on_correction_decided,
    AttendanceCorrectionRejectedV1.event_type: on_correction_decided,
    FlexibleWorkRequestedV1.event_type: on_flexible_requested,
    FlexibleWorkDecidedV1.event_type: on_flexible_decided,
    RosterPublishedV1.event_type: on_roster_published,
    RosterChangedV1.event_type: on_roster_changed,
}

"""Check-out and what check-in shares with it: the person's context for the day, the
position, and the self-only rule. Check-in itself is `presensi.checkin` (group commit)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from asn_schemas.presensi import (
    AttendanceCheckedOutV1,
    EarlyCategory,
)
from servicekit.identity import Identity
from servicekit.problems import conflict, forbidden, invalid, not_found
from servicekit.uow import UnitOfWork
from sqlalchemy import text

from presensi.domain.calendar import WIB, business_date
from presensi.domain.classify import early_category, minutes_early
from presensi.domain.geo import check_geofence
from presensi.domain.schedules import Schedule, days_from_json, schedule_for

# One round trip: the person, their unit's geofence, whether the day is a holiday, and the
# schedule rows that could apply (the choice among them is made in Python).
_LOOKUP = text(
    """
    SELECT e.status, e.unit_code, u.latitude, u.longitude, u.geofence_radius_m,
           EXISTS (SELECT 1 FROM holiday h WHERE h.date = :day) AS holiday,
           (SELECT coalesce(json_agg(json_build_object(
                'unit_code', s.unit_code, 'kind', s.kind, 'valid_from', s.valid_from,
                'valid_to', s.valid_to, 'days', s.days)), '[]'::json)
              FROM schedule s
             WHERE s.unit_code IN (e.unit_code, 'default') AND s.valid_from <= :day
               AND (s.valid_to IS NULL OR s.valid_to >= :day)) AS schedules
      FROM employee e LEFT JOIN unit u ON u.code = e.unit_code
     WHERE e.nip = :nip
    """
)
_CHECK_OUT = text(
    """
    UPDATE attendance SET checked_out_at = :at, minutes_early = :early, early_category = :cat,
           out_inside_geofence = :inside, out_distance_m = :dist
     WHERE nip = :nip AND date = :day AND checked_out_at IS NULL
    RETURNING id, unit_code, checked_in_at, scheduled_end
    """
)


def schedules_from_json(raw: list[dict[str, Any]]) -> list[Schedule]:
    return [
        Schedule(
            kind=r["kind"],
            unit_code=r["unit_code"],
            valid_from=date.fromisoformat(r["valid_from"]),
            valid_to=date.fromisoformat(r["valid_to"]) if r["valid_to"] else None,
            days=days_from_json(r["days"]),
        )
        for r in raw
    ]


async def _context(uow: UnitOfWork, nip: str, day: date) -> tuple[Any, Schedule]:
    row = (await uow.session.execute(_LOOKUP, {"nip": nip, "day": day})).first()
    if row is None:
        raise not_found("employee", f"Pegawai {nip}")
    if row.status != "aktif":
        raise conflict(
            "employee_not_active", f"Status pegawai {row.status}: presensi tidak dicatat."
        )
    schedule = schedule_for(schedules_from_json(row.schedules), row.unit_code, day)
    if row.holiday or schedule.hours_on(day) is None:
        raise invalid("not_a_working_day", f"{day.isoformat()} bukan hari kerja.", field="date")
    return row, schedule


def position(body: Any) -> tuple[float, float] | None:
    if body is None or body.latitude is None or body.longitude is None:
        return None
    return body.latitude, body.longitude


def self_only(who: Identity, body: Any) -> str:
    if body is not None and body.nip is not None and body.nip != who.sub:
        raise forbidden("Presensi hanya dapat dicatat untuk diri sendiri.")
    return who.sub


async def check_out(uow: UnitOfWork, who: Identity, body: Any, now: datetime) -> dict[str, Any]:
    nip = self_only(who, body)
    day = business_date(now)
    row, schedule = await _context(uow, nip, day)
    hours = schedule.hours_on(day)
    assert hours is not None
    early = minutes_early(now.astimezone(WIB), hours.end)
    category: EarlyCategory | None = early_category(early)
    fence = check_geofence(
        position(body),
        (row.latitude, row.longitude) if row.latitude is not None else None,
        row.geofence_radius_m,
        body.accuracy_m if body is not None else None,
    )
    params = {
        "nip": nip,
        "day": day,
        "at": now,
        "early": early,
        "cat": category.value if category else None,
        "inside": fence.inside,
        "dist": fence.distance_m,
    }
    updated = (await uow.session.execute(_CHECK_OUT, params)).first()
    if updated is None:
        exists = await uow.session.execute(
            text("SELECT 1 FROM attendance WHERE nip = :nip AND date = :day"),
            {"nip": nip, "day": day},
        )
        if exists.first() is None:
            raise conflict("not_checked_in", "Belum presensi masuk hari ini.")
        raise conflict("already_checked_out", f"Sudah presensi pulang pada {day.isoformat()}.")
    uow.add_event(
        AttendanceCheckedOutV1(
            attendance_id=updated.id,
            nip=nip,
            unit_code=updated.unit_code,
            date=day,
            checked_in_at=updated.checked_in_at,
            checked_out_at=now,
            scheduled_end=time.fromisoformat(updated.scheduled_end),
            minutes_early=early,
            early_category=category,
            inside_geofence=fence.inside,
            distance_m=fence.distance_m,
        ),
        subject=nip,
    )
    return {
        "id": str(updated.id),
        "nip": nip,
        "date": day.isoformat(),
        "checked_in_at": updated.checked_in_at.isoformat(),
        "checked_out_at": now.isoformat(),
        "scheduled_end": updated.scheduled_end,
        "minutes_early": early,
        "early_category": params["cat"],
        "inside_geofence": fence.inside,
        "distance_m": fence.distance_m,
    }


def attendance_view(r: Any) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "nip": r.nip,
        "date": r.date.isoformat(),
        "unit_code": r.unit_code,
        "checked_in_at": r.checked_in_at.isoformat(),
        "scheduled_start": r.scheduled_start,
        "minutes_late": r.minutes_late,
        "late_category": r.late_category,
        "in_inside_geofence": r.in_inside_geofence,
        "checked_out_at": r.checked_out_at.isoformat() if r.checked_out_at else None,
        "scheduled_end": r.scheduled_end,
        "minutes_early": r.minutes_early,
        "early_category": r.early_category,
        "out_inside_geofence": r.out_inside_geofence,
    }

"""What check-in and check-out (`presensi.punches`) and the attendance reads share: the
schedule rows as stored, the position sent, the self-only rule, the record's view."""

from __future__ import annotations

from datetime import date
from typing import Any

from servicekit.identity import Identity
from servicekit.problems import forbidden

from presensi.domain.schedules import Schedule, days_from_json


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


def position(body: Any) -> tuple[float, float] | None:
    if body is None or body.latitude is None or body.longitude is None:
        return None
    return body.latitude, body.longitude


def self_only(who: Identity, body: Any) -> str:
    if body is not None and body.nip is not None and body.nip != who.sub:
        raise forbidden("Presensi hanya dapat dicatat untuk diri sendiri.")
    return who.sub


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

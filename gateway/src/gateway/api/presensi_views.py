"""presensi's shift work in the aggregated reads: corrections and flexible-work days
waiting for the supervisor (inbox), and the rostered shifts of the week (profile, unit)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

REQUESTS_TO_DECIDE = """
SELECT r.request_id, r.kind, r.correction_kind, r.nip, e.name, r.unit_code, r.date,
       r.requested_at
FROM readmodel.presensi_request r LEFT JOIN readmodel.employee e ON e.nip = r.nip
WHERE r.state = 'requested' AND r.approver_nip = $1
ORDER BY r.requested_at, r.request_id
LIMIT $2
"""

PERSON_WEEK = """
SELECT date, shift_code, start, "end", unit_code
FROM readmodel.roster_day WHERE nip = $1 AND date BETWEEN $2 AND $3
ORDER BY date
"""

UNIT_WEEK = """
SELECT d.nip, e.name, d.date, d.shift_code, d.start, d."end"
FROM readmodel.roster_day d LEFT JOIN readmodel.employee e ON e.nip = d.nip
WHERE d.unit_code = $1 AND d.date BETWEEN $2 AND $3
ORDER BY d.date, d.start NULLS LAST, e.name, d.nip
"""

_ACTION = {
    "attendance_correction": "/api/attendance-corrections/{}/decision",
    "flexible_work": "/api/flexible-work/{}/decision",
}


def week_of(today: date) -> tuple[date, date]:
    """Monday to Sunday of the week `today` is in."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


async def inbox_items(conn: Any, nip: str, limit: int) -> list[dict[str, Any]]:
    rows = await conn.fetch(REQUESTS_TO_DECIDE, nip, limit)
    return [
        {"kind": r["kind"], "action": _ACTION[r["kind"]].format(r["request_id"]), **dict(r)}
        for r in rows
    ]


async def person_week(conn: Any, nip: str, today: date) -> dict[str, Any]:
    start, end = week_of(today)
    rows = await conn.fetch(PERSON_WEEK, nip, start, end)
    return {"from": start, "to": end, "days": [dict(r) for r in rows]}


async def unit_week(conn: Any, code: str, today: date) -> dict[str, Any]:
    start, end = week_of(today)
    rows = await conn.fetch(UNIT_WEEK, code, start, end)
    return {"from": start, "to": end, "days": [dict(r) for r in rows]}

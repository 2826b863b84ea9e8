"""What closing a day (`presensi.closing`) needs for rostered people: who is rostered on
the day (a shift, or a day off) in a published roster, and whether a shift is over.

A rostered shift makes the day a working day for that person even on a holiday; a
rostered day off is not an absence. A night shift closes on the day it started, once
its check-out is in or its check-out window has closed.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from presensi.domain.shifts import ShiftType


async def rostered_on(session: AsyncSession, day: date) -> dict[str, ShiftType | None]:
    """Who is rostered on the day; anyone else follows the office schedule and holidays."""
    rows = await session.execute(
        text(
            "SELECT e.nip, t.code, t.start_time, t.end_time, t.break_minutes, "
            "t.check_in_before_minutes, t.check_out_after_minutes FROM roster_entry e "
            "JOIN roster r ON r.unit_code = e.unit_code AND r.month = e.month "
            "AND r.status = 'published' "
            "LEFT JOIN shift_type t ON t.id = e.shift_type_id WHERE e.date = :day"
        ),
        {"day": day},
    )
    return {r.nip: _shift(r) if r.code is not None else None for r in rows}


def _shift(r: Any) -> ShiftType:
    return ShiftType(
        r.code,
        time.fromisoformat(r.start_time),
        time.fromisoformat(r.end_time),
        r.break_minutes,
        r.check_in_before_minutes,
        r.check_out_after_minutes,
    )


def still_open(shift: ShiftType, day: date, attendance: Any | None, now: datetime | None) -> bool:
    """True while a check-out of the shift may still come (close it on a later run)."""
    if now is None or (attendance is not None and attendance.checked_out_at is not None):
        return False
    return now < shift.on(day).check_out_closes

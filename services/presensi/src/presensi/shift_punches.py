"""What the punch desks (`presensi.punches`) need for rostered people: the roster
around a punch (the `roster` column of the batch's context) and the shift it belongs to.

A person with a published roster entry on the punch's business date, or whose previous
day's shift takes the punch (a check-out after midnight), is matched to the roster and
not to the office schedule: a rostered holiday is a working day, a rostered day off
takes no punch.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time

from servicekit.problems import invalid

from presensi.domain.calendar import business_date
from presensi.domain.shifts import Roster, ShiftSpan, ShiftType, match_check_in, match_check_out


def roster_from_json(raw: str | None) -> Roster:
    if not raw:
        return {}
    return {
        date.fromisoformat(r["date"]): (
            None
            if r["code"] is None
            else ShiftType(
                r["code"],
                time.fromisoformat(r["start"]),
                time.fromisoformat(r["end"]),
                r["break"],
                r["before"],
                r["after"],
            )
        )
        for r in json.loads(raw)
    }


def rostered_shift(raw: str | None, at: datetime, *, check_out: bool) -> ShiftSpan | None:
    """The shift this punch belongs to; None when the person is not rostered for it (the
    office schedule applies); raises the refusal when rostered but no shift takes it."""
    if raw is None or raw == "[]":  # most people: office hours, nothing to parse
        return None
    roster = roster_from_json(raw)
    if not roster:
        return None
    span = match_check_out(at, roster) if check_out else match_check_in(at, roster)
    if span is not None:
        return span
    today = business_date(at)
    if today not in roster:
        if not check_out and match_check_out(at, roster) is not None:
            # 07:05 after a night that is not followed by a rostered day: the night's
            # check-out, not a new office day (a device tries a check-out next).
            raise invalid(
                "outside_shift_window",
                "Presensi ini jatuh pada jendela pulang shift sebelumnya.",
                field="date",
            )
        return None
    if roster[today] is None:
        raise invalid(
            "rostered_day_off", f"{today.isoformat()} adalah hari libur dinas Anda.", field="date"
        )
    raise invalid(
        "outside_shift_window",
        "Presensi di luar jendela shift yang dijadwalkan.",
        field="date",
    )

"""Whether a day is a working day, as the views see it, and a person's status for it.

The gateway knows weekends and presensi's calendar (`calendar.holiday_declared/removed`:
libur nasional, cuti bersama, libur daerah). Units' own schedules are not published, so a
unit that works on Saturday is not known here: whoever checks in on a non-working day
still shows as present, and nobody else counts as missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")
WEEKEND = {5: "Sabtu", 6: "Minggu"}  # the city-wide schedule (Perpres 21/2023) is Mon–Fri
NON_WORKING = "libur"


def today_wib() -> date:
    """The business date (Asia/Jakarta) now."""
    return datetime.now(UTC).astimezone(WIB).date()


def non_working_day(day: date, holiday: Mapping[str, Any] | None) -> dict[str, str] | None:
    """Why `day` is not a working day (`kind`: the holiday's, or `weekend`), else None.
    A holiday on a weekend is named as the holiday: it says more."""
    if holiday:
        return {"kind": str(holiday["kind"]), "name": str(holiday["name"])}
    if day.weekday() in WEEKEND:
        return {"kind": "weekend", "name": WEEKEND[day.weekday()]}
    return None


def attendance_status(record: Mapping[str, Any] | None, on_leave: str | None, day_off: bool) -> str:
    """A person's status for the day: the closed day's status; else cuti on a working day
    within approved leave (leave does not count a day off); else a check-in
    (terlambat/hadir, even on a day off: they came in); else `libur` on a non-working day;
    else `belum_presensi`. The unit dashboard's `TODAY` counts in the same order."""
    if record and record.get("status"):
        return str(record["status"])
    if on_leave and not day_off:
        return "cuti"
    if record and record.get("checked_in_at"):
        return "terlambat" if (record.get("minutes_late") or 0) > 0 else "hadir"
    if day_off:
        return NON_WORKING
    return "belum_presensi"

"""Business dates are in Asia/Jakarta (WIB), storage and events in UTC (DESIGN, API)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def wib_date(instant: datetime) -> date:
    return instant.astimezone(WIB).date()


def today_wib() -> date:
    return datetime.now(WIB).date()


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def years_between(earlier: date, later: date) -> tuple[int, int]:
    """Whole years and months from `earlier` to `later` (0, 0 when later is not after)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    months = max(months, 0)
    return months // 12, months % 12


def age_on(birth: date, day: date) -> int:
    return years_between(birth, day)[0]

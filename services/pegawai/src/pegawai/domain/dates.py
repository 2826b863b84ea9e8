"""Date arithmetic the rules share (calendar years and months, not 365-day years)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def today_wib() -> date:
    """Business dates are in Asia/Jakarta (DESIGN, API conventions)."""
    return datetime.now(WIB).date()


def add_years(day: date, years: int) -> date:
    """Same day N years on; 29 Feb becomes 28 Feb in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def first_of_next_month(day: date) -> date:
    return add_months(day.replace(day=1), 1)

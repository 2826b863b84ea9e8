"""Business dates in Asia/Jakarta and working-day counting (weekends, holidays, cuti bersama)."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Collection, Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")

Clock = Callable[[], datetime]
"""Returns the current instant (aware). The server's clock counts, never the client's."""


def system_clock() -> datetime:
    return datetime.now(UTC)


def business_date(instant: datetime) -> date:
    """The WIB calendar date of an instant."""
    return instant.astimezone(WIB).date()


def days(start: date, end: date) -> Iterator[date]:
    """Every calendar date from start to end, both included."""
    current = start
    while current <= end:
        yield current
        current += timedelta(days=1)


def is_working_day(
    day: date, holidays: Collection[date], weekdays: Collection[int] = (0, 1, 2, 3, 4)
) -> bool:
    """A working day: one of the schedule's weekdays (Mon=0) and not a holiday or cuti bersama."""
    return day.weekday() in weekdays and day not in holidays


def working_days(
    start: date,
    end: date,
    holidays: Collection[date],
    weekdays: Collection[int] = (0, 1, 2, 3, 4),
) -> list[date]:
    """The working days between start and end, both included (empty when end < start)."""
    return [d for d in days(start, end) if is_working_day(d, holidays, weekdays)]


def count_working_days(
    start: date,
    end: date,
    holidays: Collection[date],
    weekdays: Collection[int] = (0, 1, 2, 3, 4),
) -> int:
    return len(working_days(start, end, holidays, weekdays))


def add_months(day: date, months: int) -> date:
    """The same day `months` later (clamped to the month's end)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def full_years_between(start: date, end: date) -> int:
    """Completed years from start to end (0 when end < start)."""
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    return max(years, 0)

"""Business dates in Asia/Jakarta and working-day arithmetic (weekends, holidays, cuti bersama).

Holidays come from presensi's calendar events (the local replica); a weekend is never a
working day. "Within n working days" of a day means by the end of the n-th working day
after it: the day of the event itself is not counted.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")
WEEKDAYS = (0, 1, 2, 3, 4)  # Monday to Friday (Perpres 21/2023: five working days)

Clock = Callable[[], datetime]
"""Returns the current instant (aware); injectable so tests move time."""


def system_clock() -> datetime:
    return datetime.now(UTC)


def business_date(instant: datetime) -> date:
    """The WIB calendar date of an instant."""
    return instant.astimezone(WIB).date()


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() in WEEKDAYS and day not in holidays


def next_working_day(day: date, holidays: Collection[date]) -> date:
    """The first working day after `day`."""
    current = day + timedelta(days=1)
    while not is_working_day(current, holidays):
        current += timedelta(days=1)
    return current


def add_working_days(start: date, n: int, holidays: Collection[date]) -> date:
    """The n-th working day after `start` (n ≥ 1); `start` itself never counts."""
    if n < 1:
        raise ValueError("n must be at least 1")
    current = start
    for _ in range(n):
        current = next_working_day(current, holidays)
    return current


def working_days_between(start: date, end: date, holidays: Collection[date]) -> int:
    """Working days after `start` up to and including `end` (0 when end ≤ start)."""
    count = 0
    current = start + timedelta(days=1)
    while current <= end:
        count += is_working_day(current, holidays)
        current += timedelta(days=1)
    return count


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"

"""Promotion periods as effective-dated data (DOMAIN 1.4): the scheme changed 2→6→12.

A new Peraturan BKN means a new row here, never a new branch in code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class PeriodScheme:
    valid_from: date
    valid_to: date | None  # inclusive; None while in force
    months: frozenset[int]
    basis: str

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


PERIOD_SCHEMES: tuple[PeriodScheme, ...] = (
    PeriodScheme(date(1980, 1, 1), date(2023, 12, 31), frozenset({4, 10}), "PP 3/1980, PP 99/2000"),
    PeriodScheme(
        date(2024, 1, 1), date(2025, 9, 30), frozenset({2, 4, 6, 8, 10, 12}), "Peraturan BKN 4/2023"
    ),
    PeriodScheme(date(2025, 10, 1), None, frozenset(range(1, 13)), "Peraturan BKN 4/2025"),
)


def scheme_for(
    day: date, schemes: tuple[PeriodScheme, ...] = PERIOD_SCHEMES
) -> PeriodScheme | None:
    return next((s for s in schemes if s.covers(day)), None)


def is_period_date(day: date, schemes: tuple[PeriodScheme, ...] = PERIOD_SCHEMES) -> bool:
    """A promotion TMT must be the 1st of a month that the scheme in force lists."""
    scheme = scheme_for(day, schemes)
    return scheme is not None and day.day == 1 and day.month in scheme.months


def next_period(on_or_after: date, schemes: tuple[PeriodScheme, ...] = PERIOD_SCHEMES) -> date:
    """The first period date on or after a day (e.g. for "the next promotion round")."""
    year, month = on_or_after.year, on_or_after.month
    if on_or_after.day > 1:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for _ in range(24):
        candidate = date(year, month, 1)
        if is_period_date(candidate, schemes):
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    raise ValueError(f"no promotion period within two years of {on_or_after}")

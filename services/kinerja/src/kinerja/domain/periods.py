"""Appraisal periods: the cadence (quarterly by default, DOMAIN 1.8 ⚠) and WIB dates."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from asn_schemas.kinerja import AppraisalPeriod, PeriodKind

WIB = ZoneInfo("Asia/Jakarta")
PERIODS_PER_YEAR = {PeriodKind.QUARTERLY: 4, PeriodKind.MONTHLY: 12}


def today_wib() -> date:
    return datetime.now(WIB).date()


def wib_date(instant: datetime) -> date:
    """The business date (Asia/Jakarta) of an instant; a naive value is taken as UTC."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(WIB).date()


def period_bounds(kind: PeriodKind, year: int, number: int | None) -> tuple[date, date]:
    """The calendar bounds of a period; raises ValueError for a number that doesn't fit."""
    if kind is PeriodKind.ANNUAL:
        if number is not None:
            raise ValueError("an annual period has no number")
        return date(year, 1, 1), date(year, 12, 31)
    count = PERIODS_PER_YEAR[kind]
    if number is None or not 1 <= number <= count:
        raise ValueError(f"a {kind.value} period is numbered 1–{count}")
    months = 12 // count
    first = (number - 1) * months + 1
    last = first + months - 1
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def clipped_period(
    kind: PeriodKind, year: int, number: int | None, span: tuple[date, date]
) -> AppraisalPeriod | None:
    """The period as it applies to an SKP's span (a mid-year SKP covers part of it);
    None when the two do not overlap."""
    start, end = period_bounds(kind, year, number)
    start, end = max(start, span[0]), min(end, span[1])
    if start > end:
        return None
    return AppraisalPeriod(kind=kind, year=year, number=number, start=start, end=end)

"""A unit's month in figures: for the public board and the unit signal (pure).

- received: tickets first routed to the unit in the month;
- resolved: tickets closed in the month (confirmed, or closed after 10 silent working days:
  LAPOR! counts both as complete);
- median working days from routing to the first tindak lanjut, and median calendar days
  from receipt to closure, over what happened in the month;
- SLA compliance: of the unit's clocks that came due (or were breached) in the month, the
  share not breached;
- reopen rate: reopens in the month per answer given in the month;
- average rating of the ratings given in the month.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from aspirasi.domain.workdays import month_of, working_days_between


@dataclass(frozen=True)
class TicketFacts:
    received_on: date
    routed_on: date | None = None
    first_follow_up_on: date | None = None
    closed_on: date | None = None
    answered: Sequence[date] = field(default_factory=tuple)
    reopened: Sequence[date] = field(default_factory=tuple)
    rating: int | None = None
    rated_on: date | None = None


@dataclass(frozen=True)
class ClockFacts:
    due_on: date
    breached_on: date | None


@dataclass(frozen=True)
class UnitFigures:
    received: int
    resolved: int
    median_days_to_follow_up: float | None
    median_days_to_resolution: float | None
    sla_compliance: float | None
    reopen_rate: float | None
    average_rating: float | None


def _in(month: str, day: date | None) -> bool:
    return day is not None and month_of(day) == month


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def unit_figures(
    month: str,
    tickets: Sequence[TicketFacts],
    clocks: Sequence[ClockFacts],
    holidays: Collection[date],
    today: date,
) -> UnitFigures:
    received = sum(_in(month, t.routed_on) for t in tickets)
    closed = [t for t in tickets if _in(month, t.closed_on)]
    to_follow_up = [
        working_days_between(t.routed_on, t.first_follow_up_on, holidays)
        for t in tickets
        if t.routed_on is not None
        and _in(month, t.first_follow_up_on)
        and t.first_follow_up_on is not None
    ]
    to_resolution = [(t.closed_on - t.received_on).days for t in closed if t.closed_on is not None]
    counted = [
        c
        for c in clocks
        if _in(month, c.breached_on) or (_in(month, c.due_on) and c.due_on < today)
    ]
    kept = sum(c.breached_on is None for c in counted)
    answers = sum(_in(month, d) for t in tickets for d in t.answered)
    reopens = sum(_in(month, d) for t in tickets for d in t.reopened)
    ratings = [t.rating for t in tickets if t.rating is not None and _in(month, t.rated_on)]
    return UnitFigures(
        received=received,
        resolved=len(closed),
        median_days_to_follow_up=float(median(to_follow_up)) if to_follow_up else None,
        median_days_to_resolution=float(median(to_resolution)) if to_resolution else None,
        sla_compliance=_ratio(kept, len(counted)),
        reopen_rate=_ratio(reopens, answers),
        average_rating=round(sum(ratings) / len(ratings), 2) if ratings else None,
    )

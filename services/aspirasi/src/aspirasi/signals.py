"""A unit's month in figures, read from the tickets, their history and their clocks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aspirasi import store
from aspirasi.domain.figures import ClockFacts, TicketFacts, UnitFigures, unit_figures
from aspirasi.domain.workdays import business_date
from aspirasi.models import Clock, Step, Submission


def month_bounds(month: str) -> tuple[date, date]:
    year, number = int(month[:4]), int(month[5:7])
    start = date(year, number, 1)
    end = date(year + (number == 12), number % 12 + 1, 1)
    return start, end


def _day(value: datetime | None) -> date | None:
    return business_date(value) if value is not None else None


async def figures_by_unit(
    session: AsyncSession, month: str, today: date, unit: str | None = None
) -> dict[str, UnitFigures]:
    """Figures of every unit with something in `month` (or of `unit` alone)."""
    start, end = month_bounds(month)
    steps_q = select(Step).where(
        col(Step.action).in_(["route", "follow_up", "answer", "reopen", "rated"]),
        col(Step.unit_code).is_not(None),
    )
    if unit is not None:
        steps_q = steps_q.where(col(Step.unit_code) == unit)
    by_ticket: dict[Any, list[Step]] = defaultdict(list)
    for step in (await session.execute(steps_q)).scalars():
        by_ticket[step.submission_id].append(step)
    subs_q = select(Submission).where(
        or_(col(Submission.id).in_(list(by_ticket)), col(Submission.unit_code).is_not(None))
    )
    if unit is not None:
        subs_q = subs_q.where(
            or_(col(Submission.unit_code) == unit, col(Submission.id).in_(list(by_ticket)))
        )
    tickets: dict[str, list[TicketFacts]] = defaultdict(list)
    for sub in (await session.execute(subs_q)).scalars():
        history = by_ticket.get(sub.id, [])
        owner = sub.unit_code or (history[-1].unit_code if history else None)
        if owner is None:
            continue
        mine = [s for s in history if s.unit_code == owner]
        routed = [s.at for s in mine if s.action == "route"]
        tickets[owner].append(
            TicketFacts(
                received_on=business_date(sub.received_at),
                routed_on=_day(routed[0] if routed else None),
                first_follow_up_on=_day(sub.first_follow_up_at),
                closed_on=_day(sub.closed_at) if sub.close_outcome else None,
                answered=tuple(business_date(s.at) for s in mine if s.action == "answer"),
                reopened=tuple(business_date(s.at) for s in mine if s.action == "reopen"),
                rating=sub.rating,
                rated_on=_day(sub.rated_at),
            )
        )
    clocks_q = select(Clock).where(
        col(Clock.unit_code).is_not(None), col(Clock.due_on) >= start, col(Clock.due_on) < end
    )
    breached_q = select(Clock).where(
        col(Clock.unit_code).is_not(None), col(Clock.breached_at).is_not(None)
    )
    clocks: dict[str, dict[int, ClockFacts]] = defaultdict(dict)
    for query in (clocks_q, breached_q):
        if unit is not None:
            query = query.where(col(Clock.unit_code) == unit)
        for c in (await session.execute(query)).scalars():
            assert c.unit_code is not None and c.id is not None
            clocks[c.unit_code][c.id] = ClockFacts(c.due_on, _day(c.breached_at))
    holidays = await store.holidays(session)
    units = set(tickets) | set(clocks)
    result = {
        u: unit_figures(
            month, tickets.get(u, []), list(clocks.get(u, {}).values()), holidays, today
        )
        for u in sorted(units)
    }
    return {u: f for u, f in result.items() if f != _EMPTY}


_EMPTY = UnitFigures(0, 0, None, None, None, None, None)


def figures_json(figures: UnitFigures) -> dict[str, Any]:
    return asdict(figures)

"""The SLA clocks of a ticket (DOMAIN 1.10) and when each one runs out.

- verification: 3 working days from receipt (or a misrouted return) to the coordinator's
  decision (verify, route, hold, refer or archive);
- follow_up: 5 working days from routing (or a reopen) to the unit's tindak lanjut;
- resolution: 60 days from verification to closure (Perpres 76/2013 counts calendar
  days); a forum follow-up item carries its own due date instead.

A working-day clock is breached when the first working day after its due date begins:
days off never use up a deadline, so a clock due on a Friday before a holiday Monday is
breached on the Tuesday. The auto-close after an answer follows the same rule.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from asn_schemas.aspirasi import SlaClock

from aspirasi.domain.workdays import add_working_days, next_working_day

VERIFICATION_DAYS = 3
FOLLOW_UP_DAYS = 5
AUTO_CLOSE_DAYS = 10
RESOLUTION_DAYS = 60

_WORKING_DAYS = {SlaClock.VERIFICATION: VERIFICATION_DAYS, SlaClock.FOLLOW_UP: FOLLOW_UP_DAYS}


def due_on(clock: SlaClock, started_on: date, holidays: Collection[date]) -> date:
    """The last day on which the clock is still kept."""
    if clock is SlaClock.RESOLUTION:
        return started_on + timedelta(days=RESOLUTION_DAYS)
    return add_working_days(started_on, _WORKING_DAYS[clock], holidays)


def breach_date(clock: SlaClock, due: date, holidays: Collection[date]) -> date:
    """The first day on which a clock due on `due` counts as breached."""
    if clock is SlaClock.RESOLUTION:
        return due + timedelta(days=1)
    return next_working_day(due, holidays)


def is_breached(clock: SlaClock, due: date, today: date, holidays: Collection[date]) -> bool:
    return today >= breach_date(clock, due, holidays)


def auto_close_on(answered_on: date, holidays: Collection[date]) -> date:
    """The day an answered ticket closes by itself if the citizen has not replied."""
    return next_working_day(add_working_days(answered_on, AUTO_CLOSE_DAYS, holidays), holidays)

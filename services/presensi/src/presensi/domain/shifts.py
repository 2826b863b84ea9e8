"""Shift work as data (DOMAIN 1.7 "Shift work"): shift types, rostered days, matching a
punch to the rostered shift, TL/PSW against the shift, and the weekly-hours limit.

A shift type whose end is not after its start ends the next day (malam 21:00–07:00). A
rostered day is the business date the shift *starts* on; a check-out after midnight
closes the previous day's night shift, and the day closes on the date it started.
All instants here are aware datetimes; the shift's wall-clock times are WIB.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from presensi.domain.calendar import WIB, business_date

DEFAULT_WEEKLY_LIMIT_MINUTES = 37 * 60 + 30
"""Perpres 21/2023: 37 h 30 min a week without breaks; a unit's limit row overrides it."""


class ShiftRefused(Exception):
    """A roster rule refuses the change; `code` is stable, `detail` says why (Indonesian)."""

    def __init__(self, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.extra = extra


@dataclass(frozen=True, slots=True)
class ShiftType:
    """One unit's kind of shift; the windows say how early a check-in and how late a
    check-out still count for it."""

    code: str
    start: time
    end: time
    break_minutes: int = 0
    check_in_before_minutes: int = 60
    check_out_after_minutes: int = 240

    @property
    def overnight(self) -> bool:
        return self.end <= self.start

    @property
    def length(self) -> timedelta:
        span = datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)
        return span + timedelta(days=1) if self.overnight else span

    @property
    def working_minutes(self) -> int:
        return int(self.length.total_seconds() // 60) - self.break_minutes

    def on(self, day: date) -> ShiftSpan:
        start = datetime.combine(day, self.start, WIB)
        return ShiftSpan(day, self, start, start + self.length)


def check_shift_type(shift: ShiftType) -> None:
    """Raise `ShiftRefused` for a shift type no roster could use."""
    if shift.start == shift.end:
        raise ShiftRefused("shift_without_length", "Jam mulai dan jam selesai shift sama.")
    if shift.break_minutes < 0 or shift.working_minutes <= 0:
        raise ShiftRefused("break_too_long", "Istirahat tidak boleh melebihi panjang shift.")
    if shift.check_in_before_minutes < 0 or shift.check_out_after_minutes < 0:
        raise ShiftRefused("negative_window", "Jendela presensi tidak boleh negatif.")


@dataclass(frozen=True, slots=True)
class ShiftSpan:
    """A shift type on one rostered day: its instants."""

    day: date
    shift: ShiftType
    start: datetime
    end: datetime

    @property
    def check_in_opens(self) -> datetime:
        return self.start - timedelta(minutes=self.shift.check_in_before_minutes)

    @property
    def check_out_closes(self) -> datetime:
        return self.end + timedelta(minutes=self.shift.check_out_after_minutes)

    def takes_check_in(self, at: datetime) -> bool:
        """From the window's opening until the shift ends (a late check-in is still its)."""
        return self.check_in_opens <= at < self.end

    def takes_check_out(self, at: datetime) -> bool:
        """From the shift's start until the check-out window after its end closes."""
        return self.start <= at <= self.check_out_closes

    def minutes_late(self, at: datetime) -> int:
        """Whole minutes after the start (seconds within the first minute are on time)."""
        return max(int((at - self.start).total_seconds() // 60), 0)

    def minutes_early(self, at: datetime) -> int:
        """Whole minutes before the end, rounded up (like the office day's PSW)."""
        seconds = (self.end - at).total_seconds()
        return max(int(-(-seconds // 60)), 0)


Roster = Mapping[date, ShiftType | None]
"""One person's rostered days: a shift type, or None for a rostered day off."""


def _spans_around(at: datetime, roster: Roster) -> list[ShiftSpan]:
    today = business_date(at)
    days = (today - timedelta(days=1), today, today + timedelta(days=1))
    return [shift.on(d) for d in days if (shift := roster.get(d)) is not None]


def match_check_in(at: datetime, roster: Roster) -> ShiftSpan | None:
    """The rostered shift whose check-in window holds `at`; of two, the nearer start
    (06:30 after a night shift belongs to the 07:00 pagi, not to the night that ends)."""
    spans = [s for s in _spans_around(at, roster) if s.takes_check_in(at)]
    return min(spans, key=lambda s: abs(s.start - at), default=None)


def match_check_out(at: datetime, roster: Roster) -> ShiftSpan | None:
    """The rostered shift whose check-out window holds `at`; of two, the nearer end."""
    spans = [s for s in _spans_around(at, roster) if s.takes_check_out(at)]
    return min(spans, key=lambda s: abs(s.end - at), default=None)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class WeekOver:
    week_start: date
    minutes: int
    limit_minutes: int


def weekly_minutes(roster: Roster) -> dict[date, int]:
    """Working minutes per week (Monday first) of the rostered shifts, by their start day."""
    weeks: dict[date, int] = {}
    for day, shift in roster.items():
        if shift is not None:
            weeks[week_start(day)] = weeks.get(week_start(day), 0) + shift.working_minutes
    return weeks


def weeks_over_limit(roster: Roster, limit_minutes: int) -> list[WeekOver]:
    """The weeks whose rostered working minutes exceed the limit, in order."""
    return [
        WeekOver(start, minutes, limit_minutes)
        for start, minutes in sorted(weekly_minutes(roster).items())
        if minutes > limit_minutes
    ]


def overlaps(roster: Roster) -> list[tuple[ShiftSpan, ShiftSpan]]:
    """Pairs of one person's consecutive shifts that overlap (a night into the next pagi)."""
    spans = sorted(
        (shift.on(day) for day, shift in roster.items() if shift is not None),
        key=lambda s: s.start,
    )
    return [(a, b) for a, b in pairwise(spans) if a.end > b.start]


def check_roster(roster: Roster, limit_minutes: int) -> None:
    """Raise `ShiftRefused` for overlapping shifts or a week over the limit (with the sum)."""
    clashes = overlaps(roster)
    if clashes:
        a, b = clashes[0]
        raise ShiftRefused(
            "overlapping_shifts",
            f"Shift {a.shift.code} {a.day.isoformat()} bertumpang tindih dengan shift "
            f"{b.shift.code} {b.day.isoformat()}.",
            date=b.day.isoformat(),
        )
    over = weeks_over_limit(roster, limit_minutes)
    if over:
        week = over[0]
        raise ShiftRefused(
            "weekly_hours_exceeded",
            f"Minggu mulai {week.week_start.isoformat()}: {_hours(week.minutes)} jam, "
            f"melebihi batas {_hours(week.limit_minutes)} jam.",
            week_start=week.week_start.isoformat(),
            minutes=week.minutes,
            limit_minutes=week.limit_minutes,
        )


def _hours(minutes: int) -> str:
    return f"{minutes / 60:g}"


def month_days(month: str) -> list[date]:
    """Every date of a `YYYY-MM` month; ValueError if it is not one."""
    first = date.fromisoformat(f"{month}-01")
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return [first + timedelta(days=i) for i in range((nxt - first).days)]


def rostered_working_day(roster: Roster, day: date) -> bool | None:
    """True for a rostered shift, False for a rostered day off, None when not rostered
    (the person then follows the office schedule and the holidays)."""
    if day not in roster:
        return None
    return roster[day] is not None


def spans(roster: Roster, days: Iterable[date]) -> list[ShiftSpan]:
    return [shift.on(d) for d in days if (shift := roster.get(d)) is not None]

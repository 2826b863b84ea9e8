"""Shift matching at the window edges, night shifts across midnight and a month's end,
TL/PSW against a shift, overlaps and the weekly-hours limit."""

from datetime import date, datetime, time, timedelta

import pytest
from presensi.domain.calendar import WIB
from presensi.domain.shifts import (
    DEFAULT_WEEKLY_LIMIT_MINUTES,
    ShiftRefused,
    ShiftType,
    check_roster,
    check_shift_type,
    match_check_in,
    match_check_out,
    month_days,
    rostered_working_day,
    weekly_minutes,
)

PAGI = ShiftType("pagi", time(7), time(14), 0, 60, 240)
SIANG = ShiftType("siang", time(14), time(21), 0, 60, 240)
MALAM = ShiftType("malam", time(21), time(7), 0, 60, 240)


def wib(y: int, m: int, d: int, hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=WIB)


def test_an_end_before_the_start_ends_the_next_day() -> None:
    span = MALAM.on(date(2025, 3, 3))
    assert MALAM.overnight and not PAGI.overnight
    assert span.start == wib(2025, 3, 3, 21, 0) and span.end == wib(2025, 3, 4, 7, 0)
    assert MALAM.working_minutes == 600 and PAGI.working_minutes == 420


@pytest.mark.parametrize(
    ("at", "matched"),
    [
        (wib(2025, 3, 3, 19, 59, 59), None),  # a second before the window opens
        (wib(2025, 3, 3, 20, 0), date(2025, 3, 3)),  # the window's first instant
        (wib(2025, 3, 3, 20, 55), date(2025, 3, 3)),
        (wib(2025, 3, 4, 0, 30), date(2025, 3, 3)),  # late, after midnight: still that night
        (wib(2025, 3, 4, 6, 59), date(2025, 3, 3)),
        (wib(2025, 3, 4, 7, 0), None),  # the shift is over
    ],
)
def test_check_in_window_edges_of_a_night_shift(at: datetime, matched: date | None) -> None:
    span = match_check_in(at, {date(2025, 3, 3): MALAM})
    assert (span.day if span else None) == matched


def test_a_check_out_after_midnight_closes_the_previous_days_night_shift() -> None:
    roster = {date(2025, 3, 3): MALAM, date(2025, 3, 4): None}
    span = match_check_out(wib(2025, 3, 4, 7, 5), roster)
    assert span is not None and span.day == date(2025, 3, 3)
    assert span.minutes_early(wib(2025, 3, 4, 7, 5)) == 0
    # The check-out window closes 4 h after the end; later is no longer that shift's.
    assert match_check_out(wib(2025, 3, 4, 11, 0), roster) is not None
    assert match_check_out(wib(2025, 3, 4, 11, 0, 1), roster) is None
    # A check-out before the shift started belongs to no shift.
    assert match_check_out(wib(2025, 3, 3, 20, 59), roster) is None


def test_a_night_shift_across_a_months_end_stays_on_the_day_it_started() -> None:
    roster = {date(2025, 1, 31): MALAM, date(2025, 2, 1): None}
    check_in = match_check_in(wib(2025, 1, 31, 20, 55), roster)
    check_out = match_check_out(wib(2025, 2, 1, 7, 5), roster)
    assert check_in is not None and check_out is not None
    assert check_in.day == check_out.day == date(2025, 1, 31)
    new_year = {date(2025, 12, 31): MALAM}
    span = match_check_out(wib(2026, 1, 1, 6, 30), new_year)
    assert span is not None and span.day == date(2025, 12, 31)
    assert span.minutes_early(wib(2026, 1, 1, 6, 30)) == 30


def test_after_a_night_the_next_check_in_belongs_to_the_nearer_start() -> None:
    """Not allowed to be rostered (they overlap), but if both exist the pagi wins at 06:30."""
    roster = {date(2025, 3, 3): MALAM, date(2025, 3, 4): PAGI}
    span = match_check_in(wib(2025, 3, 4, 6, 30), roster)
    assert span is not None and span.shift.code == "pagi"


def test_a_rostered_day_off_takes_no_punch() -> None:
    roster = {date(2025, 3, 3): None}
    assert match_check_in(wib(2025, 3, 3, 7, 0), roster) is None
    assert rostered_working_day(roster, date(2025, 3, 3)) is False
    assert rostered_working_day(roster, date(2025, 3, 4)) is None
    assert rostered_working_day({date(2025, 3, 4): PAGI}, date(2025, 3, 4)) is True


@pytest.mark.parametrize(
    ("at", "late"),
    [
        (wib(2025, 3, 3, 20, 55), 0),
        (wib(2025, 3, 3, 21, 0, 59), 0),
        (wib(2025, 3, 3, 21, 1), 1),
        (wib(2025, 3, 4, 0, 30), 210),  # measured across midnight, not from 00:00
    ],
)
def test_lateness_is_measured_from_the_shift_start(at: datetime, late: int) -> None:
    assert MALAM.on(date(2025, 3, 3)).minutes_late(at) == late


@pytest.mark.parametrize(
    ("at", "early"),
    [
        (wib(2025, 3, 4, 7, 0), 0),
        (wib(2025, 3, 4, 6, 59, 30), 1),
        (wib(2025, 3, 4, 6, 0), 60),
        (wib(2025, 3, 3, 23, 0), 480),  # left before midnight
    ],
)
def test_early_leave_is_measured_to_the_shift_end(at: datetime, early: int) -> None:
    assert MALAM.on(date(2025, 3, 3)).minutes_early(at) == early


def test_weekly_hours_are_summed_per_week_and_refused_over_the_limit() -> None:
    monday = date(2025, 3, 3)
    five_pagi = {monday + timedelta(days=i): PAGI for i in range(5)}  # 35 h
    assert weekly_minutes(five_pagi) == {monday: 35 * 60}
    check_roster(five_pagi, DEFAULT_WEEKLY_LIMIT_MINUTES)
    six = {**five_pagi, monday + timedelta(days=5): PAGI}  # 42 h
    with pytest.raises(ShiftRefused) as refused:
        check_roster(six, DEFAULT_WEEKLY_LIMIT_MINUTES)
    assert refused.value.code == "weekly_hours_exceeded"
    assert refused.value.extra["minutes"] == 42 * 60
    assert "42 jam" in refused.value.detail and "37.5 jam" in refused.value.detail
    # The limit is data: a unit allowed 42 h accepts the same roster.
    check_roster(six, 42 * 60)


def test_a_shift_starting_on_sunday_counts_in_its_own_week() -> None:
    sunday = date(2025, 3, 9)
    weeks = weekly_minutes({sunday: MALAM, sunday + timedelta(days=1): None})
    assert weeks == {date(2025, 3, 3): 600}


def test_a_night_running_into_the_next_mornings_shift_is_refused() -> None:
    with pytest.raises(ShiftRefused) as refused:
        check_roster({date(2025, 3, 3): MALAM, date(2025, 3, 4): ShiftType("x", time(6), time(12))},
                     DEFAULT_WEEKLY_LIMIT_MINUTES)  # fmt: skip
    assert refused.value.code == "overlapping_shifts"
    # Back to back is not an overlap: malam ends 07:00, pagi starts 07:00.
    check_roster({date(2025, 3, 3): MALAM, date(2025, 3, 4): PAGI}, DEFAULT_WEEKLY_LIMIT_MINUTES)


def test_shift_types_that_cannot_work_are_refused() -> None:
    check_shift_type(MALAM)
    with pytest.raises(ShiftRefused, match="sama"):
        check_shift_type(ShiftType("x", time(7), time(7)))
    with pytest.raises(ShiftRefused) as refused:
        check_shift_type(ShiftType("x", time(7), time(8), break_minutes=60))
    assert refused.value.code == "break_too_long"


def test_month_days_know_the_months_length() -> None:
    assert len(month_days("2024-02")) == 29 and month_days("2025-12")[-1] == date(2025, 12, 31)
    with pytest.raises(ValueError, match="month"):
        month_days("2025-13")

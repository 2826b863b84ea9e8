"""Working-day arithmetic over weekends, holidays and cuti bersama; the clocks' deadlines."""

from datetime import UTC, date, datetime

import pytest
from asn_schemas.aspirasi import SlaClock
from aspirasi.domain.clocks import auto_close_on, breach_date, due_on, is_breached
from aspirasi.domain.workdays import (
    add_working_days,
    business_date,
    next_working_day,
    working_days_between,
)

MON = date(2026, 11, 2)  # a Monday
THU = date(2026, 11, 5)
FRI = date(2026, 11, 6)
SAT = date(2026, 11, 7)
NEXT_MON = date(2026, 11, 9)
NEXT_TUE = date(2026, 11, 10)


def test_the_start_day_is_not_counted():
    assert add_working_days(MON, 1, set()) == date(2026, 11, 3)
    assert add_working_days(MON, 3, set()) == THU


def test_weekends_are_skipped():
    assert add_working_days(THU, 3, set()) == NEXT_TUE
    assert add_working_days(SAT, 1, set()) == NEXT_MON
    assert next_working_day(FRI, set()) == NEXT_MON


def test_a_holiday_or_cuti_bersama_is_skipped():
    wednesday = date(2026, 11, 4)
    assert add_working_days(MON, 3, {wednesday}) == FRI
    assert add_working_days(MON, 3, {wednesday, THU}) == NEXT_MON


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(MON, MON, set()) == 0
    assert working_days_between(FRI, NEXT_MON, set()) == 1
    assert working_days_between(MON, NEXT_MON, {THU}) == 4
    assert working_days_between(NEXT_MON, MON, set()) == 0


def test_add_working_days_needs_a_positive_count():
    with pytest.raises(ValueError, match="at least 1"):
        add_working_days(MON, 0, set())


def test_business_date_is_wib():
    # 18:30 UTC on the 2nd is 01:30 WIB on the 3rd.
    assert business_date(datetime(2026, 11, 2, 18, 30, tzinfo=UTC)) == date(2026, 11, 3)
    assert business_date(datetime(2026, 11, 2, 16, 59, tzinfo=UTC)) == MON


def test_verification_due_after_three_working_days_and_breached_the_next_working_day():
    due = due_on(SlaClock.VERIFICATION, MON, set())
    assert due == THU
    assert not is_breached(SlaClock.VERIFICATION, due, THU, set())
    assert is_breached(SlaClock.VERIFICATION, due, FRI, set())


def test_a_holiday_moves_the_verification_deadline_and_the_breach():
    holiday = THU
    due = due_on(SlaClock.VERIFICATION, MON, {holiday})
    assert due == FRI
    assert not is_breached(SlaClock.VERIFICATION, due, holiday, {holiday})
    assert not is_breached(SlaClock.VERIFICATION, due, SAT, {holiday})
    assert breach_date(SlaClock.VERIFICATION, due, {holiday}) == NEXT_MON
    assert is_breached(SlaClock.VERIFICATION, due, NEXT_MON, {holiday})


def test_a_holiday_right_after_the_due_date_delays_the_breach():
    assert breach_date(SlaClock.VERIFICATION, FRI, {NEXT_MON}) == NEXT_TUE


def test_follow_up_is_five_working_days():
    assert due_on(SlaClock.FOLLOW_UP, MON, set()) == NEXT_MON
    assert due_on(SlaClock.FOLLOW_UP, MON, {NEXT_MON}) == NEXT_TUE


def test_resolution_is_sixty_calendar_days_and_ignores_holidays():
    assert due_on(SlaClock.RESOLUTION, MON, {THU}) == date(2027, 1, 1)
    assert not is_breached(SlaClock.RESOLUTION, date(2027, 1, 1), date(2027, 1, 1), set())
    assert is_breached(SlaClock.RESOLUTION, date(2027, 1, 1), date(2027, 1, 2), set())


def test_auto_close_after_ten_silent_working_days():
    # Answered Monday 2 Nov: ten working days end Monday 16 Nov; it closes on Tuesday 17.
    assert auto_close_on(MON, set()) == date(2026, 11, 17)
    assert auto_close_on(MON, {THU}) == date(2026, 11, 18)

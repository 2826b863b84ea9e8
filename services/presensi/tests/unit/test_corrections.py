"""Correction limits as data: a future day, the deadline on the 5th of the next month,
the monthly limit."""

from datetime import date

import pytest
from presensi.domain.correction_rules import (
    DEFAULT_POLICY,
    CorrectionPolicy,
    CorrectionRefused,
    check_request,
    deadline,
)


def refusal(day: date, today: date, used: int, policy: CorrectionPolicy = DEFAULT_POLICY) -> str:
    with pytest.raises(CorrectionRefused) as refused:
        check_request(day, today, used, policy)
    return refused.value.code


def test_the_deadline_is_the_fifth_of_the_next_month_and_crosses_a_year() -> None:
    assert deadline(date(2025, 3, 31), DEFAULT_POLICY) == date(2025, 4, 5)
    assert deadline(date(2025, 12, 1), DEFAULT_POLICY) == date(2026, 1, 5)
    check_request(date(2025, 3, 3), date(2025, 4, 5), 0, DEFAULT_POLICY)  # the last day
    assert refusal(date(2025, 3, 3), date(2025, 4, 6), 0) == "correction_deadline_passed"


def test_a_future_day_cannot_be_corrected_but_today_can() -> None:
    check_request(date(2025, 3, 3), date(2025, 3, 3), 0, DEFAULT_POLICY)
    assert refusal(date(2025, 3, 4), date(2025, 3, 3), 0) == "correction_of_future_day"


def test_the_monthly_limit_counts_and_is_data() -> None:
    check_request(date(2025, 3, 3), date(2025, 3, 10), 2, DEFAULT_POLICY)
    assert refusal(date(2025, 3, 3), date(2025, 3, 10), 3) == "correction_limit_reached"
    generous = CorrectionPolicy(monthly_limit=5, deadline_day=10)
    check_request(date(2025, 3, 3), date(2025, 4, 10), 4, generous)
    assert refusal(date(2025, 3, 3), date(2025, 4, 11), 0, generous) == (
        "correction_deadline_passed"
    )


def test_flexible_work_is_limited_by_the_units_policy() -> None:
    from presensi.domain.flexible import FlexiblePolicy, FlexibleRefused
    from presensi.domain.flexible import check_request as check_flexible

    def code(day: date, today: date, used: int, policy: FlexiblePolicy) -> str:
        with pytest.raises(FlexibleRefused) as refused:
            check_flexible(day, today, used, policy)
        return refused.value.code

    check_flexible(date(2025, 3, 3), date(2025, 3, 3), 3, FlexiblePolicy())
    assert code(date(2025, 3, 3), date(2025, 3, 3), 4, FlexiblePolicy()) == (
        "flexible_limit_reached"
    )
    assert code(date(2025, 3, 3), date(2025, 3, 4), 0, FlexiblePolicy()) == "flexible_day_passed"
    front_line = FlexiblePolicy(days_per_month=0)
    assert code(date(2025, 3, 3), date(2025, 3, 1), 0, front_line) == "flexible_not_allowed"

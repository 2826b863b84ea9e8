from datetime import date, datetime, time

import pytest
from asn_schemas.presensi import EarlyCategory, LateCategory
from presensi.domain.calendar import WIB, business_date
from presensi.domain.classify import (
    DeductionRule,
    day_deduction,
    early_category,
    late_category,
    minutes_early,
    minutes_late,
    rules_in_force,
)


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (0, None),
        (1, LateCategory.TL1),
        (30, LateCategory.TL1),
        (31, LateCategory.TL2),
        (60, LateCategory.TL2),
        (61, LateCategory.TL3),
        (90, LateCategory.TL3),
        (91, LateCategory.TL4),
        (None, LateCategory.TL4),
    ],
)
def test_late_bands(minutes: int | None, expected: LateCategory | None) -> None:
    assert late_category(minutes) == expected


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (0, None),
        (1, EarlyCategory.PSW1),
        (45, EarlyCategory.PSW2),
        (75, EarlyCategory.PSW3),
        (200, EarlyCategory.PSW4),
        (None, EarlyCategory.PSW4),
    ],
)
def test_early_bands(minutes: int | None, expected: EarlyCategory | None) -> None:
    assert early_category(minutes) == expected


def test_minutes_from_local_clock() -> None:
    assert minutes_late(datetime(2025, 3, 3, 7, 30, 59, tzinfo=WIB), time(7, 30)) == 0
    assert minutes_late(datetime(2025, 3, 3, 7, 31, tzinfo=WIB), time(7, 30)) == 1
    assert minutes_late(datetime(2025, 3, 3, 7, 0, tzinfo=WIB), time(7, 30)) == 0
    assert minutes_early(datetime(2025, 3, 3, 15, 59, 30, tzinfo=WIB), time(16, 0)) == 1
    assert minutes_early(datetime(2025, 3, 3, 16, 5, tzinfo=WIB), time(16, 0)) == 0


def test_business_date_is_wib() -> None:
    from datetime import UTC

    assert business_date(datetime(2025, 3, 2, 17, 30, tzinfo=UTC)) == date(2025, 3, 3)


def test_default_deductions_and_effective_dated_override() -> None:
    percents = rules_in_force([], date(2025, 1, 1))
    assert day_deduction(percents, LateCategory.TL1, None) == 0.5
    assert day_deduction(percents, LateCategory.TL4, EarlyCategory.PSW4) == 3.0
    assert day_deduction(percents, None, None, absent=True) == 3.0
    city = [DeductionRule("TL1", 1.0, date(2025, 6, 1))]
    assert rules_in_force(city, date(2025, 5, 31))["TL1"] == 0.5
    assert rules_in_force(city, date(2025, 6, 1))["TL1"] == 1.0
    assert day_deduction(percents, LateCategory.TL4, EarlyCategory.PSW4, daily_cap=2.5) == 2.5

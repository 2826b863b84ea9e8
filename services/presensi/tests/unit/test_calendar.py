from datetime import date, time

from presensi.domain.calendar import add_months, count_working_days, full_years_between
from presensi.domain.discipline import reached
from presensi.domain.geo import check_geofence
from presensi.domain.schedules import PERPRES_21_2023, Schedule, ramadan_schedule, schedule_for


def test_working_days_skip_weekends_holidays_and_cuti_bersama() -> None:
    # Mon 2025-03-03 .. Sun 2025-03-16: 10 weekdays.
    assert count_working_days(date(2025, 3, 3), date(2025, 3, 16), set()) == 10
    holidays = {date(2025, 3, 5), date(2025, 3, 8)}  # a Wednesday, and a Saturday
    assert count_working_days(date(2025, 3, 3), date(2025, 3, 16), holidays) == 9
    assert count_working_days(date(2025, 3, 8), date(2025, 3, 9), set()) == 0
    assert count_working_days(date(2025, 3, 9), date(2025, 3, 8), set()) == 0
    six_day_week = (0, 1, 2, 3, 4, 5)
    assert count_working_days(date(2025, 3, 3), date(2025, 3, 9), set(), six_day_week) == 6


def test_perpres_default_is_37_5_hours() -> None:
    assert PERPRES_21_2023.weekly_minutes == 37 * 60 + 30
    assert PERPRES_21_2023.hours_on(date(2025, 3, 7)).start == time(7, 30)  # type: ignore[union-attr]
    assert PERPRES_21_2023.hours_on(date(2025, 3, 8)) is None
    assert ramadan_schedule("default", date(2025, 3, 1), date(2025, 3, 30)).weekly_minutes == (
        32 * 60 + 30
    )


def test_schedule_choice_ramadan_unit_and_dates() -> None:
    ramadan = ramadan_schedule("default", date(2025, 3, 1), date(2025, 3, 30))
    unit = Schedule("regular", "rsud", date(2025, 1, 1), None, PERPRES_21_2023.days)
    rows = [ramadan, unit]
    assert schedule_for(rows, "rsud", date(2025, 2, 3)) is unit
    assert schedule_for(rows, "rsud", date(2025, 3, 3)) is ramadan
    assert schedule_for(rows, "dinkes", date(2025, 4, 3)) is PERPRES_21_2023
    later = Schedule("regular", "rsud", date(2025, 7, 1), None, PERPRES_21_2023.days)
    assert schedule_for([unit, later], "rsud", date(2025, 7, 1)) is later


def test_dates_helpers() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)
    assert full_years_between(date(2020, 3, 1), date(2025, 2, 28)) == 4
    assert full_years_between(date(2020, 3, 1), date(2025, 3, 1)) == 5


def test_geofence_flags_outside_without_refusing() -> None:
    centre = (-0.6817, 100.7765)
    assert check_geofence(centre, centre, 150).inside is True
    far = check_geofence((-0.69, 100.7765), centre, 150)
    assert far.inside is False and far.distance_m is not None and far.distance_m > 800
    assert check_geofence(None, centre, 150).inside is None
    assert check_geofence(centre, None, None).inside is None


def test_discipline_thresholds_fire_once() -> None:
    assert [t.days for t in reached(3, 1)] == [3]
    assert [(t.kind.value, t.days) for t in reached(10, 10)] == [("consecutive", 10)]
    assert reached(5, 5) == []
    assert [t.days for t in reached(28, 1)] == [28]

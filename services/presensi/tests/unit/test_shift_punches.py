"""Which punches the roster takes, and when the office schedule applies instead."""

import json
from datetime import datetime

import pytest
from presensi.domain.calendar import WIB
from presensi.shift_punches import rostered_shift
from servicekit.errors import ProblemError

NIGHT = json.dumps(
    [{"date": "2025-03-03", "code": "malam", "start": "21:00", "end": "07:00", "break": 0,
      "before": 60, "after": 240}]
)  # fmt: skip


def at(d: int, hh: int, mm: int) -> datetime:
    return datetime(2025, 3, d, hh, mm, tzinfo=WIB)


def test_without_a_roster_the_office_schedule_applies() -> None:
    assert rostered_shift("[]", at(3, 7, 30), check_out=False) is None
    # The day after a night, outside its windows: not rostered, so office hours.
    assert rostered_shift(NIGHT, at(4, 12, 0), check_out=False) is None


def test_the_mornings_punch_after_a_night_is_its_check_out_not_a_new_day() -> None:
    span = rostered_shift(NIGHT, at(4, 7, 5), check_out=True)
    assert span is not None and span.day.isoformat() == "2025-03-03"
    with pytest.raises(ProblemError) as refused:
        rostered_shift(NIGHT, at(4, 7, 5), check_out=False)
    assert refused.value.code == "outside_shift_window"


def test_a_rostered_day_off_refuses_a_check_in() -> None:
    off = json.dumps([{"date": "2025-03-05", "code": None, "start": None, "end": None,
                       "break": None, "before": None, "after": None}])  # fmt: skip
    with pytest.raises(ProblemError) as refused:
        rostered_shift(off, at(5, 8, 0), check_out=False)
    assert refused.value.code == "rostered_day_off"

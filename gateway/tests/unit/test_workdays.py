"""Non-working days and a person's attendance status for a day, on fixed dates."""

from datetime import date

import pytest
from gateway.workdays import attendance_status, non_working_day

WEDNESDAY = date(2026, 11, 25)
SATURDAY = date(2026, 11, 28)
SUNDAY = date(2026, 11, 29)
CHECKED_IN = {"status": None, "checked_in_at": "2026-11-29T00:52:00Z", "minutes_late": 0}
LATE = {**CHECKED_IN, "minutes_late": 22}


@pytest.mark.parametrize(
    ("day", "holiday", "expected"),
    [
        (WEDNESDAY, None, None),
        (SATURDAY, None, {"kind": "weekend", "name": "Sabtu"}),
        (SUNDAY, None, {"kind": "weekend", "name": "Minggu"}),
        (
            WEDNESDAY,
            {"kind": "cuti_bersama", "name": "Cuti bersama Natal"},
            {"kind": "cuti_bersama", "name": "Cuti bersama Natal"},
        ),
        (
            SUNDAY,
            {"kind": "libur_nasional", "name": "Hari Raya"},
            {"kind": "libur_nasional", "name": "Hari Raya"},
        ),
    ],
)
def test_non_working_day(day, holiday, expected):
    assert non_working_day(day, holiday) == expected


@pytest.mark.parametrize(
    ("record", "on_leave", "day_off", "expected"),
    [
        (None, None, False, "belum_presensi"),
        (None, None, True, "libur"),
        (None, "tahunan", False, "cuti"),
        (None, "tahunan", True, "libur"),  # leave does not count a day off
        (CHECKED_IN, None, True, "hadir"),  # came in on a day off
        (LATE, None, False, "terlambat"),
        (LATE, "tahunan", False, "cuti"),
        ({"status": "tanpa_keterangan"}, None, False, "tanpa_keterangan"),
    ],
)
def test_attendance_status(record, on_leave, day_off, expected):
    assert attendance_status(record, on_leave, day_off) == expected

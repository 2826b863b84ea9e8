"""The ZKTeco attendance log export parser: real-shaped lines in, punches out; a file that
is not one is refused with the line that is wrong."""

from datetime import datetime

import pytest
from presensi.domain.attlog import MAX_LINES, AttlogError, AttlogLine, parse

# As written by an iClock/K40/MB-series device to USB (right-aligned PIN, CRLF, six fields).
EXPORT = (
    "\ufeff        1\t2025-03-03 07:21:05\t1\t0\t1\t0\r\n"
    "       23\t2025-03-03 07:29:59\t15\t0\t0\t0\r\n"
    "\r\n"
    "        1\t2025-03-03 16:02:44\t1\t1\t1\t0\r\n"
)


def test_a_usb_export_gives_each_punch_in_file_order() -> None:
    assert parse(EXPORT) == [
        AttlogLine("1", datetime(2025, 3, 3, 7, 21, 5), 1, 0),
        AttlogLine("23", datetime(2025, 3, 3, 7, 29, 59), 15, 0),
        AttlogLine("1", datetime(2025, 3, 3, 16, 2, 44), 1, 1),
    ]


def test_shorter_lines_of_other_firmware_and_exports_are_read() -> None:
    # ZKTime exports with spaces, no trailing fields, or minutes only.
    assert parse("A17 2025-03-03 07:05:00\n0099\t2025-03-03\t7:06\t1\n") == [
        AttlogLine("A17", datetime(2025, 3, 3, 7, 5), None, None),
        AttlogLine("0099", datetime(2025, 3, 3, 7, 6), 1, None),
    ]


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("1\t2025-03-03 07:21:05\t1\nNo.\tName\tTime\n", 2),  # a report, not the log
        ("1\t2025-02-30 07:21:05\t1\n", 1),  # no such day
        ("1\t2025-03-03 25:21:05\t1\n", 1),
        ("1\t03/03/2025 07:21\t1\n", 1),  # another format
        (f"{'9' * 21}\t2025-03-03 07:21:05\n", 1),  # PIN longer than the device's
        ("\r\n  \n", 0),  # empty
        ("1\t2025-03-03 07:21:05\n" * (MAX_LINES + 1), MAX_LINES + 1),
    ],
)
def test_a_file_that_is_not_an_attendance_log_is_refused_at_its_line(
    content: str, line: int
) -> None:
    with pytest.raises(AttlogError) as refused:
        parse(content)
    assert refused.value.line == line

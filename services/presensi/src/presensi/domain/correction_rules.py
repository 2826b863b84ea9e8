"""Attendance corrections (koreksi presensi): which requests a policy admits.

No national rule exists (DOMAIN 1.7 ⚠): instansi SOPs allow a correction approved by the
supervisor with a monthly limit and a deadline. Both are data (`CorrectionPolicy`, per
unit with a city default); the defaults below are a common SOP, not a regulation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class CorrectionKind(StrEnum):
    MISSING_CHECK_IN = "missing_check_in"
    MISSING_CHECK_OUT = "missing_check_out"
    WRONG_STATUS = "wrong_status"
    OFFICIAL_TRAVEL = "official_travel"


@dataclass(frozen=True, slots=True)
class CorrectionPolicy:
    monthly_limit: int = 3
    """Requests (pending or approved) per person for days of one month."""
    deadline_day: int = 5
    """Corrections for a month close at the end of this day of the next month."""


DEFAULT_POLICY = CorrectionPolicy()


class CorrectionRefused(Exception):
    def __init__(self, code: str, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.field = field


def deadline(day: date, policy: CorrectionPolicy) -> date:
    """The last date on which a correction of `day` may be asked."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, policy.deadline_day)


def check_request(day: date, today: date, used_in_month: int, policy: CorrectionPolicy) -> None:
    """Raise `CorrectionRefused` for a future day, a passed deadline or the limit reached."""
    if day > today:
        raise CorrectionRefused(
            "correction_of_future_day", "Hari yang belum terjadi tidak dapat dikoreksi.", "date"
        )
    last = deadline(day, policy)
    if today > last:
        raise CorrectionRefused(
            "correction_deadline_passed",
            f"Koreksi untuk {day:%Y-%m} ditutup pada {last.isoformat()}.",
            "date",
        )
    if used_in_month >= policy.monthly_limit:
        raise CorrectionRefused(
            "correction_limit_reached",
            f"Batas {policy.monthly_limit} koreksi untuk {day:%Y-%m} sudah tercapai.",
            "date",
        )

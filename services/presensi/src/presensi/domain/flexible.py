"""Flexible work by location (PermenPANRB 4/2025, Perpres 21/2023 Pasal 8): not a right —
the supervisor approves, and a unit's policy limits the days (front-line units: none).

⚠ No national number of days exists; the default below is a placeholder for the city's
own rule, loaded per unit as data (`work_policy.flexible_days_per_month`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DEFAULT_DAYS_PER_MONTH = 4


@dataclass(frozen=True, slots=True)
class FlexiblePolicy:
    days_per_month: int = DEFAULT_DAYS_PER_MONTH


class FlexibleRefused(Exception):
    def __init__(self, code: str, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.field = field


def check_request(day: date, today: date, used_in_month: int, policy: FlexiblePolicy) -> None:
    """Raise `FlexibleRefused` for a past day, a unit without flexible work, or the limit."""
    if day < today:
        raise FlexibleRefused(
            "flexible_day_passed", "Kerja fleksibel diajukan sebelum harinya.", "date"
        )
    if policy.days_per_month <= 0:
        raise FlexibleRefused(
            "flexible_not_allowed", "Unit ini (layanan langsung) tidak menerapkan kerja fleksibel."
        )
    if used_in_month >= policy.days_per_month:
        raise FlexibleRefused(
            "flexible_limit_reached",
            f"Batas {policy.days_per_month} hari kerja fleksibel untuk {day:%Y-%m} sudah tercapai.",
            "date",
        )

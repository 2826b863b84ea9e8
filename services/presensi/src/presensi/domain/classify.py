"""TL1–TL4 / PSW1–PSW4 by minutes, and the allowance deduction per category as dated data.

Deduction percentages are not national (DOMAIN 1.7): each Pemda sets them in its Perkada
on TPP, and Sawahlunto's Perwako is still to be obtained (⚠). The defaults below follow
Kemenag SK Sekjen 13/2014 (0.5 / 1 / 1.25 / 1.5 % for both TL and PSW); a day without any
record (tanpa keterangan) counts as TL4 + PSW4. BKPSDM loads the city's own rules as rows
with a `valid_from` date, which override these from that date on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from asn_schemas.presensi import EarlyCategory, LateCategory

# Upper bounds (inclusive) in minutes of categories 1–3; anything above is category 4.
CATEGORY_BOUNDS = (30, 60, 90)


def _category_index(minutes: int) -> int | None:
    if minutes <= 0:
        return None
    for index, bound in enumerate(CATEGORY_BOUNDS):
        if minutes <= bound:
            return index
    return len(CATEGORY_BOUNDS)


def late_category(minutes_late: int | None) -> LateCategory | None:
    """TL by minutes late: 1–30 TL1, 31–60 TL2, 61–90 TL3, >90 TL4; no check-in (None) TL4."""
    if minutes_late is None:
        return LateCategory.TL4
    index = _category_index(minutes_late)
    return None if index is None else list(LateCategory)[index]


def early_category(minutes_early: int | None) -> EarlyCategory | None:
    """PSW by minutes early: the same bands; no check-out (None) is PSW4."""
    if minutes_early is None:
        return EarlyCategory.PSW4
    index = _category_index(minutes_early)
    return None if index is None else list(EarlyCategory)[index]


def minutes_late(checked_in_local: datetime, start: time) -> int:
    """Whole minutes after the scheduled start (seconds within the first minute are on time)."""
    delta = checked_in_local - datetime.combine(
        checked_in_local.date(), start, checked_in_local.tzinfo
    )
    return max(int(delta.total_seconds() // 60), 0)


def minutes_early(checked_out_local: datetime, end: time) -> int:
    """Whole minutes before the scheduled end, rounded up (leaving at 15:59:30 is 1 minute)."""
    delta = (
        datetime.combine(checked_out_local.date(), end, checked_out_local.tzinfo)
        - checked_out_local
    )
    seconds = delta.total_seconds()
    return max(int(-(-seconds // 60)), 0)


TANPA_KETERANGAN = "TK"
"""Rule code of a day with no record and no valid reason."""


@dataclass(frozen=True, slots=True)
class DeductionRule:
    code: str  # TL1..TL4, PSW1..PSW4, TK
    percent: float
    valid_from: date


DEFAULT_VALID_FROM = date(2000, 1, 1)
DEFAULT_DEDUCTIONS: tuple[DeductionRule, ...] = tuple(
    DeductionRule(code, percent, DEFAULT_VALID_FROM)
    for code, percent in (
        ("TL1", 0.5),
        ("TL2", 1.0),
        ("TL3", 1.25),
        ("TL4", 1.5),
        ("PSW1", 0.5),
        ("PSW2", 1.0),
        ("PSW3", 1.25),
        ("PSW4", 1.5),
        (TANPA_KETERANGAN, 3.0),
    )
)
DEFAULT_DAILY_CAP: float | None = None
"""No daily cap by default; some tukin rules cap at 2.5 % a day (DOMAIN 1.7)."""


def rules_in_force(rules: Iterable[DeductionRule], on: date) -> dict[str, float]:
    """Per code, the percent of the latest rule with `valid_from <= on` (defaults underneath)."""
    chosen: dict[str, DeductionRule] = {}
    for rule in (*DEFAULT_DEDUCTIONS, *rules):
        if rule.valid_from > on:
            continue
        current = chosen.get(rule.code)
        if current is None or rule.valid_from >= current.valid_from:
            chosen[rule.code] = rule
    return {code: rule.percent for code, rule in chosen.items()}


def day_deduction(
    percents: dict[str, float],
    late: LateCategory | None,
    early: EarlyCategory | None,
    *,
    absent: bool = False,
    daily_cap: float | None = DEFAULT_DAILY_CAP,
) -> float:
    """The day's deduction in percent: TK for an unexcused absence, else TL + PSW, capped."""
    if absent:
        total = percents.get(TANPA_KETERANGAN, 0.0)
    else:
        total = (percents.get(late.value, 0.0) if late else 0.0) + (
            percents.get(early.value, 0.0) if early else 0.0
        )
    if daily_cap is not None:
        total = min(total, daily_cap)
    return round(total, 4)

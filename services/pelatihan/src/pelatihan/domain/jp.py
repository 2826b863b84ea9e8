"""The 20 JP a year (DOMAIN 1.9: at least 20 jam pelajaran; 1 JP = 45 minutes).

JP counts in the year the learning ended; klasikal and non-klasikal both count. Those
below 20 are flagged from the third quarter on, when there is still time to catch up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from pelatihan.domain.dates import quarter_of

JP_TARGET = 20
FLAG_FROM_QUARTER = 3


@dataclass(frozen=True, slots=True)
class Credit:
    jp: int
    klasikal: bool
    ended: date


@dataclass(frozen=True, slots=True)
class Tally:
    year: int
    klasikal: int
    non_klasikal: int

    @property
    def total(self) -> int:
        return self.klasikal + self.non_klasikal

    @property
    def shortfall(self) -> int:
        return max(JP_TARGET - self.total, 0)

    @property
    def compliant(self) -> bool:
        return self.total >= JP_TARGET


def tally(credits: Iterable[Credit], year: int) -> Tally:
    klasikal = non_klasikal = 0
    for credit in credits:
        if credit.ended.year != year:
            continue
        if credit.klasikal:
            klasikal += credit.jp
        else:
            non_klasikal += credit.jp
    return Tally(year, klasikal, non_klasikal)


def flagged(t: Tally, today: date) -> bool:
    """Below target, and late enough in that year (or after it) to say so."""
    if t.compliant:
        return False
    if today.year > t.year:
        return True
    return today.year == t.year and quarter_of(today) >= FLAG_FROM_QUARTER


@dataclass(frozen=True, slots=True)
class Compliance:
    staff: int
    compliant: int

    @property
    def share(self) -> float:
        """Share of staff at ≥ 20 JP; a unit with no staff counts as fully compliant."""
        return 1.0 if self.staff == 0 else round(self.compliant / self.staff, 4)


def compliance(totals: Mapping[str, int]) -> Compliance:
    """`totals` is every staff member's JP this year (0 for those with none)."""
    return Compliance(len(totals), sum(1 for jp in totals.values() if jp >= JP_TARGET))

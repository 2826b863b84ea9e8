"""Selection when a program is oversubscribed, by criteria published with the ranking.

Each candidate's score is the sum of three parts, each visible to the candidates:
- `jp_shortfall`: the JP still missing this year towards 20 (0–20 points);
- `training_need`: 10 points for an open need from an appraisal;
- `years_since_training`: 2 points a year since the last completed learning, at most
  10 (never trained counts as 10).
Ties go to the earlier request. Seats already approved by BKPSDM are held whatever the
score; the rest fill the remaining quota in score order, and the others wait in that order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from pelatihan.domain.dates import years_between
from pelatihan.domain.jp import JP_TARGET

NEED_POINTS = 10
POINTS_PER_YEAR = 2
MAX_YEAR_POINTS = 10

CRITERIA = {
    "jp_shortfall": f"1 poin per JP yang kurang dari {JP_TARGET} JP tahun ini",
    "training_need": f"{NEED_POINTS} poin bila ada kebutuhan pelatihan terbuka dari penilaian",
    "years_since_training": f"{POINTS_PER_YEAR} poin per tahun sejak pelatihan terakhir "
    f"(paling banyak {MAX_YEAR_POINTS}; belum pernah = {MAX_YEAR_POINTS})",
    "tie_break": "permintaan yang lebih dahulu",
}


@dataclass(frozen=True, slots=True)
class Candidate:
    key: str
    jp_this_year: int
    open_need: bool
    last_training: date | None
    requested_at: datetime
    held: bool = False


@dataclass(frozen=True, slots=True)
class Score:
    jp_shortfall: int
    training_need: int
    years_since_training: int

    @property
    def total(self) -> int:
        return self.jp_shortfall + self.training_need + self.years_since_training


@dataclass(frozen=True, slots=True)
class Ranked:
    candidate: Candidate
    score: Score
    position: int
    within_quota: bool


def score(c: Candidate, today: date) -> Score:
    if c.last_training is None:
        year_points = MAX_YEAR_POINTS
    else:
        years = years_between(c.last_training, today)[0]
        year_points = min(years * POINTS_PER_YEAR, MAX_YEAR_POINTS)
    return Score(
        jp_shortfall=max(JP_TARGET - c.jp_this_year, 0),
        training_need=NEED_POINTS if c.open_need else 0,
        years_since_training=year_points,
    )


def rank(candidates: Iterable[Candidate], quota: int, today: date) -> list[Ranked]:
    scored = [(c, score(c, today)) for c in candidates]
    scored.sort(key=lambda cs: (not cs[0].held, -cs[1].total, cs[0].requested_at, cs[0].key))
    return [
        Ranked(candidate=c, score=s, position=i + 1, within_quota=i < quota)
        for i, (c, s) in enumerate(scored)
    ]

"""Regular promotion (kenaikan pangkat reguler) eligibility (DOMAIN 1.4).

Every rule is evaluated, not just the first to fail, so a refusal lists all the
reasons at once: the HR officer fixes them together rather than one per round trip.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from asn_schemas.golongan import GolonganPns
from asn_schemas.kinerja import Predikat
from asn_schemas.pegawai import AsnType, EmployeeStatus

from pegawai.domain.dates import add_years
from pegawai.domain.golongan import Education, crosses_into, education_ceiling, next_golongan

MIN_YEARS_IN_GOLONGAN = 4
YEARS_OF_APPRAISAL = 2
PREDIKAT_AT_LEAST_BAIK = frozenset({Predikat.SANGAT_BAIK, Predikat.BAIK})


@dataclass(frozen=True, slots=True)
class Penalty:
    """A disciplinary penalty in force from `start` until the day before `end`."""

    start: date
    end: date | None

    def active_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class PromotionFacts:
    asn_type: AsnType
    status: EmployeeStatus
    golongan: str
    tmt_golongan: date
    education: Education
    ujian_dinas: int = 0  # highest ujian dinas tingkat passed (0: none)
    annual_predikat: Mapping[int, Predikat] = field(default_factory=dict)
    penalties: tuple[Penalty, ...] = ()


@dataclass(frozen=True, slots=True)
class Reason:
    """Why not (yet): `code` is stable for machines, `detail` is for people."""

    code: str
    detail: str


def appraisal_years(period: date) -> tuple[int, ...]:
    """The last two full calendar years before the period (annual predikat is per year)."""
    return tuple(period.year - n for n in range(1, YEARS_OF_APPRAISAL + 1))


def eligible_from(tmt_golongan: date) -> date:
    """The first day the years-in-golongan rule holds."""
    return add_years(tmt_golongan, MIN_YEARS_IN_GOLONGAN)


def regular_promotion_reasons(facts: PromotionFacts, period: date) -> list[Reason]:
    """Every rule that fails for a regular promotion with TMT `period`; empty means eligible."""
    if facts.asn_type is not AsnType.PNS:
        return [Reason("pppk_no_promotion", "PPPK tidak memiliki kenaikan pangkat.")]
    reasons: list[Reason] = []
    if facts.status is not EmployeeStatus.AKTIF:
        reasons.append(Reason("not_active", f"Status pegawai {facts.status}, bukan aktif."))
    current = GolonganPns(facts.golongan)
    target = next_golongan(current)
    if target is None:
        return [*reasons, Reason("golongan_at_top", "Golongan IV/e adalah golongan tertinggi.")]
    due = eligible_from(facts.tmt_golongan)
    if period < due:
        reasons.append(
            Reason(
                "min_years_in_golongan",
                f"Masa dalam golongan {current} belum {MIN_YEARS_IN_GOLONGAN} tahun "
                f"(terpenuhi {due.isoformat()}).",
            )
        )
    for year in appraisal_years(period):
        predikat = facts.annual_predikat.get(year)
        if predikat is None:
            reasons.append(Reason("appraisal_missing", f"Belum ada predikat kinerja tahun {year}."))
        elif predikat not in PREDIKAT_AT_LEAST_BAIK:
            reasons.append(
                Reason(
                    "predikat_below_baik",
                    f"Predikat kinerja tahun {year} {predikat.label}, minimal Baik.",
                )
            )
    if any(p.active_on(period) for p in facts.penalties):
        reasons.append(Reason("active_penalty", "Sedang menjalani hukuman disiplin."))
    ceiling = education_ceiling(facts.education)
    if target.rank > ceiling.rank:
        reasons.append(
            Reason(
                "education_ceiling",
                f"Pangkat tertinggi reguler untuk pendidikan {facts.education} adalah {ceiling}.",
            )
        )
    needed = crosses_into(current, target)
    if needed is not None and facts.ujian_dinas < needed:
        reasons.append(
            Reason(
                "ujian_dinas",
                f"Kenaikan {current}→{target} memerlukan lulus ujian dinas tingkat {needed}.",
            )
        )
    return reasons

"""Limits the organisation predikat puts on the employees' predikat (DOMAIN 1.8, ~).

The limits are data, not code: the regulation's annex is quoted by secondary sources
only, so `DEFAULT_LIMITS` holds the examples DOMAIN 1.8 lists and no more. Breaking a
limit is a warning for the rater, never a refusal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from asn_schemas.kinerja import Predikat


class OrganisationPredikat(StrEnum):
    ISTIMEWA = "istimewa"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"


@dataclass(frozen=True)
class Limit:
    """A share of the staff whose predikat is in `predikat`: at most `max_share`, at least
    `min_share`; `required` means at least one person."""

    code: str
    predikat: frozenset[Predikat]
    max_share: float | None = None
    min_share: float | None = None
    required: bool = False


DEFAULT_LIMITS: dict[OrganisationPredikat, tuple[Limit, ...]] = {
    OrganisationPredikat.ISTIMEWA: (
        Limit("sangat_baik_above_max", frozenset({Predikat.SANGAT_BAIK}), max_share=0.70),
    ),
    OrganisationPredikat.BAIK: (
        Limit("baik_above_max", frozenset({Predikat.BAIK}), max_share=0.70),
        Limit(
            "needs_improvement_missing",
            frozenset({Predikat.BUTUH_PERBAIKAN, Predikat.KURANG_MISCONDUCT}),
            required=True,
        ),
    ),
    OrganisationPredikat.SANGAT_KURANG: (
        Limit("sangat_kurang_below_min", frozenset({Predikat.SANGAT_KURANG}), min_share=0.60),
        Limit("sangat_baik_not_allowed", frozenset({Predikat.SANGAT_BAIK}), max_share=0.0),
    ),
}


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


def _labels(predikat: frozenset[Predikat]) -> str:
    return " atau ".join(sorted(p.label for p in predikat))


def distribution_warnings(
    organisation: OrganisationPredikat,
    counts: Mapping[Predikat, int],
    limits: Mapping[OrganisationPredikat, tuple[Limit, ...]] = DEFAULT_LIMITS,
) -> list[Warning]:
    """Which limits the employees' predikat break, given the organisation's predikat."""
    total = sum(counts.values())
    if total == 0:
        return []
    warnings = []
    for limit in limits.get(organisation, ()):
        n = sum(counts.get(p, 0) for p in limit.predikat)
        share = n / total
        what = _labels(limit.predikat)
        if limit.max_share is not None and share > limit.max_share:
            warnings.append(
                Warning(
                    limit.code,
                    f"{n} dari {total} pegawai ({share:.0%}) berpredikat {what}; "
                    f"organisasi {organisation.value} membolehkan paling banyak "
                    f"{limit.max_share:.0%}.",
                )
            )
        if limit.min_share is not None and share < limit.min_share:
            warnings.append(
                Warning(
                    limit.code,
                    f"{n} dari {total} pegawai ({share:.0%}) berpredikat {what}; "
                    f"organisasi {organisation.value} mensyaratkan paling sedikit "
                    f"{limit.min_share:.0%}.",
                )
            )
        if limit.required and n == 0:
            warnings.append(
                Warning(
                    limit.code,
                    f"Organisasi {organisation.value} mensyaratkan ada pegawai berpredikat "
                    f"{what}; belum ada.",
                )
            )
    return warnings

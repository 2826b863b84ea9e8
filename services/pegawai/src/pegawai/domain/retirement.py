"""Batas usia pensiun (BUP) from the position, as data (DOMAIN 1.5).

The date a retirement takes effect is unconfirmed (DOMAIN 1.5), so it is a parameter:
`first_of_next_month` (pension from the month after the BUP birthday, common practice)
or `birthday`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from asn_schemas.pegawai import PositionKind, PositionLevel

from pegawai.domain.dates import add_years, first_of_next_month

RetirementConvention = Literal["first_of_next_month", "birthday"]

K, L = PositionKind, PositionLevel


@dataclass(frozen=True, slots=True)
class BupRule:
    kind: PositionKind
    level: PositionLevel | None  # None: any level of that kind
    age: int
    basis: str


BUP_RULES: tuple[BupRule, ...] = (
    BupRule(K.JPT, None, 60, "UU 20/2023 Pasal 55"),
    BupRule(K.ADMINISTRATOR, None, 58, "UU 20/2023 Pasal 55"),
    BupRule(K.PENGAWAS, None, 58, "UU 20/2023 Pasal 55"),
    BupRule(K.PELAKSANA, None, 58, "UU 20/2023 Pasal 55"),
    BupRule(K.FUNGSIONAL, L.AHLI_UTAMA, 65, "PP 11/2017"),
    BupRule(K.FUNGSIONAL, L.AHLI_MADYA, 60, "PP 11/2017"),
    BupRule(K.FUNGSIONAL, L.AHLI_MUDA, 58, "PP 11/2017"),
    BupRule(K.FUNGSIONAL, L.AHLI_PERTAMA, 58, "PP 11/2017"),
    # Keterampilan (penyelia, mahir, terampil, pemula) is 58.
    BupRule(K.FUNGSIONAL, None, 58, "PP 11/2017"),
)


def bup_age(kind: PositionKind, level: PositionLevel | None) -> int:
    """The most specific rule wins: kind+level, then kind alone."""
    exact = [r for r in BUP_RULES if r.kind is kind and r.level is level and level is not None]
    general = [r for r in BUP_RULES if r.kind is kind and r.level is None]
    rules = exact or general
    if not rules:
        raise ValueError(f"no BUP rule for {kind}/{level}")
    return rules[0].age


def bup_birthday(birth_date: date, kind: PositionKind, level: PositionLevel | None) -> date:
    return add_years(birth_date, bup_age(kind, level))


def retirement_date(
    birth_date: date,
    kind: PositionKind,
    level: PositionLevel | None,
    convention: RetirementConvention = "first_of_next_month",
) -> date:
    """TMT pensiun by BUP under the configured convention."""
    birthday = bup_birthday(birth_date, kind, level)
    return first_of_next_month(birthday) if convention == "first_of_next_month" else birthday

"""Eligibility as data: a program carries a list of rules, each a small dict, checked
against the replica's view of a person on the program's first day.

Rules (the `rule` key names the kind):
- `{"rule": "min_golongan", "golongan": "IV/a"}` — a PNS at that ruang or above;
- `{"rule": "min_time_in_golongan", "years": 3, "months": 6}` — held the current ruang so long;
- `{"rule": "max_age", "years": 55}` — at most that old;
- `{"rule": "asn_type", "any_of": ["pns"]}`; `{"rule": "position_kind", "any_of": [...]}`.

A failure names the rule (`code`) and says what was found, so a refusal can tell the
employee exactly which rule stopped them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from asn_schemas.golongan import GolonganPns
from asn_schemas.pelatihan import ProgramKind

from pelatihan.domain.dates import age_on, years_between

Rule = Mapping[str, Any]

# DOMAIN 1.9 (PerLAN 2/2019): PKN II for an Administrator at IV/a or above held at least
# 3 years 6 months, at most 55 years old. Used when BKPSDM gives a PKN II no rules of its own.
DEFAULT_RULES: dict[ProgramKind, tuple[Rule, ...]] = {
    ProgramKind.PKN_II: (
        {"rule": "min_golongan", "golongan": "IV/a"},
        {"rule": "min_time_in_golongan", "years": 3, "months": 6},
        {"rule": "max_age", "years": 55},
    ),
}

RULE_KINDS = ("min_golongan", "min_time_in_golongan", "max_age", "asn_type", "position_kind")


@dataclass(frozen=True, slots=True)
class Person:
    asn_type: str
    golongan: str
    tmt_golongan: date
    birth_date: date
    position_kind: str


@dataclass(frozen=True, slots=True)
class Failure:
    code: str
    detail: str


def validate_rules(rules: Iterable[Rule]) -> list[str]:
    """Problems with a rule list, one a line (empty when every rule is well formed)."""
    problems: list[str] = []
    for i, rule in enumerate(rules):
        kind = rule.get("rule")
        if kind not in RULE_KINDS:
            problems.append(f"{i}: unknown rule {kind!r}; known: {', '.join(RULE_KINDS)}")
        elif kind == "min_golongan" and rule.get("golongan") not in {g.value for g in GolonganPns}:
            problems.append(f"{i}: golongan must be a PNS ruang such as IV/a")
        elif kind == "min_time_in_golongan" and not _non_negative(rule, "years", "months"):
            problems.append(f"{i}: years and months are whole numbers ≥ 0")
        elif kind == "max_age" and not (_non_negative(rule, "years") and rule["years"] > 0):
            problems.append(f"{i}: years is a whole number > 0")
        elif kind in ("asn_type", "position_kind"):
            values = rule.get("any_of")
            if not (
                isinstance(values, list) and values and all(isinstance(v, str) for v in values)
            ):
                problems.append(f"{i}: any_of is a non-empty list of codes")
    return problems


def _non_negative(rule: Rule, *keys: str) -> bool:
    return all(isinstance(rule.get(k, 0), int) and rule.get(k, 0) >= 0 for k in keys)


def failures(rules: Iterable[Rule], person: Person, on: date) -> list[Failure]:
    """Every rule `person` breaks on day `on` (empty: eligible)."""
    found: list[Failure] = []
    for rule in rules:
        failure = _check(rule, person, on)
        if failure is not None:
            found.append(failure)
    return found


def _check(rule: Rule, p: Person, on: date) -> Failure | None:
    kind = rule["rule"]
    if kind == "min_golongan":
        needed = GolonganPns(rule["golongan"])
        held = _pns_golongan(p.golongan)
        if held is None or held.rank < needed.rank:
            return Failure(kind, f"Golongan minimal {needed.value}; tercatat {p.golongan}.")
    elif kind == "min_time_in_golongan":
        need = int(rule.get("years", 0)) * 12 + int(rule.get("months", 0))
        years, months = years_between(p.tmt_golongan, on)
        if years * 12 + months < need:
            return Failure(
                kind,
                f"Masa dalam golongan minimal {need // 12} tahun {need % 12} bulan; "
                f"tercatat {years} tahun {months} bulan.",
            )
    elif kind == "max_age":
        age = age_on(p.birth_date, on)
        if age > int(rule["years"]):
            return Failure(kind, f"Usia paling tinggi {rule['years']} tahun; usia {age} tahun.")
    elif kind == "asn_type":
        if p.asn_type not in rule["any_of"]:
            return Failure(kind, f"Untuk {', '.join(rule['any_of'])}; tercatat {p.asn_type}.")
    elif kind == "position_kind" and p.position_kind not in rule["any_of"]:
        return Failure(
            kind, f"Untuk jabatan {', '.join(rule['any_of'])}; tercatat {p.position_kind}."
        )
    return None


def _pns_golongan(code: str) -> GolonganPns | None:
    try:
        return GolonganPns(code)
    except ValueError:
        return None  # a PPPK golongan is no PNS ruang

"""Eligibility rules as data, at their edges (PKN II: IV/a, 3 y 6 m in ruang, ≤ 55)."""

from datetime import date

import pytest
from asn_schemas.pelatihan import ProgramKind
from pelatihan.domain.eligibility import DEFAULT_RULES, Person, failures, validate_rules

START = date(2026, 7, 1)
PKN = DEFAULT_RULES[ProgramKind.PKN_II]


def person(**kw) -> Person:
    base = {
        "asn_type": "pns",
        "golongan": "IV/a",
        "tmt_golongan": date(2023, 1, 1),  # 3 y 6 m on START exactly
        "birth_date": date(1971, 7, 1),  # 55 on START exactly
        "position_kind": "administrator",
    }
    return Person(**{**base, **kw})


def codes(p: Person) -> list[str]:
    return [f.code for f in failures(PKN, p, START)]


def test_exactly_at_every_limit_is_eligible():
    assert codes(person()) == []


def test_a_day_short_of_three_years_six_months_fails_that_rule_only():
    found = failures(PKN, person(tmt_golongan=date(2023, 1, 2)), START)
    assert [f.code for f in found] == ["min_time_in_golongan"]
    assert "3 tahun 6 bulan" in found[0].detail and "3 tahun 5 bulan" in found[0].detail


def test_fifty_six_on_the_first_day_is_too_old():
    assert codes(person(birth_date=date(1970, 7, 1))) == ["max_age"]
    assert codes(person(birth_date=date(1970, 7, 2))) == []  # still 55


def test_iii_d_is_below_iv_a_and_higher_ruang_pass():
    assert codes(person(golongan="III/d")) == ["min_golongan"]
    assert codes(person(golongan="IV/c")) == []


def test_a_pppk_golongan_is_no_pns_ruang():
    found = failures(PKN, person(asn_type="pppk", golongan="XIII"), START)
    assert [f.code for f in found] == ["min_golongan"]
    assert "XIII" in found[0].detail


def test_every_broken_rule_is_named():
    p = person(golongan="III/a", tmt_golongan=date(2025, 1, 1), birth_date=date(1960, 1, 1))
    assert codes(p) == ["min_golongan", "min_time_in_golongan", "max_age"]


def test_lists_of_codes():
    rules = [
        {"rule": "asn_type", "any_of": ["pns"]},
        {"rule": "position_kind", "any_of": ["pengawas"]},
    ]
    assert [f.code for f in failures(rules, person(asn_type="pppk"), START)] == [
        "asn_type",
        "position_kind",
    ]


@pytest.mark.parametrize(
    "rule",
    [
        {"rule": "shoe_size"},
        {"rule": "min_golongan", "golongan": "V/a"},
        {"rule": "min_time_in_golongan", "years": -1},
        {"rule": "max_age", "years": 0},
        {"rule": "asn_type", "any_of": []},
    ],
)
def test_malformed_rules_are_reported(rule):
    assert len(validate_rules([rule])) == 1


def test_the_default_pkn_rules_are_well_formed():
    assert validate_rules(PKN) == []

"""BUP, promotion periods, DUK order and the cycle check."""

from datetime import date

import pytest
from asn_schemas.golongan import GolonganPns as G
from asn_schemas.pegawai import PositionKind as K
from asn_schemas.pegawai import PositionLevel as L
from pegawai.domain.dates import add_months
from pegawai.domain.duk import DukEntry, duk_order
from pegawai.domain.golongan import Education
from pegawai.domain.hierarchy import chain_from, closes_cycle
from pegawai.domain.periods import is_period_date, next_period
from pegawai.domain.retirement import bup_age, retirement_date


@pytest.mark.parametrize(
    ("kind", "level", "age"),
    [
        (K.JPT, L.UTAMA, 60),
        (K.JPT, L.MADYA, 60),
        (K.JPT, L.PRATAMA, 60),
        (K.ADMINISTRATOR, None, 58),
        (K.PENGAWAS, None, 58),
        (K.PELAKSANA, None, 58),
        (K.FUNGSIONAL, L.AHLI_PERTAMA, 58),
        (K.FUNGSIONAL, L.AHLI_MUDA, 58),
        (K.FUNGSIONAL, L.AHLI_MADYA, 60),
        (K.FUNGSIONAL, L.AHLI_UTAMA, 65),
        (K.FUNGSIONAL, L.PENYELIA, 58),
        (K.FUNGSIONAL, L.TERAMPIL, 58),
    ],
)
def test_bup_by_position_kind_and_level(kind, level, age):
    assert bup_age(kind, level) == age


def test_retirement_date_conventions():
    born = date(1968, 5, 20)
    assert retirement_date(born, K.PELAKSANA, None) == date(2026, 6, 1)
    assert retirement_date(born, K.PELAKSANA, None, "birthday") == date(2026, 5, 20)
    assert retirement_date(born, K.FUNGSIONAL, L.AHLI_UTAMA) == date(2033, 6, 1)
    # Born in December: pension from January of the next year.
    assert retirement_date(date(1968, 12, 31), K.JPT, L.PRATAMA) == date(2029, 1, 1)


@pytest.mark.parametrize(
    ("day", "valid"),
    [
        (date(2023, 4, 1), True),
        (date(2023, 10, 1), True),
        (date(2023, 2, 1), False),  # until 2023: April and October only
        (date(2024, 2, 1), True),  # 2024 – Sep 2025: six periods
        (date(2024, 3, 1), False),
        (date(2025, 8, 1), True),
        (date(2025, 9, 1), False),
        (date(2025, 10, 1), True),  # from 1 Oct 2025: every month
        (date(2025, 11, 1), True),
        (date(2026, 3, 1), True),
        (date(2026, 3, 2), False),
    ],
)
def test_promotion_period_dates(day, valid):
    assert is_period_date(day) is valid


def test_next_period_follows_the_scheme_in_force():
    assert next_period(date(2023, 4, 2)) == date(2023, 10, 1)
    assert next_period(date(2025, 8, 2)) == date(2025, 10, 1)
    assert next_period(date(2026, 1, 15)) == date(2026, 2, 1)
    assert next_period(date(2026, 2, 1)) == date(2026, 2, 1)


def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def entry(nip, **kw) -> DukEntry:
    base = dict(
        golongan=G.III_A,
        tmt_golongan=date(2020, 4, 1),
        position_kind=K.PELAKSANA,
        position_level=None,
        tmt_cpns=date(2015, 1, 1),
        leadership_training=None,
        education=Education.S1,
        birth_date=date(1990, 1, 1),
    )
    base.update(kw)
    return DukEntry(nip=nip, **base)


def nips(entries):
    return [e.nip for e in duk_order(entries)]


def test_duk_keys_in_their_fixed_order():
    entries = [
        entry("older", birth_date=date(1980, 1, 1)),
        entry("higher_golongan", golongan=G.III_B, tmt_golongan=date(2025, 10, 1)),
        entry("longer_in_golongan", tmt_golongan=date(2019, 10, 1)),
        entry("higher_jabatan", position_kind=K.PENGAWAS),
        entry("longer_masa_kerja", tmt_cpns=date(2010, 1, 1)),
        entry("has_training_late", leadership_training=date(2022, 1, 1)),
        entry("has_training_early", leadership_training=date(2018, 1, 1)),
        entry("higher_education", education=Education.S2),
        entry("baseline"),
    ]
    assert nips(entries) == [
        "higher_golongan",
        "longer_in_golongan",
        "higher_jabatan",
        "longer_masa_kerja",
        "has_training_early",
        "has_training_late",
        "higher_education",
        "older",
        "baseline",
    ]


def test_duk_golongan_outranks_every_later_key():
    senior_everything = entry(
        "a",
        golongan=G.III_A,
        position_kind=K.JPT,
        position_level=L.PRATAMA,
        tmt_cpns=date(1995, 1, 1),
        education=Education.S3,
        birth_date=date(1970, 1, 1),
    )
    assert nips([senior_everything, entry("b", golongan=G.III_B)]) == ["b", "a"]


def test_fungsional_ahli_madya_ranks_with_administrator_above_pengawas():
    entries = [
        entry("pengawas", position_kind=K.PENGAWAS, tmt_cpns=date(2000, 1, 1)),
        entry("ahli_madya", position_kind=K.FUNGSIONAL, position_level=L.AHLI_MADYA),
    ]
    assert nips(entries) == ["ahli_madya", "pengawas"]


def test_supervisor_cycle_detection():
    # A ← B ← C (C reports to B, B reports to A).
    parent_of = {"C": "B", "B": "A", "A": None}
    assert not closes_cycle("D", "C", chain_from("C", parent_of))
    assert closes_cycle("A", "C", chain_from("C", parent_of))  # A would report to C
    assert closes_cycle("B", "C", chain_from("C", parent_of))
    assert closes_cycle("A", "A", [])
    assert not closes_cycle("A", None, [])


def test_chain_walk_stops_on_an_existing_loop():
    assert chain_from("X", {"X": "Y", "Y": "X"}) == ["Y"]

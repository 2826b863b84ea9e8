"""The employee snapshot carries pegawai's own TMT CPNS and retirement date, so consumers
apply no NIP parsing or BUP rules (and no retirement convention) of their own."""

import uuid
from datetime import date

import pytest
from pegawai.events import employee_snapshot
from pegawai.models import Employee, Unit

UNIT = Unit(id=uuid.uuid4(), code="dinkes", name="Dinas Kesehatan", kind="dinas")


def employee(**extra: object) -> Employee:
    values: dict[str, object] = {
        "nip": "199002022015032004",
        "name": "Pegawai 2004, S.T.",
        "sex": "female",
        "birth_date": date(1990, 2, 2),
        "asn_type": "pns",
        "status": "aktif",
        "tmt_status": date(2015, 3, 1),
        "golongan": "III/b",
        "tmt_golongan": date(2022, 4, 1),
        "tmt_cpns": date(2015, 3, 1),
        "position_name": "Analis Kepegawaian",
        "position_kind": "pelaksana",
        "tmt_position": date(2022, 4, 1),
        "unit_id": UNIT.id,
        "tmt_unit": date(2022, 4, 1),
        "tmt_supervisor": date(2022, 4, 1),
        "education": "s1",
    }
    values.update(extra)
    return Employee(**values)


@pytest.mark.parametrize(
    ("convention", "expected"),
    [("first_of_next_month", date(2048, 3, 1)), ("birthday", date(2048, 2, 2))],
)
def test_the_retirement_date_follows_the_configured_convention(convention, expected):
    assert employee_snapshot(employee(), UNIT, convention).retirement_date == expected


def test_the_retirement_date_follows_the_position():
    ahli_utama = employee(position_kind="fungsional", position_level="ahli_utama")
    snap = employee_snapshot(ahli_utama, UNIT, "first_of_next_month")
    assert snap.retirement_date == date(2055, 3, 1)  # 65


def test_tmt_cpns_is_the_record_not_the_nip():
    # A PPPK whose NI's digits 9–14 say nothing usable about the first appointment.
    pppk = employee(
        nip="199002022022211004",
        asn_type="pppk",
        golongan="IX",
        tmt_cpns=date(2022, 1, 1),
    )
    snap = employee_snapshot(pppk, UNIT, "first_of_next_month")
    assert snap.tmt_cpns == date(2022, 1, 1)
    assert snap.retirement_date == date(2048, 3, 1)

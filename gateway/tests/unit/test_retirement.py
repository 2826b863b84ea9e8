"""Projected BUP dates for the dashboard's retirements in the next 12 months."""

from datetime import date

import pytest
from asn_schemas.pegawai import EmployeeSnapshot
from gateway.retirement import projected_retirement


def snap(position: dict, *, birth: date = date(1968, 5, 20), asn_type: str = "pns"):
    pns = asn_type == "pns"
    return EmployeeSnapshot.model_validate(
        {
            "nip": "196805201990031001",
            "name": "A",
            "sex": "male",
            "birth_date": birth,
            "asn_type": asn_type,
            "status": "aktif",
            "golongan": "IV/a" if pns else "IX",
            "pangkat": "Pembina" if pns else None,
            "tmt_golongan": date(2020, 4, 1),
            "position": position,
            "unit_id": "7b1e4a8e-1111-4111-8111-111111111111",
            "unit_code": "x",
            "supervisor_nip": None,
        }
    )


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        ({"name": "Pelaksana", "kind": "pelaksana"}, date(2026, 6, 1)),
        ({"name": "Kepala Bidang", "kind": "administrator"}, date(2026, 6, 1)),
        ({"name": "Kepala Dinas", "kind": "jpt", "level": "pratama"}, date(2028, 6, 1)),
        ({"name": "Analis", "kind": "fungsional", "level": "ahli_madya"}, date(2028, 6, 1)),
        ({"name": "Analis", "kind": "fungsional", "level": "ahli_utama"}, date(2033, 6, 1)),
    ],
)
def test_bup_by_position(position, expected):
    assert projected_retirement(snap(position)) == expected


def test_a_december_birthday_retires_in_january():
    position = {"name": "Pelaksana", "kind": "pelaksana"}
    assert projected_retirement(snap(position, birth=date(1968, 12, 3))) == date(2027, 1, 1)


def test_pppk_have_no_bup():
    assert projected_retirement(snap({"name": "P", "kind": "pelaksana"}, asn_type="pppk")) is None

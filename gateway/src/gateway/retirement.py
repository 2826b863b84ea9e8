"""Projected retirement (BUP) for the unit dashboard's "retirements in the next 12 months".

An approximation from what events carry (PP 11/2017 as amended): 65 for jabatan fungsional
ahli utama, 60 for JPT and fungsional ahli madya, 58 for everyone else; the retirement takes
effect on the 1st of the month after the BUP birthday. PPPK end with their contract, which
no event carries, so they get none. pegawai's own retirement report is authoritative.
"""

from __future__ import annotations

from datetime import date

from asn_schemas.pegawai import AsnType, EmployeeSnapshot, PositionKind, PositionLevel


def bup_age(snap: EmployeeSnapshot) -> int:
    level = snap.position.level
    if level is PositionLevel.AHLI_UTAMA:
        return 65
    if snap.position.kind is PositionKind.JPT or level is PositionLevel.AHLI_MADYA:
        return 60
    return 58


def projected_retirement(snap: EmployeeSnapshot) -> date | None:
    if snap.asn_type is not AsnType.PNS:
        return None
    year = snap.birth_date.year + bup_age(snap)
    month = snap.birth_date.month + 1
    if month > 12:
        year, month = year + 1, 1
    return date(year, month, 1)

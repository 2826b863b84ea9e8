"""Event payloads: the employee snapshot every employee event carries, and unit snapshots.

The snapshot is built from the row after the change; contact details are not in it
(the contract has no field for them, and `extra="forbid"` would refuse one).
"""

from __future__ import annotations

from asn_schemas.golongan import GolonganPns, GolonganPppk
from asn_schemas.pegawai import (
    AsnType,
    EmployeeSnapshot,
    EmployeeStatus,
    Position,
    PositionKind,
    PositionLevel,
    Sex,
    UnitKind,
    UnitRef,
    UnitSnapshot,
)

from pegawai.domain.golongan import pangkat_of
from pegawai.domain.retirement import RetirementConvention, retirement_date
from pegawai.models import Employee, Unit


def position_of(emp: Employee) -> Position:
    return Position(
        code=emp.position_code,
        name=emp.position_name,
        kind=PositionKind(emp.position_kind),
        level=PositionLevel(emp.position_level) if emp.position_level else None,
    )


def employee_snapshot(
    emp: Employee, unit: Unit, convention: RetirementConvention
) -> EmployeeSnapshot:
    """`retirement_date` under the service's convention: consumers take it from here
    rather than apply BUP rules (and a convention) of their own."""
    position = position_of(emp)
    asn_type = AsnType(emp.asn_type)
    if asn_type is AsnType.PNS:
        golongan: GolonganPns | GolonganPppk = GolonganPns(emp.golongan)
        pangkat = pangkat_of(GolonganPns(emp.golongan))
    else:
        golongan, pangkat = GolonganPppk(emp.golongan), None
    return EmployeeSnapshot(
        nip=emp.nip,
        name=emp.name,
        sex=Sex(emp.sex),
        birth_date=emp.birth_date,
        asn_type=asn_type,
        status=EmployeeStatus(emp.status),
        golongan=golongan,
        pangkat=pangkat,
        tmt_golongan=emp.tmt_golongan,
        position=position,
        unit_id=unit.id,
        unit_code=unit.code,
        supervisor_nip=emp.supervisor_nip,
        tmt_cpns=emp.tmt_cpns,
        retirement_date=retirement_date(emp.birth_date, position.kind, position.level, convention),
    )


def unit_ref(unit: Unit) -> UnitRef:
    return UnitRef(unit_id=unit.id, unit_code=unit.code, name=unit.name)


def unit_snapshot(unit: Unit, parent: Unit | None) -> UnitSnapshot:
    return UnitSnapshot(
        unit_id=unit.id,
        code=unit.code,
        name=unit.name,
        kind=UnitKind(unit.kind),
        parent_unit_id=parent.id if parent else None,
        parent_code=parent.code if parent else None,
        latitude=unit.latitude,
        longitude=unit.longitude,
        geofence_radius_m=unit.geofence_radius_m,
        active=unit.active,
    )

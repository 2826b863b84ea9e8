"""What the API returns for an employee or a unit (JSON-ready dicts)."""

from __future__ import annotations

from datetime import date
from typing import Any

from asn_schemas.golongan import GolonganPns
from asn_schemas.pegawai import EmployeeStatus, PositionKind, PositionLevel

from pegawai.domain.golongan import pangkat_of
from pegawai.domain.retirement import RetirementConvention, retirement_date
from pegawai.models import Employee, Unit

LEFT_SERVICE = frozenset(
    {EmployeeStatus.PENSIUN, EmployeeStatus.BERHENTI, EmployeeStatus.MENINGGAL}
)


def bup_date(emp: Employee, convention: RetirementConvention) -> date:
    level = PositionLevel(emp.position_level) if emp.position_level else None
    return retirement_date(emp.birth_date, PositionKind(emp.position_kind), level, convention)


def employee_view(
    emp: Employee, unit: Unit, *, contact: bool, convention: RetirementConvention
) -> dict[str, Any]:
    is_pns = emp.asn_type == "pns"
    view: dict[str, Any] = {
        "nip": emp.nip,
        "name": emp.name,
        "sex": emp.sex,
        "birth_date": emp.birth_date.isoformat(),
        "asn_type": emp.asn_type,
        "status": emp.status,
        "tmt_status": emp.tmt_status.isoformat(),
        "golongan": emp.golongan,
        "pangkat": str(pangkat_of(GolonganPns(emp.golongan))) if is_pns else None,
        "tmt_golongan": emp.tmt_golongan.isoformat(),
        "tmt_cpns": emp.tmt_cpns.isoformat(),
        "position": {
            "code": emp.position_code,
            "name": emp.position_name,
            "kind": emp.position_kind,
            "level": emp.position_level,
        },
        "tmt_position": emp.tmt_position.isoformat(),
        "unit_code": unit.code,
        "unit_name": unit.name,
        "tmt_unit": emp.tmt_unit.isoformat(),
        "supervisor_nip": emp.supervisor_nip,
        "tmt_supervisor": emp.tmt_supervisor.isoformat(),
        "education": emp.education,
        "ujian_dinas": emp.ujian_dinas,
        "leadership_training": _iso(emp.leadership_training),
        "retirement_reason": emp.retirement_reason,
        "bup_date": bup_date(emp, convention).isoformat(),
        "nip_warnings": emp.nip_warnings,
        "demo": emp.demo,
        "version": emp.version,
    }
    if contact:
        view["phone"] = emp.phone
        view["address"] = emp.address
    return view


def unit_view(unit: Unit, parent_code: str | None) -> dict[str, Any]:
    return {
        "unit_id": str(unit.id),
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent_code": parent_code,
        "latitude": unit.latitude,
        "longitude": unit.longitude,
        "geofence_radius_m": unit.geofence_radius_m,
        "active": unit.active,
        "demo": unit.demo,
        "version": unit.version,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None

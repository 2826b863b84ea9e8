"""Who may see and decide what, checked on every object (DESIGN, Security).

bkpsdm: everything. auditor: reads everything. admin_opd: reads the people of its unit
(`unit_id` claim: the unit's code or UUID). Anyone: their own records and, as the direct
supervisor in the replica, those of the people who report to them.
"""

from __future__ import annotations

from servicekit.identity import Identity, Role
from servicekit.problems import forbidden

from presensi.models import EmployeeReplica


def is_bkpsdm(who: Identity) -> bool:
    return who.has_role(Role.BKPSDM)


def require_bkpsdm(who: Identity, what: str = "perubahan ini") -> None:
    if not is_bkpsdm(who):
        raise forbidden(f"Hanya BKPSDM yang dapat melakukan {what}.")


def sees_everyone(who: Identity) -> bool:
    return who.has_role(Role.BKPSDM) or who.has_role(Role.AUDITOR)


def admin_of(who: Identity, unit_code: str, unit_id: object | None = None) -> bool:
    if not who.has_role(Role.ADMIN_OPD) or not who.unit_id:
        return False
    return who.unit_id == unit_code or (unit_id is not None and who.unit_id == str(unit_id))


def can_read(who: Identity, emp: EmployeeReplica) -> bool:
    return (
        sees_everyone(who)
        or who.sub == emp.nip
        or who.sub == emp.supervisor_nip
        or admin_of(who, emp.unit_code, emp.unit_id)
    )


def require_read(who: Identity, emp: EmployeeReplica) -> None:
    if not can_read(who, emp):
        raise forbidden()


def is_supervisor_of(who: Identity, emp: EmployeeReplica) -> bool:
    return emp.supervisor_nip is not None and who.sub == emp.supervisor_nip

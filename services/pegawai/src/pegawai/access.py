"""Who may see and change what, checked on every object (DESIGN, Security).

bkpsdm: everything. auditor: reads everything except contact details. admin_opd: reads
the people of its unit and the units below it. Anyone: their own record, and — as an
atasan — the people who report to them, directly or further down the chain. Contact
details are shown to the person and to BKPSDM only.
"""

from __future__ import annotations

import uuid
from typing import Any

from servicekit.identity import Identity, Role
from servicekit.problems import forbidden
from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from pegawai import store
from pegawai.models import Employee, Unit


def is_bkpsdm(who: Identity) -> bool:
    return who.has_role(Role.BKPSDM)


def require_bkpsdm(who: Identity) -> None:
    if not is_bkpsdm(who):
        raise forbidden("Hanya BKPSDM yang dapat melakukan perubahan ini.")


def sees_everyone(who: Identity) -> bool:
    return who.has_role(Role.BKPSDM) or who.has_role(Role.AUDITOR)


async def admin_unit(session: AsyncSession, who: Identity) -> Unit | None:
    """The unit an admin_opd token names (`unit_id` claim: a unit code, or its UUID)."""
    if not who.has_role(Role.ADMIN_OPD) or not who.unit_id:
        return None
    unit = await store.unit_by_code(session, who.unit_id)
    if unit is None:
        try:
            unit = await store.unit_by_id(session, uuid.UUID(who.unit_id))
        except ValueError:
            return None
    return unit


async def admin_unit_ids(session: AsyncSession, who: Identity) -> list[uuid.UUID]:
    unit = await admin_unit(session, who)
    return await store.unit_subtree_ids(session, unit.code) if unit else []


async def read_employee(session: AsyncSession, who: Identity, emp: Employee) -> bool:
    """Raises 403 unless `who` may read `emp`; returns whether contact details are shown."""
    if is_bkpsdm(who) or who.sub == emp.nip:
        return True
    if who.has_role(Role.AUDITOR):
        return False
    if emp.unit_id in await admin_unit_ids(session, who):
        return False
    if who.sub in await store.supervisor_chain(session, emp.nip):
        return False
    raise forbidden()


async def visible_employees(session: AsyncSession, who: Identity) -> ColumnElement[Any] | None:
    """A filter for lists: None when everyone is visible."""
    if sees_everyone(who):
        return None
    conditions: list[ColumnElement[Any]] = [col(Employee.nip) == who.sub]
    units = await admin_unit_ids(session, who)
    if units:
        conditions.append(col(Employee.unit_id).in_(units))
    reports = await store.reports_of(session, who.sub)
    if reports:
        conditions.append(col(Employee.nip).in_(reports))
    return or_(*conditions)


async def report_scope(
    session: AsyncSession, who: Identity, unit_code: str | None
) -> list[uuid.UUID] | None:
    """Units a report may cover: None is city-wide (bkpsdm, auditor); admin_opd gets its
    subtree, narrowed to `unit_code` when that lies inside it."""
    if sees_everyone(who):
        return await store.known_unit_subtree_ids(session, unit_code) if unit_code else None
    own = await admin_unit(session, who)
    if own is None:
        raise forbidden("Laporan ini untuk BKPSDM, auditor dan admin OPD.")
    allowed = await store.unit_subtree_ids(session, own.code)
    if unit_code is None:
        return allowed
    wanted = await store.known_unit_subtree_ids(session, unit_code)
    if not set(wanted) <= set(allowed):
        raise forbidden("Unit itu di luar wewenang Anda.")
    return wanted

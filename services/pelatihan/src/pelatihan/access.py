"""Who may see what, checked on every object (DESIGN, Security).

bkpsdm and auditor read everything; an admin_opd reads what concerns the people of its
unit and the units below it; anyone reads their own and, as an atasan, what concerns the
people below them. Who may *act* is narrower and lives with each command.
"""

from __future__ import annotations

import uuid
from typing import Any

from servicekit.identity import Identity, Role
from servicekit.problems import forbidden
from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from pelatihan import store


def sees_everyone(who: Identity) -> bool:
    return who.has_role(Role.BKPSDM) or who.has_role(Role.AUDITOR)


def require_bkpsdm(who: Identity, what: str) -> None:
    if not who.has_role(Role.BKPSDM):
        raise forbidden(f"Hanya BKPSDM yang dapat {what}.")


async def admin_unit_ids(session: AsyncSession, who: Identity) -> list[uuid.UUID]:
    """The units an admin_opd token covers (`unit_id` claim: a unit code, or its UUID)."""
    if not who.has_role(Role.ADMIN_OPD) or not who.unit_id:
        return []
    unit = await store.unit_by_code(session, who.unit_id)
    if unit is not None:
        return await store.unit_subtree_ids(session, unit.id)
    try:
        return await store.unit_subtree_ids(session, uuid.UUID(who.unit_id))
    except ValueError:
        return []


async def require_read(session: AsyncSession, who: Identity, nip: str, unit_id: uuid.UUID) -> None:
    """Raises 403 unless `who` may read what concerns employee `nip` (in unit `unit_id`)."""
    if sees_everyone(who) or who.sub == nip:
        return
    if who.sub in await store.supervisor_chain(session, nip):
        return
    if unit_id in await admin_unit_ids(session, who):
        return
    raise forbidden()


async def require_unit_read(session: AsyncSession, who: Identity, unit_id: uuid.UUID) -> None:
    if sees_everyone(who) or unit_id in await admin_unit_ids(session, who):
        return
    raise forbidden("Data unit hanya untuk BKPSDM dan admin OPD unit itu.")


async def visible(
    session: AsyncSession,
    who: Identity,
    nip_column: InstrumentedAttribute[Any],
    unit_column: InstrumentedAttribute[Any],
) -> ColumnElement[Any] | None:
    """A filter for lists: None when everything is visible."""
    if sees_everyone(who):
        return None
    conditions: list[ColumnElement[Any]] = [col(nip_column) == who.sub]
    reports = await store.reports_of(session, who.sub)
    if reports:
        conditions.append(col(nip_column).in_(reports))
    units = await admin_unit_ids(session, who)
    if units:
        conditions.append(col(unit_column).in_(units))
    return or_(*conditions)

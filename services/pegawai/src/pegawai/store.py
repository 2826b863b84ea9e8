"""Queries shared by routes, reports and commands (trees, chains, history as of a date)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection
from datetime import date
from typing import Any

from asn_schemas.kinerja import Predikat
from servicekit.problems import not_found
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from pegawai.domain.promotion import Penalty as PenaltyRule
from pegawai.models import Appraisal, Employee, Penalty, Unit

# Depth limits guard against a loop that got into the data some other way (a manual fix).
_SUBTREE = text(
    """
    WITH RECURSIVE tree(id, depth) AS (
        SELECT id, 0 FROM unit WHERE code = :code
        UNION ALL
        SELECT u.id, t.depth + 1 FROM unit u JOIN tree t ON u.parent_id = t.id WHERE t.depth < 50
    )
    SELECT DISTINCT id FROM tree
    """
)
_UNIT_ANCESTRY = text(
    """
    WITH RECURSIVE up(id, parent_id, code, depth) AS (
        SELECT id, parent_id, code, 0 FROM unit WHERE id = :id
        UNION ALL
        SELECT u.id, u.parent_id, u.code, up.depth + 1
        FROM unit u JOIN up ON u.id = up.parent_id WHERE up.depth < 50
    )
    SELECT code FROM up WHERE depth > 0 ORDER BY depth
    """
)
_SUPERVISOR_CHAIN = text(
    """
    WITH RECURSIVE up(nip, supervisor_nip, depth) AS (
        SELECT nip, supervisor_nip, 0 FROM employee WHERE nip = :nip
        UNION ALL
        SELECT e.nip, e.supervisor_nip, up.depth + 1
        FROM employee e JOIN up ON e.nip = up.supervisor_nip WHERE up.depth < 200
    )
    SELECT nip FROM up WHERE depth > 0 ORDER BY depth
    """
)
REPORTS_OF = text(
    """
    WITH RECURSIVE down(nip, depth) AS (
        SELECT nip, 1 FROM employee WHERE supervisor_nip = :who
        UNION ALL
        SELECT e.nip, d.depth + 1 FROM employee e JOIN down d ON e.supervisor_nip = d.nip
        WHERE d.depth < 200
    )
    SELECT DISTINCT nip FROM down
    """
)
_AS_OF = text(
    """
    SELECT DISTINCT ON (nip, field) nip, field, value, tmt
    FROM employee_history
    WHERE tmt <= :day AND (CAST(:nips AS text[]) IS NULL OR nip = ANY(CAST(:nips AS text[])))
    ORDER BY nip, field, tmt DESC, id DESC
    """
)

SUPERVISOR_TREE_LOCK = text("SELECT pg_advisory_xact_lock(hashtext('pegawai.supervisor_tree'))")
"""Serialises supervisor changes: two concurrent changes could each pass the cycle check
and together form a loop."""


async def unit_by_code(session: AsyncSession, code: str) -> Unit | None:
    result = await session.execute(select(Unit).where(col(Unit.code) == code))
    return result.scalar_one_or_none()


async def unit_by_id(session: AsyncSession, unit_id: uuid.UUID) -> Unit | None:
    return await session.get(Unit, unit_id)


async def unit_subtree_ids(session: AsyncSession, code: str) -> list[uuid.UUID]:
    return [row.id for row in await session.execute(_SUBTREE, {"code": code})]


async def known_unit_subtree_ids(session: AsyncSession, code: str) -> list[uuid.UUID]:
    """The subtree of a unit named in a request; an unknown code is a 404 `unit_not_found`,
    the one answer every route gives an unknown unit."""
    ids = await unit_subtree_ids(session, code)
    if not ids:
        raise not_found("unit", f"Unit {code}")
    return ids


async def unit_ancestor_codes(session: AsyncSession, unit_id: uuid.UUID) -> list[str]:
    return [row.code for row in await session.execute(_UNIT_ANCESTRY, {"id": unit_id})]


async def employee(session: AsyncSession, nip: str, *, for_update: bool = False) -> Employee | None:
    query = select(Employee).where(col(Employee.nip) == nip)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def supervisor_chain(session: AsyncSession, nip: str) -> list[str]:
    """The supervisors above `nip`, nearest first."""
    return [row.nip for row in await session.execute(_SUPERVISOR_CHAIN, {"nip": nip})]


async def reports_of(session: AsyncSession, nip: str) -> set[str]:
    return {row.nip for row in await session.execute(REPORTS_OF, {"who": nip})}


async def history_as_of(
    session: AsyncSession, day: date, nips: Collection[str] | None = None
) -> dict[str, dict[str, tuple[Any, date]]]:
    """Per employee, each effective-dated part's value and TMT in force on `day`."""
    params = {"day": day, "nips": list(nips) if nips is not None else None}
    state: dict[str, dict[str, tuple[Any, date]]] = defaultdict(dict)
    for row in await session.execute(_AS_OF, params):
        state[row.nip][row.field] = (row.value, row.tmt)
    return state


async def annual_predikat(
    session: AsyncSession, nips: Collection[str], years: Collection[int]
) -> dict[str, dict[int, Predikat]]:
    """The annual predikat per employee and year; the latest finalization wins."""
    query = (
        select(col(Appraisal.nip), col(Appraisal.year), col(Appraisal.predikat))
        .where(
            col(Appraisal.nip).in_(list(nips)),
            col(Appraisal.year).in_(list(years)),
            col(Appraisal.period_kind) == "annual",
        )
        .order_by(col(Appraisal.finalized_at))
    )
    found: dict[str, dict[int, Predikat]] = defaultdict(dict)
    for nip, year, predikat in await session.execute(query):
        found[nip][year] = Predikat(predikat)
    return found


async def penalties(session: AsyncSession, nips: Collection[str]) -> dict[str, list[PenaltyRule]]:
    query = select(col(Penalty.nip), col(Penalty.start), col(Penalty.end)).where(
        col(Penalty.nip).in_(list(nips))
    )
    found: dict[str, list[PenaltyRule]] = defaultdict(list)
    for nip, start, end in await session.execute(query):
        found[nip].append(PenaltyRule(start, end))
    return found

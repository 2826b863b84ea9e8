"""Queries shared by routes and handlers: the replica's chains and trees, rows under lock."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any, TypeVar

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja.domain.raters import rater_of
from kinerja.models import Employee, KinerjaTable, Rhk, Skp, Unit

T = TypeVar("T", bound=KinerjaTable)

# Depth limits guard against a loop that got into the replica some other way.
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
_REPORTS_OF = text(
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
_SUBTREE = text(
    """
    WITH RECURSIVE tree(id, depth) AS (
        SELECT id, 0 FROM unit WHERE id = :id
        UNION ALL
        SELECT u.id, t.depth + 1 FROM unit u JOIN tree t ON u.parent_id = t.id WHERE t.depth < 50
    )
    SELECT DISTINCT id FROM tree
    """
)
_ANCESTRY = text(
    """
    WITH RECURSIVE up(id, parent_id, depth) AS (
        SELECT id, parent_id, 0 FROM unit WHERE id = :id
        UNION ALL
        SELECT u.id, u.parent_id, up.depth + 1 FROM unit u JOIN up ON u.id = up.parent_id
        WHERE up.depth < 50
    )
    SELECT id FROM up ORDER BY depth
    """
)


async def locked(session: AsyncSession, model: type[T], key: Any) -> T | None:
    row: T | None = await session.get(model, key, with_for_update=True)
    return row


async def employee(session: AsyncSession, nip: str) -> Employee | None:
    return await session.get(Employee, nip)


async def supervisor_chain(session: AsyncSession, nip: str) -> list[str]:
    """The supervisors of `nip`, direct one first."""
    return [row[0] for row in await session.execute(_SUPERVISOR_CHAIN, {"nip": nip})]


async def reports_of(session: AsyncSession, nip: str) -> set[str]:
    """Everyone below `nip` in the supervisor tree."""
    return {row[0] for row in await session.execute(_REPORTS_OF, {"who": nip})}


async def statuses(session: AsyncSession, nips: Collection[str]) -> dict[str, str]:
    if not nips:
        return {}
    query = select(col(Employee.nip), col(Employee.status)).where(col(Employee.nip).in_(nips))
    return {nip: status for nip, status in await session.execute(query)}


async def effective_rater(session: AsyncSession, direct: str | None) -> str | None:
    """`direct` if present in service, else the first active person above them."""
    if direct is None:
        return None
    chain = [direct, *await supervisor_chain(session, direct)]
    return rater_of(chain, await statuses(session, chain))


async def unit_by_code(session: AsyncSession, code: str) -> Unit | None:
    query = select(Unit).where(col(Unit.code) == code)
    return (await session.execute(query)).scalars().first()


async def unit_subtree_ids(session: AsyncSession, unit_id: uuid.UUID) -> list[uuid.UUID]:
    """The unit and every unit below it (just the unit when the replica lacks it)."""
    found = [row[0] for row in await session.execute(_SUBTREE, {"id": unit_id})]
    return found or [unit_id]


async def unit_ancestry(session: AsyncSession, unit_id: uuid.UUID) -> list[uuid.UUID]:
    """The unit itself, then its parents up to the root."""
    found = [row[0] for row in await session.execute(_ANCESTRY, {"id": unit_id})]
    return found or [unit_id]


async def rhk_of(session: AsyncSession, skp_id: uuid.UUID) -> list[Rhk]:
    query = select(Rhk).where(col(Rhk.skp_id) == skp_id).order_by(col(Rhk.position))
    return list((await session.execute(query)).scalars())


async def rhk_with_skp(session: AsyncSession, rhk_id: uuid.UUID) -> tuple[Rhk, Skp] | None:
    query = select(Rhk, Skp).join(Skp, col(Skp.id) == col(Rhk.skp_id)).where(col(Rhk.id) == rhk_id)
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row else None


async def next_sequence(session: AsyncSession, nip: str) -> int:
    """The next `sequence` of kinerja's events about `nip` (they are keyed by NIP)."""
    statement = (
        update(Employee)
        .where(col(Employee.nip) == nip)
        .values(event_sequence=col(Employee.event_sequence) + 1)
        .returning(col(Employee.event_sequence))
    )
    value = (await session.execute(statement)).scalar_one()
    return int(value)

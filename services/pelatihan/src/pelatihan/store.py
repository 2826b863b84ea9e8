"""Queries shared by commands, views and handlers: the replica's chains and trees, rows
under lock, JP credits and the budget line."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from pelatihan.domain.jp import Credit as JpCredit
from pelatihan.domain.ledger import Ledger
from pelatihan.models import (
    Credit,
    Employee,
    Enrollment,
    PelatihanTable,
    TrainingBudget,
    TrainingNeed,
    Unit,
)

T = TypeVar("T", bound=PelatihanTable)

ACTIVE = ("requested", "supervisor_approved", "approved")
"""Enrolment statuses that hold (or wait for) a seat."""

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
_ROOT = text(
    """
    WITH RECURSIVE up(id, code, parent_id, depth) AS (
        SELECT id, code, parent_id, 0 FROM unit WHERE id = :id
        UNION ALL
        SELECT u.id, u.code, u.parent_id, up.depth + 1 FROM unit u JOIN up ON u.id = up.parent_id
        WHERE up.depth < 50
    )
    SELECT code FROM up ORDER BY depth DESC LIMIT 1
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


async def unit_by_code(session: AsyncSession, code: str) -> Unit | None:
    query = select(Unit).where(col(Unit.code) == code)
    return (await session.execute(query)).scalars().first()


async def unit_subtree_ids(session: AsyncSession, unit_id: uuid.UUID) -> list[uuid.UUID]:
    found = [row[0] for row in await session.execute(_SUBTREE, {"id": unit_id})]
    return found or [unit_id]


async def budget_unit_code(session: AsyncSession, unit_id: uuid.UUID, fallback: str) -> str:
    """Budgets are per OPD: the top of the unit's tree (the unit itself when unknown)."""
    found = (await session.execute(_ROOT, {"id": unit_id})).scalar()
    return str(found) if found else fallback


async def staff_of(session: AsyncSession, unit_ids: Collection[uuid.UUID]) -> list[str]:
    """Active employees of these units."""
    query = select(col(Employee.nip)).where(
        col(Employee.unit_id).in_(unit_ids), col(Employee.status) == "aktif"
    )
    return [row[0] for row in await session.execute(query)]


async def credits_of(session: AsyncSession, nips: Collection[str]) -> dict[str, list[JpCredit]]:
    found: dict[str, list[JpCredit]] = {nip: [] for nip in nips}
    if not nips:
        return found
    query = select(Credit).where(col(Credit.nip).in_(nips))
    for c in (await session.execute(query)).scalars():
        found[c.nip].append(JpCredit(c.jp, c.klasikal, c.end))
    return found


async def last_training(session: AsyncSession, nips: Collection[str]) -> dict[str, date]:
    if not nips:
        return {}
    query = (
        select(col(Credit.nip), func.max(col(Credit.end)))
        .where(col(Credit.nip).in_(nips))
        .group_by(col(Credit.nip))
    )
    return {nip: day for nip, day in await session.execute(query)}


async def open_needs(session: AsyncSession, nips: Collection[str]) -> dict[str, list[TrainingNeed]]:
    found: dict[str, list[TrainingNeed]] = {nip: [] for nip in nips}
    if not nips:
        return found
    query = (
        select(TrainingNeed)
        .where(col(TrainingNeed.nip).in_(nips), col(TrainingNeed.addressed_by).is_(None))
        .order_by(col(TrainingNeed.identified_at))
    )
    for need in (await session.execute(query)).scalars():
        found[need.nip].append(need)
    return found


async def active_enrollments(session: AsyncSession, program_id: uuid.UUID) -> list[Enrollment]:
    query = select(Enrollment).where(
        col(Enrollment.program_id) == program_id, col(Enrollment.status).in_(ACTIVE)
    )
    return list((await session.execute(query)).scalars())


async def budget_for_update(session: AsyncSession, unit_code: str, year: int) -> TrainingBudget:
    """The budget line under lock, created empty (nothing allocated) when missing."""
    await session.execute(
        insert(TrainingBudget)
        .values(unit_code=unit_code, year=year, allocated=0, committed=0, spent=0, version=1)
        .on_conflict_do_nothing()
    )
    row = await session.get(TrainingBudget, (unit_code, year), with_for_update=True)
    assert row is not None
    return row


def ledger_of(b: TrainingBudget) -> Ledger:
    return Ledger(b.allocated, b.committed, b.spent)


def set_ledger(b: TrainingBudget, ledger: Ledger) -> None:
    b.allocated, b.committed, b.spent = ledger.allocated, ledger.committed, ledger.spent
    b.version += 1


async def next_sequence(session: AsyncSession, nip: str) -> int | None:
    """The next `sequence` of pelatihan's events about `nip`; None if the replica lacks them."""
    statement = (
        update(Employee)
        .where(col(Employee.nip) == nip)
        .values(event_sequence=col(Employee.event_sequence) + 1)
        .returning(col(Employee.event_sequence))
    )
    value = (await session.execute(statement)).scalar()
    return int(value) if value is not None else None

"""The citizens' unit signals from aspirasi: a local replica, and the months shown beside a
unit's organisation predikat. Context only: nothing here is read by an appraisal."""

from __future__ import annotations

from typing import Any

from asn_schemas.aspirasi import UnitSignalComputedV1
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja.models import UnitSignal

FIGURES = ("received", "resolved", "sla_compliance", "reopen_rate", "average_rating")


async def apply(session: AsyncSession, signal: UnitSignalComputedV1) -> None:
    """One row per unit and month; aspirasi publishes again when the figures change, so the
    newest computation wins and a late, older one (redelivery, reordering) is ignored."""
    values = {f: getattr(signal, f) for f in FIGURES}
    statement = insert(UnitSignal).values(
        unit_code=signal.unit_code, month=signal.month, computed_at=signal.computed_at, **values
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["unit_code", "month"],
            set_={**{f: statement.excluded[f] for f in FIGURES}, "computed_at": signal.computed_at},
            where=col(UnitSignal.computed_at) <= statement.excluded.computed_at,
        )
    )


async def of_year(session: AsyncSession, unit_code: str, year: int) -> list[dict[str, Any]]:
    """The unit's months of that year, latest first."""
    query = (
        select(UnitSignal)
        .where(col(UnitSignal.unit_code) == unit_code, col(UnitSignal.month).startswith(f"{year}-"))
        .order_by(col(UnitSignal.month).desc())
    )
    return [
        {"month": s.month, **{f: getattr(s, f) for f in FIGURES}, "computed_at": s.computed_at}
        for s in (await session.execute(query)).scalars()
    ]

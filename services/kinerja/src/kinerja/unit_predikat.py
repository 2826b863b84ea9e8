"""Setting a unit's organisation predikat for a year (BKPSDM), which bounds its staff's
predikat distribution."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from servicekit.identity import Identity
from servicekit.problems import not_found
from servicekit.uow import UnitOfWork
from sqlalchemy.dialects.postgresql import insert

from kinerja import store
from kinerja.models import OrganisationPredikat


async def set_predikat(
    uow: UnitOfWork, who: Identity, unit_code: str, year: int, predikat: str
) -> dict[str, Any]:
    """One row per unit and year, written as an upsert: two identical PUTs at once both
    succeed with the same outcome instead of one failing on the primary key."""
    unit = await store.unit_by_code(uow.session, unit_code)
    if unit is None:
        raise not_found("unit", f"Unit {unit_code}")
    values = {
        "unit_id": unit.id,
        "year": year,
        "predikat": predikat,
        "set_by": who.sub,
        "set_at": datetime.now(UTC),
    }
    statement = insert(OrganisationPredikat).values(values)
    await uow.session.execute(
        statement.on_conflict_do_update(
            index_elements=["unit_id", "year"],
            set_={k: statement.excluded[k] for k in ("predikat", "set_by", "set_at")},
        )
    )
    return {"unit_code": unit.code, "year": year, "predikat": predikat}

"""The distribution check: the annual predikat of a unit's staff against the limits of the
unit's organisation predikat (DOMAIN 1.8) — warnings for the rater, never a refusal."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from asn_schemas.kinerja import Predikat
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja import signals, store
from kinerja.domain.distribution_rules import OrganisationPredikat as OrgPredikat
from kinerja.domain.distribution_rules import distribution_warnings
from kinerja.models import Appraisal, OrganisationPredikat, Unit


async def organisation_of(
    session: AsyncSession, unit_id: uuid.UUID, year: int
) -> OrganisationPredikat | None:
    """The organisation predikat set for the unit or, failing that, its nearest parent."""
    for candidate in await store.unit_ancestry(session, unit_id):
        found = await session.get(OrganisationPredikat, (candidate, year))
        if found is not None:
            return found
    return None


async def annual_counts(
    session: AsyncSession, unit_ids: list[uuid.UUID], year: int
) -> Counter[Predikat]:
    """The latest annual predikat of each employee appraised in these units that year."""
    query = (
        select(col(Appraisal.nip), col(Appraisal.predikat))
        .where(
            col(Appraisal.unit_id).in_(unit_ids),
            col(Appraisal.year) == year,
            col(Appraisal.period_kind) == "annual",
            col(Appraisal.status) == "finalized",
        )
        .order_by(col(Appraisal.nip), col(Appraisal.finalized_at).desc())
        .ext(distinct_on(col(Appraisal.nip)))
    )
    return Counter(Predikat(p) for _, p in await session.execute(query) if p is not None)


async def report(session: AsyncSession, unit_id: uuid.UUID, year: int) -> dict[str, Any]:
    org = await organisation_of(session, unit_id, year)
    scope_id = org.unit_id if org is not None else unit_id
    counts = await annual_counts(session, await store.unit_subtree_ids(session, scope_id), year)
    unit = await session.get(Unit, scope_id)
    warnings = distribution_warnings(OrgPredikat(org.predikat), counts) if org is not None else []
    return {
        "unit_code": unit.code if unit else None,
        "year": year,
        "organisation_predikat": org.predikat if org else None,
        # Context beside the predikat (issue 12): the citizens' voice on the unit, by month.
        "unit_signals": await signals.of_year(session, unit.code, year) if unit else [],
        "counts": {p.value: counts.get(p, 0) for p in Predikat},
        "labels": {p.value: p.label for p in Predikat},
        "warnings": [{"code": w.code, "message": w.message} for w in warnings],
    }

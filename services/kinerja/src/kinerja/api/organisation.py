"""The organisation predikat of a unit (set by BKPSDM) and the distribution check it drives."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from servicekit.auth import CurrentIdentity
from servicekit.commands import Outcome, run_command
from servicekit.identity import Role
from servicekit.problems import forbidden, not_found
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork

from kinerja import access, distribution, store, unit_predikat
from kinerja.api.schemas import Distribution, OrganisationPredikatIn, OrganisationPredikatView

router = APIRouter(tags=["distribution"])
YearPath = Annotated[int, Path(ge=2000, le=2100)]


@router.put(
    "/units/{unit_code}/organisation-predikat/{year}", response_model=OrganisationPredikatView
)
async def set_organisation_predikat(
    unit_code: str,
    year: YearPath,
    body: OrganisationPredikatIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
) -> JSONResponse:
    """Set a unit's organisation predikat for a year (BKPSDM)."""
    if not who.has_role(Role.BKPSDM):
        raise forbidden("Hanya BKPSDM yang menetapkan predikat organisasi.")

    async def action(uow: UnitOfWork) -> Outcome:
        return await unit_predikat.set_predikat(uow, who, unit_code, year, body.predikat), 1

    return await run_command(runtime, who, request, body=body, key=None, action=action)


@router.get("/distribution", response_model=Distribution, response_model_exclude_unset=True)
async def get_distribution(
    who: CurrentIdentity,
    runtime: Runtime,
    unit: str,
    year: Annotated[int, Query(ge=2000, le=2100)],
) -> dict[str, Any]:
    """Annual predikat counts of a unit's staff, and warnings against its organisation
    predikat (for BKPSDM, auditors and the unit's admin)."""
    async with runtime.db.read_session() as session:
        found = await store.unit_by_code(session, unit)
        if found is None:
            raise not_found("unit", f"Unit {unit}")
        if not access.sees_everyone(who) and found.id not in await access.admin_unit_ids(
            session, who
        ):
            raise forbidden()
        return await distribution.report(session, found.id, year)

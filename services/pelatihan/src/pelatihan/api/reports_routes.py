"""JP per person and per unit, budgets, training needs and recommendations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, Outcome, run_command
from servicekit.identity import Identity
from servicekit.problems import invalid, not_found
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from pelatihan import access, budgets, reports, store
from pelatihan.api.schemas import (
    BudgetIn,
    BudgetView,
    NeedList,
    NipStr,
    PersonJp,
    Recommendations,
    UnitJp,
    Year,
)
from pelatihan.domain.dates import today_wib
from pelatihan.models import Employee, TrainingBudget, TrainingNeed, Unit
from pelatihan.views import budget_view, need_view

router = APIRouter(tags=["jp, budgets, needs"])


async def _person(session: AsyncSession, who: Identity, nip: str) -> Employee:
    emp = await store.employee(session, nip)
    if emp is None:
        raise not_found("employee", f"Pegawai {nip}")
    await access.require_read(session, who, nip, emp.unit_id)
    return emp


async def _unit(session: AsyncSession, who: Identity, code: str) -> Unit:
    unit = await store.unit_by_code(session, code)
    if unit is None:
        raise not_found("unit", f"Unit {code}")
    await access.require_unit_read(session, who, unit.id)
    return unit


@router.get("/jp/{nip}", response_model=PersonJp, response_model_exclude_unset=True)
async def jp_of_person(
    nip: NipStr, who: CurrentIdentity, runtime: Runtime, year: Year | None = None
) -> dict[str, Any]:
    """A person's JP in a year against 20, the credits, and every certificate."""
    async with runtime.db.read_session() as session:
        await _person(session, who, nip)
        return await reports.jp_of(session, nip, year or today_wib().year)


@router.get("/jp", response_model=UnitJp, response_model_exclude_unset=True)
async def jp_of_unit(
    who: CurrentIdentity, runtime: Runtime, unit: str, year: Year | None = None
) -> dict[str, Any]:
    """A unit's compliance: the share of its staff at ≥ 20 JP, and those below."""
    async with runtime.db.read_session() as session:
        found = await _unit(session, who, unit)
        return await reports.unit_compliance(
            session, found.id, found.code, year or today_wib().year
        )


@router.put("/training-budgets/{unit_code}/{year}", response_model=BudgetView)
async def allocate_budget(
    unit_code: str,
    year: Year,
    body: BudgetIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Set a unit's (OPD's) training budget for a year (BKPSDM)."""

    async def action(uow: UnitOfWork) -> Outcome:
        found = await budgets.allocate(uow, unit_code, year, body.allocated)
        return budget_view(found), found.version

    return await run_command(runtime, who, request, body=body, key=idempotency_key, action=action)


@router.get(
    "/training-budgets/{unit_code}/{year}",
    response_model=BudgetView,
    response_model_exclude_unset=True,
)
async def get_budget(
    unit_code: str, year: Year, who: CurrentIdentity, runtime: Runtime
) -> dict[str, Any]:
    """Allocated, committed, spent and remaining (BKPSDM, auditors, the unit's admin_opd)."""
    async with runtime.db.read_session() as session:
        if not access.sees_everyone(who):
            await _unit(session, who, unit_code)
        found = await session.get(TrainingBudget, (unit_code, year))
    if found is None:
        return {
            "unit_code": unit_code,
            "year": year,
            "allocated": 0,
            "committed": 0,
            "spent": 0,
            "remaining": 0,
            "version": 0,
        }
    return budget_view(found)


@router.get("/training-needs", response_model=NeedList, response_model_exclude_unset=True)
async def list_needs(
    who: CurrentIdentity,
    runtime: Runtime,
    nip: NipStr | None = None,
    unit: str | None = None,
    open_only: Annotated[bool, Query(alias="open")] = False,
) -> dict[str, Any]:
    """Training needs from appraisals, for a person (`nip`) or a unit (`unit`)."""
    if (nip is None) == (unit is None):
        raise invalid("nip_or_unit", "Sebutkan salah satu: nip atau unit.", field="nip")
    async with runtime.db.read_session() as session:
        query = select(TrainingNeed)
        if nip is not None:
            await _person(session, who, nip)
            query = query.where(col(TrainingNeed.nip) == nip)
        else:
            assert unit is not None
            found = await _unit(session, who, unit)
            units = await store.unit_subtree_ids(session, found.id)
            query = query.where(col(TrainingNeed.unit_id).in_(units))
        if open_only:
            query = query.where(col(TrainingNeed.addressed_by).is_(None))
        query = query.order_by(col(TrainingNeed.identified_at).desc()).limit(500)
        rows = (await session.execute(query)).scalars()
        return {"items": [need_view(n) for n in rows]}


@router.get(
    "/recommendations/{nip}", response_model=Recommendations, response_model_exclude_unset=True
)
async def recommendations(nip: NipStr, who: CurrentIdentity, runtime: Runtime) -> dict[str, Any]:
    """Published programs matching the person's open training needs (a suggestion only)."""
    async with runtime.db.read_session() as session:
        await _person(session, who, nip)
        return await reports.recommendations(session, nip)

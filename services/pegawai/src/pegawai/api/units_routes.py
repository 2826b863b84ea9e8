"""Units (OPD and their sub-units): create, update, and read as a tree."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, IfMatch, Outcome, run_command
from servicekit.problems import etag, not_found
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlmodel import col

from pegawai import organisation, store
from pegawai.access import require_bkpsdm
from pegawai.api.schemas import UnitCreate, UnitDetail, UnitList, UnitPatch, UnitView
from pegawai.models import Unit
from pegawai.views import unit_view

router = APIRouter(tags=["units"])


@router.post("/units", status_code=201, response_model=UnitView)
async def create_unit(
    body: UnitCreate,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Create a unit (BKPSDM)."""
    require_bkpsdm(who)

    async def action(uow: UnitOfWork) -> Outcome:
        unit, parent = await organisation.create_unit(uow, body)
        return unit_view(unit, parent.code if parent else None), unit.version

    return await run_command(
        runtime,
        who,
        request,
        body=body,
        key=idempotency_key,
        action=action,
        status_code=201,
        location=lambda content: f"/units/{content['code']}",
    )


@router.patch("/units/{code}", response_model=UnitView)
async def update_unit(
    code: str,
    body: UnitPatch,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Update a unit (BKPSDM; If-Match required)."""
    require_bkpsdm(who)

    async def action(uow: UnitOfWork) -> Outcome:
        unit, parent = await organisation.update_unit(uow, code, body, if_match)
        return unit_view(unit, parent.code if parent else None), unit.version

    return await run_command(runtime, who, request, body=body, key=None, action=action)


async def _all_units(runtime: Runtime) -> list[Unit]:
    async with runtime.db.read_session() as session:
        return list((await session.execute(select(Unit).order_by(col(Unit.code)))).scalars())


@router.get("/units", response_model=UnitList, response_model_exclude_unset=True)
async def list_units(
    who: CurrentIdentity, runtime: Runtime, flat: bool = False, active: bool | None = None
) -> dict[str, Any]:
    """Units as a tree (children nested), or a flat list with `flat=true`."""
    units = [u for u in await _all_units(runtime) if active is None or u.active == active]
    by_id = {u.id: u for u in units}
    views = {
        u.id: unit_view(u, by_id[u.parent_id].code if u.parent_id in by_id else None) for u in units
    }
    if flat:
        return {"items": list(views.values())}
    roots: list[dict[str, Any]] = []
    for unit in units:
        view = views[unit.id]
        view.setdefault("children", [])
        if unit.parent_id in views:
            views[unit.parent_id].setdefault("children", []).append(view)
        else:
            roots.append(view)
    return {"items": roots}


@router.get("/units/{code}", response_model=UnitDetail)
async def get_unit(code: str, who: CurrentIdentity, runtime: Runtime) -> JSONResponse:
    """One unit with its ancestors (nearest first) and its direct children."""
    async with runtime.db.read_session() as session:
        unit = await store.unit_by_code(session, code)
        if unit is None:
            raise not_found("unit", f"Unit {code}")
        ancestors = await store.unit_ancestor_codes(session, unit.id)
        children = (
            await session.execute(
                select(col(Unit.code))
                .where(col(Unit.parent_id) == unit.id)
                .order_by(col(Unit.code))
            )
        ).scalars()
        view = unit_view(unit, ancestors[0] if ancestors else None)
        view["ancestors"] = ancestors
        view["children"] = list(children)
    return JSONResponse(view, headers={"ETag": etag(unit.version)})

"""Units (OPD and their sub-units): create, update, and read as a tree."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from asn_schemas.pegawai import UnitCreatedV1, UnitUpdatedV1
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, IfMatch, Outcome, run_command
from servicekit.problems import check_if_match, conflict, etag, invalid, not_found
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from pegawai import store
from pegawai.access import require_bkpsdm
from pegawai.api.schemas import UnitCreate, UnitPatch
from pegawai.domain.hierarchy import closes_cycle
from pegawai.events import unit_snapshot
from pegawai.models import Unit
from pegawai.views import unit_view

router = APIRouter(tags=["units"])


def _check_location(lat: float | None, lon: float | None, radius: int | None) -> None:
    if (lat is None) != (lon is None):
        raise invalid("location_incomplete", "Latitude dan longitude dikirim bersama.")
    if radius is not None and lat is None:
        raise invalid("geofence_without_location", "Radius geofence memerlukan lokasi kantor.")


@router.post("/units", status_code=201)
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
        session = uow.session
        _check_location(body.latitude, body.longitude, body.geofence_radius_m)
        if await store.unit_by_code(session, body.code) is not None:
            raise conflict("unit_code_taken", f"Kode unit {body.code} sudah dipakai.")
        parent = None
        if body.parent_code is not None:
            parent = await store.unit_by_code(session, body.parent_code)
            if parent is None:
                raise invalid(
                    "unknown_unit", f"Unit induk {body.parent_code} tidak ada.", field="parent_code"
                )
        unit = Unit(
            id=uuid.uuid4(),
            code=body.code,
            name=body.name,
            kind=body.kind,
            parent_id=parent.id if parent else None,
            latitude=body.latitude,
            longitude=body.longitude,
            geofence_radius_m=body.geofence_radius_m,
            active=body.active,
            version=1,
        )
        session.add(unit)
        try:
            await session.flush()
        except IntegrityError as exc:
            raise conflict("unit_code_taken", f"Kode unit {body.code} sudah dipakai.") from exc
        uow.add_event(
            UnitCreatedV1(unit=unit_snapshot(unit, parent)), subject=unit.code, sequence=1
        )
        return unit_view(unit, body.parent_code), unit.version

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


@router.patch("/units/{code}")
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
        session = uow.session
        query = select(Unit).where(col(Unit.code) == code).with_for_update()
        unit = (await session.execute(query)).scalar_one_or_none()
        if unit is None:
            raise not_found("unit", f"Unit {code}")
        check_if_match(if_match, unit.version, required=True)
        parent = await store.unit_by_id(session, unit.parent_id) if unit.parent_id else None
        sent = body.model_fields_set
        if "parent_code" in sent:
            parent = None
            if body.parent_code is not None:
                parent = await store.unit_by_code(session, body.parent_code)
                if parent is None:
                    raise invalid(
                        "unknown_unit",
                        f"Unit induk {body.parent_code} tidak ada.",
                        field="parent_code",
                    )
                ancestry = await store.unit_ancestor_codes(session, parent.id)
                if closes_cycle(unit.code, parent.code, ancestry):
                    raise invalid(
                        "unit_cycle",
                        "Unit induk itu berada di bawah unit ini.",
                        field="parent_code",
                    )
        changed: list[str] = []
        new_parent_id = parent.id if parent else None
        if new_parent_id != unit.parent_id:
            unit.parent_id = new_parent_id
            changed += ["parent_unit_id", "parent_code"]
        for field in ("name", "kind", "latitude", "longitude", "geofence_radius_m", "active"):
            if field in sent and getattr(unit, field) != getattr(body, field):
                if field in ("name", "kind", "active") and getattr(body, field) is None:
                    raise invalid("field_required", f"{field} tidak boleh kosong.", field=field)
                setattr(unit, field, getattr(body, field))
                changed.append(field)
        _check_location(unit.latitude, unit.longitude, unit.geofence_radius_m)
        if changed:
            unit.version += 1
            unit.updated_at = datetime.now(UTC)
            uow.add_event(
                UnitUpdatedV1(unit=unit_snapshot(unit, parent), changed_fields=tuple(changed)),
                subject=unit.code,
                sequence=unit.version,
            )
        return unit_view(unit, parent.code if parent else None), unit.version

    return await run_command(runtime, who, request, body=body, key=None, action=action)


async def _all_units(runtime: Runtime) -> list[Unit]:
    async with runtime.db.read_session() as session:
        return list((await session.execute(select(Unit).order_by(col(Unit.code)))).scalars())


@router.get("/units")
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


@router.get("/units/{code}")
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

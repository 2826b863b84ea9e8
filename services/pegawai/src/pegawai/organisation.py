"""Creating and changing units (OPD and their sub-units), BKPSDM's commands on the chart."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from asn_schemas.pegawai import UnitCreatedV1, UnitUpdatedV1
from servicekit.problems import check_if_match, conflict, invalid, not_found
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from pegawai import store
from pegawai.domain.hierarchy import closes_cycle
from pegawai.events import unit_snapshot
from pegawai.models import Unit

_EDITABLE = ("name", "kind", "latitude", "longitude", "geofence_radius_m", "active")


def _check_location(lat: float | None, lon: float | None, radius: int | None) -> None:
    if (lat is None) != (lon is None):
        raise invalid("location_incomplete", "Latitude dan longitude dikirim bersama.")
    if radius is not None and lat is None:
        raise invalid("geofence_without_location", "Radius geofence memerlukan lokasi kantor.")


async def _parent(uow: UnitOfWork, code: str) -> Unit:
    parent = await store.unit_by_code(uow.session, code)
    if parent is None:
        raise invalid("unknown_unit", f"Unit induk {code} tidak ada.", field="parent_code")
    return parent


async def create_unit(uow: UnitOfWork, body: Any) -> tuple[Unit, Unit | None]:
    """A new unit under an existing parent (or a root). The insert decides a taken code (ON
    CONFLICT), so two identical requests at once get one 201 and one 409 `unit_code_taken`."""
    _check_location(body.latitude, body.longitude, body.geofence_radius_m)
    parent = await _parent(uow, body.parent_code) if body.parent_code is not None else None
    values = {
        "id": uuid.uuid4(),
        "code": body.code,
        "name": body.name,
        "kind": body.kind,
        "parent_id": parent.id if parent else None,
        "latitude": body.latitude,
        "longitude": body.longitude,
        "geofence_radius_m": body.geofence_radius_m,
        "active": body.active,
        "demo": False,
        "version": 1,
    }
    inserted = await uow.session.execute(
        insert(Unit)
        .values(values)
        .on_conflict_do_nothing(index_elements=["code"])
        .returning(col(Unit.id))
    )
    if inserted.scalar_one_or_none() is None:
        raise conflict("unit_code_taken", f"Kode unit {body.code} sudah dipakai.")
    unit = await store.unit_by_code(uow.session, body.code)
    assert unit is not None
    uow.add_event(UnitCreatedV1(unit=unit_snapshot(unit, parent)), subject=unit.code, sequence=1)
    return unit, parent


async def update_unit(
    uow: UnitOfWork, code: str, body: Any, if_match: str | None
) -> tuple[Unit, Unit | None]:
    """Only the fields sent change; a new parent may not lie below the unit."""
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
            parent = await _parent(uow, body.parent_code)
            ancestry = await store.unit_ancestor_codes(session, parent.id)
            if closes_cycle(unit.code, parent.code, ancestry):
                raise invalid(
                    "unit_cycle", "Unit induk itu berada di bawah unit ini.", field="parent_code"
                )
    changed: list[str] = []
    new_parent_id = parent.id if parent else None
    if new_parent_id != unit.parent_id:
        unit.parent_id = new_parent_id
        changed += ["parent_unit_id", "parent_code"]
    for field in _EDITABLE:
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
    return unit, parent

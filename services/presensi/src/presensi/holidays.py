"""Declaring and removing holidays and cuti bersama (BKPSDM): the calendar other services
count working days from, published as events."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from asn_schemas.presensi import HolidayDeclaredV1, HolidayKind, HolidayRemovedV1
from servicekit.identity import Identity
from servicekit.problems import conflict, not_found
from servicekit.uow import UnitOfWork
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from presensi.models import Holiday


def view(h: Holiday) -> dict[str, Any]:
    return {"id": str(h.id), "date": h.date.isoformat(), "name": h.name, "kind": h.kind}


async def declare(
    uow: UnitOfWork, who: Identity, day: dt.date, name: str, kind: HolidayKind
) -> Holiday:
    """One holiday per date. The insert itself decides (ON CONFLICT), so two identical
    requests at once get one 201 and one 409 `holiday_exists`, never a unique violation."""
    holiday = Holiday(id=uuid.uuid4(), date=day, name=name, kind=kind.value, created_by=who.sub)
    inserted = await uow.session.execute(
        insert(Holiday)
        .values(id=holiday.id, date=day, name=name, kind=kind.value, created_by=who.sub)
        .on_conflict_do_nothing(index_elements=["date"])
        .returning(col(Holiday.id))
    )
    if inserted.scalar_one_or_none() is None:
        raise conflict("holiday_exists", f"{day.isoformat()} sudah tercatat libur.")
    uow.add_event(
        HolidayDeclaredV1(holiday_id=holiday.id, date=day, name=name, kind=kind),
        subject=day.isoformat(),
    )
    return holiday


async def remove(uow: UnitOfWork, holiday_id: uuid.UUID) -> Holiday:
    holiday = await uow.session.get(Holiday, holiday_id, with_for_update=True)
    if holiday is None:
        raise not_found("holiday", f"Hari libur {holiday_id}")
    await uow.session.delete(holiday)
    uow.add_event(
        HolidayRemovedV1(
            holiday_id=holiday.id,
            date=holiday.date,
            name=holiday.name,
            kind=HolidayKind(holiday.kind),
        ),
        subject=holiday.date.isoformat(),
    )
    return holiday

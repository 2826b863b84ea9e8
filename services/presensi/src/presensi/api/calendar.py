"""The working calendar: holidays and cuti bersama (published), and unit schedules."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from asn_schemas.presensi import HolidayDeclaredV1, HolidayKind, HolidayRemovedV1
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, Outcome, run_command
from servicekit.problems import conflict, forbidden, invalid, not_found
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlmodel import col

from presensi import access, store
from presensi.api.schemas import HolidayBody, ScheduleBody, now
from presensi.domain.calendar import business_date
from presensi.domain.schedules import (
    DEFAULT_UNIT,
    DayHours,
    days_to_json,
    schedule_for,
)
from presensi.models import Holiday, ScheduleRow

router = APIRouter(tags=["calendar"])
Now = Annotated[dt.datetime, Depends(now)]


def _holiday_view(h: Holiday) -> dict[str, Any]:
    return {"id": str(h.id), "date": h.date.isoformat(), "name": h.name, "kind": h.kind}


@router.get("/holidays")
async def list_holidays(
    who: CurrentIdentity,
    runtime: Runtime,
    clock: Now,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> dict[str, Any]:
    """Holidays and cuti bersama of a year (default: this year)."""
    target = year or business_date(clock).year
    async with runtime.db.read_session() as session:
        items = await store.holiday_list(session, target)
    return {"year": target, "items": [_holiday_view(h) for h in items]}


@router.post("/holidays", status_code=201)
async def declare_holiday(
    body: HolidayBody,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Declare a holiday or cuti bersama day (BKPSDM); other services count working days."""
    access.require_bkpsdm(who, "penetapan hari libur")

    async def action(uow: UnitOfWork) -> Outcome:
        existing = await uow.session.execute(select(Holiday).where(col(Holiday.date) == body.date))
        if existing.scalar_one_or_none() is not None:
            raise conflict("holiday_exists", f"{body.date.isoformat()} sudah tercatat libur.")
        holiday = Holiday(
            id=uuid.uuid4(),
            date=body.date,
            name=body.name,
            kind=body.kind.value,
            created_by=who.sub,
        )
        uow.session.add(holiday)
        uow.add_event(
            HolidayDeclaredV1(
                holiday_id=holiday.id, date=body.date, name=body.name, kind=body.kind
            ),
            subject=body.date.isoformat(),
        )
        return _holiday_view(holiday), 1

    return await run_command(
        runtime, who, request, body=body, key=idempotency_key, action=action, status_code=201
    )


@router.delete("/holidays/{holiday_id}")
async def remove_holiday(
    holiday_id: uuid.UUID, who: CurrentIdentity, runtime: Runtime, request: Request
) -> JSONResponse:
    """Remove a holiday (BKPSDM)."""
    access.require_bkpsdm(who, "penghapusan hari libur")

    async def action(uow: UnitOfWork) -> Outcome:
        holiday = await uow.session.get(Holiday, holiday_id)
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
        return _holiday_view(holiday), 1

    return await run_command(runtime, who, request, body=None, key=None, action=action)


def _schedule_row_view(r: ScheduleRow) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "unit_code": r.unit_code,
        "kind": r.kind,
        "valid_from": r.valid_from.isoformat(),
        "valid_to": r.valid_to.isoformat() if r.valid_to else None,
        "days": r.days,
    }


@router.get("/schedules/{unit_code}")
async def get_schedule(
    unit_code: str,
    who: CurrentIdentity,
    runtime: Runtime,
    clock: Now,
    on: dt.date | None = None,
) -> dict[str, Any]:
    """The schedule in force for a unit on a date (default today), and the unit's rows."""
    day = on or business_date(clock)
    async with runtime.db.read_session() as session:
        schedules = await store.schedules(session, [unit_code])
        rows = await session.execute(
            select(ScheduleRow)
            .where(col(ScheduleRow.unit_code) == unit_code)
            .order_by(col(ScheduleRow.valid_from))
        )
        effective = schedule_for(schedules, unit_code, day)
        return {
            "unit_code": unit_code,
            "date": day.isoformat(),
            "effective": {
                "unit_code": effective.unit_code,
                "kind": effective.kind,
                "valid_from": effective.valid_from.isoformat(),
                "valid_to": effective.valid_to.isoformat() if effective.valid_to else None,
                "weekly_minutes": effective.weekly_minutes,
                "days": days_to_json(effective.days),
            },
            "rows": [_schedule_row_view(r) for r in rows.scalars()],
        }


@router.put("/schedules/{unit_code}")
async def put_schedule(
    unit_code: str,
    body: ScheduleBody,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
) -> JSONResponse:
    """Add an effective-dated schedule for a unit (`default`: city-wide). BKPSDM, or the
    unit's admin_opd for its own unit."""
    if not (
        access.is_bkpsdm(who) or (unit_code != DEFAULT_UNIT and access.admin_of(who, unit_code))
    ):
        raise forbidden("Jadwal kerja diatur BKPSDM atau admin OPD unitnya.")
    if body.valid_to is not None and body.valid_to < body.valid_from:
        raise invalid("dates_out_of_order", "valid_to sebelum valid_from.", field="valid_to")
    for weekday, hours in body.days.items():
        if hours.end <= hours.start:
            raise invalid(
                "hours_out_of_order", "Jam pulang harus setelah jam masuk.", field=f"days.{weekday}"
            )

    async def action(uow: UnitOfWork) -> Outcome:
        if unit_code != DEFAULT_UNIT and await store.unit_by_code(uow.session, unit_code) is None:
            raise not_found("unit", f"Unit {unit_code}")
        days = {d: DayHours(h.start, h.end, h.break_minutes) for d, h in body.days.items()}
        row = ScheduleRow(
            id=uuid.uuid4(),
            unit_code=unit_code,
            kind=body.kind,
            valid_from=body.valid_from,
            valid_to=body.valid_to,
            days=days_to_json(days),
            created_by=who.sub,
        )
        uow.session.add(row)
        return _schedule_row_view(row), 1

    return await run_command(runtime, who, request, body=body, key=None, action=action)

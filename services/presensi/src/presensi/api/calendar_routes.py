"""The working calendar: holidays and cuti bersama (published), and unit schedules."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, Outcome, run_command
from servicekit.dates import BusinessDate
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlmodel import col

from presensi import access, holidays, store, work_schedules
from presensi.api.schemas import (
    HolidayBody,
    HolidayView,
    HolidayYear,
    ScheduleBody,
    ScheduleRowView,
    UnitSchedule,
    now,
)
from presensi.domain.calendar import business_date
from presensi.domain.schedules import days_to_json, schedule_for
from presensi.models import ScheduleRow

router = APIRouter(tags=["calendar"])
Now = Annotated[dt.datetime, Depends(now)]


@router.get("/holidays", response_model=HolidayYear, response_model_exclude_unset=True)
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
    return {"year": target, "items": [holidays.view(h) for h in items]}


@router.post("/holidays", status_code=201, response_model=HolidayView)
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
        holiday = await holidays.declare(uow, who, body.date, body.name, body.kind)
        return holidays.view(holiday), 1

    return await run_command(
        runtime, who, request, body=body, key=idempotency_key, action=action, status_code=201
    )


@router.delete("/holidays/{holiday_id}", response_model=HolidayView)
async def remove_holiday(
    holiday_id: uuid.UUID, who: CurrentIdentity, runtime: Runtime, request: Request
) -> JSONResponse:
    """Remove a holiday (BKPSDM)."""
    access.require_bkpsdm(who, "penghapusan hari libur")

    async def action(uow: UnitOfWork) -> Outcome:
        return holidays.view(await holidays.remove(uow, holiday_id)), 1

    return await run_command(runtime, who, request, body=None, key=None, action=action)


@router.get(
    "/schedules/{unit_code}", response_model=UnitSchedule, response_model_exclude_unset=True
)
async def get_schedule(
    unit_code: str,
    who: CurrentIdentity,
    runtime: Runtime,
    clock: Now,
    on: BusinessDate | None = None,
) -> dict[str, Any]:
    """The schedule in force for a unit on a date (default today), and the unit's rows."""
    day = on or business_date(clock)
    async with runtime.db.read_session() as session:
        await store.require_unit(session, unit_code)
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
            "rows": [work_schedules.row_view(r) for r in rows.scalars()],
        }


@router.put("/schedules/{unit_code}", response_model=ScheduleRowView)
async def put_schedule(
    unit_code: str,
    body: ScheduleBody,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
) -> JSONResponse:
    """Add an effective-dated schedule for a unit (`default`: city-wide). BKPSDM, or the
    unit's admin_opd for its own unit."""

    async def action(uow: UnitOfWork) -> Outcome:
        return work_schedules.row_view(await work_schedules.add(uow, who, unit_code, body)), 1

    return await run_command(runtime, who, request, body=body, key=None, action=action)

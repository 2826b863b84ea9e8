"""Shift types and rosters (jadwal dinas) routes: admin_opd of the unit, or BKPSDM."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from asn_schemas.base import Nip
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import Field
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, IfMatch, Outcome, run_command
from servicekit.problems import forbidden
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import text

from presensi import access, rosters
from presensi.api.schemas import Body, RosterView, ShiftTypeList, ShiftTypeView, now
from presensi.domain.calendar import business_date

router = APIRouter(tags=["rosters"])
Now = Annotated[dt.datetime, Depends(now)]


class ShiftTypeUpdateBody(Body):
    """Times in WIB; an end not after the start means the shift ends the next day."""

    name: str = Field(min_length=1, max_length=100)
    start: dt.time
    end: dt.time
    break_minutes: int = Field(default=0, ge=0, le=240)
    check_in_before_minutes: int = Field(
        default=60, ge=0, le=360, description="How early before the start a check-in counts."
    )
    check_out_after_minutes: int = Field(
        default=240, ge=0, le=720, description="How late after the end a check-out counts."
    )


class ShiftTypeBody(ShiftTypeUpdateBody):
    unit_code: str = Field(min_length=1, max_length=50)
    code: str = Field(min_length=1, max_length=30, pattern=r"^[a-z0-9_-]+$")


class RosterEntryBody(Body):
    nip: Nip
    date: dt.date
    shift: str | None = Field(description="The unit's shift type code; null for a day off.")


class RosterBody(Body):
    entries: list[RosterEntryBody] = Field(min_length=1, max_length=20_000)


class RosterChangeBody(Body):
    shift: str | None = Field(description="The unit's shift type code; null for a day off.")
    reason: str = Field(min_length=3, max_length=500)


@router.post("/shift-types", status_code=201, response_model=ShiftTypeView)
async def create_shift_type(
    body: ShiftTypeBody,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Add a shift type to a unit (pagi, siang, malam…) with its check-in/out windows."""

    async def action(uow: UnitOfWork) -> Outcome:
        row = await rosters.create_shift_type(uow, who, body)
        return rosters.shift_view(row), row.version

    return await run_command(
        runtime, who, request, body=body, key=idempotency_key, action=action, status_code=201,
        location=lambda content: f"/shift-types/{content['id']}",
    )  # fmt: skip


@router.get("/shift-types", response_model=ShiftTypeList, response_model_exclude_unset=True)
async def list_shift_types(who: CurrentIdentity, runtime: Runtime, unit_code: str) -> Any:
    """A unit's shift types."""
    async with runtime.db.read_session() as session:
        shifts = await rosters.unit_shifts(session, unit_code)
    return {"unit_code": unit_code, "items": [rosters.shift_view(s) for s in shifts.values()]}


@router.put("/shift-types/{shift_id}", response_model=ShiftTypeView)
async def update_shift_type(
    shift_id: uuid.UUID,
    body: ShiftTypeUpdateBody,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Change a shift type's name, times and windows (If-Match with its ETag if sent)."""

    async def action(uow: UnitOfWork) -> Outcome:
        row = await rosters.update_shift_type(uow, who, shift_id, body, if_match)
        return rosters.shift_view(row), row.version

    return await run_command(runtime, who, request, body=body, key=None, action=action)


@router.put("/rosters/{unit_code}/{month}", response_model=RosterView)
async def put_roster(
    unit_code: str,
    month: str,
    body: RosterBody,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
) -> JSONResponse:
    """Set the draft roster of a unit's month: per person per day a shift or a day off."""

    async def action(uow: UnitOfWork) -> Outcome:
        roster = await rosters.put_roster(uow, who, unit_code, month, body)
        return await rosters.roster_view(uow.session, unit_code, month), roster.version

    return await run_command(runtime, who, request, body=body, key=None, action=action)


@router.get("/rosters/{unit_code}/{month}", response_model=RosterView)
async def get_roster(unit_code: str, month: str, who: CurrentIdentity, runtime: Runtime) -> Any:
    """A unit's roster for a month with its changes: the unit's people, admin_opd, BKPSDM."""
    rosters.month_of(month)
    async with runtime.db.read_session() as session:
        if not (access.sees_everyone(who) or access.admin_of(who, unit_code)):
            mine = await session.execute(
                text("SELECT unit_code FROM employee WHERE nip = :n"), {"n": who.sub}
            )
            if mine.scalar() != unit_code:
                raise forbidden("Jadwal dinas dilihat pegawai unit itu, admin OPD, atau BKPSDM.")
        view = await rosters.roster_view(session, unit_code, month)
    return JSONResponse(view, headers={"ETag": f'"{view["version"]}"'})


@router.post("/rosters/{unit_code}/{month}/publish", response_model=RosterView)
async def publish_roster(
    unit_code: str,
    month: str,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    clock: Now,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Publish the month's roster: from now on punches are matched to it."""

    async def action(uow: UnitOfWork) -> Outcome:
        roster = await rosters.publish(uow, who, unit_code, month, clock)
        return await rosters.roster_view(uow.session, unit_code, month), roster.version

    return await run_command(runtime, who, request, body=None, key=idempotency_key, action=action)


@router.patch("/rosters/{unit_code}/{day}/{nip}", response_model=RosterView)
async def change_roster_day(
    unit_code: str,
    day: dt.date,
    nip: str,
    body: RosterChangeBody,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    clock: Now,
) -> JSONResponse:
    """Change one person's rostered day with a reason (kept); published: until that day."""

    async def action(uow: UnitOfWork) -> Outcome:
        roster = await rosters.change_day(
            uow, who, unit_code, day, nip, body, clock, business_date(clock)
        )
        month = day.strftime("%Y-%m")
        return await rosters.roster_view(uow.session, unit_code, month), roster.version

    return await run_command(runtime, who, request, body=body, key=None, action=action)

"""Attendance routes: check-in/out, official travel, reads, recap, closing a day."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from servicekit import idempotency
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, Outcome, run_command
from servicekit.context import current_traceparent
from servicekit.dates import BusinessDate
from servicekit.groupcommit import GroupCommit
from servicekit.identity import Identity
from servicekit.problems import forbidden, invalid
from servicekit.runtime import Runtime, ServiceRuntime
from servicekit.uow import UnitOfWork
from sqlalchemy import text

from presensi import access, attendance, closing, store
from presensi import official_travel as travel
from presensi.api.schemas import (
    AttendanceList,
    AttendanceRecap,
    CheckBody,
    CheckInView,
    CheckOutView,
    ClosedDay,
    OfficialTravelBody,
    OfficialTravelView,
    now,
)
from presensi.domain.calendar import business_date
from presensi.punches import Answer, Desks, Punch
from presensi.settings import PresensiSettings

router = APIRouter(tags=["attendance"])
Now = Annotated[dt.datetime, Depends(now)]


@router.post("/attendance/check-in", status_code=201, response_model=CheckInView)
async def check_in(
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    clock: Now,
    body: CheckBody | None = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Check in for yourself now (server clock, WIB); outside the geofence is flagged."""
    desks: Desks = request.app.state.desks
    return await _punch(desks.check_in, who, runtime, request, clock, body, idempotency_key)


@router.post("/attendance/check-out", response_model=CheckOutView)
async def check_out(
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    clock: Now,
    body: CheckBody | None = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Check out for yourself now, after today's check-in."""
    desks: Desks = request.app.state.desks
    return await _punch(desks.check_out, who, runtime, request, clock, body, idempotency_key)


async def _punch(
    desk: GroupCommit[Punch, Answer],
    who: Identity,
    runtime: ServiceRuntime,
    request: Request,
    clock: dt.datetime,
    body: CheckBody | None,
    idempotency_key: str | None,
) -> JSONResponse:
    fp = None
    if idempotency_key is not None:
        dumped = body.model_dump(mode="json", exclude_unset=True) if body else None
        fp = idempotency.fingerprint(request.method, request.url.path, dumped)
    answer = await desk.submit(
        Punch(
            nip=attendance.self_only(who, body),
            actor=who.sub,
            at=clock,
            position=attendance.position(body),
            accuracy_m=body.accuracy_m if body is not None else None,
            idempotency_key=idempotency_key,
            fingerprint=fp,
            traceparent=str(current_traceparent().child()),
            source=runtime.settings.source,
            topic=runtime.settings.topic,
        )
    )
    headers = {"ETag": answer.etag} if answer.etag else {}
    if answer.replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(answer.body, status_code=answer.status, headers=headers)


def _date_range(start: dt.date, end: dt.date, *, limit_days: int = 366) -> None:
    if end < start:
        raise invalid("dates_out_of_order", "Tanggal akhir sebelum tanggal awal.", field="to")
    if (end - start).days >= limit_days:
        raise invalid("range_too_long", f"Rentang paling lama {limit_days} hari.", field="to")


@router.post("/attendance/official-travel", status_code=201, response_model=OfficialTravelView)
async def official_travel(
    body: OfficialTravelBody,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Register dinas luar for one person and days; by their direct supervisor (or BKPSDM)."""

    async def action(uow: UnitOfWork) -> Outcome:
        registered = await travel.register(
            uow, who, body.nip, body.start_date, body.end_date, body.reference
        )
        return registered, 1

    return await run_command(
        runtime, who, request, body=body, key=idempotency_key, action=action, status_code=201
    )


@router.get("/attendance", response_model=AttendanceList, response_model_exclude_unset=True)
async def list_attendance(
    who: CurrentIdentity,
    runtime: Runtime,
    nip: str,
    from_: Annotated[BusinessDate, Query(alias="from")],
    to: BusinessDate,
) -> dict[str, Any]:
    """Check-in/out records of one person between two dates (both included)."""
    _date_range(from_, to)
    async with runtime.db.read_session() as session:
        emp = await store.employee(session, nip)
        access.require_read(who, emp)
        rows = await session.execute(
            text(
                "SELECT * FROM attendance WHERE nip = :nip AND date BETWEEN :f AND :t ORDER BY date"
            ),
            {"nip": nip, "f": from_, "t": to},
        )
        travel = await session.execute(
            text(
                "SELECT date, reference FROM official_travel WHERE nip = :nip "
                "AND date BETWEEN :f AND :t ORDER BY date"
            ),
            {"nip": nip, "f": from_, "t": to},
        )
        return {
            "nip": nip,
            "items": [attendance.attendance_view(r) for r in rows],
            "official_travel": [{"date": r[0].isoformat(), "reference": r[1]} for r in travel],
        }


def _month(month: str) -> tuple[dt.date, dt.date]:
    try:
        first = dt.date.fromisoformat(f"{month}-01")
    except ValueError as exc:
        raise invalid("invalid_month", "Bulan ditulis YYYY-MM.", field="month") from exc
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return first, last


@router.get("/attendance/recap", response_model=AttendanceRecap, response_model_exclude_unset=True)
async def recap(
    who: CurrentIdentity,
    runtime: Runtime,
    month: str,
    nip: str | None = None,
    unit: str | None = None,
) -> dict[str, Any]:
    """Monthly recap per person (by nip, or everyone in a unit): statuses and deduction total."""
    if (nip is None) == (unit is None):
        raise invalid("nip_or_unit", "Sebutkan tepat satu dari `nip` atau `unit`.", field="nip")
    first, last = _month(month)
    async with runtime.db.read_session() as session:
        if nip is not None:
            access.require_read(who, await store.employee(session, nip))
        elif not (access.sees_everyone(who) or access.admin_of(who, str(unit))):
            raise forbidden("Rekap unit hanya untuk admin OPD unit itu atau BKPSDM.")
        else:
            await store.require_unit(session, str(unit))
        rows = await session.execute(
            text(
                "SELECT nip, status, count(*) AS days, sum(deduction_percent) AS deduction "
                "FROM day_status WHERE (nip = :nip OR CAST(:nip AS text) IS NULL) "
                "AND (unit_code = :unit OR CAST(:unit AS text) IS NULL) "
                "AND date BETWEEN :f AND :t GROUP BY nip, status ORDER BY nip, status"
            ),
            {"nip": nip, "unit": unit, "f": first, "t": last},
        )
        people: dict[str, dict[str, Any]] = {}
        for r in rows:
            person = people.setdefault(
                r.nip, {"nip": r.nip, "days": 0, "by_status": {}, "deduction_percent": 0.0}
            )
            person["by_status"][r.status] = int(r.days)
            person["days"] += int(r.days)
            person["deduction_percent"] = round(person["deduction_percent"] + r.deduction, 4)
        return {
            "month": month,
            "nip": nip,
            "unit": unit,
            "people": list(people.values()),
            "deduction_percent_total": round(
                sum(p["deduction_percent"] for p in people.values()), 4
            ),
        }


def _may_close(who: Identity) -> bool:
    return access.is_bkpsdm(who) or who.sub.startswith("system:") or who.has_role("system")


@router.post("/attendance/days/{day}/close", response_model=ClosedDay)
async def close_day(
    day: BusinessDate,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    clock: Now,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Close a past working day: one status per active employee (BKPSDM or a scheduler)."""
    if not _may_close(who):
        raise forbidden("Hanya BKPSDM (atau penjadwal sistem) yang menutup hari.")
    if day >= business_date(clock):
        raise invalid(
            "day_not_over", "Hanya hari yang sudah lewat yang dapat ditutup.", field="day"
        )
    settings: PresensiSettings = runtime.settings  # type: ignore[assignment]

    async def action(uow: UnitOfWork) -> Outcome:
        return await closing.close_day(uow, day, settings.deduction_daily_cap, clock), 1

    return await run_command(runtime, who, request, body=None, key=idempotency_key, action=action)

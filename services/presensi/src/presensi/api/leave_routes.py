"""Leave routes: requests, decisions, cancellation, balances."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, IfMatch, Outcome, run_command
from servicekit.pagination import decode_cursor, encode_cursor
from servicekit.problems import forbidden, invalid
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlmodel import col

from presensi import access, leave_requests, store
from presensi.api.schemas import (
    DecisionBody,
    LeaveBalances,
    LeaveRequestBody,
    LeaveRequestPage,
    LeaveRequestView,
    now,
)
from presensi.domain.calendar import business_date
from presensi.models import LeaveRequest

router = APIRouter(tags=["leave"])
Now = Annotated[dt.datetime, Depends(now)]


@router.post("/leave-requests", status_code=201, response_model=LeaveRequestView)
async def create_request(
    body: LeaveRequestBody,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    clock: Now,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Request leave for yourself; it goes to your direct supervisor from the replica."""

    async def action(uow: UnitOfWork) -> Outcome:
        req = await leave_requests.create(uow, who, body, business_date(clock))
        return leave_requests.view(req, who), req.version

    return await run_command(
        runtime,
        who,
        request,
        body=body,
        key=idempotency_key,
        action=action,
        status_code=201,
        location=lambda content: f"/leave-requests/{content['id']}",
    )


@router.get("/leave-requests", response_model=LeaveRequestPage, response_model_exclude_unset=True)
async def list_requests(
    who: CurrentIdentity,
    runtime: Runtime,
    nip: str | None = None,
    status: str | None = None,
    approver: Literal["me"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Requests by nip, status, or `approver=me` (those waiting on you), newest first."""
    statement = select(LeaveRequest)
    async with runtime.db.read_session() as session:
        if approver == "me":
            if access.is_bkpsdm(who):
                statement = statement.where(
                    (col(LeaveRequest.approver_nip) == who.sub)
                    | (col(LeaveRequest.status) == leave_requests.PENDING_BKPSDM)
                )
            else:
                statement = statement.where(col(LeaveRequest.approver_nip) == who.sub)
            statement = statement.where(col(LeaveRequest.nip) != who.sub)
        if nip is not None:
            access.require_read(who, await store.employee(session, nip))
            statement = statement.where(col(LeaveRequest.nip) == nip)
        elif approver is None and not access.sees_everyone(who):
            if who.has_role("admin_opd") and who.unit_id:
                statement = statement.where(
                    (col(LeaveRequest.unit_code) == who.unit_id)
                    | (col(LeaveRequest.nip) == who.sub)
                )
            else:
                statement = statement.where(col(LeaveRequest.nip) == who.sub)
        if status is not None:
            statement = statement.where(col(LeaveRequest.status) == status)
        after = decode_cursor(cursor)
        if after is not None:
            try:
                statement = statement.where(col(LeaveRequest.id) < uuid.UUID(after))
            except ValueError as exc:
                raise invalid("invalid_cursor", "Cursor tidak dikenali.", field="cursor") from exc
        statement = statement.order_by(col(LeaveRequest.id).desc()).limit(limit + 1)
        rows = list((await session.execute(statement)).scalars())
    items = [leave_requests.view(r, who) for r in rows[:limit]]
    more = len(rows) > limit
    return {"items": items, "next_cursor": encode_cursor(str(rows[limit - 1].id)) if more else None}


@router.get("/leave-requests/{request_id}", response_model=LeaveRequestView)
async def get_request(request_id: uuid.UUID, who: CurrentIdentity, runtime: Runtime) -> Any:
    """One request: the requester, their supervisor, admin_opd of the unit, BKPSDM."""
    async with runtime.db.read_session() as session:
        req = await leave_requests.load(session, request_id)
        emp = await store.employee(session, req.nip)
        if not (access.can_read(who, emp) or who.sub == req.approver_nip):
            raise forbidden()
        return JSONResponse(leave_requests.view(req, who), headers={"ETag": f'"{req.version}"'})


@router.post("/leave-requests/{request_id}/decision", response_model=LeaveRequestView)
async def decide(
    request_id: uuid.UUID,
    body: DecisionBody,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    clock: Now,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """approve | reject | defer, by the direct supervisor, then BKPSDM where the type needs it."""

    async def action(uow: UnitOfWork) -> Outcome:
        req = await leave_requests.decide(
            uow, who, request_id, body.decision, body.note, if_match, clock
        )
        return leave_requests.view(req, who), req.version

    return await run_command(runtime, who, request, body=body, key=idempotency_key, action=action)


@router.post("/leave-requests/{request_id}/cancel", response_model=LeaveRequestView)
async def cancel(
    request_id: uuid.UUID,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    clock: Now,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Cancel your own request before it starts; approved tahunan days return to the balance."""

    async def action(uow: UnitOfWork) -> Outcome:
        req = await leave_requests.cancel(uow, who, request_id, business_date(clock), clock)
        return leave_requests.view(req, who), req.version

    return await run_command(runtime, who, request, body=None, key=idempotency_key, action=action)


@router.get(
    "/leave-balances/{nip}", response_model=LeaveBalances, response_model_exclude_unset=True
)
async def balances(
    nip: str,
    who: CurrentIdentity,
    runtime: Runtime,
    clock: Now,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> dict[str, Any]:
    """Cuti tahunan balance per year with every entry that made it (entitlement, carry-over,
    taken, restored, forfeited for cuti besar)."""
    async with runtime.db.read_session() as session:
        emp = await store.employee(session, nip)
        access.require_read(who, emp)
        target = year or business_date(clock).year
        years = await leave_requests.year_balances(session, emp, target)
        reserved = await leave_requests.reserved_days(session, nip, target)
        return {"nip": nip, **leave_requests.balance_view(years, reserved)}

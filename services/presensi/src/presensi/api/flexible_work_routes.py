"""Flexible work routes: ask for your own day, your direct supervisor decides."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from asn_schemas.base import Nip
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import Field
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, IfMatch, Outcome, run_command
from servicekit.pagination import decode_cursor, encode_cursor
from servicekit.problems import forbidden, invalid
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlmodel import col

from presensi import access, flexible_work, store
from presensi.api.schemas import Body, FlexibleWorkPage, FlexibleWorkView, now
from presensi.shift_tables import FlexibleWork

router = APIRouter(tags=["flexible-work"])
Now = Annotated[dt.datetime, Depends(now)]


class FlexibleWorkBody(Body):
    """⚠ Days per month are the unit's policy (work_policy; default 4, 0 for front-line)."""

    nip: Nip | None = Field(default=None, description="If sent, must be the caller's own NIP.")
    date: dt.date
    place: str = Field(min_length=2, max_length=200, description="Rumah, kantor lain, …")
    reason: str = Field(min_length=3, max_length=1000)


class FlexibleDecisionBody(Body):
    decision: Literal["approve", "reject"]
    note: str | None = Field(default=None, max_length=1000)


@router.post("/flexible-work", status_code=201, response_model=FlexibleWorkView)
async def create_flexible_work(
    body: FlexibleWorkBody,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    clock: Now,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Ask to work from elsewhere on a day; it goes to your direct supervisor."""

    async def action(uow: UnitOfWork) -> Outcome:
        f = await flexible_work.create(uow, who, body, clock)
        return flexible_work.view(f), f.version

    return await run_command(
        runtime, who, request, body=body, key=idempotency_key, action=action, status_code=201,
        location=lambda content: f"/flexible-work/{content['id']}",
    )  # fmt: skip


@router.get("/flexible-work", response_model=FlexibleWorkPage, response_model_exclude_unset=True)
async def list_flexible_work(
    who: CurrentIdentity,
    runtime: Runtime,
    nip: str | None = None,
    status: str | None = None,
    approver: Literal["me"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """By nip, status, or `approver=me` (your inbox); otherwise your own. Newest first."""
    statement = select(FlexibleWork)
    async with runtime.db.read_session() as session:
        if approver == "me":
            statement = statement.where(col(FlexibleWork.approver_nip) == who.sub)
        if nip is not None:
            access.require_read(who, await store.employee(session, nip))
            statement = statement.where(col(FlexibleWork.nip) == nip)
        elif approver is None and not access.sees_everyone(who):
            statement = statement.where(col(FlexibleWork.nip) == who.sub)
        if status is not None:
            statement = statement.where(col(FlexibleWork.status) == status)
        after = decode_cursor(cursor)
        if after is not None:
            try:
                statement = statement.where(col(FlexibleWork.id) < uuid.UUID(after))
            except ValueError as exc:
                raise invalid("invalid_cursor", "Cursor tidak dikenali.", field="cursor") from exc
        statement = statement.order_by(col(FlexibleWork.id).desc()).limit(limit + 1)
        rows = list((await session.execute(statement)).scalars())
    more = len(rows) > limit
    return {
        "items": [flexible_work.view(r) for r in rows[:limit]],
        "next_cursor": encode_cursor(str(rows[limit - 1].id)) if more else None,
    }


@router.get("/flexible-work/{request_id}", response_model=FlexibleWorkView)
async def get_flexible_work(request_id: uuid.UUID, who: CurrentIdentity, runtime: Runtime) -> Any:
    """One request: the employee, their supervisor, admin_opd of the unit, BKPSDM."""
    async with runtime.db.read_session() as session:
        f = await flexible_work.load(session, request_id)
        emp = await store.employee(session, f.nip)
        if not (access.can_read(who, emp) or who.sub == f.approver_nip):
            raise forbidden()
        return JSONResponse(flexible_work.view(f), headers={"ETag": f'"{f.version}"'})


@router.post("/flexible-work/{request_id}/decision", response_model=FlexibleWorkView)
async def decide_flexible_work(
    request_id: uuid.UUID,
    body: FlexibleDecisionBody,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    clock: Now,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """approve | reject, by the direct supervisor."""

    async def action(uow: UnitOfWork) -> Outcome:
        f = await flexible_work.decide(
            uow, who, request_id, body.decision, body.note, if_match, clock
        )
        return flexible_work.view(f), f.version

    return await run_command(runtime, who, request, body=body, key=idempotency_key, action=action)

"""SKP: drafted and submitted by the employee, agreed or sent back by the supervisor."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, IfMatch, Outcome, run_command
from servicekit.pagination import encode_cursor
from servicekit.problems import etag, not_found
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlmodel import col

from kinerja import access, skps, store
from kinerja.api.schemas import ReturnNote, SkpCreate, SkpPage, SkpUpdate, SkpView, cursor_id
from kinerja.domain.skp import SkpStatus
from kinerja.models import Skp
from kinerja.views import skp_view

router = APIRouter(tags=["skp"])


async def _outcome(uow: UnitOfWork, skp: Skp) -> Outcome:
    return skp_view(skp, await store.rhk_of(uow.session, skp.id)), skp.version


@router.post("/skp", status_code=201, response_model=SkpView)
async def create_skp(
    body: SkpCreate,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Draft one's own SKP for a year, with its RHK, indicators and targets."""

    async def action(uow: UnitOfWork) -> Outcome:
        skp, rhk = await skps.create(uow, who, body)
        return skp_view(skp, rhk), skp.version

    return await run_command(
        runtime,
        who,
        request,
        body=body,
        key=idempotency_key,
        action=action,
        status_code=201,
        location=lambda content: f"/skp/{content['id']}",
    )


@router.get("/skp", response_model=SkpPage, response_model_exclude_unset=True)
async def list_skp(
    who: CurrentIdentity,
    runtime: Runtime,
    nip: str | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    status: SkpStatus | None = None,
    to_agree: Annotated[bool, Query(description="Only SKPs waiting for my agreement.")] = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """SKPs the caller may see, filtered by NIP, year and status; `to_agree` for the inbox."""
    after = cursor_id(cursor)
    async with runtime.db.read_session() as session:
        query = select(Skp)
        visible = await access.visible(session, who, Skp.nip, Skp.unit_id)  # type: ignore[arg-type]
        if visible is not None:
            query = query.where(visible)
        if to_agree:
            query = query.where(
                col(Skp.rater_nip) == who.sub, col(Skp.status) == SkpStatus.SUBMITTED.value
            )
        for column, value in (
            (col(Skp.nip), nip),
            (col(Skp.year), year),
            (col(Skp.status), status),
        ):
            if value is not None:
                query = query.where(column == value)
        if after is not None:
            query = query.where(col(Skp.id) > after)
        rows = list((await session.execute(query.order_by(col(Skp.id)).limit(limit + 1))).scalars())
        page = rows[:limit]
        items = [skp_view(s, await store.rhk_of(session, s.id)) for s in page]
    next_cursor = encode_cursor(str(page[-1].id)) if len(rows) > limit else None
    return {"items": items, "next_cursor": next_cursor}


@router.get("/skp/{skp_id}", response_model=SkpView)
async def get_skp(skp_id: uuid.UUID, who: CurrentIdentity, runtime: Runtime) -> JSONResponse:
    """One SKP with its RHK; the ETag is its version."""
    async with runtime.db.read_session() as session:
        skp = await session.get(Skp, skp_id)
        if skp is None:
            raise not_found("skp", f"SKP {skp_id}")
        await access.require_read(session, who, skp.nip, skp.unit_id)
        body = skp_view(skp, await store.rhk_of(session, skp.id))
    return JSONResponse(body, headers={"ETag": etag(skp.version)})


@router.put("/skp/{skp_id}", response_model=SkpView)
async def update_skp(
    skp_id: uuid.UUID,
    body: SkpUpdate,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Replace the RHK of one's own draft or returned SKP."""

    async def action(uow: UnitOfWork) -> Outcome:
        skp = await skps.load(uow.session, skp_id, if_match)
        rhk = await skps.update(uow, who, skp, body)
        return skp_view(skp, rhk), skp.version

    return await run_command(runtime, who, request, body=body, key=None, action=action)


@router.post("/skp/{skp_id}/submit", response_model=SkpView)
async def submit_skp(
    skp_id: uuid.UUID,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Submit one's own SKP to the supervisor for agreement."""

    async def action(uow: UnitOfWork) -> Outcome:
        skp = await skps.load(uow.session, skp_id, if_match)
        await skps.submit(uow, who, skp)
        return await _outcome(uow, skp)

    return await run_command(runtime, who, request, body=None, key=idempotency_key, action=action)


@router.post("/skp/{skp_id}/approve", response_model=SkpView)
async def approve_skp(
    skp_id: uuid.UUID,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Agree a submitted SKP (the direct supervisor, or the next one up if absent)."""

    async def action(uow: UnitOfWork) -> Outcome:
        skp = await skps.load(uow.session, skp_id, if_match)
        rhk = await skps.approve(uow, who, skp)
        return skp_view(skp, rhk), skp.version

    return await run_command(runtime, who, request, body=None, key=idempotency_key, action=action)


@router.post("/skp/{skp_id}/return", response_model=SkpView)
async def return_skp(
    skp_id: uuid.UUID,
    body: ReturnNote,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Send a submitted SKP back to the employee with a note."""

    async def action(uow: UnitOfWork) -> Outcome:
        skp = await skps.load(uow.session, skp_id, if_match)
        await skps.send_back(uow, who, skp, body.note)
        return await _outcome(uow, skp)

    return await run_command(runtime, who, request, body=body, key=idempotency_key, action=action)

"""Forum masyarakat sessions (the coordinator records them; staff read them)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, Outcome, run_command
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlmodel import col

from aspirasi import access, board, forums
from aspirasi.api.deps import Now
from aspirasi.api.schemas import ForumFollowUpIn, ForumIn, ForumList, ForumView, MinutesIn
from aspirasi.models import Forum
from aspirasi.views import forum_view

router = APIRouter(tags=["forums"])


async def _view(uow: UnitOfWork, forum: Forum) -> Outcome:
    items = await board.forum_items(uow.session, [forum.id])
    return forum_view(forum, items.get(forum.id, [])), forum.version


@router.post("/forums", status_code=201, response_model=ForumView)
async def create_forum(
    body: ForumIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Record a forum session: date, place, organisations present and counts."""

    async def action(uow: UnitOfWork) -> Outcome:
        return await _view(uow, await forums.hold_session(uow, who, body))

    return await run_command(
        runtime,
        who,
        request,
        body=body,
        key=idempotency_key,
        action=action,
        status_code=201,
        location=lambda c: f"/forums/{c['id']}",
    )


@router.get("/forums", response_model=ForumList, response_model_exclude_unset=True)
async def list_forums(
    who: CurrentIdentity,
    runtime: Runtime,
    unit: Annotated[str | None, Query(max_length=50)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> dict[str, Any]:
    """Forum sessions with their follow-up items, newest first."""
    async with runtime.db.read_session() as session:
        access.require_staff(who, await access.handler_unit(session, who))
        query = select(Forum).order_by(col(Forum.held_on).desc()).limit(limit)
        if unit is not None:
            query = query.where(col(Forum.unit_code) == unit)
        rows = list((await session.execute(query)).scalars())
        items = await board.forum_items(session, [f.id for f in rows])
    return {"items": [forum_view(f, items.get(f.id, [])) for f in rows]}


@router.post("/forums/{forum_id}/minutes", response_model=ForumView)
async def set_minutes(
    forum_id: uuid.UUID,
    body: MinutesIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
) -> JSONResponse:
    """Record the minutes (notulen) of a session."""

    async def action(uow: UnitOfWork) -> Outcome:
        forum = await forums.load(uow, forum_id)
        await forums.set_minutes(uow, who, forum, body.minutes)
        return await _view(uow, forum)

    return await run_command(runtime, who, request, body=body, key=None, action=action)


@router.post("/forums/{forum_id}/follow-ups", status_code=201, response_model=ForumView)
async def add_follow_up(
    forum_id: uuid.UUID,
    body: ForumFollowUpIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    now: Now,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Add a follow-up item owned by a unit with a due date, tracked like a ticket."""

    async def action(uow: UnitOfWork) -> Outcome:
        forum = await forums.load(uow, forum_id)
        await forums.add_follow_up(uow, who, forum, body, now)
        await uow.session.flush()
        return await _view(uow, forum)

    return await run_command(
        runtime, who, request, body=body, key=idempotency_key, action=action, status_code=201
    )

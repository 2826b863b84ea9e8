"""Continuous feedback: a supervisor records it at any time, tied to an RHK or a BerAKHLAK
value; the employee reads it and can reply."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, Outcome, run_command
from servicekit.identity import Role
from servicekit.pagination import encode_cursor
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import or_, select
from sqlmodel import col

from kinerja import feedback_notes, store
from kinerja.api.schemas import FeedbackIn, FeedbackPage, FeedbackView, ReplyIn, cursor_id
from kinerja.models import Feedback
from kinerja.views import feedback_view

router = APIRouter(tags=["feedback"])


@router.post("/feedback", status_code=201, response_model=FeedbackView)
async def give_feedback(
    body: FeedbackIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Record feedback for someone who reports to the caller (directly or further down)."""

    async def action(uow: UnitOfWork) -> Outcome:
        row = await feedback_notes.give(uow, who, body)
        return feedback_view(row), row.version

    return await run_command(
        runtime,
        who,
        request,
        body=body,
        key=idempotency_key,
        action=action,
        status_code=201,
        location=lambda content: f"/feedback/{content['id']}",
    )


@router.get("/feedback", response_model=FeedbackPage, response_model_exclude_unset=True)
async def list_feedback(
    who: CurrentIdentity,
    runtime: Runtime,
    nip: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Feedback the caller received, gave, or (as an atasan or BKPSDM) may read."""
    after = cursor_id(cursor)
    async with runtime.db.read_session() as session:
        query = select(Feedback)
        if not who.has_role(Role.BKPSDM):
            reports = await store.reports_of(session, who.sub)
            query = query.where(
                or_(
                    col(Feedback.nip) == who.sub,
                    col(Feedback.giver_nip) == who.sub,
                    col(Feedback.nip).in_(reports or {""}),
                )
            )
        if nip is not None:
            query = query.where(col(Feedback.nip) == nip)
        if after is not None:
            query = query.where(col(Feedback.id) > after)
        query = query.order_by(col(Feedback.id)).limit(limit + 1)
        rows = list((await session.execute(query)).scalars())
    page = rows[:limit]
    next_cursor = encode_cursor(str(page[-1].id)) if len(rows) > limit else None
    return {"items": [feedback_view(f) for f in page], "next_cursor": next_cursor}


@router.post("/feedback/{feedback_id}/reply", response_model=FeedbackView)
async def reply_feedback(
    feedback_id: uuid.UUID,
    body: ReplyIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """The employee's reply to feedback they received (once)."""

    async def action(uow: UnitOfWork) -> Outcome:
        row = await feedback_notes.reply(uow, who, feedback_id, body.text)
        return feedback_view(row), row.version

    return await run_command(runtime, who, request, body=body, key=idempotency_key, action=action)

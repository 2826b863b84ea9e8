"""Staff routes: the coordinator's decisions, the unit's follow-up and answer, the lists."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from asn_schemas.aspirasi import Privacy, SubmissionKind, SubmissionStatus
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, IfMatch, Outcome, run_command
from servicekit.identity import Identity
from servicekit.pagination import decode_cursor, encode_cursor
from servicekit.problems import check_if_match, etag, forbidden, not_found
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlmodel import col

from aspirasi import access, handling, store
from aspirasi.api.deps import Now
from aspirasi.api.schemas import (
    MONTH_PATTERN,
    ReasonIn,
    ReferIn,
    RouteIn,
    SignalList,
    SubmissionPage,
    SubmissionView,
    VerifyIn,
    WordsIn,
)
from aspirasi.models import Submission, UnitSignal
from aspirasi.views import staff_view

router = APIRouter(tags=["submissions"])


async def _detail(uow_or_session: Any, who: Identity, sub: Submission) -> dict[str, Any]:
    session = uow_or_session
    unit = await access.handler_unit(session, who)
    words = access.may_read_words(who, unit, sub)
    return staff_view(
        sub,
        words=words,
        history=await store.steps_of(session, sub.id),
        clocks=await store.clocks_of(session, sub.id),
    )


@router.get("/submissions", response_model=SubmissionPage, response_model_exclude_unset=True)
async def list_submissions(
    who: CurrentIdentity,
    runtime: Runtime,
    status: SubmissionStatus | None = None,
    unit: Annotated[str | None, Query(max_length=50)] = None,
    kind: SubmissionKind | None = None,
    escalated: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Tickets the caller may see, by status, unit, kind and escalation; newest first."""
    async with runtime.db.read_session() as session:
        own = await access.handler_unit(session, who)
        access.require_staff(who, own)
        query = select(Submission)
        if not access.reads_all(who):
            query = query.where(col(Submission.unit_code) == own)
        for column, value in (
            (col(Submission.status), status.value if status else None),
            (col(Submission.unit_code), unit),
            (col(Submission.kind), kind.value if kind else None),
            (col(Submission.escalated), escalated),
        ):
            if value is not None:
                query = query.where(column == value)
        after = decode_cursor(cursor)
        if after is not None:
            query = query.where(col(Submission.code) < after)
        query = query.order_by(col(Submission.code).desc()).limit(limit + 1)
        rows = list((await session.execute(query)).scalars())
    page = rows[:limit]
    items = [staff_view(s, words=access.may_read_words(who, own, s)) for s in page]
    next_cursor = encode_cursor(page[-1].code) if len(rows) > limit else None
    return {"items": items, "next_cursor": next_cursor}


@router.get("/submissions/{submission_id}", response_model=SubmissionView)
async def get_submission(
    submission_id: uuid.UUID, who: CurrentIdentity, runtime: Runtime
) -> JSONResponse:
    """One ticket with its history and clocks; the ETag is its version."""
    async with runtime.db.read_session() as session:
        sub = await session.get(Submission, submission_id)
        own = await access.handler_unit(session, who)
        if sub is None or not access.may_read(who, own, sub):
            access.require_staff(who, own)
            raise not_found("submission", f"Tiket {submission_id}")
        body = await _detail(session, who, sub)
    return JSONResponse(body, headers={"ETag": etag(sub.version)})


Step = Callable[[UnitOfWork, Submission], Awaitable[None]]


async def _step(
    runtime: Runtime,
    who: Identity,
    request: Request,
    submission_id: uuid.UUID,
    body: BaseModel | None,
    key: str | None,
    if_match: str | None,
    step: Step,
) -> JSONResponse:
    async def action(uow: UnitOfWork) -> Outcome:
        sub = await store.locked(uow.session, submission_id)
        if sub is None:
            raise not_found("submission", f"Tiket {submission_id}")
        own = await access.handler_unit(uow.session, who)
        if not access.is_coordinator(who) and not access.may_read(who, own, sub):
            raise forbidden()
        check_if_match(if_match, sub.version, required=False)
        await step(uow, sub)
        await uow.session.flush()
        return await _detail(uow.session, who, sub), sub.version

    return await run_command(runtime, who, request, body=body, key=key, action=action)


@router.post("/submissions/{submission_id}/verify", response_model=SubmissionView)
async def verify(
    submission_id: uuid.UUID,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    now: Now,
    body: VerifyIn | None = None,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Verify (coordinator): the file is complete; privacy may be made stricter."""
    privacy: Privacy | None = body.privacy if body else None
    return await _step(
        runtime,
        who,
        request,
        submission_id,
        body,
        idempotency_key,
        if_match,
        lambda uow, sub: handling.verify(uow, who, sub, privacy, now),
    )


@router.post("/submissions/{submission_id}/route", response_model=SubmissionView)
async def route(
    submission_id: uuid.UUID,
    body: RouteIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    now: Now,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Disposisi (coordinator) to an existing, active unit."""
    return await _step(
        runtime,
        who,
        request,
        submission_id,
        body,
        idempotency_key,
        if_match,
        lambda uow, sub: handling.route(uow, who, sub, body.unit_code, body.privacy, now),
    )


@router.post("/submissions/{submission_id}/hold", response_model=SubmissionView)
async def hold(
    submission_id: uuid.UUID,
    body: ReasonIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    now: Now,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Tunda (coordinator), with the reason the citizen reads."""
    return await _step(
        runtime,
        who,
        request,
        submission_id,
        body,
        idempotency_key,
        if_match,
        lambda uow, sub: handling.hold(uow, who, sub, body.reason, now),
    )


@router.post("/submissions/{submission_id}/refer", response_model=SubmissionView)
async def refer(
    submission_id: uuid.UUID,
    body: ReferIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    now: Now,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Bukan wewenang (coordinator), with where the citizen should go instead."""
    return await _step(
        runtime,
        who,
        request,
        submission_id,
        body,
        idempotency_key,
        if_match,
        lambda uow, sub: handling.refer(uow, who, sub, body.referral, now),
    )


@router.post("/submissions/{submission_id}/archive", response_model=SubmissionView)
async def archive(
    submission_id: uuid.UUID,
    body: ReasonIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    now: Now,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Archive as spam (coordinator)."""
    return await _step(
        runtime,
        who,
        request,
        submission_id,
        body,
        idempotency_key,
        if_match,
        lambda uow, sub: handling.archive(uow, who, sub, body.reason, now),
    )


@router.post("/submissions/{submission_id}/follow-up", response_model=SubmissionView)
async def follow_up(
    submission_id: uuid.UUID,
    body: WordsIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    now: Now,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """State the tindak lanjut (the unit's admin_opd), within 5 working days of routing."""
    return await _step(
        runtime,
        who,
        request,
        submission_id,
        body,
        idempotency_key,
        if_match,
        lambda uow, sub: handling.follow_up(uow, who, sub, body.text, now),
    )


@router.post("/submissions/{submission_id}/answer", response_model=SubmissionView)
async def answer(
    submission_id: uuid.UUID,
    body: WordsIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    now: Now,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Answer the citizen (the unit's admin_opd), after a tindak lanjut."""
    return await _step(
        runtime,
        who,
        request,
        submission_id,
        body,
        idempotency_key,
        if_match,
        lambda uow, sub: handling.answer(uow, who, sub, body.text, now),
    )


@router.post("/submissions/{submission_id}/return", response_model=SubmissionView)
async def send_back(
    submission_id: uuid.UUID,
    body: ReasonIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    now: Now,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Send back to the coordinator as misrouted (the unit's admin_opd; once per unit)."""
    return await _step(
        runtime,
        who,
        request,
        submission_id,
        body,
        idempotency_key,
        if_match,
        lambda uow, sub: handling.send_back(uow, who, sub, body.reason, now),
    )


@router.get("/signals", response_model=SignalList, response_model_exclude_unset=True)
async def list_signals(
    who: CurrentIdentity,
    runtime: Runtime,
    unit: Annotated[str | None, Query(max_length=50)] = None,
    month: Annotated[str | None, Query(pattern=MONTH_PATTERN)] = None,
) -> dict[str, Any]:
    """The units' monthly signals as last published (staff)."""
    async with runtime.db.read_session() as session:
        own = await access.handler_unit(session, who)
        if not (access.reads_all(who) or own is not None or who.has_role("bkpsdm")):
            raise forbidden()
        query = select(UnitSignal).order_by(col(UnitSignal.month).desc(), col(UnitSignal.unit_code))
        if unit is not None:
            query = query.where(col(UnitSignal.unit_code) == unit)
        if month is not None:
            query = query.where(col(UnitSignal.month) == month)
        rows = list((await session.execute(query)).scalars())
    return {
        "items": [
            {
                "unit_code": r.unit_code,
                "month": r.month,
                **r.figures,
                "computed_at": r.computed_at.isoformat(),
            }
            for r in rows
        ]
    }

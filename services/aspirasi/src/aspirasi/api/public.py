"""Citizens' routes: no account, no token; the ticket code and its secret open a ticket."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse
from servicekit.commands import IdempotencyKey, Outcome, run_command
from servicekit.identity import Identity
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlmodel import col

from aspirasi import board, intake, store, tracking
from aspirasi.api.deps import Limiters, Now, PublicClient, SubmittingClient, check_secret_budget
from aspirasi.api.schemas import (
    MONTH_PATTERN,
    Board,
    CitizenTicket,
    ConfirmIn,
    ForumList,
    MessageIn,
    RatingIn,
    Receipt,
    ReopenIn,
    SubmissionIn,
)
from aspirasi.models import Forum, Submission
from aspirasi.views import citizen_view, forum_view

router = APIRouter(prefix="/public", tags=["public"])
CITIZEN = Identity(sub="warga")
Secret = Annotated[
    str | None,
    Header(alias="X-Ticket-Secret", max_length=64, description="The secret shown at submission."),
]


@router.post("/submissions", status_code=201, response_model=Receipt)
async def submit(
    body: SubmissionIn,
    runtime: Runtime,
    request: Request,
    now: Now,
    _client: SubmittingClient,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Send an aspirasi, pengaduan, permintaan informasi or apresiasi; keep the secret."""
    intake.check_honeypot(body)
    cleaned = await intake.clean_photos(body)

    async def action(uow: UnitOfWork) -> Outcome:
        sub, secret = await intake.receive(uow, body, cleaned, now)
        content = {
            "code": sub.code,
            "secret": secret,
            "status": sub.status,
            "privacy": sub.privacy,
            "received_at": sub.received_at.isoformat(),
            "note": "Simpan kode rahasia ini: hanya ditampilkan sekali.",
        }
        return content, sub.version

    return await run_command(
        runtime,
        CITIZEN,
        request,
        body=body,
        key=idempotency_key,
        action=action,
        status_code=201,
        location=lambda c: f"/public/submissions/{c['code']}",
    )


async def _opened(
    request: Request,
    runtime: Runtime,
    client: str,
    code: str,
    secret: str | None,
    uow: UnitOfWork | None = None,
) -> Submission:
    limiters: Limiters = request.app.state.limiters
    check_secret_budget(limiters, client)
    try:
        if uow is not None:
            return await tracking.open_ticket(uow.session, code, secret, lock=True)
        async with runtime.db.read_session() as session:
            return await tracking.open_ticket(session, code, secret)
    except tracking.WrongSecret:
        limiters.secret_failures.retry_after(client)
        raise


@router.get("/submissions/{code}", response_model=CitizenTicket, response_model_exclude_unset=True)
async def follow(
    code: str,
    runtime: Runtime,
    request: Request,
    client: PublicClient,
    secret: Secret = None,
) -> dict[str, Any]:
    """The ticket as its reporter follows it (secret in `X-Ticket-Secret`)."""
    sub = await _opened(request, runtime, client, code, secret)
    async with runtime.db.read_session() as session:
        history = await store.steps_of(session, sub.id)
        units = await store.unit_names(session)
    return citizen_view(sub, history, units)


async def _citizen_step(
    request: Request,
    runtime: Runtime,
    client: str,
    code: str,
    secret: str | None,
    body: Any,
    step: Callable[[UnitOfWork, Submission], Awaitable[None]],
) -> JSONResponse:
    async def action(uow: UnitOfWork) -> Outcome:
        sub = await _opened(request, runtime, client, code, secret, uow)
        await step(uow, sub)
        await uow.session.flush()
        history = await store.steps_of(uow.session, sub.id)
        return citizen_view(sub, history, await store.unit_names(uow.session)), sub.version

    return await run_command(runtime, CITIZEN, request, body=body, key=None, action=action)


@router.post("/submissions/{code}/messages", response_model=CitizenTicket)
async def add_message(
    code: str,
    body: MessageIn,
    runtime: Runtime,
    request: Request,
    now: Now,
    client: PublicClient,
    secret: Secret = None,
) -> JSONResponse:
    """Add information to one's ticket."""
    return await _citizen_step(
        request,
        runtime,
        client,
        code,
        secret,
        body,
        lambda uow, sub: tracking.add_message(uow, sub, body.text, now),
    )


@router.post("/submissions/{code}/confirm", response_model=CitizenTicket)
async def confirm(
    code: str,
    runtime: Runtime,
    request: Request,
    now: Now,
    client: PublicClient,
    secret: Secret = None,
    body: ConfirmIn | None = None,
) -> JSONResponse:
    """Confirm the answer settled it: the ticket closes as resolved."""
    rating = body.rating if body else None
    return await _citizen_step(
        request,
        runtime,
        client,
        code,
        secret,
        body,
        lambda uow, sub: tracking.confirm(uow, sub, rating, now),
    )


@router.post("/submissions/{code}/reopen", response_model=CitizenTicket)
async def reopen(
    code: str,
    body: ReopenIn,
    runtime: Runtime,
    request: Request,
    now: Now,
    client: PublicClient,
    secret: Secret = None,
) -> JSONResponse:
    """The answer did not settle it: back to the same unit, its clock restarted."""
    return await _citizen_step(
        request,
        runtime,
        client,
        code,
        secret,
        body,
        lambda uow, sub: tracking.reopen(uow, sub, body.reason, now),
    )


@router.post("/submissions/{code}/rating", response_model=CitizenTicket)
async def rate(
    code: str,
    body: RatingIn,
    runtime: Runtime,
    request: Request,
    now: Now,
    client: PublicClient,
    secret: Secret = None,
) -> JSONResponse:
    """Rate the answer, 1 to 5, once."""
    return await _citizen_step(
        request,
        runtime,
        client,
        code,
        secret,
        body,
        lambda uow, sub: tracking.rate(uow, sub, body.rating, now),
    )


@router.get("/board", response_model=Board, response_model_exclude_unset=True)
async def public_board(
    runtime: Runtime,
    now: Now,
    _client: PublicClient,
    unit: Annotated[str | None, Query(max_length=50)] = None,
    month: Annotated[str | None, Query(pattern=MONTH_PATTERN)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Per unit and month: the figures, and the publik and anonim tickets."""
    async with runtime.db.read_session() as session:
        return await board.board(session, now, unit=unit, month=month, limit=limit, cursor=cursor)


@router.get("/forums", response_model=ForumList, response_model_exclude_unset=True)
async def public_forums(
    runtime: Runtime,
    _client: PublicClient,
    unit: Annotated[str | None, Query(max_length=50)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Forum masyarakat sessions with the status of what was promised."""
    async with runtime.db.read_session() as session:
        query = select(Forum).order_by(col(Forum.held_on).desc()).limit(limit)
        if unit is not None:
            query = query.where(col(Forum.unit_code) == unit)
        forums = list((await session.execute(query)).scalars())
        items = await board.forum_items(session, [f.id for f in forums])
    return {"items": [forum_view(f, items.get(f.id, [])) for f in forums]}

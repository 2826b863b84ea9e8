"""Continuous feedback: a supervisor records it at any time, tied to an RHK or a BerAKHLAK
value; the employee reads it and can reply."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from asn_schemas.kinerja import FeedbackGivenV1
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, Outcome, run_command
from servicekit.identity import Role
from servicekit.pagination import encode_cursor
from servicekit.problems import conflict, forbidden, invalid, not_found
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import or_, select
from sqlmodel import col

from kinerja import access, store
from kinerja.api.schemas import FeedbackIn, ReplyIn, cursor_id
from kinerja.models import Feedback
from kinerja.views import feedback_view

router = APIRouter(tags=["feedback"])


@router.post("/feedback", status_code=201)
async def give_feedback(
    body: FeedbackIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Record feedback for someone who reports to the caller (directly or further down)."""

    async def action(uow: UnitOfWork) -> Outcome:
        session = uow.session
        if body.nip == who.sub:
            raise invalid("self_feedback", "Umpan balik diberikan kepada orang lain.", field="nip")
        if await store.employee(session, body.nip) is None:
            raise invalid("employee_unknown", f"Pegawai {body.nip} tidak dikenal.", field="nip")
        if who.sub not in await store.supervisor_chain(session, body.nip):
            raise forbidden("Umpan balik diberikan oleh atasan pegawai yang bersangkutan.")
        if body.rhk_id is None and body.value is None:
            raise invalid(
                "feedback_target_missing", "Sebutkan RHK atau nilai BerAKHLAK yang dimaksud."
            )
        skp_id = None
        if body.rhk_id is not None:
            found = await store.rhk_with_skp(session, body.rhk_id)
            if found is None or found[1].nip != body.nip:
                raise invalid(
                    "rhk_not_in_skp",
                    "RHK itu bukan bagian dari SKP pegawai yang bersangkutan.",
                    field="rhk_id",
                )
            skp_id = found[1].id
        row = Feedback(
            id=uuid.uuid4(),
            nip=body.nip,
            giver_nip=who.sub,
            skp_id=skp_id,
            rhk_id=body.rhk_id,
            value=body.value.value if body.value else None,
            text=body.text,
            created_at=datetime.now(UTC),
        )
        session.add(row)
        assert row.created_at is not None
        payload = FeedbackGivenV1(
            feedback_id=row.id,
            nip=row.nip,
            giver_nip=row.giver_nip,
            skp_id=skp_id,
            rhk_id=body.rhk_id,
            value=body.value,
            given_at=row.created_at,
        )
        uow.add_event(
            payload, subject=row.nip, sequence=await store.next_sequence(session, row.nip)
        )
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


@router.get("/feedback")
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


@router.post("/feedback/{feedback_id}/reply")
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
        row = await store.locked(uow.session, Feedback, feedback_id)
        if row is None:
            raise not_found("feedback", f"Umpan balik {feedback_id}")
        access.require_self(who, row.nip, "membalas umpan balik ini")
        if row.reply is not None:
            raise conflict("already_replied", "Umpan balik ini sudah dibalas.")
        row.reply = body.text
        row.replied_at = datetime.now(UTC)
        row.version += 1
        return feedback_view(row), row.version

    return await run_command(runtime, who, request, body=body, key=idempotency_key, action=action)

"""Learning records: non-klasikal learning recorded by the employee, verified by the supervisor."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, IfMatch, Outcome, run_command
from servicekit.pagination import encode_cursor
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlmodel import col

from pelatihan import access, learning
from pelatihan.api.schemas import (
    LearningRecordIn,
    LearningRecordPage,
    LearningRecordView,
    NipStr,
    VerifyIn,
    cursor_id,
)
from pelatihan.models import LearningRecord
from pelatihan.views import learning_record_view

router = APIRouter(tags=["learning records"])


@router.post("/learning-records", status_code=201, response_model=LearningRecordView)
async def submit_learning_record(
    body: LearningRecordIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Record one's own non-klasikal learning; it counts once the supervisor verifies it."""

    async def action(uow: UnitOfWork) -> Outcome:
        found = await learning.submit(uow, body)
        return learning_record_view(found), found.version

    return await run_command(
        runtime,
        who,
        request,
        body=body,
        key=idempotency_key,
        action=action,
        status_code=201,
        location=lambda content: f"/learning-records/{content['id']}",
    )


@router.get(
    "/learning-records", response_model=LearningRecordPage, response_model_exclude_unset=True
)
async def list_learning_records(
    who: CurrentIdentity,
    runtime: Runtime,
    nip: NipStr | None = None,
    status: Literal["pending", "verified", "rejected"] | None = None,
    verifier: Annotated[
        Literal["me"] | None, Query(description="`me`: those waiting for my verification.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Learning records the caller may see; `verifier=me` for the inbox."""
    after = cursor_id(cursor)
    async with runtime.db.read_session() as session:
        query = select(LearningRecord)
        if verifier == "me":
            query = query.where(
                col(LearningRecord.verifier_nip) == who.sub, col(LearningRecord.status) == "pending"
            )
        else:
            visible = await access.visible(session, who, LearningRecord.nip, LearningRecord.unit_id)  # type: ignore[arg-type]
            if visible is not None:
                query = query.where(visible)
        if nip is not None:
            query = query.where(col(LearningRecord.nip) == nip)
        if status is not None:
            query = query.where(col(LearningRecord.status) == status)
        if after is not None:
            query = query.where(col(LearningRecord.id) > after)
        query = query.order_by(col(LearningRecord.id)).limit(limit + 1)
        rows = list((await session.execute(query)).scalars())
    page = rows[:limit]
    next_cursor = encode_cursor(str(page[-1].id)) if len(rows) > limit else None
    return {"items": [learning_record_view(r) for r in page], "next_cursor": next_cursor}


@router.post("/learning-records/{record_id}/verify", response_model=LearningRecordView)
async def verify_learning_record(
    record_id: uuid.UUID,
    body: VerifyIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Accept (the JP count) or reject a report's learning record (the direct supervisor)."""

    async def action(uow: UnitOfWork) -> Outcome:
        found = await learning.load(uow, record_id, if_match)
        await learning.verify(uow, found, body)
        return learning_record_view(found), found.version

    return await run_command(runtime, who, request, body=body, key=idempotency_key, action=action)

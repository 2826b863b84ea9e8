"""Enrolments: request or nominate, the two approvals, withdrawal, completion."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, IfMatch, Outcome, run_command
from servicekit.identity import Role
from servicekit.pagination import encode_cursor
from servicekit.problems import etag, not_found
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from pelatihan import access, enrollments, selection
from pelatihan.api.schemas import (
    CompletionIn,
    DecisionIn,
    EnrollmentIn,
    EnrollmentPage,
    EnrollmentView,
    NipStr,
    cursor_id,
)
from pelatihan.models import Enrollment, Program
from pelatihan.views import enrollment_view

router = APIRouter(tags=["enrollments"])

Status = Literal[
    "requested",
    "supervisor_approved",
    "approved",
    "rejected",
    "withdrawn",
    "completed",
    "not_completed",
]


async def _view(session: AsyncSession, e: Enrollment) -> dict[str, Any]:
    """The enrolment with its standing in the program's ranking while it waits for a seat."""
    standing = None
    if e.status in ("requested", "supervisor_approved", "approved"):
        program = await session.get(Program, e.program_id)
        assert program is not None
        standing = selection.standing_of(await selection.ranking(session, program), e.id)
    return enrollment_view(e, standing=standing)


@router.post("/enrollments", status_code=201, response_model=EnrollmentView)
async def request_enrollment(
    body: EnrollmentIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Enrol oneself, or nominate someone (their supervisor or their unit's admin_opd).
    Beyond the quota the request is kept and waits in the ranking's order."""

    async def action(uow: UnitOfWork) -> Outcome:
        found = await enrollments.request(uow, body)
        await uow.session.flush()
        return await _view(uow.session, found), found.version

    return await run_command(
        runtime,
        who,
        request,
        body=body,
        key=idempotency_key,
        action=action,
        status_code=201,
        location=lambda content: f"/enrollments/{content['id']}",
    )


@router.get("/enrollments", response_model=EnrollmentPage, response_model_exclude_unset=True)
async def list_enrollments(
    who: CurrentIdentity,
    runtime: Runtime,
    nip: NipStr | None = None,
    program_id: uuid.UUID | None = None,
    status: Status | None = None,
    approver: Annotated[
        Literal["me"] | None, Query(description="`me`: those waiting for my decision.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Enrolments the caller may see, by NIP, program and status; `approver=me` for the inbox."""
    after = cursor_id(cursor)
    async with runtime.db.read_session() as session:
        query = select(Enrollment)
        if approver == "me":
            waiting = col(Enrollment.approver_nip) == who.sub
            mine = (col(Enrollment.status) == "requested") & waiting
            if who.has_role(Role.BKPSDM):
                mine = mine | (col(Enrollment.status) == "supervisor_approved")
            query = query.where(mine, col(Enrollment.nip) != who.sub)
        else:
            visible = await access.visible(session, who, Enrollment.nip, Enrollment.unit_id)  # type: ignore[arg-type]
            if visible is not None:
                query = query.where(visible)
        for column, value in (
            (col(Enrollment.nip), nip),
            (col(Enrollment.program_id), program_id),
            (col(Enrollment.status), status),
        ):
            if value is not None:
                query = query.where(column == value)
        if after is not None:
            query = query.where(col(Enrollment.id) > after)
        rows = list(
            (await session.execute(query.order_by(col(Enrollment.id)).limit(limit + 1))).scalars()
        )
    page = rows[:limit]
    next_cursor = encode_cursor(str(page[-1].id)) if len(rows) > limit else None
    return {"items": [enrollment_view(e) for e in page], "next_cursor": next_cursor}


@router.get("/enrollments/{enrollment_id}", response_model=EnrollmentView)
async def get_enrollment(
    enrollment_id: uuid.UUID, who: CurrentIdentity, runtime: Runtime
) -> JSONResponse:
    """One enrolment, its decisions, and its place in the ranking."""
    async with runtime.db.read_session() as session:
        found = await session.get(Enrollment, enrollment_id)
        if found is None:
            raise not_found("enrollment", f"Pendaftaran {enrollment_id}")
        await access.require_read(session, who, found.nip, found.unit_id)
        body = await _view(session, found)
    return JSONResponse(body, headers={"ETag": etag(found.version)})


@router.post("/enrollments/{enrollment_id}/decision", response_model=EnrollmentView)
async def decide_enrollment(
    enrollment_id: uuid.UUID,
    body: DecisionIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Approve or reject: the direct supervisor first, then BKPSDM (which commits the cost)."""

    async def action(uow: UnitOfWork) -> Outcome:
        found = await enrollments.load(uow, enrollment_id, if_match)
        await enrollments.decide(uow, found, body)
        return await _view(uow.session, found), found.version

    return await run_command(runtime, who, request, body=body, key=idempotency_key, action=action)


@router.post("/enrollments/{enrollment_id}/withdraw", response_model=EnrollmentView)
async def withdraw_enrollment(
    enrollment_id: uuid.UUID,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Withdraw (the employee, the nominator, or BKPSDM); the next in line moves up."""

    async def action(uow: UnitOfWork) -> Outcome:
        found = await enrollments.load(uow, enrollment_id, if_match)
        await enrollments.withdraw(uow, found)
        return enrollment_view(found), found.version

    return await run_command(runtime, who, request, body=None, key=idempotency_key, action=action)


@router.post("/enrollments/{enrollment_id}/completion", response_model=EnrollmentView)
async def record_completion(
    enrollment_id: uuid.UUID,
    body: CompletionIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Completed (JP credited, STTPP number) or not completed (reason), while it runs (BKPSDM)."""

    async def action(uow: UnitOfWork) -> Outcome:
        found = await enrollments.load(uow, enrollment_id, if_match)
        await enrollments.complete(uow, found, body)
        return enrollment_view(found), found.version

    return await run_command(runtime, who, request, body=body, key=idempotency_key, action=action)

"""Attendance correction routes: ask for your own day, your direct supervisor decides."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from asn_schemas.base import Nip
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, Field
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, IfMatch, Outcome, run_command
from servicekit.pagination import decode_cursor, encode_cursor
from servicekit.problems import forbidden, invalid
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlmodel import col

from presensi import access, corrections, store
from presensi.api.schemas import Body, CorrectionPage, CorrectionView, now
from presensi.domain.correction_rules import CorrectionKind
from presensi.settings import PresensiSettings
from presensi.shift_tables import AttendanceCorrection

router = APIRouter(tags=["corrections"])
Now = Annotated[dt.datetime, Depends(now)]


class CorrectionBody(Body):
    """⚠ The monthly limit and the deadline are data (work_policy; default 3 a month,
    until the 5th of the next month)."""

    nip: Nip | None = Field(default=None, description="If sent, must be the caller's own NIP.")
    date: dt.date = Field(description="The business date to correct (a shift's start day).")
    kind: CorrectionKind
    check_in_at: AwareDatetime | None = None
    check_out_at: AwareDatetime | None = Field(
        default=None, description="May be the next day for a night shift."
    )
    reason: str = Field(min_length=3, max_length=1000)
    evidence_ref: str | None = Field(
        default=None, max_length=200, description="Surat tugas or other evidence reference."
    )


class CorrectionDecisionBody(Body):
    decision: Literal["approve", "reject"]
    note: str | None = Field(default=None, max_length=1000)


@router.post("/attendance-corrections", status_code=201, response_model=CorrectionView)
async def create_correction(
    body: CorrectionBody,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    clock: Now,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Ask to correct one of your own days; it goes to your direct supervisor."""

    async def action(uow: UnitOfWork) -> Outcome:
        c = await corrections.create(uow, who, body, clock)
        return corrections.view(c), c.version

    return await run_command(
        runtime, who, request, body=body, key=idempotency_key, action=action, status_code=201,
        location=lambda content: f"/attendance-corrections/{content['id']}",
    )  # fmt: skip


@router.get(
    "/attendance-corrections", response_model=CorrectionPage, response_model_exclude_unset=True
)
async def list_corrections(
    who: CurrentIdentity,
    runtime: Runtime,
    nip: str | None = None,
    status: str | None = None,
    approver: Literal["me"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """By nip, status, or `approver=me` (your inbox); otherwise your own. Newest first."""
    statement = select(AttendanceCorrection)
    async with runtime.db.read_session() as session:
        if approver == "me":
            statement = statement.where(col(AttendanceCorrection.approver_nip) == who.sub)
        if nip is not None:
            access.require_read(who, await store.employee(session, nip))
            statement = statement.where(col(AttendanceCorrection.nip) == nip)
        elif approver is None and not access.sees_everyone(who):
            statement = statement.where(col(AttendanceCorrection.nip) == who.sub)
        if status is not None:
            statement = statement.where(col(AttendanceCorrection.status) == status)
        after = decode_cursor(cursor)
        if after is not None:
            try:
                statement = statement.where(col(AttendanceCorrection.id) < uuid.UUID(after))
            except ValueError as exc:
                raise invalid("invalid_cursor", "Cursor tidak dikenali.", field="cursor") from exc
        statement = statement.order_by(col(AttendanceCorrection.id).desc()).limit(limit + 1)
        rows = list((await session.execute(statement)).scalars())
    more = len(rows) > limit
    return {
        "items": [corrections.view(r) for r in rows[:limit]],
        "next_cursor": encode_cursor(str(rows[limit - 1].id)) if more else None,
    }


@router.get("/attendance-corrections/{correction_id}", response_model=CorrectionView)
async def get_correction(correction_id: uuid.UUID, who: CurrentIdentity, runtime: Runtime) -> Any:
    """One correction: the employee, their supervisor, admin_opd of the unit, BKPSDM."""
    async with runtime.db.read_session() as session:
        c = await corrections.load(session, correction_id)
        emp = await store.employee(session, c.nip)
        if not (access.can_read(who, emp) or who.sub == c.approver_nip):
            raise forbidden()
        return JSONResponse(corrections.view(c), headers={"ETag": f'"{c.version}"'})


@router.post("/attendance-corrections/{correction_id}/decision", response_model=CorrectionView)
async def decide_correction(
    correction_id: uuid.UUID,
    body: CorrectionDecisionBody,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    clock: Now,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """approve | reject, by the direct supervisor; approval recomputes the day."""
    settings: PresensiSettings = runtime.settings  # type: ignore[assignment]

    async def action(uow: UnitOfWork) -> Outcome:
        c = await corrections.decide(
            uow, who, correction_id, body.decision, body.note, if_match, clock,
            settings.deduction_daily_cap,
        )  # fmt: skip
        return corrections.view(c), c.version

    return await run_command(runtime, who, request, body=body, key=idempotency_key, action=action)

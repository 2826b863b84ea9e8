"""Appraisals: periodic (quarterly by default) and annual; self-assessment, rating,
predikat, keberatan."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from asn_schemas.kinerja import PeriodKind
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

from kinerja import access, appraisals, distribution
from kinerja.api.schemas import (
    AppraisalCreate,
    AppraisalPage,
    AppraisalView,
    Finalize,
    ObjectionDecision,
    ObjectionIn,
    SelfAssessment,
    cursor_id,
)
from kinerja.models import Appraisal
from kinerja.settings import KinerjaSettings
from kinerja.views import appraisal_view

router = APIRouter(tags=["appraisals"])


def _settings(runtime: Runtime) -> KinerjaSettings:
    settings = runtime.settings
    assert isinstance(settings, KinerjaSettings)
    return settings


@router.post("/appraisals", status_code=201, response_model=AppraisalView)
async def open_appraisal(
    body: AppraisalCreate,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Open a period's appraisal on an agreed SKP (periodic by the cadence, or annual)."""

    async def action(uow: UnitOfWork) -> Outcome:
        found = await appraisals.create(uow, who, body, _settings(runtime))
        return appraisal_view(found), found.version

    return await run_command(
        runtime,
        who,
        request,
        body=body,
        key=idempotency_key,
        action=action,
        status_code=201,
        location=lambda content: f"/appraisals/{content['id']}",
    )


@router.get("/appraisals", response_model=AppraisalPage, response_model_exclude_unset=True)
async def list_appraisals(
    who: CurrentIdentity,
    runtime: Runtime,
    nip: str | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    skp_id: uuid.UUID | None = None,
    kind: PeriodKind | None = None,
    status: Annotated[str | None, Query(pattern="^(draft|submitted|finalized)$")] = None,
    to_rate: Annotated[bool, Query(description="Only appraisals waiting for my rating.")] = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Appraisals the caller may see; `to_rate` for the rater's inbox."""
    after = cursor_id(cursor)
    async with runtime.db.read_session() as session:
        query = select(Appraisal)
        visible = await access.visible(session, who, Appraisal.nip, Appraisal.unit_id)  # type: ignore[arg-type]
        if visible is not None:
            query = query.where(visible)
        if to_rate:
            query = query.where(
                col(Appraisal.rater_nip) == who.sub, col(Appraisal.status) == "submitted"
            )
        for column, value in (
            (col(Appraisal.nip), nip),
            (col(Appraisal.year), year),
            (col(Appraisal.skp_id), skp_id),
            (col(Appraisal.period_kind), kind),
            (col(Appraisal.status), status),
        ):
            if value is not None:
                query = query.where(column == value)
        if after is not None:
            query = query.where(col(Appraisal.id) > after)
        query = query.order_by(col(Appraisal.id)).limit(limit + 1)
        rows = list((await session.execute(query)).scalars())
    page = rows[:limit]
    next_cursor = encode_cursor(str(page[-1].id)) if len(rows) > limit else None
    return {"items": [appraisal_view(a) for a in page], "next_cursor": next_cursor}


@router.get("/appraisals/{appraisal_id}", response_model=AppraisalView)
async def get_appraisal(
    appraisal_id: uuid.UUID, who: CurrentIdentity, runtime: Runtime
) -> JSONResponse:
    """One appraisal: self-assessment, ratings, predikat with its label, keberatan."""
    async with runtime.db.read_session() as session:
        found = await session.get(Appraisal, appraisal_id)
        if found is None:
            raise not_found("appraisal", f"Penilaian {appraisal_id}")
        await access.require_read(session, who, found.nip, found.unit_id)
    return JSONResponse(appraisal_view(found), headers={"ETag": etag(found.version)})


@router.put("/appraisals/{appraisal_id}/self-assessment", response_model=AppraisalView)
async def put_self_assessment(
    appraisal_id: uuid.UUID,
    body: SelfAssessment,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Record results and evidence links per RHK (the employee, before submitting)."""

    async def action(uow: UnitOfWork) -> Outcome:
        found = await appraisals.load(uow.session, appraisal_id, if_match)
        await appraisals.self_assess(uow, who, found, body)
        return appraisal_view(found), found.version

    return await run_command(runtime, who, request, body=body, key=None, action=action)


@router.post("/appraisals/{appraisal_id}/submit", response_model=AppraisalView)
async def submit_appraisal(
    appraisal_id: uuid.UUID,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Submit the self-assessment to the rater."""

    async def action(uow: UnitOfWork) -> Outcome:
        found = await appraisals.load(uow.session, appraisal_id, if_match)
        await appraisals.submit(uow, who, found)
        return appraisal_view(found), found.version

    return await run_command(runtime, who, request, body=None, key=idempotency_key, action=action)


@router.post("/appraisals/{appraisal_id}/finalize", response_model=AppraisalView)
async def finalize_appraisal(
    appraisal_id: uuid.UUID,
    body: Finalize,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Rate hasil and perilaku kerja; the predikat follows from the matrix. For an annual
    appraisal the answer carries distribution warnings (never a refusal)."""

    async def action(uow: UnitOfWork) -> Outcome:
        found = await appraisals.load(uow.session, appraisal_id, if_match)
        await appraisals.finalize(uow, who, found, body)
        warnings: list[dict[str, str]] = []
        if found.period_kind == PeriodKind.ANNUAL.value:
            await uow.session.flush()
            report = await distribution.report(uow.session, found.unit_id, found.year)
            warnings = report["warnings"]
        return appraisal_view(found, distribution_warnings=warnings), found.version

    return await run_command(runtime, who, request, body=body, key=idempotency_key, action=action)


@router.post("/appraisals/{appraisal_id}/objection", response_model=AppraisalView)
async def file_objection(
    appraisal_id: uuid.UUID,
    body: ObjectionIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """File a keberatan against one's annual predikat, within the configured days."""

    async def action(uow: UnitOfWork) -> Outcome:
        found = await appraisals.load(uow.session, appraisal_id)
        await appraisals.file_objection(uow, who, found, body, _settings(runtime).objection_days)
        return appraisal_view(found), found.version

    return await run_command(runtime, who, request, body=body, key=idempotency_key, action=action)


@router.post("/appraisals/{appraisal_id}/objection/decision", response_model=AppraisalView)
async def decide_objection(
    appraisal_id: uuid.UUID,
    body: ObjectionDecision,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Decide a keberatan (the rater's atasan); a changed predikat is published again."""

    async def action(uow: UnitOfWork) -> Outcome:
        found = await appraisals.load(uow.session, appraisal_id)
        await appraisals.decide_objection(uow, who, found, body)
        return appraisal_view(found), found.version

    return await run_command(runtime, who, request, body=body, key=idempotency_key, action=action)

"""Training institutions (lembaga) and their cooperation agreements."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, IfMatch, Outcome, run_command
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlmodel import col

from pelatihan import institutions
from pelatihan.api.schemas import InstitutionIn, InstitutionList, InstitutionView
from pelatihan.models import Institution
from pelatihan.views import institution_view

router = APIRouter(tags=["institutions"])


@router.post("/institutions", status_code=201, response_model=InstitutionView)
async def create_institution(
    body: InstitutionIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Record an institution with its cooperation agreement (BKPSDM)."""

    async def action(uow: UnitOfWork) -> Outcome:
        found = await institutions.create(uow, body)
        return institution_view(found), found.version

    return await run_command(
        runtime,
        who,
        request,
        body=body,
        key=idempotency_key,
        action=action,
        status_code=201,
        location=lambda content: f"/institutions/{content['id']}",
    )


@router.get("/institutions", response_model=InstitutionList, response_model_exclude_unset=True)
async def list_institutions(who: CurrentIdentity, runtime: Runtime) -> dict[str, Any]:
    """Every institution, by name."""
    async with runtime.db.read_session() as session:
        rows = (
            await session.execute(select(Institution).order_by(col(Institution.name)))
        ).scalars()
        return {"items": [institution_view(i) for i in rows]}


@router.put("/institutions/{institution_id}", response_model=InstitutionView)
async def update_institution(
    institution_id: uuid.UUID,
    body: InstitutionIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Replace an institution's record, e.g. a renewed agreement (BKPSDM)."""

    async def action(uow: UnitOfWork) -> Outcome:
        found = await institutions.update(uow, institution_id, body, if_match)
        return institution_view(found), found.version

    return await run_command(runtime, who, request, body=body, key=None, action=action)

"""Programs: creation, the life cycle, and the ranking of candidates."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from asn_schemas.pelatihan import ProgramKind
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

from pelatihan import access, programs, selection
from pelatihan.api.schemas import (
    CancelIn,
    ProgramIn,
    ProgramPage,
    ProgramRanking,
    ProgramView,
    cursor_id,
)
from pelatihan.domain.programs_rules import Action, ProgramStatus
from pelatihan.domain.ranking import CRITERIA
from pelatihan.models import Employee, Program
from pelatihan.views import program_view

router = APIRouter(tags=["programs"])


@router.post("/programs", status_code=201, response_model=ProgramView)
async def create_program(
    body: ProgramIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Draft a program with an institution whose agreement covers its dates (BKPSDM)."""

    async def action(uow: UnitOfWork) -> Outcome:
        found = await programs.create(uow, body)
        return program_view(found), found.version

    return await run_command(
        runtime,
        who,
        request,
        body=body,
        key=idempotency_key,
        action=action,
        status_code=201,
        location=lambda content: f"/programs/{content['id']}",
    )


@router.get("/programs", response_model=ProgramPage, response_model_exclude_unset=True)
async def list_programs(
    who: CurrentIdentity,
    runtime: Runtime,
    status: ProgramStatus | None = None,
    kind: ProgramKind | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    competency: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Programs by status, kind, year of start and competency tag."""
    after = cursor_id(cursor)
    query = select(Program)
    if status is not None:
        query = query.where(col(Program.status) == status.value)
    if kind is not None:
        query = query.where(col(Program.kind) == kind.value)
    if competency is not None:
        query = query.where(col(Program.competencies).contains([competency]))
    if year is not None:
        query = query.where(col(Program.start).between(date(year, 1, 1), date(year, 12, 31)))
    if after is not None:
        query = query.where(col(Program.id) > after)
    async with runtime.db.read_session() as session:
        found = await session.execute(query.order_by(col(Program.id)).limit(limit + 1))
        rows = list(found.scalars())
    page = rows[:limit]
    next_cursor = encode_cursor(str(page[-1].id)) if len(rows) > limit else None
    return {"items": [program_view(p) for p in page], "next_cursor": next_cursor}


@router.get("/programs/{program_id}", response_model=ProgramView)
async def get_program(
    program_id: uuid.UUID, who: CurrentIdentity, runtime: Runtime
) -> JSONResponse:
    """One program, with the seats taken."""
    async with runtime.db.read_session() as session:
        found = await session.get(Program, program_id)
        if found is None:
            raise not_found("program", f"Program {program_id}")
        ranked = await selection.ranking(session, found)
    body = program_view(found, candidates=len(ranked))
    return JSONResponse(body, headers={"ETag": etag(found.version)})


def _transition(action: Action, doc: str) -> Any:
    async def route(
        program_id: uuid.UUID,
        who: CurrentIdentity,
        runtime: Runtime,
        request: Request,
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> JSONResponse:
        async def run(uow: UnitOfWork) -> Outcome:
            found = await programs.load(uow, program_id, if_match)
            await programs.transition(uow, found, action)
            return program_view(found), found.version

        return await run_command(runtime, who, request, body=None, key=idempotency_key, action=run)

    route.__doc__ = doc
    route.__name__ = f"{action.value}_program"
    return route


for _action, _doc in (
    (Action.PUBLISH, "Publish a draft: enrolment opens (the agreement must cover its dates)."),
    (Action.CLOSE, "Close enrolment."),
    (Action.START, "The program starts running."),
    (Action.COMPLETE, "The program is over (completions are recorded while it runs)."),
):
    router.add_api_route(
        f"/programs/{{program_id}}/{_action.value}",
        _transition(_action, _doc),
        methods=["POST"],
        response_model=ProgramView,
    )


@router.post("/programs/{program_id}/cancel", response_model=ProgramView)
async def cancel_program(
    program_id: uuid.UUID,
    body: CancelIn,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Cancel: every open enrolment is withdrawn and its committed cost released."""

    async def run(uow: UnitOfWork) -> Outcome:
        found = await programs.load(uow, program_id, if_match)
        await programs.transition(uow, found, Action.CANCEL, body.reason)
        return program_view(found), found.version

    return await run_command(runtime, who, request, body=body, key=idempotency_key, action=run)


@router.get(
    "/programs/{program_id}/ranking",
    response_model=ProgramRanking,
    response_model_exclude_unset=True,
)
async def program_ranking(
    program_id: uuid.UUID, who: CurrentIdentity, runtime: Runtime
) -> dict[str, Any]:
    """The candidates in order with their scores, by the published criteria. Names and
    NIPs show to BKPSDM and auditors, to admin_opd for their units, and to each candidate
    for their own line; the scores and places show to everyone (transparency)."""
    async with runtime.db.read_session() as session:
        found = await session.get(Program, program_id)
        if found is None:
            raise not_found("program", f"Program {program_id}")
        ranked = await selection.ranking(session, found)
        units = set(await access.admin_unit_ids(session, who))
        names = {
            nip: name
            for nip, name in await session.execute(
                select(col(Employee.nip), col(Employee.name)).where(
                    col(Employee.nip).in_([e.nip for _, e in ranked])
                )
            )
        }
    items = []
    for r, e in ranked:
        shown = access.sees_everyone(who) or who.sub == e.nip or e.unit_id in units
        items.append(
            {
                "position": r.position,
                "within_quota": r.within_quota,
                "status": e.status,
                "score": {
                    "total": r.score.total,
                    "jp_shortfall": r.score.jp_shortfall,
                    "training_need": r.score.training_need,
                    "years_since_training": r.score.years_since_training,
                },
                "enrollment_id": str(e.id) if shown else None,
                "nip": e.nip if shown else None,
                "name": names.get(e.nip) if shown else None,
                "unit_code": e.unit_code,
                "mine": who.sub == e.nip,
            }
        )
    return {
        "program_id": str(program_id),
        "quota": found.quota,
        "criteria": CRITERIA,
        "items": items,
    }

"""Career commands on one employee (BKPSDM): promotion, transfer, position, supervisor,
retirement, disciplinary penalty; and the promotion eligibility check behind them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, IfMatch, Outcome, run_command
from servicekit.dates import BusinessDate
from servicekit.problems import invalid, not_found
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork

from pegawai import access, careers, registration, store
from pegawai.api.employees import convention
from pegawai.api.schemas import (
    EmployeeView,
    PenaltyRequest,
    PenaltyView,
    PositionChange,
    PromotionEligibility,
    PromotionRequest,
    RetirementRequest,
    SupervisorChange,
    TransferRequest,
)
from pegawai.changes import load_for_change
from pegawai.domain.dates import today_wib
from pegawai.domain.periods import is_period_date, next_period
from pegawai.domain.promotion import regular_promotion_reasons
from pegawai.models import Employee, Unit
from pegawai.views import employee_view

router = APIRouter(tags=["careers"])


def _view(runtime: Runtime, emp: Employee, unit: Unit) -> Outcome:
    return employee_view(emp, unit, contact=True, convention=convention(runtime)), emp.version


@router.post("/employees/{nip}/promotions", response_model=EmployeeView)
async def promote(
    nip: str,
    body: PromotionRequest,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Kenaikan pangkat one step up, TMT on a period date; refusals list failed rules."""
    access.require_bkpsdm(who)

    async def action(uow: UnitOfWork) -> Outcome:
        emp = await load_for_change(uow.session, nip, if_match)
        unit = await careers.promote(uow, emp, body, convention(runtime))
        return _view(runtime, emp, unit)

    return await run_command(runtime, who, request, body=body, key=idempotency_key, action=action)


@router.post("/employees/{nip}/transfers", response_model=EmployeeView)
async def transfer(
    nip: str,
    body: TransferRequest,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Mutasi to another unit with a TMT and, optionally, a new supervisor."""
    access.require_bkpsdm(who)

    async def action(uow: UnitOfWork) -> Outcome:
        emp = await load_for_change(uow.session, nip, if_match)
        unit = await careers.transfer(uow, emp, body, convention(runtime))
        return _view(runtime, emp, unit)

    return await run_command(runtime, who, request, body=body, key=idempotency_key, action=action)


@router.put("/employees/{nip}/position", response_model=EmployeeView)
async def change_position(
    nip: str,
    body: PositionChange,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Set the position (and optionally the supervisor) from a TMT."""
    access.require_bkpsdm(who)

    async def action(uow: UnitOfWork) -> Outcome:
        emp = await load_for_change(uow.session, nip, if_match)
        unit = await careers.change_position(uow, emp, body, convention(runtime))
        return _view(runtime, emp, unit)

    return await run_command(runtime, who, request, body=body, key=None, action=action)


@router.put("/employees/{nip}/supervisor", response_model=EmployeeView)
async def change_supervisor(
    nip: str,
    body: SupervisorChange,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Set the direct supervisor from a TMT; a chain that would loop is refused."""
    access.require_bkpsdm(who)

    async def action(uow: UnitOfWork) -> Outcome:
        emp = await load_for_change(uow.session, nip, if_match)
        unit = await careers.change_supervisor(uow, emp, body, convention(runtime))
        return _view(runtime, emp, unit)

    return await run_command(runtime, who, request, body=body, key=None, action=action)


@router.post("/employees/{nip}/retirement", response_model=EmployeeView)
async def retire(
    nip: str,
    body: RetirementRequest,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Record leaving the service: BUP (TMT computed if omitted), own request, death, dismissal."""
    access.require_bkpsdm(who)

    async def action(uow: UnitOfWork) -> Outcome:
        emp = await load_for_change(uow.session, nip, if_match)
        unit = await careers.retire(uow, emp, body, convention(runtime))
        return _view(runtime, emp, unit)

    return await run_command(runtime, who, request, body=body, key=idempotency_key, action=action)


@router.post("/employees/{nip}/penalties", status_code=201, response_model=PenaltyView)
async def add_penalty(
    nip: str,
    body: PenaltyRequest,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Record a disciplinary penalty (BKPSDM); it blocks regular promotion while active."""
    access.require_bkpsdm(who)

    async def action(uow: UnitOfWork) -> Outcome:
        emp = await load_for_change(uow.session, nip, None)
        penalty = await registration.add_penalty(uow, emp, body)
        content = {
            "id": penalty.id,
            "nip": nip,
            "level": penalty.level,
            "start": penalty.start.isoformat(),
            "end": penalty.end.isoformat() if penalty.end else None,
            "decree_number": penalty.decree_number,
        }
        return content, emp.version

    return await run_command(
        runtime, who, request, body=body, key=idempotency_key, action=action, status_code=201
    )


@router.get(
    "/employees/{nip}/promotion-eligibility",
    response_model=PromotionEligibility,
    response_model_exclude_unset=True,
)
async def promotion_eligibility(
    nip: str, who: CurrentIdentity, runtime: Runtime, period: BusinessDate | None = None
) -> dict[str, Any]:
    """Would a regular promotion at `period` (default: the next one) pass, and if not, why."""
    period = period or next_period(today_wib())
    if not is_period_date(period):
        raise invalid(
            "not_period_date", "Tanggal itu bukan periode kenaikan pangkat.", field="period"
        )
    async with runtime.db.read_session() as session:
        emp = await store.employee(session, nip)
        if emp is None:
            raise not_found("employee", f"Pegawai dengan NIP {nip}")
        await access.read_employee(session, who, emp)
        facts = await careers.promotion_facts(session, emp, period)
    reasons = regular_promotion_reasons(facts, period)
    return {
        "nip": nip,
        "period": period.isoformat(),
        "eligible": not reasons,
        "reasons": [{"code": r.code, "message": r.detail} for r in reasons],
    }

"""Employees: register, read (also as of a date), search, correct, history."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from asn_schemas.golongan import GolonganPns
from asn_schemas.pegawai import AsnType, EmployeeStatus
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey, IfMatch, Outcome, run_command
from servicekit.dates import HistoricDate
from servicekit.pagination import decode_cursor, encode_cursor
from servicekit.problems import etag, not_found
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork
from sqlalchemy import or_, select
from sqlmodel import col

from pegawai import access, registration, store
from pegawai.api.schemas import (
    EmployeeCreate,
    EmployeeHistoryView,
    EmployeePage,
    EmployeePatch,
    EmployeeView,
)
from pegawai.changes import load_for_change
from pegawai.domain.golongan import pangkat_of
from pegawai.models import Employee, EmployeeHistory, Unit
from pegawai.settings import PegawaiSettings
from pegawai.views import employee_view

router = APIRouter(tags=["employees"])
EFFECTIVE_DATED = ("status", "golongan", "position", "unit", "supervisor")


def convention(runtime: Runtime) -> Any:
    settings = runtime.settings
    assert isinstance(settings, PegawaiSettings)
    return settings.retirement_convention


@router.post("/employees", status_code=201, response_model=EmployeeView)
async def register_employee(
    body: EmployeeCreate,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Register an employee (BKPSDM); NIP mismatches are kept as `nip_warnings`."""
    access.require_bkpsdm(who)

    async def action(uow: UnitOfWork) -> Outcome:
        emp, unit = await registration.register(uow, body, convention(runtime))
        return employee_view(emp, unit, contact=True, convention=convention(runtime)), emp.version

    return await run_command(
        runtime,
        who,
        request,
        body=body,
        key=idempotency_key,
        action=action,
        status_code=201,
        location=lambda content: f"/employees/{content['nip']}",
    )


@router.get("/employees", response_model=EmployeePage, response_model_exclude_unset=True)
async def search_employees(
    who: CurrentIdentity,
    runtime: Runtime,
    unit: str | None = None,
    include_subunits: bool = False,
    golongan: str | None = None,
    status: EmployeeStatus | None = None,
    asn_type: AsnType | None = None,
    supervisor_nip: str | None = None,
    q: Annotated[str | None, Query(min_length=2, max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Search by unit, golongan, status, ASN type, supervisor and name/NIP text; by NIP order."""
    after = decode_cursor(cursor)
    async with runtime.db.read_session() as session:
        query = select(Employee, Unit).join(Unit, col(Unit.id) == col(Employee.unit_id))
        visible = await access.visible_employees(session, who)
        if visible is not None:
            query = query.where(visible)
        if unit is not None:
            ids = await store.known_unit_subtree_ids(session, unit)
            if include_subunits:
                query = query.where(col(Employee.unit_id).in_(ids))
            else:
                query = query.where(col(Unit.code) == unit)
        for column, value in (
            (col(Employee.golongan), golongan),
            (col(Employee.status), status),
            (col(Employee.asn_type), asn_type),
            (col(Employee.supervisor_nip), supervisor_nip),
        ):
            if value is not None:
                query = query.where(column == value)
        if q is not None:
            pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(
                or_(col(Employee.name).ilike(pattern), col(Employee.nip).startswith(q))
            )
        if after is not None:
            query = query.where(col(Employee.nip) > after)
        query = query.order_by(col(Employee.nip)).limit(limit + 1)
        rows = list(await session.execute(query))
    page = rows[:limit]
    conv = convention(runtime)
    items = [
        employee_view(emp, u, contact=access.is_bkpsdm(who) or emp.nip == who.sub, convention=conv)
        for emp, u in page
    ]
    next_cursor = encode_cursor(page[-1][0].nip) if len(rows) > limit else None
    return {"items": items, "next_cursor": next_cursor}


@router.get("/employees/{nip}", response_model=EmployeeView)
async def get_employee(
    nip: str, who: CurrentIdentity, runtime: Runtime, as_of: HistoricDate | None = None
) -> JSONResponse:
    """One employee; with `as_of`, golongan, position, unit, supervisor and status on that date."""
    async with runtime.db.read_session() as session:
        emp = await store.employee(session, nip)
        if emp is None:
            raise not_found("employee", f"Pegawai dengan NIP {nip}")
        contact = await access.read_employee(session, who, emp)
        unit = await session.get(Unit, emp.unit_id)
        assert unit is not None
        view = employee_view(emp, unit, contact=contact, convention=convention(runtime))
        if as_of is not None:
            state = (await store.history_as_of(session, as_of, [nip])).get(nip, {})
            if "status" not in state:
                raise not_found(
                    "employee", f"Pegawai {nip} belum tercatat pada {as_of.isoformat()}"
                )
            _apply_as_of(view, state, as_of)
    return JSONResponse(view, headers={"ETag": etag(emp.version)})


def _apply_as_of(view: dict[str, Any], state: dict[str, tuple[Any, date]], as_of: date) -> None:
    view["as_of"] = as_of.isoformat()
    for field, (value, tmt) in state.items():
        if field not in EFFECTIVE_DATED:
            continue
        if field == "unit":
            view["unit_code"], view["unit_name"] = value["unit_code"], None
        elif field == "supervisor":
            view["supervisor_nip"] = value
        else:
            view[field] = value
        view[f"tmt_{field}"] = tmt.isoformat()
    if view["asn_type"] == AsnType.PNS:
        view["pangkat"] = str(pangkat_of(GolonganPns(view["golongan"])))
    view.pop("version", None)  # an as-of view is not something to send back with If-Match


@router.patch("/employees/{nip}", response_model=EmployeeView)
async def update_employee(
    nip: str,
    body: EmployeePatch,
    who: CurrentIdentity,
    runtime: Runtime,
    request: Request,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Correct the record (BKPSDM) or one's own contact details; If-Match required."""

    async def action(uow: UnitOfWork) -> Outcome:
        emp = await load_for_change(uow.session, nip, if_match, if_match_required=True)
        emp, unit = await registration.patch(uow, who, emp, body, convention(runtime))
        return employee_view(emp, unit, contact=True, convention=convention(runtime)), emp.version

    return await run_command(runtime, who, request, body=body, key=None, action=action)


@router.get(
    "/employees/{nip}/history",
    response_model=EmployeeHistoryView,
    response_model_exclude_unset=True,
)
async def employee_history(nip: str, who: CurrentIdentity, runtime: Runtime) -> dict[str, Any]:
    """Every recorded change of golongan, position, unit, supervisor and status, by TMT."""
    async with runtime.db.read_session() as session:
        emp = await store.employee(session, nip)
        if emp is None:
            raise not_found("employee", f"Pegawai dengan NIP {nip}")
        await access.read_employee(session, who, emp)
        rows = (
            await session.execute(
                select(EmployeeHistory)
                .where(col(EmployeeHistory.nip) == nip)
                .order_by(col(EmployeeHistory.tmt), col(EmployeeHistory.id))
            )
        ).scalars()
        items = [
            {
                "field": row.field,
                "value": row.value,
                "tmt": row.tmt.isoformat(),
                "event_type": row.event_type,
                "actor": row.actor,
                "note": row.note,
                "recorded_at": row.recorded_at.isoformat() if row.recorded_at else None,
            }
            for row in rows
        ]
    return {"nip": nip, "items": items}

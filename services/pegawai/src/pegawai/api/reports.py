"""Reports: DUK as of a date, promotion candidates for a period, upcoming retirements."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from asn_schemas.golongan import GolonganPns
from asn_schemas.pegawai import AsnType, EmployeeStatus, PositionKind, PositionLevel
from fastapi import APIRouter, Query
from fastapi.responses import Response
from servicekit.auth import CurrentIdentity
from servicekit.dates import BusinessDate, HistoricDate
from servicekit.problems import invalid
from servicekit.runtime import Runtime
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from pegawai import access, store
from pegawai.api.employees import convention
from pegawai.api.report_columns import DUK_COLUMNS, RETIREMENT_COLUMNS
from pegawai.api.schemas import Duk, PromotionCandidates, Retirements
from pegawai.domain.dates import add_months, today_wib
from pegawai.domain.duk import DukEntry, duk_order
from pegawai.domain.golongan import Education, pangkat_of
from pegawai.domain.periods import is_period_date
from pegawai.domain.promotion import (
    PromotionFacts,
    appraisal_years,
    eligible_from,
    regular_promotion_reasons,
)
from pegawai.exports import FILE_RESPONSES, ReportFormat, table_file
from pegawai.models import Employee, Unit
from pegawai.views import bup_date

router = APIRouter(prefix="/reports", tags=["reports"])
IN_SERVICE = (EmployeeStatus.AKTIF, EmployeeStatus.CLTN)


async def _employees(
    session: AsyncSession, scope: list[uuid.UUID] | None, **filters: Any
) -> list[tuple[Employee, Unit]]:
    query = select(Employee, Unit).join(Unit, col(Unit.id) == col(Employee.unit_id))
    if scope is not None:
        query = query.where(col(Employee.unit_id).in_(scope))
    for name, value in filters.items():
        column = getattr(Employee, name)
        query = query.where(column.in_(value) if isinstance(value, tuple) else column == value)
    return [(emp, unit) for emp, unit in await session.execute(query.order_by(col(Employee.nip)))]


@router.get("/duk", response_model=Duk, response_model_exclude_unset=True, responses=FILE_RESPONSES)
async def duk(
    who: CurrentIdentity,
    runtime: Runtime,
    unit: str | None = None,
    as_of: HistoricDate | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    offset: Annotated[int, Query(ge=0)] = 0,
    format: ReportFormat = ReportFormat.JSON,
) -> dict[str, Any] | Response:
    """Daftar Urut Kepangkatan of PNS in service on `as_of` (default today), PP 15/1979 keys.

    `format=xlsx|csv`: the whole list as a file (`limit` and `offset` page the JSON only)."""
    # Golongan, position, unit and status are read as they stood on that date; education
    # and leadership training are the current record (they are not effective-dated here).
    day = as_of or today_wib()
    async with runtime.db.read_session() as session:
        scope = await access.report_scope(session, who, unit)
        people = {e.nip: e for e, _ in await _employees(session, None, asn_type=AsnType.PNS)}
        states = await store.history_as_of(session, day, list(people))
        codes = dict((await session.execute(select(col(Unit.id), col(Unit.code)))).all())
    entries: list[DukEntry] = []
    unit_at: dict[str, str] = {}
    for nip, state in states.items():
        emp = people.get(nip)
        if emp is None or not {"status", "golongan", "position", "unit"} <= state.keys():
            continue
        unit_id = uuid.UUID(state["unit"][0]["unit_id"])
        if state["status"][0] not in IN_SERVICE or (scope is not None and unit_id not in scope):
            continue
        position = state["position"][0]
        unit_at[nip] = codes.get(unit_id, state["unit"][0]["unit_code"])
        entries.append(
            DukEntry(
                nip=nip,
                golongan=GolonganPns(state["golongan"][0]),
                tmt_golongan=state["golongan"][1],
                position_kind=PositionKind(position["kind"]),
                position_level=PositionLevel(position["level"]) if position["level"] else None,
                tmt_cpns=emp.tmt_cpns,
                leadership_training=(
                    emp.leadership_training
                    if emp.leadership_training and emp.leadership_training <= day
                    else None
                ),
                education=Education(emp.education),
                birth_date=emp.birth_date,
            )
        )
    ordered = duk_order(entries)
    if format is not ReportFormat.JSON:
        offset, limit = 0, len(ordered)
    items = [
        {
            "rank": offset + i + 1,
            "nip": e.nip,
            "name": people[e.nip].name,
            "golongan": e.golongan,
            "pangkat": pangkat_of(e.golongan),
            "tmt_golongan": e.tmt_golongan.isoformat(),
            "position": states[e.nip]["position"][0],
            "unit_code": unit_at[e.nip],
            "tmt_cpns": e.tmt_cpns.isoformat(),
            "leadership_training": e.leadership_training.isoformat()
            if e.leadership_training
            else None,
            "education": e.education,
            "birth_date": e.birth_date.isoformat(),
        }
        for i, e in enumerate(ordered[offset : offset + limit])
    ]
    if format is not ReportFormat.JSON:
        return table_file(
            format,
            filename=f"DUK-{unit or 'kota'}-{day.isoformat()}",
            title=f"DUK {day.isoformat()}",
            columns=DUK_COLUMNS,
            rows=items,
        )
    return {"as_of": day.isoformat(), "unit": unit, "total": len(ordered), "items": items}


@router.get(
    "/promotion-candidates", response_model=PromotionCandidates, response_model_exclude_unset=True
)
async def promotion_candidates(
    who: CurrentIdentity,
    runtime: Runtime,
    period: BusinessDate,
    unit: str | None = None,
    near_months: Annotated[int, Query(ge=0, le=48)] = 12,
) -> dict[str, Any]:
    """Who is eligible for a regular promotion at `period`, and why not yet for those near it."""
    # "Near": four years in golongan reached by `near_months` after the period. People at
    # their education ceiling are left out: their path is a pilihan promotion.
    if not is_period_date(period):
        raise invalid(
            "not_period_date", "Tanggal itu bukan periode kenaikan pangkat.", field="period"
        )
    async with runtime.db.read_session() as session:
        scope = await access.report_scope(session, who, unit)
        rows = await _employees(session, scope, asn_type=AsnType.PNS, status=EmployeeStatus.AKTIF)
        nips = [e.nip for e, _ in rows]
        predikat = await store.annual_predikat(session, nips, appraisal_years(period))
        penalties = await store.penalties(session, nips)
    horizon = add_months(period, near_months)
    eligible: list[dict[str, Any]] = []
    near: list[dict[str, Any]] = []
    for emp, u in rows:
        if emp.golongan == GolonganPns.IV_E or eligible_from(emp.tmt_golongan) > horizon:
            continue
        facts = PromotionFacts(
            asn_type=AsnType.PNS,
            status=EmployeeStatus(emp.status),
            golongan=emp.golongan,
            tmt_golongan=emp.tmt_golongan,
            education=Education(emp.education),
            ujian_dinas=emp.ujian_dinas,
            annual_predikat=predikat.get(emp.nip, {}),
            penalties=tuple(penalties.get(emp.nip, [])),
        )
        reasons = regular_promotion_reasons(facts, period)
        item: dict[str, Any] = {
            "nip": emp.nip,
            "name": emp.name,
            "unit_code": u.code,
            "golongan": emp.golongan,
            "tmt_golongan": emp.tmt_golongan.isoformat(),
            "eligible_from": eligible_from(emp.tmt_golongan).isoformat(),
        }
        if any(r.code == "education_ceiling" for r in reasons):
            continue  # no regular promotion ahead: not "near", whatever else holds
        if reasons:
            item["reasons"] = [{"code": r.code, "message": r.detail} for r in reasons]
            near.append(item)
        else:
            eligible.append(item)
    return {"period": period.isoformat(), "unit": unit, "eligible": eligible, "not_yet": near}


@router.get(
    "/retirements",
    response_model=Retirements,
    response_model_exclude_unset=True,
    responses=FILE_RESPONSES,
)
async def retirements(
    who: CurrentIdentity,
    runtime: Runtime,
    months: Annotated[int, Query(ge=1, le=120)] = 12,
    unit: str | None = None,
    format: ReportFormat = ReportFormat.JSON,
) -> dict[str, Any] | Response:
    """Employees in service whose BUP retirement falls within the next `months` (or is overdue);
    `format=xlsx|csv` as a file."""
    today = today_wib()
    until = add_months(today, months)
    conv = convention(runtime)
    async with runtime.db.read_session() as session:
        scope = await access.report_scope(session, who, unit)
        rows = await _employees(session, scope, status=IN_SERVICE)
    items = []
    for emp, u in rows:
        due = bup_date(emp, conv)
        if due <= until:
            items.append(
                {
                    "nip": emp.nip,
                    "name": emp.name,
                    "unit_code": u.code,
                    "position": {
                        "name": emp.position_name,
                        "kind": emp.position_kind,
                        "level": emp.position_level,
                    },
                    "birth_date": emp.birth_date.isoformat(),
                    "retirement_date": due.isoformat(),
                    "overdue": due < today,
                }
            )
    items.sort(key=lambda item: (item["retirement_date"], item["nip"]))
    if format is not ReportFormat.JSON:
        return table_file(
            format,
            filename=f"Pensiun-{unit or 'kota'}-{today.isoformat()}-{until.isoformat()}",
            title=f"Pensiun BUP s.d. {until.isoformat()}",
            columns=RETIREMENT_COLUMNS,
            rows=items,
        )
    return {"from": today.isoformat(), "until": until.isoformat(), "items": items}

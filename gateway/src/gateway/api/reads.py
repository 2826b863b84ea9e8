"""Aggregated reads from the read model: profile, unit dashboard, inbox, search."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from servicekit.auth import CurrentIdentity
from servicekit.identity import Role
from servicekit.problems import invalid, not_found

from gateway import access
from gateway.api import (
    answers,
    aspirasi_views,
    kinerja_views,
    pelatihan_views,
    presensi_views,
    queries,
)
from gateway.state import State
from gateway.upstream import READ_MODEL_SOURCES
from gateway.workdays import attendance_status, non_working_day

router = APIRouter(prefix="/api", tags=["views"])
_DIGITS = re.compile(r"^[0-9]{1,18}$")


def _sent(body: dict[str, Any]) -> JSONResponse:
    """The answer as these views have always sent it (FastAPI's encoding of the dict): the
    routes only declare their models, so declaring them changes no JSON the portal reads."""
    return JSONResponse(jsonable_encoder(body))


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + timedelta(days=365)


@router.get("/profiles/{nip}", response_model=answers.ProfileView)
async def profile(nip: str, who: CurrentIdentity, state: State) -> JSONResponse:
    """An employee's whole picture: identity, unit, rank and position with history,
    supervisor, today's attendance, this month's recap, leave balances, open requests, the
    current SKP and the predikat history."""
    today = state.today()
    async with state.read_pool.acquire() as conn:
        row = await conn.fetchrow(queries.PROFILE, nip, today, today.replace(day=1))
        if row is None:
            # The same answer whether absent or hidden would leak nothing, but the services
            # answer 404 for absent records: so do we (no personal data in it).
            raise not_found("employee", f"Pegawai {nip}")
        await access.check_profile(conn, who, nip, row["unit_code"])
        pelatihan = await pelatihan_views.profile_section(conn, nip, today)
        roster = await presensi_views.person_week(conn, nip, today)
    history: dict[str, list[dict[str, Any]]] = {}
    for item in row["history"]:
        field = item.pop("field")
        item.pop("id", None)
        history.setdefault(field, []).append(item)
    day_off = non_working_day(today, row["holiday_today"])
    return _sent(
        {
            "nip": row["nip"],
            "name": row["name"],
            "sex": row["sex"],
            "birth_date": row["birth_date"],
            "asn_type": row["asn_type"],
            "status": row["status"],
            "golongan": row["golongan"],
            "pangkat": row["pangkat"],
            "tmt_golongan": row["tmt_golongan"],
            "position": row["position"],
            "unit": {"code": row["unit_code"], "name": row["unit_name"], "unit_id": row["unit_id"]},
            "supervisor": (
                {"nip": row["supervisor_nip"], "name": row["supervisor_name"]}
                if row["supervisor_nip"]
                else None
            ),
            "retirement_date": row["retirement_date"],
            "history": history,
            "attendance_today": {
                "date": today,
                "status": attendance_status(
                    row["today"], row["on_leave_today"], day_off is not None
                ),
                "leave_type": (row["today"] or {}).get("leave_type") or row["on_leave_today"],
                "non_working_day": day_off,
                "record": row["today"],
            },
            "attendance_month": {"month": today.strftime("%Y-%m"), **row["recap"]},
            "leave_balances": row["balances"],
            "open_requests": row["open_requests"],
            "roster_week": roster,
            "kinerja": kinerja_views.profile_section(row["skps"], row["predikat"], row["feedback"]),
            "pelatihan": pelatihan,
            "updated_at": row["updated_at"],
            "freshness": state.freshness(),
        }
    )


@router.get("/units/{code}/dashboard", response_model=answers.UnitDashboard)
async def unit_dashboard(code: str, who: CurrentIdentity, state: State) -> JSONResponse:
    """A unit (with the units below it): headcount, today's attendance, pending leave
    decisions, retirements in the next 12 months, the annual predikat distribution, and
    its citizens' complaints (open, escalated, monthly signals)."""
    today = state.today()
    async with state.read_pool.acquire() as conn:
        unit = await conn.fetchrow(queries.UNIT, code)
        if unit is None:
            raise not_found("unit", f"Unit {code}")
        await access.check_unit(conn, who, code)
        headcount: dict[str, dict[str, int]] = {"status": {}, "golongan": {}, "asn_type": {}}
        for dim, key, n in await conn.fetch(queries.HEADCOUNT, code):
            headcount[dim][key] = n
        holiday = await conn.fetchrow(queries.HOLIDAY, today)
        day_off = non_working_day(today, dict(holiday) if holiday else None)
        attendance = await conn.fetchrow(queries.TODAY, code, today, day_off is not None)
        pending = await conn.fetch(queries.PENDING_LEAVE, code)
        until = _one_year_after(today)
        retiring = await conn.fetch(queries.RETIREMENTS, code, today, until)
        distribution = await kinerja_views.predikat_distribution(conn, code)
        complaints = await aspirasi_views.complaint_figures(conn, code)
        training = await pelatihan_views.unit_section(conn, code, today)
        roster = await presensi_views.unit_week(conn, code, today)
    return _sent(
        {
            "unit": dict(unit),
            "headcount": {"total": sum(headcount["status"].values()), **headcount},
            "attendance_today": {
                "date": today,
                "non_working_day": day_off,
                **(dict(attendance) if attendance else {}),
            },
            "pending_leave_decisions": [dict(r) for r in pending],
            "roster_week": roster,
            "retirements_next_12_months": [dict(r) for r in retiring],
            "predikat_distribution": distribution,
            "pelatihan": training,
            "complaints": complaints,
            "freshness": state.freshness((*READ_MODEL_SOURCES, "aspirasi")),
        }
    )


@router.get("/inbox", response_model=answers.Inbox)
async def inbox(
    who: CurrentIdentity,
    state: State,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> JSONResponse:
    """What waits for the caller's decision: leave requests of those who report to them
    (and, for BKPSDM, requests forwarded to BKPSDM), SKPs to agree, appraisals to rate,
    attendance corrections and flexible-work days to decide, enrolments to decide and
    learning records to verify, and tickets: the coordinator's to
    verify or route, a unit's to follow up or answer, escalations first."""
    async with state.read_pool.acquire() as conn:
        rows = await conn.fetch(queries.INBOX, who.sub, who.has_role(Role.BKPSDM), limit)
        skps = await kinerja_views.skps_to_agree(conn, who.sub, limit)
        appraisals = await kinerja_views.appraisals_to_rate(conn, who.sub, limit)
        training = await pelatihan_views.inbox_items(
            conn, who.sub, who.has_role(Role.BKPSDM), limit
        )
        tickets = await aspirasi_views.inbox_items(conn, who, limit)
        shifts = await presensi_views.inbox_items(conn, who.sub, limit)
    items = [
        {"kind": "leave_request", "action": f"/api/leave-requests/{r['request_id']}", **dict(r)}
        for r in rows
    ]
    return _sent(
        {
            "items": items + shifts + skps + appraisals + training + tickets,
            "freshness": state.freshness(("presensi", "kinerja", "pelatihan", "aspirasi")),
        }
    )


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@router.get("/search", response_model=answers.SearchPage)
async def search(
    who: CurrentIdentity,
    state: State,
    q: Annotated[str, Query(min_length=2, max_length=100)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> JSONResponse:
    """Employees by NIP prefix or by part of the name, among those the caller may see."""
    term = q.strip()
    if len(term) < 2:
        raise invalid("query_too_short", "Ketik minimal 2 karakter.", field="q")
    everyone = access.sees_everyone(who)
    admin_unit = who.unit_id if who.has_role(Role.ADMIN_OPD) else None
    if _DIGITS.fullmatch(term):
        upper = term[:-1] + chr(ord(term[-1]) + 1)
        sql, first, second = queries.SEARCH_NIP, term, upper
    else:
        sql, first, second = queries.SEARCH_NAME, "", f"%{_escape_like(term.lower())}%"
    async with state.read_pool.acquire() as conn:
        rows = await conn.fetch(sql, first, second, everyone, admin_unit, who.sub, limit)
    return _sent({"items": [dict(r) for r in rows], "freshness": state.freshness(("pegawai",))})

"""Leave requests: create, decide (supervisor, then BKPSDM where needed), cancel; balances."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from asn_schemas.presensi import (
    LeaveApprovedV1,
    LeaveCancelledV1,
    LeaveDeferredV1,
    LeaveForwardedV1,
    LeaveRejectedV1,
    LeaveRequestedV1,
    LeaveType,
)
from servicekit.errors import ProblemError
from servicekit.identity import Identity
from servicekit.problems import check_if_match, conflict, forbidden, invalid, not_found
from servicekit.uow import UnitOfWork
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from presensi import access, store
from presensi.domain import leave_rules as rules
from presensi.domain.calendar import count_working_days
from presensi.models import EmployeeReplica, LeaveLedger, LeaveRequest

PENDING_SUPERVISOR = "menunggu_atasan"
PENDING_BKPSDM = "menunggu_bkpsdm"
APPROVED = "disetujui"
REJECTED = "ditolak"
DEFERRED = "ditangguhkan"
CANCELLED = "dibatalkan"
OPEN = (PENDING_SUPERVISOR, PENDING_BKPSDM)
ACTIVE = (*OPEN, APPROVED)


def person_of(emp: EmployeeReplica) -> rules.Person:
    return rules.Person(emp.nip, emp.asn_type, emp.sex, emp.service_start)


def _refusal(exc: rules.LeaveRefused) -> ProblemError:
    if exc.code in ("leave_type_not_allowed", "service_too_short"):
        return forbidden_rule(exc)
    return invalid(exc.code, exc.detail, field=exc.field)


def forbidden_rule(exc: rules.LeaveRefused) -> ProblemError:
    return ProblemError(
        422,
        exc.code,
        "Tidak berhak atas jenis cuti ini",
        exc.detail,
        errors=[{"field": exc.field, "code": exc.code, "message": exc.detail}],
    )


async def ledger_entries(session: AsyncSession, nip: str) -> list[rules.LedgerEntry]:
    rows = (await session.execute(select(LeaveLedger).where(col(LeaveLedger.nip) == nip))).scalars()
    return [
        rules.LedgerEntry(
            r.year, r.kind, r.days, r.on, str(r.request_id) if r.request_id else None, r.note
        )
        for r in rows
    ]


async def year_balances(session: AsyncSession, emp: EmployeeReplica, year: int) -> list[Any]:
    deferred = await session.execute(
        text(
            "SELECT DISTINCT extract(year FROM start_date)::int FROM leave_request "
            "WHERE nip = :nip AND leave_type = 'tahunan' AND status = :st"
        ),
        {"nip": emp.nip, "st": DEFERRED},
    )
    return rules.year_balances(
        person_of(emp),
        await ledger_entries(session, emp.nip),
        year,
        deferred_years=[r[0] for r in deferred],
    )


async def reserved_days(session: AsyncSession, nip: str, year: int) -> int:
    result = await session.execute(
        text(
            "SELECT coalesce(sum(working_days), 0) FROM leave_request WHERE nip = :nip "
            "AND leave_type = 'tahunan' AND status IN ('menunggu_atasan', 'menunggu_bkpsdm') "
            "AND extract(year FROM start_date) = :year"
        ),
        {"nip": nip, "year": year},
    )
    return int(result.scalar_one())


def _base(req: LeaveRequest) -> dict[str, Any]:
    return {
        "request_id": req.id,
        "nip": req.nip,
        "unit_code": req.unit_code,
        "leave_type": LeaveType(req.leave_type),
        "start_date": req.start_date,
        "end_date": req.end_date,
        "working_days": req.working_days,
    }


async def create(uow: UnitOfWork, who: Identity, body: Any, today: date) -> LeaveRequest:
    nip = body.nip or who.sub
    if nip != who.sub:
        raise forbidden("Permohonan cuti hanya diajukan oleh pegawai yang bersangkutan.")
    if body.end_date < body.start_date:
        raise invalid(
            "dates_out_of_order", "Tanggal selesai sebelum tanggal mulai.", field="end_date"
        )
    session = uow.session
    emp = await store.employee(session, nip, lock=True)
    if emp.status != "aktif":
        raise conflict("employee_not_active", f"Status pegawai {emp.status}: tidak dapat cuti.")
    schedule = await store.schedule_on(session, emp.unit_code, body.start_date)
    holidays = await store.holidays_between(session, body.start_date, body.end_date)
    working = count_working_days(body.start_date, body.end_date, holidays, schedule.weekdays)
    kind = LeaveType(body.leave_type)
    ask = rules.LeaveAsk(
        kind,
        body.start_date,
        body.end_date,
        working,
        child_order=body.child_order,
        first_hajj=body.first_hajj,
        has_certificate=bool(body.certificate_ref),
    )
    try:
        rules.check_request(person_of(emp), ask)
    except rules.LeaveRefused as exc:
        raise _refusal(exc) from exc
    overlap = await session.execute(
        text(
            "SELECT id FROM leave_request WHERE nip = :nip AND status = ANY(:active) "
            "AND start_date <= :e AND end_date >= :s LIMIT 1"
        ),
        {"nip": nip, "active": list(ACTIVE), "s": body.start_date, "e": body.end_date},
    )
    if (row := overlap.first()) is not None:
        raise conflict("overlapping_request", f"Bertumpang tindih dengan permohonan {row[0]}.")
    if kind is LeaveType.TAHUNAN:
        year = body.start_date.year
        balance = (await year_balances(session, emp, year))[-1]
        try:
            rules.check_balance(balance, await reserved_days(session, nip, year), working)
        except rules.LeaveRefused as exc:
            raise ProblemError(
                422,
                exc.code,
                "Sisa cuti tidak cukup",
                exc.detail,
                errors=[{"field": exc.field, "code": exc.code, "message": exc.detail}],
                balance=balance.balance - await reserved_days(session, nip, year),
            ) from exc
    req = LeaveRequest(
        id=uuid.uuid4(),
        nip=nip,
        unit_code=emp.unit_code,
        leave_type=kind.value,
        start_date=body.start_date,
        end_date=body.end_date,
        working_days=working,
        calendar_days=(body.end_date - body.start_date).days + 1,
        status=PENDING_SUPERVISOR if emp.supervisor_nip else PENDING_BKPSDM,
        approver_nip=emp.supervisor_nip,
        needs_bkpsdm=kind in rules.NEEDS_BKPSDM,
        reason=body.reason,
        certificate_ref=body.certificate_ref,
        child_order=body.child_order,
        first_hajj=body.first_hajj,
        decisions=[],
    )
    session.add(req)
    await session.flush()
    uow.add_event(
        LeaveRequestedV1(
            **_base(req),
            calendar_days=req.calendar_days,
            approver_nip=req.approver_nip,
            needs_bkpsdm=req.needs_bkpsdm,
        ),
        subject=nip,
    )
    return req


async def load(session: AsyncSession, request_id: uuid.UUID, *, lock: bool = False) -> LeaveRequest:
    statement = select(LeaveRequest).where(col(LeaveRequest.id) == request_id)
    if lock:
        statement = statement.with_for_update()
    req = (await session.execute(statement)).scalar_one_or_none()
    if req is None:
        raise not_found("leave_request", f"Permohonan cuti {request_id}")
    return req


async def decide(
    uow: UnitOfWork,
    who: Identity,
    request_id: uuid.UUID,
    decision: str,
    note: str | None,
    if_match: str | None,
    now: datetime,
) -> LeaveRequest:
    session = uow.session
    req = await load(session, request_id, lock=True)
    emp = await store.employee(session, req.nip, lock=True)
    if who.sub == req.nip:
        raise forbidden("Tidak seorang pun memutus permohonannya sendiri.")
    bkpsdm = access.is_bkpsdm(who)
    if req.status == PENDING_SUPERVISOR:
        if not (access.is_supervisor_of(who, emp) or bkpsdm):
            raise forbidden("Hanya atasan langsung (atau BKPSDM) yang memutus permohonan ini.")
    elif req.status == PENDING_BKPSDM:
        if not bkpsdm:
            raise forbidden("Permohonan ini menunggu keputusan BKPSDM.")
    else:
        if not (access.can_read(who, emp)):
            raise forbidden()
        raise conflict("not_pending", f"Permohonan sudah {req.status}.")
    check_if_match(if_match, req.version, required=False)
    stage = "bkpsdm" if req.status == PENDING_BKPSDM or bkpsdm else "atasan"
    req.decisions = [
        *req.decisions,
        {"by": who.sub, "stage": stage, "decision": decision, "note": note, "at": now.isoformat()},
    ]
    req.version += 1
    req.updated_at = now
    common = {**_base(req), "decided_by": who.sub, "decided_at": now}
    if decision == "reject":
        req.status = REJECTED
        uow.add_event(LeaveRejectedV1(**common), subject=req.nip)
    elif decision == "defer":
        req.status = DEFERRED
        uow.add_event(LeaveDeferredV1(**common), subject=req.nip)
    elif req.needs_bkpsdm and stage == "atasan":
        req.status = PENDING_BKPSDM
        uow.add_event(LeaveForwardedV1(**common), subject=req.nip)
    else:
        req.status = APPROVED
        year, after = await _book(session, emp, req, now.date())
        uow.add_event(
            LeaveApprovedV1(**common, balance_year=year, balance_after=after), subject=req.nip
        )
    session.add(req)
    return req


async def _book(
    session: AsyncSession, emp: EmployeeReplica, req: LeaveRequest, on: date
) -> tuple[int | None, float | None]:
    """Ledger entries of an approval; returns (year, tahunan balance after) where it applies."""
    year = req.start_date.year
    if req.leave_type == LeaveType.TAHUNAN:
        session.add(
            LeaveLedger(
                nip=req.nip,
                year=year,
                kind=rules.TAKEN,
                days=-req.working_days,
                on=on,
                request_id=req.id,
            )
        )
    elif req.leave_type == LeaveType.BESAR:
        remaining = (await year_balances(session, emp, year))[-1].balance
        session.add(
            LeaveLedger(
                nip=req.nip,
                year=year,
                kind=rules.FORFEITED,
                days=-max(remaining, 0),
                on=on,
                request_id=req.id,
                note="cuti besar menggantikan cuti tahunan tahun ini",
            )
        )
    else:
        return None, None
    await session.flush()
    return year, float((await year_balances(session, emp, year))[-1].balance)


async def _unbook(
    session: AsyncSession, emp: EmployeeReplica, req: LeaveRequest, on: date
) -> tuple[int | None, float | None]:
    rows = (
        await session.execute(
            select(LeaveLedger).where(
                col(LeaveLedger.request_id) == req.id, col(LeaveLedger.days) < 0
            )
        )
    ).scalars()
    entries = list(rows)
    if not entries:
        return None, None
    for entry in entries:
        session.add(
            LeaveLedger(
                nip=req.nip,
                year=entry.year,
                kind=rules.RESTORED if entry.kind == rules.TAKEN else rules.ADJUSTMENT,
                days=-entry.days,
                on=on,
                request_id=req.id,
                note="pembatalan cuti",
            )
        )
    await session.flush()
    year = req.start_date.year
    return year, float((await year_balances(session, emp, year))[-1].balance)


async def _cancel(
    uow: UnitOfWork, req: LeaveRequest, emp: EmployeeReplica, by: str, reason: str, now: datetime
) -> None:
    was_approved = req.status == APPROVED
    year, after = await _unbook(uow.session, emp, req, now.date()) if was_approved else (None, None)
    req.status = CANCELLED
    req.version += 1
    req.updated_at = now
    uow.session.add(req)
    uow.add_event(
        LeaveCancelledV1(
            **_base(req),
            cancelled_by=by,
            cancelled_at=now,
            reason=reason,
            was_approved=was_approved,
            balance_year=year,
            balance_after=after,
        ),
        subject=req.nip,
    )


async def cancel(
    uow: UnitOfWork, who: Identity, request_id: uuid.UUID, today: date, now: datetime
) -> LeaveRequest:
    session = uow.session
    req = await load(session, request_id, lock=True)
    emp = await store.employee(session, req.nip, lock=True)
    if who.sub != req.nip:
        if access.can_read(who, emp):
            raise forbidden("Hanya pemohon yang dapat membatalkan permohonannya.")
        raise forbidden()
    if req.status not in ACTIVE:
        raise conflict("not_cancellable", f"Permohonan sudah {req.status}.")
    if today >= req.start_date:
        raise conflict("already_started", "Cuti yang sudah dimulai tidak dapat dibatalkan.")
    await _cancel(uow, req, emp, who.sub, "by_requester", now)
    return req


async def cancel_open_requests(uow: UnitOfWork, nip: str, from_date: date, reason: str) -> None:
    """On retirement: cancel pending requests and approved ones that start from `from_date`."""
    session = uow.session
    rows = (
        await session.execute(
            select(LeaveRequest)
            .where(col(LeaveRequest.nip) == nip, col(LeaveRequest.status).in_(ACTIVE))
            .with_for_update()
        )
    ).scalars()
    emp = await store.employee(session, nip)
    now = datetime.now().astimezone()
    for req in list(rows):
        if req.status == APPROVED and req.start_date < from_date:
            continue
        await _cancel(uow, req, emp, "system", reason, now)


def view(req: LeaveRequest, who: Identity) -> dict[str, Any]:
    private = who.sub == req.nip or access.is_bkpsdm(who) or who.sub == req.approver_nip
    body: dict[str, Any] = {
        "id": str(req.id),
        "nip": req.nip,
        "unit_code": req.unit_code,
        "leave_type": req.leave_type,
        "start_date": req.start_date.isoformat(),
        "end_date": req.end_date.isoformat(),
        "working_days": req.working_days,
        "calendar_days": req.calendar_days,
        "status": req.status,
        "approver_nip": req.approver_nip,
        "needs_bkpsdm": req.needs_bkpsdm,
        "child_order": req.child_order,
        "decisions": req.decisions,
        "version": req.version,
    }
    if private:
        body["reason"] = req.reason
        body["certificate_ref"] = req.certificate_ref
    return body


def balance_view(balances: list[Any], reserved: int) -> dict[str, Any]:
    years = []
    for b in balances:
        years.append(
            {
                "year": b.year,
                "entitlement": b.entitlement,
                "carried_over": b.carried_over,
                "carry_cap": b.carry_cap,
                "used": b.used,
                "balance": b.balance,
                "besar_taken": b.besar_taken,
                "deferred": b.deferred,
                "entries": [
                    {"kind": "entitlement", "days": b.entitlement, "on": f"{b.year}-01-01"},
                    {"kind": "carry_over", "days": b.carried_over, "on": f"{b.year}-01-01"},
                    *(
                        {
                            "kind": e.kind,
                            "days": e.days,
                            "on": e.on.isoformat(),
                            "request_id": e.request_id,
                            "note": e.note,
                        }
                        for e in b.entries
                    ),
                ],
            }
        )
    current = years[-1]
    return {
        "year": current["year"],
        "balance": current["balance"],
        "reserved": reserved,
        "available": current["balance"] - reserved,
        "years": years,
    }

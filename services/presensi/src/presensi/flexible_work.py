"""Flexible work (work from elsewhere): asked for one's own day, decided by the direct
supervisor, limited by the unit's policy. On an approved day check-in and check-out are
recorded without the geofence flag, and the closed day says `flexible_work`."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from asn_schemas.presensi import FlexibleWorkDecidedV1, FlexibleWorkRequestedV1
from servicekit.identity import Identity
from servicekit.problems import check_if_match, conflict, forbidden, invalid, not_found
from servicekit.uow import UnitOfWork
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from presensi import access, store
from presensi.domain.calendar import business_date
from presensi.domain.flexible import (
    DEFAULT_DAYS_PER_MONTH,
    FlexiblePolicy,
    FlexibleRefused,
    check_request,
)
from presensi.shift_tables import FlexibleWork

PENDING, APPROVED, REJECTED = "diajukan", "disetujui", "ditolak"


def view(f: FlexibleWork) -> dict[str, Any]:
    return {
        "id": str(f.id),
        "nip": f.nip,
        "unit_code": f.unit_code,
        "date": f.date.isoformat(),
        "place": f.place,
        "reason": f.reason,
        "status": f.status,
        "approver_nip": f.approver_nip,
        "decided_by": f.decided_by,
        "decided_at": f.decided_at.isoformat() if f.decided_at else None,
        "decision_note": f.decision_note,
        "version": f.version,
    }


async def policy(session: AsyncSession, unit_code: str) -> FlexiblePolicy:
    row = await session.execute(
        text(
            "SELECT flexible_days_per_month FROM work_policy WHERE unit_code IN (:u, 'default') "
            "AND flexible_days_per_month IS NOT NULL ORDER BY unit_code = 'default' LIMIT 1"
        ),
        {"u": unit_code},
    )
    value = row.scalar()
    return FlexiblePolicy(int(value) if value is not None else DEFAULT_DAYS_PER_MONTH)


async def create(uow: UnitOfWork, who: Identity, body: Any, now: datetime) -> FlexibleWork:
    today = business_date(now)
    nip = body.nip or who.sub
    if nip != who.sub:
        raise forbidden("Kerja fleksibel hanya diajukan untuk diri sendiri.")
    session = uow.session
    emp = await store.employee(session, nip, lock=True)
    if emp.status != "aktif":
        raise conflict("employee_not_active", f"Status pegawai {emp.status}.")
    if emp.supervisor_nip is None:
        raise conflict("no_supervisor", "Belum ada atasan langsung yang dapat memutuskan.")
    first = body.date.replace(day=1)
    used = await session.execute(
        text(
            "SELECT count(*) FROM flexible_work WHERE nip = :n AND status <> :r "
            "AND date >= :f AND date < :t"
        ),
        {"n": nip, "r": REJECTED, "f": first, "t": (first + timedelta(days=32)).replace(day=1)},
    )
    try:
        check_request(
            body.date, today, int(used.scalar_one()), await policy(session, emp.unit_code)
        )
    except FlexibleRefused as exc:
        raise invalid(exc.code, exc.detail, field=exc.field) from exc
    same_day = await session.execute(
        text("SELECT id FROM flexible_work WHERE nip = :n AND date = :d AND status <> :r"),
        {"n": nip, "d": body.date, "r": REJECTED},
    )
    if (row := same_day.first()) is not None:
        raise conflict("flexible_work_exists", f"Sudah ada pengajuan {row[0]} untuk hari itu.")
    request = FlexibleWork(
        id=uuid.uuid4(),
        nip=nip,
        unit_code=emp.unit_code,
        date=body.date,
        place=body.place,
        reason=body.reason,
        status=PENDING,
        approver_nip=emp.supervisor_nip,
    )
    session.add(request)
    # Announced so the supervisor's inbox (the gateway's read model) shows it.
    uow.add_event(
        FlexibleWorkRequestedV1(
            request_id=request.id,
            nip=nip,
            unit_code=emp.unit_code,
            date=body.date,
            approver_nip=emp.supervisor_nip,
            requested_at=now,
        ),
        subject=nip,
    )
    return request


async def load(session: AsyncSession, request_id: uuid.UUID) -> FlexibleWork:
    found = await session.get(FlexibleWork, request_id)
    if found is None:
        raise not_found("flexible_work", f"Kerja fleksibel {request_id}")
    return found


async def decide(
    uow: UnitOfWork,
    who: Identity,
    request_id: uuid.UUID,
    decision: str,
    note: str | None,
    if_match: str | None,
    now: datetime,
) -> FlexibleWork:
    request = await uow.session.get(FlexibleWork, request_id, with_for_update=True)
    if request is None:
        raise not_found("flexible_work", f"Kerja fleksibel {request_id}")
    emp = await store.employee(uow.session, request.nip)
    if not access.is_supervisor_of(who, emp):
        raise forbidden("Kerja fleksibel diputuskan oleh atasan langsung pegawai.")
    check_if_match(if_match, request.version, required=False)
    if request.status != PENDING:
        raise conflict("flexible_work_decided", f"Pengajuan ini sudah {request.status}.")
    request.status = APPROVED if decision == "approve" else REJECTED
    request.decided_by, request.decided_at, request.decision_note = who.sub, now, note
    request.version += 1
    uow.add_event(
        FlexibleWorkDecidedV1(
            request_id=request.id,
            nip=request.nip,
            unit_code=request.unit_code,
            date=request.date,
            approved=request.status == APPROVED,
            decided_by=who.sub,
            decided_at=now,
        ),
        subject=request.nip,
    )
    return request


async def approved_on(session: AsyncSession, day: date) -> set[str]:
    rows = await session.execute(
        text("SELECT nip FROM flexible_work WHERE date = :d AND status = :a"),
        {"d": day, "a": APPROVED},
    )
    return {r[0] for r in rows}

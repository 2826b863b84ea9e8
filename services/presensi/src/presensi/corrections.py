"""Attendance corrections (koreksi presensi): asked by the employee for their own day,
decided by their direct supervisor (from the replica). An approval rewrites that day's
check-in/out (TL/PSW measured again, against the rostered shift if there was one) or
registers dinas luar, re-derives the closed day's status and deduction, and publishes
`presensi.attendance.corrected.v1` in the same transaction, so recaps follow.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from asn_schemas.presensi import (
    AttendanceCorrectedV1,
    AttendanceCorrectionRejectedV1,
    AttendanceCorrectionRequestedV1,
    DayStatus,
)
from servicekit.identity import Identity
from servicekit.problems import check_if_match, conflict, forbidden, invalid, not_found
from servicekit.uow import UnitOfWork
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from presensi import access, closing, store
from presensi.domain.calendar import WIB, business_date
from presensi.domain.classify import (
    early_category,
    late_category,
    minutes_early,
    minutes_late,
    rules_in_force,
)
from presensi.domain.correction_rules import (
    DEFAULT_POLICY,
    CorrectionKind,
    CorrectionPolicy,
    CorrectionRefused,
    check_request,
)
from presensi.models import OfficialTravel
from presensi.shift_closing import rostered_on
from presensi.shift_tables import AttendanceCorrection

PENDING, APPROVED, REJECTED = "diajukan", "disetujui", "ditolak"


def view(c: AttendanceCorrection) -> dict[str, Any]:
    return {
        "id": str(c.id),
        "nip": c.nip,
        "unit_code": c.unit_code,
        "date": c.date.isoformat(),
        "kind": c.kind,
        "check_in_at": c.check_in_at.isoformat() if c.check_in_at else None,
        "check_out_at": c.check_out_at.isoformat() if c.check_out_at else None,
        "reason": c.reason,
        "evidence_ref": c.evidence_ref,
        "status": c.status,
        "approver_nip": c.approver_nip,
        "decided_by": c.decided_by,
        "decided_at": c.decided_at.isoformat() if c.decided_at else None,
        "decision_note": c.decision_note,
        "version": c.version,
    }


async def policy(session: AsyncSession, unit_code: str) -> CorrectionPolicy:
    """The unit's row, else the city's (`default`), column by column; else the defaults."""
    rows = await session.execute(
        text(
            "SELECT correction_monthly_limit, correction_deadline_day FROM work_policy "
            "WHERE unit_code IN (:u, 'default') ORDER BY unit_code = 'default'"
        ),
        {"u": unit_code},
    )
    found = list(rows)
    limit = next((r[0] for r in found if r[0] is not None), DEFAULT_POLICY.monthly_limit)
    deadline = next((r[1] for r in found if r[1] is not None), DEFAULT_POLICY.deadline_day)
    return CorrectionPolicy(monthly_limit=limit, deadline_day=deadline)


def _times(body: Any, day: date) -> None:
    """The times asked must fit the kind and the day (a night's check-out the next day)."""
    kind = CorrectionKind(body.kind)
    if kind is CorrectionKind.MISSING_CHECK_IN and body.check_in_at is None:
        raise invalid("check_in_at_required", "Sebutkan jam masuk.", field="check_in_at")
    if kind is CorrectionKind.MISSING_CHECK_OUT and body.check_out_at is None:
        raise invalid("check_out_at_required", "Sebutkan jam pulang.", field="check_out_at")
    if kind is CorrectionKind.WRONG_STATUS and body.check_in_at is None is body.check_out_at:
        raise invalid("times_required", "Sebutkan jam masuk dan/atau pulang.", field="check_in_at")
    if kind is CorrectionKind.OFFICIAL_TRAVEL and not body.evidence_ref:
        raise invalid("evidence_required", "Sebutkan nomor surat tugas.", field="evidence_ref")
    if body.check_in_at is not None and business_date(body.check_in_at) != day:
        raise invalid("time_outside_day", "Jam masuk bukan pada hari itu.", field="check_in_at")
    if body.check_out_at is not None and business_date(body.check_out_at) not in (
        day,
        day + timedelta(days=1),
    ):
        raise invalid("time_outside_day", "Jam pulang bukan pada hari itu.", field="check_out_at")
    if body.check_in_at and body.check_out_at and body.check_out_at <= body.check_in_at:
        raise invalid("times_out_of_order", "Jam pulang sebelum jam masuk.", field="check_out_at")


async def create(uow: UnitOfWork, who: Identity, body: Any, now: datetime) -> AttendanceCorrection:
    today = business_date(now)
    nip = body.nip or who.sub
    if nip != who.sub:
        raise forbidden("Koreksi presensi hanya diajukan untuk diri sendiri.")
    session = uow.session
    emp = await store.employee(session, nip, lock=True)  # one request at a time per person
    if emp.status != "aktif":
        raise conflict("employee_not_active", f"Status pegawai {emp.status}.")
    if emp.supervisor_nip is None:
        raise conflict("no_supervisor", "Belum ada atasan langsung yang dapat memutuskan.")
    _times(body, body.date)
    month_start = body.date.replace(day=1)
    used = await session.execute(
        text(
            "SELECT count(*) FROM attendance_correction WHERE nip = :n AND status <> :rejected "
            "AND date >= :f AND date < :t"
        ),
        {"n": nip, "rejected": REJECTED, "f": month_start,
         "t": (month_start + timedelta(days=32)).replace(day=1)},
    )  # fmt: skip
    try:
        check_request(
            body.date, today, int(used.scalar_one()), await policy(session, emp.unit_code)
        )
    except CorrectionRefused as exc:
        raise invalid(exc.code, exc.detail, field=exc.field) from exc
    pending = await session.execute(
        text("SELECT id FROM attendance_correction WHERE nip = :n AND date = :d AND status = :p"),
        {"n": nip, "d": body.date, "p": PENDING},
    )
    if (row := pending.first()) is not None:
        raise conflict("correction_pending", f"Koreksi {row[0]} untuk hari itu masih diproses.")
    correction = AttendanceCorrection(
        id=uuid.uuid4(),
        nip=nip,
        unit_code=emp.unit_code,
        date=body.date,
        kind=body.kind,
        check_in_at=body.check_in_at,
        check_out_at=body.check_out_at,
        reason=body.reason,
        evidence_ref=body.evidence_ref,
        status=PENDING,
        approver_nip=emp.supervisor_nip,
    )
    session.add(correction)
    # Announced so the supervisor's inbox (the gateway's read model) shows it.
    uow.add_event(
        AttendanceCorrectionRequestedV1(
            correction_id=correction.id,
            nip=nip,
            unit_code=emp.unit_code,
            date=body.date,
            kind=body.kind,
            approver_nip=emp.supervisor_nip,
            requested_at=now,
        ),
        subject=nip,
    )
    return correction


async def load(session: AsyncSession, correction_id: uuid.UUID) -> AttendanceCorrection:
    found = await session.get(AttendanceCorrection, correction_id)
    if found is None:
        raise not_found("correction", f"Koreksi {correction_id}")
    return found


async def decide(
    uow: UnitOfWork,
    who: Identity,
    correction_id: uuid.UUID,
    decision: str,
    note: str | None,
    if_match: str | None,
    now: datetime,
    daily_cap: float | None,
) -> AttendanceCorrection:
    session = uow.session
    correction = await session.get(AttendanceCorrection, correction_id, with_for_update=True)
    if correction is None:
        raise not_found("correction", f"Koreksi {correction_id}")
    emp = await store.employee(session, correction.nip)
    if not access.is_supervisor_of(who, emp):
        raise forbidden("Koreksi presensi diputuskan oleh atasan langsung pegawai.")
    check_if_match(if_match, correction.version, required=False)
    if correction.status != PENDING:
        raise conflict("correction_decided", f"Koreksi ini sudah {correction.status}.")
    correction.status = APPROVED if decision == "approve" else REJECTED
    correction.decided_by, correction.decided_at, correction.decision_note = who.sub, now, note
    correction.version += 1
    if correction.status == APPROVED:
        await _apply(uow, correction, now, daily_cap)
    else:
        uow.add_event(
            AttendanceCorrectionRejectedV1(
                correction_id=correction.id,
                nip=correction.nip,
                unit_code=correction.unit_code,
                date=correction.date,
                kind=correction.kind,
                decided_by=who.sub,
                decided_at=now,
            ),
            subject=correction.nip,
        )
    return correction


async def _apply(
    uow: UnitOfWork, c: AttendanceCorrection, now: datetime, daily_cap: float | None
) -> None:
    session = uow.session
    attendance = (
        await session.execute(
            text("SELECT * FROM attendance WHERE nip = :n AND date = :d FOR UPDATE"),
            {"n": c.nip, "d": c.date},
        )
    ).first()
    if c.kind == CorrectionKind.OFFICIAL_TRAVEL:
        if await session.get(OfficialTravel, (c.nip, c.date)) is None:
            session.add(OfficialTravel(nip=c.nip, date=c.date, reference=c.evidence_ref or "",
                                       registered_by=c.decided_by or ""))  # fmt: skip
    else:
        attendance = await _rewrite(session, c, attendance)
    await session.flush()
    previous, closed = await _reclose(session, c, attendance, daily_cap)
    event = closed["event"] if closed else {}
    uow.add_event(
        AttendanceCorrectedV1(
            correction_id=c.id,
            nip=c.nip,
            unit_code=c.unit_code,
            date=c.date,
            kind=c.kind,
            previous_status=previous,
            status=closed["status"] if closed else None,
            checked_in_at=attendance.checked_in_at if attendance else None,
            checked_out_at=attendance.checked_out_at if attendance else None,
            minutes_late=attendance.minutes_late if attendance else 0,
            minutes_early=(attendance.minutes_early or 0) if attendance else 0,
            late_category=event.get("late_category"),
            early_category=event.get("early_category"),
            deduction_percent=event.get("deduction_percent", 0.0),
            decided_by=c.decided_by or "",
            decided_at=now,
        ),
        subject=c.nip,
    )


async def _rewrite(session: AsyncSession, c: AttendanceCorrection, row: Any) -> Any:
    """The attendance row with the corrected times, TL/PSW measured again."""
    shift = (await rostered_on(session, c.date)).get(c.nip)
    if shift is not None:
        span = shift.on(c.date)
        start, end = span.shift.start, span.shift.end
        late_of, early_of = span.minutes_late, span.minutes_early
    else:
        hours = (await store.schedule_on(session, c.unit_code, c.date)).hours_on(c.date)
        if hours is None:
            raise conflict("not_a_working_day", f"{c.date.isoformat()} bukan hari kerja.")
        start, end = hours.start, hours.end

        def late_of(at: datetime) -> int:
            return minutes_late(at.astimezone(WIB), hours.start)

        def early_of(at: datetime) -> int:
            return minutes_early(at.astimezone(WIB), hours.end)

    checked_in = c.check_in_at or (row.checked_in_at if row else None)
    checked_out = c.check_out_at or (row.checked_out_at if row else None)
    if checked_in is None:
        raise conflict("check_in_unknown", "Tanpa jam masuk, koreksi ini tidak dapat diterapkan.")
    if checked_out is not None and checked_out <= checked_in:
        raise conflict("times_out_of_order", "Jam pulang sebelum jam masuk.")
    late = late_of(checked_in)
    early = early_of(checked_out) if checked_out is not None else None
    values = {
        "n": c.nip,
        "d": c.date,
        "u": c.unit_code,
        "cin": checked_in,
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "late": late,
        "lcat": cat.value if (cat := late_category(late)) else None,
        "cout": checked_out,
        "early": early,
        "ecat": ecat.value if early is not None and (ecat := early_category(early)) else None,
    }
    if row is None:
        await session.execute(
            text(
                "INSERT INTO attendance (id, nip, date, unit_code, checked_in_at, scheduled_start, "
                "scheduled_end, minutes_late, late_category, checked_out_at, minutes_early, "
                "early_category) VALUES (:id, :n, :d, :u, :cin, :start, :end, :late, :lcat, "
                ":cout, :early, :ecat)"
            ),
            {**values, "id": uuid.uuid4()},
        )
    else:
        await session.execute(
            text(
                "UPDATE attendance SET checked_in_at = :cin, scheduled_start = :start, "
                "scheduled_end = :end, minutes_late = :late, late_category = :lcat, "
                "checked_out_at = :cout, minutes_early = :early, early_category = :ecat "
                "WHERE nip = :n AND date = :d"
            ),
            values,
        )
    return (
        await session.execute(
            text("SELECT * FROM attendance WHERE nip = :n AND date = :d"),
            {"n": c.nip, "d": c.date},
        )
    ).first()


async def _reclose(
    session: AsyncSession, c: AttendanceCorrection, attendance: Any, daily_cap: float | None
) -> tuple[DayStatus | None, dict[str, Any] | None]:
    """A day already closed gets its status and deduction again by the closing rules."""
    closed = (
        await session.execute(
            text("SELECT status FROM day_status WHERE nip = :n AND date = :d FOR UPDATE"),
            {"n": c.nip, "d": c.date},
        )
    ).first()
    if closed is None:
        return None, None  # closing the day later will see the corrected record
    leave = {
        r.nip: r
        for r in await session.execute(
            text(
                "SELECT nip, id, leave_type FROM leave_request WHERE status = 'disetujui' "
                "AND nip = :n AND start_date <= :d AND end_date >= :d"
            ),
            {"n": c.nip, "d": c.date},
        )
    }
    travel = {c.nip} if await session.get(OfficialTravel, (c.nip, c.date)) else set()
    percents = rules_in_force(await store.deduction_rules(session), c.date)
    values = closing._status(
        c.nip, {c.nip: attendance} if attendance else {}, leave, travel, percents, daily_cap
    )
    row = values["row"]
    await session.execute(
        text(
            "UPDATE day_status SET status = :status, leave_type = :leave_type, "
            "late_category = :late, early_category = :early, deduction_percent = :deduction "
            "WHERE nip = :n AND date = :d"
        ),
        {**row, "n": c.nip, "d": c.date},
    )
    return DayStatus(closed[0]), values

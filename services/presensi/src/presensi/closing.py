"""Closing a working day: one status per active employee, its deduction, and the
discipline early warning (PP 94/2021). Idempotent: a closed person-day is never redone.
The demo closes only the people it made attendance for (`only`), the same way."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from asn_schemas.presensi import (
    AttendanceDayClosedV1,
    DayStatus,
    DisciplineThresholdReachedV1,
    LeaveType,
)
from servicekit.uow import UnitOfWork
from sqlalchemy import text

from presensi import store
from presensi.domain.classify import day_deduction, early_category, late_category, rules_in_force
from presensi.domain.discipline import reached
from presensi.domain.schedules import schedule_for
from presensi.flexible_work import approved_on
from presensi.shift_closing import rostered_on, still_open

_PEOPLE = text(
    "SELECT e.nip, e.unit_code FROM employee e WHERE e.status = 'aktif' "
    "AND NOT EXISTS (SELECT 1 FROM day_status d WHERE d.nip = e.nip AND d.date = :day) "
    "AND (CAST(:only AS text[]) IS NULL OR e.nip = ANY(CAST(:only AS text[]))) ORDER BY e.nip"
)
_INSERT = text(
    "INSERT INTO day_status (nip, date, unit_code, status, leave_type, late_category, "
    "early_category, deduction_percent) VALUES (:nip, :day, :unit, :status, :leave_type, "
    ":late, :early, :deduction) ON CONFLICT DO NOTHING RETURNING nip"
)


async def close_day(
    uow: UnitOfWork,
    day: date,
    daily_cap: float | None,
    now: datetime | None = None,
    *,
    only: Collection[str] | None = None,
) -> dict[str, Any]:
    session = uow.session
    chosen = sorted(only) if only is not None else None
    people = (await session.execute(_PEOPLE, {"day": day, "only": chosen})).all()
    holidays = await store.holidays_between(session, day, day)
    units = sorted({p.unit_code for p in people})
    schedules = await store.schedules(session, units)
    percents = rules_in_force(await store.deduction_rules(session), day)
    attendance = {
        r.nip: r
        for r in await session.execute(
            text("SELECT * FROM attendance WHERE date = :day"), {"day": day}
        )
    }
    leave = {
        r.nip: r
        for r in await session.execute(
            text(
                "SELECT nip, id, leave_type FROM leave_request WHERE status = 'disetujui' "
                "AND start_date <= :day AND end_date >= :day"
            ),
            {"day": day},
        )
    }
    travel = {
        r[0]
        for r in await session.execute(
            text("SELECT nip FROM official_travel WHERE date = :day"), {"day": day}
        )
    }
    roster = await rostered_on(session, day)
    flexible = await approved_on(session, day)
    counts: dict[str, int] = {}
    for person in people:
        if person.nip not in roster:
            schedule = schedule_for(schedules, person.unit_code, day)
            if day in holidays or schedule.hours_on(day) is None:
                continue
        elif (shift := roster[person.nip]) is None or still_open(
            shift, day, attendance.get(person.nip), now
        ):
            continue  # a rostered day off; or a night whose check-out may still come
        values = _status(person.nip, attendance, leave, travel, percents, daily_cap)
        inserted = await session.execute(
            _INSERT, {**values["row"], "nip": person.nip, "day": day, "unit": person.unit_code}
        )
        if inserted.first() is None:
            continue
        counts[values["status"].value] = counts.get(values["status"].value, 0) + 1
        uow.add_event(
            AttendanceDayClosedV1(
                nip=person.nip,
                unit_code=person.unit_code,
                date=day,
                flexible_work=person.nip in flexible,
                **values["event"],
            ),
            subject=person.nip,
        )
        if values["status"] is DayStatus.TANPA_KETERANGAN:
            await _discipline(uow, person.nip, person.unit_code, day)
    return {"date": day.isoformat(), "closed": sum(counts.values()), "by_status": counts}


def _status(
    nip: str,
    attendance: dict[str, Any],
    leave: dict[str, Any],
    travel: set[str],
    percents: dict[str, float],
    daily_cap: float | None,
) -> dict[str, Any]:
    row: dict[str, Any] = {"leave_type": None, "late": None, "early": None, "deduction": 0.0}
    event: dict[str, Any] = {"deduction_percent": 0.0}
    if nip in leave:
        status = DayStatus.CUTI
        row["leave_type"] = leave[nip].leave_type
        event.update(leave_type=LeaveType(leave[nip].leave_type), leave_request_id=leave[nip].id)
    elif nip in travel:
        status = DayStatus.DINAS_LUAR
    elif nip in attendance:
        a = attendance[nip]
        late = late_category(a.minutes_late)
        early = early_category(a.minutes_early)  # no check-out: PSW4
        deduction = day_deduction(percents, late, early, daily_cap=daily_cap)
        status = (
            DayStatus.TERLAMBAT if late else DayStatus.PULANG_CEPAT if early else DayStatus.HADIR
        )
        row.update(
            late=late.value if late else None,
            early=early.value if early else None,
            deduction=deduction,
        )
        event.update(
            checked_in_at=a.checked_in_at,
            checked_out_at=a.checked_out_at,
            minutes_late=a.minutes_late,
            minutes_early=a.minutes_early or 0,
            late_category=late,
            early_category=early,
            deduction_percent=deduction,
        )
    else:
        status = DayStatus.TANPA_KETERANGAN
        deduction = day_deduction(percents, None, None, absent=True, daily_cap=daily_cap)
        row["deduction"] = deduction
        event["deduction_percent"] = deduction
    row["status"] = status.value
    return {"status": status, "row": row, "event": {"status": status, **event}}


async def _discipline(uow: UnitOfWork, nip: str, unit_code: str, day: date) -> None:
    session = uow.session
    cumulative = int(
        (
            await session.execute(
                text(
                    "SELECT count(*) FROM day_status WHERE nip = :nip AND status = "
                    "'tanpa_keterangan' AND date BETWEEN :first AND :day"
                ),
                {"nip": nip, "first": date(day.year, 1, 1), "day": day},
            )
        ).scalar_one()
    )
    recent = await session.execute(
        text(
            "SELECT status FROM day_status WHERE nip = :nip AND date <= :day "
            "ORDER BY date DESC LIMIT 40"
        ),
        {"nip": nip, "day": day},
    )
    consecutive = 0
    for (status,) in recent:
        if status != DayStatus.TANPA_KETERANGAN.value:
            break
        consecutive += 1
    for threshold in reached(cumulative, consecutive):
        uow.add_event(
            DisciplineThresholdReachedV1(
                nip=nip,
                unit_code=unit_code,
                year=day.year,
                kind=threshold.kind,
                threshold_days=threshold.days,
                days=cumulative if threshold.kind.value == "cumulative" else consecutive,
                as_of=day,
                possible_penalty=threshold.possible_penalty,
            ),
            subject=nip,
        )

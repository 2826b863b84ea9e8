"""Shift types and rosters (jadwal dinas): the commands and the reads behind their routes.

Rosters are set by the unit's admin_opd (or BKPSDM) as a draft for a month, published
(`presensi.roster.published.v1`) and then changed one day at a time with a reason until
that day (every change kept in `roster_change`, `presensi.roster.changed.v1`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from asn_schemas.presensi import RosterChangedV1, RosteredDay, RosterPublishedV1
from servicekit.errors import ProblemError
from servicekit.identity import Identity
from servicekit.problems import check_if_match, conflict, forbidden, invalid, not_found
from servicekit.uow import UnitOfWork
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from presensi import access, store
from presensi.domain.shifts import (
    DEFAULT_WEEKLY_LIMIT_MINUTES,
    ShiftRefused,
    ShiftType,
    check_roster,
    check_shift_type,
    month_days,
)
from presensi.shift_tables import RosterChange, RosterEntry, RosterRow, ShiftTypeRow

DRAFT, PUBLISHED = "draft", "published"


def require_unit_admin(who: Identity, unit_code: str) -> None:
    if not (access.is_bkpsdm(who) or access.admin_of(who, unit_code)):
        raise forbidden("Jadwal dinas diatur admin OPD unitnya atau BKPSDM.")


def refusal(exc: ShiftRefused) -> ProblemError:
    extra: dict[str, Any] = exc.extra
    return invalid(exc.code, exc.detail, **extra)


def month_of(month: str) -> list[date]:
    try:
        if len(month) != 7:
            raise ValueError(month)
        return month_days(month)
    except ValueError as exc:
        raise invalid("invalid_month", "Bulan ditulis YYYY-MM.", field="month") from exc


def to_shift(row: ShiftTypeRow) -> ShiftType:
    return ShiftType(
        row.code,
        time.fromisoformat(row.start_time),
        time.fromisoformat(row.end_time),
        row.break_minutes,
        row.check_in_before_minutes,
        row.check_out_after_minutes,
    )


def shift_view(row: ShiftTypeRow) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "unit_code": row.unit_code,
        "code": row.code,
        "name": row.name,
        "start": row.start_time,
        "end": row.end_time,
        "overnight": to_shift(row).overnight,
        "break_minutes": row.break_minutes,
        "working_minutes": to_shift(row).working_minutes,
        "check_in_before_minutes": row.check_in_before_minutes,
        "check_out_after_minutes": row.check_out_after_minutes,
        "version": row.version,
    }


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _checked(shift: ShiftType) -> ShiftType:
    try:
        check_shift_type(shift)
    except ShiftRefused as exc:
        raise refusal(exc) from exc
    return shift


async def create_shift_type(uow: UnitOfWork, who: Identity, body: Any) -> ShiftTypeRow:
    require_unit_admin(who, body.unit_code)
    _checked(ShiftType(body.code, body.start, body.end, body.break_minutes,
                       body.check_in_before_minutes, body.check_out_after_minutes))  # fmt: skip
    if await store.unit_by_code(uow.session, body.unit_code) is None:
        raise not_found("unit", f"Unit {body.unit_code}")
    exists = await uow.session.execute(
        text("SELECT 1 FROM shift_type WHERE unit_code = :u AND code = :c"),
        {"u": body.unit_code, "c": body.code},
    )
    if exists.first() is not None:
        raise conflict("shift_type_exists", f"Shift {body.code} sudah ada di {body.unit_code}.")
    row = ShiftTypeRow(
        id=uuid.uuid4(),
        unit_code=body.unit_code,
        code=body.code,
        name=body.name,
        start_time=_hhmm(body.start),
        end_time=_hhmm(body.end),
        break_minutes=body.break_minutes,
        check_in_before_minutes=body.check_in_before_minutes,
        check_out_after_minutes=body.check_out_after_minutes,
        created_by=who.sub,
    )
    uow.session.add(row)
    return row


async def update_shift_type(
    uow: UnitOfWork, who: Identity, shift_id: uuid.UUID, body: Any, if_match: str | None
) -> ShiftTypeRow:
    row = await uow.session.get(ShiftTypeRow, shift_id, with_for_update=True)
    if row is None:
        raise not_found("shift_type", f"Shift {shift_id}")
    require_unit_admin(who, row.unit_code)
    check_if_match(if_match, row.version, required=False)
    _checked(ShiftType(row.code, body.start, body.end, body.break_minutes,
                       body.check_in_before_minutes, body.check_out_after_minutes))  # fmt: skip
    row.name = body.name
    row.start_time, row.end_time = _hhmm(body.start), _hhmm(body.end)
    row.break_minutes = body.break_minutes
    row.check_in_before_minutes = body.check_in_before_minutes
    row.check_out_after_minutes = body.check_out_after_minutes
    row.version += 1
    return row


async def unit_shifts(session: AsyncSession, unit_code: str) -> dict[str, ShiftTypeRow]:
    rows = await session.execute(
        text("SELECT * FROM shift_type WHERE unit_code = :u"), {"u": unit_code}
    )
    return {r.code: ShiftTypeRow(**r._mapping) for r in rows}


async def weekly_limit(session: AsyncSession, unit_code: str) -> int:
    """The unit's limit row, else the city's (`default`), else Perpres 21/2023's 37.5 h."""
    row = await session.execute(
        text(
            "SELECT max_weekly_minutes FROM work_policy WHERE unit_code IN (:u, 'default') "
            "AND max_weekly_minutes IS NOT NULL ORDER BY unit_code = 'default' LIMIT 1"
        ),
        {"u": unit_code},
    )
    value = row.scalar()
    return int(value) if value is not None else DEFAULT_WEEKLY_LIMIT_MINUTES


async def _roster(
    session: AsyncSession, unit_code: str, month: str, *, lock: bool = False
) -> RosterRow | None:
    return await session.get(RosterRow, (unit_code, month), with_for_update=lock)


async def _members(session: AsyncSession, unit_code: str, nips: set[str]) -> None:
    """Everyone rostered must be an active employee of the unit (from the replica)."""
    rows = await session.execute(
        text("SELECT nip, unit_code, status FROM employee WHERE nip = ANY(:n)"),
        {"n": sorted(nips)},
    )
    found = {r.nip: r for r in rows}
    for nip in sorted(nips):
        r = found.get(nip)
        if r is None or r.unit_code != unit_code or r.status != "aktif":
            raise invalid(
                "not_in_unit", f"Pegawai {nip} bukan pegawai aktif unit {unit_code}.", field="nip"
            )


async def _person_roster(
    session: AsyncSession, nip: str, first: date, last: date
) -> dict[date, ShiftType | None]:
    rows = await session.execute(
        text(
            "SELECT e.date, e.shift_type_id, t.code, t.start_time, t.end_time, t.break_minutes, "
            "t.check_in_before_minutes, t.check_out_after_minutes FROM roster_entry e "
            "LEFT JOIN shift_type t ON t.id = e.shift_type_id "
            "WHERE e.nip = :n AND e.date BETWEEN :f AND :l"
        ),
        {"n": nip, "f": first, "l": last},
    )
    return {r.date: _shift_of(r) if r.shift_type_id is not None else None for r in rows}


def _shift_of(r: Any) -> ShiftType:
    return ShiftType(
        r.code,
        time.fromisoformat(r.start_time),
        time.fromisoformat(r.end_time),
        r.break_minutes,
        r.check_in_before_minutes,
        r.check_out_after_minutes,
    )


async def _check_people(
    session: AsyncSession,
    unit_code: str,
    wanted: dict[str, dict[date, ShiftType | None]],
    days: Sequence[date],
) -> None:
    """Each person's days with their neighbours outside the edited span (a night before
    the month, the rest of a week across its end) must not overlap or exceed the limit."""
    limit = await weekly_limit(session, unit_code)
    first, last = min(days) - timedelta(days=7), max(days) + timedelta(days=7)
    for nip, mine in sorted(wanted.items()):
        around = await _person_roster(session, nip, first, last)
        merged = {d: s for d, s in around.items() if d not in days} | mine
        try:
            check_roster(merged, limit)
        except ShiftRefused as exc:
            extra: dict[str, Any] = {"nip": nip, **exc.extra}
            raise invalid(exc.code, f"{nip}: {exc.detail}", **extra) from exc


async def put_roster(
    uow: UnitOfWork, who: Identity, unit_code: str, month: str, body: Any
) -> RosterRow:
    """Replace the draft roster of a unit's month with the days sent."""
    require_unit_admin(who, unit_code)
    days = month_of(month)
    session = uow.session
    roster = await _roster(session, unit_code, month, lock=True)
    if roster is not None and roster.status == PUBLISHED:
        raise conflict(
            "roster_published", "Jadwal sudah diterbitkan: ubah per hari dengan alasan (PATCH)."
        )
    shifts = await unit_shifts(session, unit_code)
    wanted: dict[str, dict[date, ShiftType | None]] = {}
    ids: dict[tuple[str, date], uuid.UUID | None] = {}
    for i, entry in enumerate(body.entries):
        if entry.date not in days:
            raise invalid(
                "date_outside_month", f"{entry.date} bukan bulan {month}.", field=f"entries.{i}"
            )
        if (entry.nip, entry.date) in ids:
            raise invalid(
                "duplicate_day", f"{entry.nip} {entry.date} disebut dua kali.",
                field=f"entries.{i}",
            )  # fmt: skip
        shift_row = None
        if entry.shift is not None:
            shift_row = shifts.get(entry.shift)
            if shift_row is None:
                raise invalid(
                    "unknown_shift_type",
                    f"Shift {entry.shift} tidak ada di {unit_code}.",
                    field=f"entries.{i}.shift",
                )
        ids[(entry.nip, entry.date)] = shift_row.id if shift_row else None
        wanted.setdefault(entry.nip, {})[entry.date] = to_shift(shift_row) if shift_row else None
    await _members(session, unit_code, set(wanted))
    elsewhere = await session.execute(
        text(
            "SELECT nip, date FROM roster_entry WHERE nip = ANY(:n) AND date BETWEEN :f AND :l "
            "AND unit_code <> :u LIMIT 1"
        ),
        {"n": sorted(wanted), "f": days[0], "l": days[-1], "u": unit_code},
    )
    if (clash := elsewhere.first()) is not None:
        raise conflict(
            "rostered_elsewhere", f"{clash.nip} sudah berjadwal di unit lain {clash.date}."
        )
    await session.execute(
        text("DELETE FROM roster_entry WHERE unit_code = :u AND month = :m"),
        {"u": unit_code, "m": month},
    )
    await _check_people(session, unit_code, wanted, days)
    session.add_all(
        RosterEntry(nip=nip, date=day, unit_code=unit_code, month=month, shift_type_id=shift_id)
        for (nip, day), shift_id in ids.items()
    )
    if roster is None:
        roster = RosterRow(unit_code=unit_code, month=month, status=DRAFT, updated_by=who.sub)
        session.add(roster)
    else:
        roster.version += 1
        roster.updated_by = who.sub
    await session.flush()
    return roster


async def rostered_days(session: AsyncSession, unit_code: str, month: str) -> list[RosteredDay]:
    rows = await session.execute(
        text(
            "SELECT e.nip, e.date, t.code, t.start_time, t.end_time FROM roster_entry e "
            "LEFT JOIN shift_type t ON t.id = e.shift_type_id "
            "WHERE e.unit_code = :u AND e.month = :m ORDER BY e.nip, e.date"
        ),
        {"u": unit_code, "m": month},
    )
    return [
        RosteredDay(
            nip=r.nip,
            date=r.date,
            shift_code=r.code,
            start=time.fromisoformat(r.start_time) if r.start_time else None,
            end=time.fromisoformat(r.end_time) if r.end_time else None,
        )
        for r in rows
    ]


async def publish(
    uow: UnitOfWork, who: Identity, unit_code: str, month: str, at: datetime
) -> RosterRow:
    require_unit_admin(who, unit_code)
    month_of(month)
    roster = await _roster(uow.session, unit_code, month, lock=True)
    if roster is None:
        raise not_found("roster", f"Jadwal {unit_code} {month}")
    if roster.status == PUBLISHED:
        raise conflict("roster_already_published", f"Jadwal {unit_code} {month} sudah terbit.")
    days = await rostered_days(uow.session, unit_code, month)
    if not days:
        raise invalid("roster_empty", "Jadwal tanpa isi tidak dapat diterbitkan.")
    roster.status, roster.published_by, roster.published_at = PUBLISHED, who.sub, at
    roster.version += 1
    uow.add_event(
        RosterPublishedV1(
            unit_code=unit_code,
            month=month,
            version=roster.version,
            published_by=who.sub,
            published_at=at,
            days=days,
        ),
        subject=f"{unit_code}/{month}",
    )
    return roster


async def change_day(
    uow: UnitOfWork, who: Identity, unit_code: str, day: date, nip: str, body: Any, at: datetime,
    today: date,
) -> RosterRow:  # fmt: skip
    """One person's day, with a reason; a published roster only until that day."""
    require_unit_admin(who, unit_code)
    session = uow.session
    month = day.strftime("%Y-%m")
    roster = await _roster(session, unit_code, month, lock=True)
    if roster is None:
        raise not_found("roster", f"Jadwal {unit_code} {month}")
    if roster.status == PUBLISHED and day < today:
        raise invalid(
            "roster_day_passed", "Hari yang sudah lewat tidak dapat diubah.", field="date"
        )
    await _members(session, unit_code, {nip})
    shift_row = None
    if body.shift is not None:
        shift_row = (await unit_shifts(session, unit_code)).get(body.shift)
        if shift_row is None:
            raise invalid(
                "unknown_shift_type", f"Shift {body.shift} tidak ada di {unit_code}.", field="shift"
            )
    entry = await session.get(RosterEntry, (nip, day), with_for_update=True)
    if entry is not None and entry.unit_code != unit_code:
        raise conflict("rostered_elsewhere", f"{nip} sudah berjadwal di unit lain {day}.")
    previous = entry.shift_type_id if entry is not None else None
    previous_code = (await session.get(ShiftTypeRow, previous)).code if previous else None  # type: ignore[union-attr]
    await _check_people(
        session, unit_code, {nip: {day: to_shift(shift_row) if shift_row else None}}, [day]
    )
    if entry is None:
        entry = RosterEntry(nip=nip, date=day, unit_code=unit_code, month=month)
        session.add(entry)
    entry.shift_type_id = shift_row.id if shift_row else None
    session.add(
        RosterChange(
            unit_code=unit_code,
            nip=nip,
            date=day,
            from_shift_type_id=previous,
            to_shift_type_id=entry.shift_type_id,
            reason=body.reason,
            changed_by=who.sub,
        )
    )
    roster.version += 1
    if roster.status == PUBLISHED:
        uow.add_event(
            RosterChangedV1(
                unit_code=unit_code,
                month=month,
                version=roster.version,
                changed_by=who.sub,
                changed_at=at,
                day=RosteredDay(
                    nip=nip,
                    date=day,
                    shift_code=shift_row.code if shift_row else None,
                    start=time.fromisoformat(shift_row.start_time) if shift_row else None,
                    end=time.fromisoformat(shift_row.end_time) if shift_row else None,
                ),
                previous_shift_code=previous_code,
            ),
            subject=f"{unit_code}/{month}",
        )
    return roster


async def roster_view(session: AsyncSession, unit_code: str, month: str) -> dict[str, Any]:
    roster = await _roster(session, unit_code, month)
    if roster is None:
        raise not_found("roster", f"Jadwal {unit_code} {month}")
    people: dict[str, dict[str, Any]] = {}
    for d in await rostered_days(session, unit_code, month):
        person = people.setdefault(d.nip, {"nip": d.nip, "days": {}})
        person["days"][d.date.isoformat()] = d.shift_code
    changes = await session.execute(
        text(
            "SELECT c.nip, c.date, f.code AS from_code, t.code AS to_code, c.reason, "
            "c.changed_by, c.changed_at FROM roster_change c "
            "LEFT JOIN shift_type f ON f.id = c.from_shift_type_id "
            "LEFT JOIN shift_type t ON t.id = c.to_shift_type_id "
            "WHERE c.unit_code = :u AND to_char(c.date, 'YYYY-MM') = :m ORDER BY c.id"
        ),
        {"u": unit_code, "m": month},
    )
    return {
        "unit_code": unit_code,
        "month": month,
        "status": roster.status,
        "version": roster.version,
        "published_at": roster.published_at.isoformat() if roster.published_at else None,
        "shift_types": [shift_view(s) for s in (await unit_shifts(session, unit_code)).values()],
        "people": list(people.values()),
        "changes": [
            {
                "nip": c.nip,
                "date": c.date.isoformat(),
                "from": c.from_code,
                "to": c.to_code,
                "reason": c.reason,
                "changed_by": c.changed_by,
                "changed_at": c.changed_at.isoformat(),
            }
            for c in changes
        ],
    }

"""Reads shared by commands: the replica, the calendar, schedules and deduction rules."""

from __future__ import annotations

from datetime import date

from servicekit.problems import not_found
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from presensi.domain.classify import DeductionRule
from presensi.domain.schedules import DEFAULT_UNIT, Schedule, days_from_json, schedule_for
from presensi.models import (
    DeductionRuleRow,
    EmployeeReplica,
    Holiday,
    ScheduleRow,
    UnitReplica,
)


async def employee(session: AsyncSession, nip: str, *, lock: bool = False) -> EmployeeReplica:
    statement = select(EmployeeReplica).where(col(EmployeeReplica.nip) == nip)
    if lock:
        statement = statement.with_for_update()
    emp = (await session.execute(statement)).scalar_one_or_none()
    if emp is None:
        raise not_found("employee", f"Pegawai {nip}")
    return emp


async def unit_by_code(session: AsyncSession, code: str) -> UnitReplica | None:
    statement = select(UnitReplica).where(col(UnitReplica.code) == code)
    return (await session.execute(statement)).scalar_one_or_none()


async def require_unit(session: AsyncSession, code: str) -> None:
    """`default` (city-wide) or a unit known from pegawai's events; any other code is a 404,
    the same answer everywhere a unit is named (schedules, recaps)."""
    if code != DEFAULT_UNIT and await unit_by_code(session, code) is None:
        raise not_found("unit", f"Unit {code}")


async def holidays_between(session: AsyncSession, start: date, end: date) -> set[date]:
    rows = await session.execute(
        text("SELECT date FROM holiday WHERE date BETWEEN :s AND :e"), {"s": start, "e": end}
    )
    return {r[0] for r in rows}


async def holiday_list(session: AsyncSession, year: int) -> list[Holiday]:
    statement = (
        select(Holiday)
        .where(col(Holiday.date) >= date(year, 1, 1), col(Holiday.date) <= date(year, 12, 31))
        .order_by(col(Holiday.date))
    )
    return list((await session.execute(statement)).scalars())


def to_schedule(row: ScheduleRow) -> Schedule:
    return Schedule(
        kind=row.kind,
        unit_code=row.unit_code,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        days=days_from_json(row.days),
    )


async def schedules(session: AsyncSession, unit_codes: list[str]) -> list[Schedule]:
    statement = select(ScheduleRow).where(
        col(ScheduleRow.unit_code).in_([*unit_codes, DEFAULT_UNIT])
    )
    return [to_schedule(r) for r in (await session.execute(statement)).scalars()]


async def schedule_on(session: AsyncSession, unit_code: str, day: date) -> Schedule:
    return schedule_for(await schedules(session, [unit_code]), unit_code, day)


async def deduction_rules(session: AsyncSession) -> list[DeductionRule]:
    rows = (await session.execute(select(DeductionRuleRow))).scalars()
    return [DeductionRule(r.code, r.percent, r.valid_from) for r in rows]

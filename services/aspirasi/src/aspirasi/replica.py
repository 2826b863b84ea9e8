"""Replicas of other services' data: pegawai's units and presensi's holidays."""

from __future__ import annotations

from asn_schemas.pegawai import UnitSnapshot
from asn_schemas.presensi import HolidayDeclaredV1, HolidayRemovedV1
from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aspirasi.models import Holiday, Unit


async def apply_unit(session: AsyncSession, unit: UnitSnapshot) -> None:
    values = {"code": unit.code, "name": unit.name, "active": unit.active}
    statement = insert(Unit).values(id=unit.unit_id, **values)
    await session.execute(statement.on_conflict_do_update(index_elements=["id"], set_=values))


async def declare_holiday(session: AsyncSession, payload: HolidayDeclaredV1) -> None:
    values = {"date": payload.date, "name": payload.name, "kind": payload.kind.value}
    statement = insert(Holiday).values(holiday_id=payload.holiday_id, **values)
    await session.execute(
        statement.on_conflict_do_update(index_elements=["holiday_id"], set_=values)
    )


async def remove_holiday(session: AsyncSession, payload: HolidayRemovedV1) -> None:
    await session.execute(delete(Holiday).where(col(Holiday.holiday_id) == payload.holiday_id))

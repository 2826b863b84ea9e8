"""Queries shared by commands, views and handlers."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aspirasi.models import TICKET_NUMBER, Clock, Holiday, Photo, Step, Submission, Unit


async def holidays(session: AsyncSession) -> set[date]:
    return {row[0] for row in await session.execute(select(col(Holiday.date)))}


async def unit_by_code(session: AsyncSession, code: str) -> Unit | None:
    return (await session.execute(select(Unit).where(col(Unit.code) == code))).scalars().first()


async def unit_code_of_claim(session: AsyncSession, claim: str | None) -> str | None:
    """An admin_opd's `unit_id` claim is a unit code or its UUID; the code either way."""
    if not claim:
        return None
    unit = await unit_by_code(session, claim)
    if unit is not None:
        return unit.code
    try:
        found = await session.get(Unit, uuid.UUID(claim))
    except ValueError:
        return claim
    return found.code if found is not None else claim


async def unit_names(session: AsyncSession) -> dict[str, str]:
    return {
        code: name for code, name in await session.execute(select(col(Unit.code), col(Unit.name)))
    }


async def next_ticket_number(session: AsyncSession) -> int:
    return int((await session.execute(TICKET_NUMBER.next_value().select())).scalar_one())


async def by_code(session: AsyncSession, code: str, *, lock: bool = False) -> Submission | None:
    query = select(Submission).where(col(Submission.code) == code)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalars().first()


async def locked(session: AsyncSession, submission_id: uuid.UUID) -> Submission | None:
    row: Submission | None = await session.get(Submission, submission_id, with_for_update=True)
    return row


async def steps_of(session: AsyncSession, submission_id: uuid.UUID) -> list[Step]:
    query = select(Step).where(col(Step.submission_id) == submission_id).order_by(col(Step.id))
    return list((await session.execute(query)).scalars())


async def clocks_of(session: AsyncSession, submission_id: uuid.UUID) -> list[Clock]:
    query = select(Clock).where(col(Clock.submission_id) == submission_id).order_by(col(Clock.id))
    return list((await session.execute(query)).scalars())


async def running_clocks(session: AsyncSession, submission_id: uuid.UUID) -> list[Clock]:
    query = select(Clock).where(
        col(Clock.submission_id) == submission_id, col(Clock.stopped_at).is_(None)
    )
    return list((await session.execute(query)).scalars())


async def photo_count(session: AsyncSession, submission_id: uuid.UUID) -> int:
    query = select(col(Photo.position)).where(col(Photo.submission_id) == submission_id)
    return len(list(await session.execute(query)))

"""The public board: figures per unit and month, and the tickets the public may read."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

from asn_schemas.aspirasi import Privacy, SubmissionKind
from servicekit.pagination import decode_cursor, encode_cursor
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aspirasi import signals, store
from aspirasi.domain.workdays import business_date, month_of
from aspirasi.models import Submission
from aspirasi.views import board_item

_PUBLIC = [Privacy.PUBLIK.value, Privacy.ANONIM.value]


async def board(
    session: AsyncSession,
    now: datetime,
    *,
    unit: str | None,
    month: str | None,
    limit: int,
    cursor: str | None,
) -> dict[str, Any]:
    today = business_date(now)
    month = month or month_of(today)
    figures = await signals.figures_by_unit(session, month, today, unit)
    units = await store.unit_names(session)
    start, end = signals.month_bounds(month)
    query = (
        select(Submission)
        .where(
            col(Submission.privacy).in_(_PUBLIC),
            col(Submission.unit_code).is_not(None),
            col(Submission.kind) != SubmissionKind.TINDAK_LANJUT_FORUM.value,
        )
        .order_by(col(Submission.code).desc())
        .limit(limit + 1)
    )
    if unit is not None:
        query = query.where(col(Submission.unit_code) == unit)
    after = decode_cursor(cursor)
    if after is not None:
        query = query.where(col(Submission.code) < after)
    rows = list((await session.execute(query)).scalars())
    page = rows[:limit]
    return {
        "month": month,
        "units": [
            {"unit_code": code, "unit_name": units.get(code), **signals.figures_json(f)}
            for code, f in figures.items()
        ],
        "items": [board_item(s, units) for s in page],
        "next_cursor": encode_cursor(page[-1].code) if len(rows) > limit else None,
        "period": {"start": start.isoformat(), "end_exclusive": end.isoformat()},
    }


async def forum_items(
    session: AsyncSession, forum_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[Submission]]:
    if not forum_ids:
        return {}
    query = (
        select(Submission)
        .where(col(Submission.forum_id).in_(forum_ids))
        .order_by(col(Submission.code))
    )
    found: dict[uuid.UUID, list[Submission]] = defaultdict(list)
    for sub in (await session.execute(query)).scalars():
        assert sub.forum_id is not None
        found[sub.forum_id].append(sub)
    return found

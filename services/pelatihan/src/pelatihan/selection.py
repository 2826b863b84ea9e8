"""The ranking of a program's candidates by the published criteria, from the database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from pelatihan import store
from pelatihan.domain.dates import today_wib
from pelatihan.domain.jp import tally
from pelatihan.domain.ranking import Candidate, Ranked, rank
from pelatihan.models import Enrollment, Program


async def ranking(session: AsyncSession, program: Program) -> list[tuple[Ranked, Enrollment]]:
    enrollments = await store.active_enrollments(session, program.id)
    nips = {e.nip for e in enrollments}
    credits = await store.credits_of(session, nips)
    last = await store.last_training(session, nips)
    needs = await store.open_needs(session, nips)
    by_key: dict[str, Enrollment] = {str(e.id): e for e in enrollments}
    candidates = [
        Candidate(
            key=str(e.id),
            jp_this_year=tally(credits[e.nip], program.start.year).total,
            open_need=bool(needs[e.nip]),
            last_training=last.get(e.nip),
            requested_at=e.requested_at or datetime.now(UTC),
            held=e.status == "approved",
        )
        for e in enrollments
    ]
    return [(r, by_key[r.candidate.key]) for r in rank(candidates, program.quota, today_wib())]


def standing_of(
    ranked: list[tuple[Ranked, Enrollment]], enrollment_id: uuid.UUID
) -> dict[str, object] | None:
    for r, e in ranked:
        if e.id == enrollment_id:
            return {
                "position": r.position,
                "within_quota": r.within_quota,
                "score": r.score.total,
            }
    return None

"""Reads that combine rows: a person's JP this year, a unit's compliance, recommendations."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from pelatihan import needs, store
from pelatihan.domain.dates import today_wib
from pelatihan.domain.jp import JP_TARGET, compliance, flagged, tally
from pelatihan.domain.jp import Credit as JpCredit
from pelatihan.models import Credit
from pelatihan.views import credit_view, program_view


async def jp_of(session: AsyncSession, nip: str, year: int) -> dict[str, Any]:
    query = (
        select(Credit)
        .where(col(Credit.nip) == nip)
        .order_by(col(Credit.end).desc(), col(Credit.title))
    )
    rows = list((await session.execute(query)).scalars())
    t = tally((JpCredit(c.jp, c.klasikal, c.end) for c in rows), year)
    return {
        "nip": nip,
        "year": year,
        "target": JP_TARGET,
        "jp": t.total,
        "klasikal": t.klasikal,
        "non_klasikal": t.non_klasikal,
        "shortfall": t.shortfall,
        "compliant": t.compliant,
        "flagged": flagged(t, today_wib()),
        "credits": [credit_view(c) for c in rows if c.end.year == year],
        "certificates": [credit_view(c) for c in rows if c.certificate_number],
    }


async def unit_compliance(
    session: AsyncSession, unit_id: uuid.UUID, unit_code: str, year: int
) -> dict[str, Any]:
    staff = await store.staff_of(session, await store.unit_subtree_ids(session, unit_id))
    credits = await store.credits_of(session, staff)
    totals = {nip: tally(credits[nip], year) for nip in staff}
    c = compliance({nip: t.total for nip, t in totals.items()})
    today = today_wib()
    below = sorted(
        (
            {"nip": nip, "jp": t.total, "shortfall": t.shortfall, "flagged": flagged(t, today)}
            for nip, t in totals.items()
            if not t.compliant
        ),
        key=lambda row: (row["jp"], row["nip"]),
    )
    return {
        "unit_code": unit_code,
        "year": year,
        "target": JP_TARGET,
        "staff": c.staff,
        "compliant": c.compliant,
        "compliance": c.share,
        "below": below,
    }


async def recommendations(session: AsyncSession, nip: str) -> dict[str, Any]:
    open_needs = (await store.open_needs(session, [nip]))[nip]
    wanted = list(dict.fromkeys(n.competency for n in open_needs))
    found = await needs.recommended(session, nip, wanted)
    return {
        "nip": nip,
        "needs": wanted,
        "programs": [program_view(p, meets=met) for p, met in found],
        "note": "Saran saja; pendaftaran tetap atas permintaan pegawai atau usulan atasan.",
    }

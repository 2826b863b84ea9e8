"""Continuous feedback as commands: a supervisor gives it (published), the employee replies
once (kept private to the two of them)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from asn_schemas.kinerja import FeedbackGivenV1
from servicekit.identity import Identity
from servicekit.problems import conflict, forbidden, invalid, not_found
from servicekit.uow import UnitOfWork

from kinerja import access, store
from kinerja.models import Feedback


async def give(uow: UnitOfWork, who: Identity, body: Any) -> Feedback:
    """For someone who reports to the caller (directly or further down), tied to an RHK of
    their SKP or a BerAKHLAK value."""
    session = uow.session
    if body.nip == who.sub:
        raise invalid("self_feedback", "Umpan balik diberikan kepada orang lain.", field="nip")
    if await store.employee(session, body.nip) is None:
        raise invalid("employee_unknown", f"Pegawai {body.nip} tidak dikenal.", field="nip")
    if who.sub not in await store.supervisor_chain(session, body.nip):
        raise forbidden("Umpan balik diberikan oleh atasan pegawai yang bersangkutan.")
    if body.rhk_id is None and body.value is None:
        raise invalid("feedback_target_missing", "Sebutkan RHK atau nilai BerAKHLAK yang dimaksud.")
    skp_id = None
    if body.rhk_id is not None:
        found = await store.rhk_with_skp(session, body.rhk_id)
        if found is None or found[1].nip != body.nip:
            raise invalid(
                "rhk_not_in_skp",
                "RHK itu bukan bagian dari SKP pegawai yang bersangkutan.",
                field="rhk_id",
            )
        skp_id = found[1].id
    row = Feedback(
        id=uuid.uuid4(),
        nip=body.nip,
        giver_nip=who.sub,
        skp_id=skp_id,
        rhk_id=body.rhk_id,
        value=body.value.value if body.value else None,
        text=body.text,
        created_at=datetime.now(UTC),
    )
    session.add(row)
    assert row.created_at is not None
    payload = FeedbackGivenV1(
        feedback_id=row.id,
        nip=row.nip,
        giver_nip=row.giver_nip,
        skp_id=skp_id,
        rhk_id=body.rhk_id,
        value=body.value,
        given_at=row.created_at,
    )
    uow.add_event(payload, subject=row.nip, sequence=await store.next_sequence(session, row.nip))
    return row


async def reply(uow: UnitOfWork, who: Identity, feedback_id: uuid.UUID, text: str) -> Feedback:
    row = await store.locked(uow.session, Feedback, feedback_id)
    if row is None:
        raise not_found("feedback", f"Umpan balik {feedback_id}")
    access.require_self(who, row.nip, "membalas umpan balik ini")
    if row.reply is not None:
        raise conflict("already_replied", "Umpan balik ini sudah dibalas.")
    row.reply = text
    row.replied_at = datetime.now(UTC)
    row.version += 1
    return row

"""A citizen's submission: checked, numbered, given a secret, and announced."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

from asn_schemas.aspirasi import Privacy, SlaClock, SubmissionReceivedV1, SubmissionStatus
from servicekit.problems import invalid
from servicekit.uow import UnitOfWork

from aspirasi import photos, steps, store
from aspirasi.api.schemas import SubmissionIn
from aspirasi.domain.tickets import hash_secret, new_salt, new_secret, ticket_code
from aspirasi.domain.workdays import business_date
from aspirasi.models import Photo, Submission


def check_honeypot(body: SubmissionIn) -> None:
    if body.website:
        raise invalid("honeypot_filled", "Kolom `website` harus dikosongkan.", field="website")


async def clean_photos(body: SubmissionIn) -> list[photos.CleanPhoto]:
    """Decoding is CPU work: off the event loop, before any transaction opens."""
    return [await asyncio.to_thread(photos.clean, p, i) for i, p in enumerate(body.photos)]


def _contact(body: SubmissionIn) -> str | None:
    if body.contact is None:
        return None
    return body.contact.email or body.contact.phone


async def receive(
    uow: UnitOfWork, body: SubmissionIn, cleaned: list[photos.CleanPhoto], now: datetime
) -> tuple[Submission, str]:
    """Returns the ticket and its secret (the only time the secret exists in clear)."""
    session = uow.session
    if body.unit_code is not None:
        unit = await store.unit_by_code(session, body.unit_code)
        if unit is None or not unit.active:
            raise invalid("unit_unknown", "Unit yang dipilih tidak dikenal.", field="unit_code")
    secret, salt = new_secret(), new_salt()
    number = await store.next_ticket_number(session)
    sub = Submission(
        id=uuid.uuid4(),
        code=ticket_code(business_date(now).year, number),
        kind=body.kind.value,
        privacy=body.privacy.value,
        status=SubmissionStatus.RECEIVED.value,
        title=body.title,
        text=body.text,
        location=body.location.model_dump(exclude_none=True) if body.location else None,
        suggested_unit_code=body.unit_code,
        reporter_name=body.reporter_name if body.privacy is Privacy.PUBLIK else None,
        contact=_contact(body),
        secret_salt=salt,
        secret_hash=hash_secret(secret, salt),
        received_at=now,
    )
    session.add(sub)
    await session.flush()
    for position, photo in enumerate(cleaned):
        session.add(
            Photo(
                id=uuid.uuid4(),
                submission_id=sub.id,
                position=position,
                content_type=photo.content_type,
                data=photo.data,
            )
        )
    holidays = await store.holidays(session)
    clock = steps.start_clock(uow, sub, SlaClock.VERIFICATION, business_date(now), holidays)
    steps.record(uow, sub, "received", now)
    await session.flush()
    steps.publish(
        uow,
        sub,
        SubmissionReceivedV1(submission=steps.snapshot(sub), verification_due=clock.due_on),
    )
    return sub, secret

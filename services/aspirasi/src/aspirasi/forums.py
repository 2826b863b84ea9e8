"""Forum masyarakat: a session, its minutes, and follow-up items — each item a ticket of
kind `tindak_lanjut_forum`, routed to its unit at once and tracked with the same clocks
and states as a citizen's submission, so a promise stays visible until it is kept."""

from __future__ import annotations

import uuid
from datetime import datetime

from asn_schemas.aspirasi import (
    ForumHeldV1,
    ForumOrganisation,
    Privacy,
    SlaClock,
    SubmissionKind,
    SubmissionRoutedV1,
    SubmissionStatus,
)
from servicekit.identity import Identity
from servicekit.problems import invalid, not_found
from servicekit.uow import UnitOfWork

from aspirasi import access, steps, store
from aspirasi.api.schemas import ForumFollowUpIn, ForumIn
from aspirasi.domain.tickets import ticket_code
from aspirasi.domain.workdays import business_date
from aspirasi.models import Forum, Submission


async def _active_unit(uow: UnitOfWork, code: str) -> str:
    unit = await store.unit_by_code(uow.session, code)
    if unit is None or not unit.active:
        raise invalid(
            "unit_unknown", f"Unit {code} tidak dikenal atau tidak aktif.", field="unit_code"
        )
    return unit.code


async def hold_session(uow: UnitOfWork, who: Identity, body: ForumIn) -> Forum:
    access.require_coordinator(who)
    unit = await _active_unit(uow, body.unit_code) if body.unit_code else None
    forum = Forum(
        id=uuid.uuid4(),
        unit_code=unit,
        held_on=body.held_on,
        place=body.place,
        organisations=[o.model_dump() for o in body.organisations],
        participant_count=body.participant_count,
        created_by=who.sub,
    )
    uow.session.add(forum)
    await uow.session.flush()
    uow.add_event(
        ForumHeldV1(
            forum_id=forum.id,
            unit_code=unit,
            held_on=forum.held_on,
            place=forum.place,
            organisations=tuple(ForumOrganisation(**o) for o in forum.organisations),
            participant_count=forum.participant_count,
        ),
        subject=str(forum.id),
    )
    return forum


async def load(uow: UnitOfWork, forum_id: uuid.UUID) -> Forum:
    forum = await uow.session.get(Forum, forum_id, with_for_update=True)
    if forum is None:
        raise not_found("forum", f"Forum {forum_id}")
    return forum


async def set_minutes(uow: UnitOfWork, who: Identity, forum: Forum, minutes: str) -> None:
    access.require_coordinator(who)
    forum.minutes = minutes
    forum.version += 1


async def add_follow_up(
    uow: UnitOfWork, who: Identity, forum: Forum, body: ForumFollowUpIn, now: datetime
) -> Submission:
    access.require_coordinator(who)
    unit = await _active_unit(uow, body.unit_code)
    today = business_date(now)
    if body.due_on < today:
        raise invalid("due_in_past", "Tenggat tindak lanjut sudah lewat.", field="due_on")
    number = await store.next_ticket_number(uow.session)
    sub = Submission(
        id=uuid.uuid4(),
        code=ticket_code(today.year, number),
        kind=SubmissionKind.TINDAK_LANJUT_FORUM.value,
        privacy=Privacy.PUBLIK.value,
        status=SubmissionStatus.ROUTED.value,
        title=body.title,
        text=body.text,
        unit_code=unit,
        forum_id=forum.id,
        received_at=now,
        verified_at=now,
        routed_at=now,
    )
    uow.session.add(sub)
    await uow.session.flush()
    holidays = await store.holidays(uow.session)
    follow = steps.start_clock(uow, sub, SlaClock.FOLLOW_UP, today, holidays)
    steps.start_clock(uow, sub, SlaClock.RESOLUTION, today, holidays, due=body.due_on)
    steps.record(uow, sub, "route", now, unit)
    await uow.session.flush()
    steps.publish(
        uow,
        sub,
        SubmissionRoutedV1(
            submission=steps.snapshot(sub),
            unit_code=unit,
            routed_at=now,
            follow_up_due=follow.due_on,
            resolution_due=body.due_on,
        ),
    )
    return sub

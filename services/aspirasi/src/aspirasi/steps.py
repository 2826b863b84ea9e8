"""One step of a ticket: the new status, the clocks it stops and starts, a line of history,
and the event snapshot — everything a command or the sweep does to a ticket goes here."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from asn_schemas import EventPayload
from asn_schemas.aspirasi import (
    Privacy,
    SlaClock,
    SubmissionKind,
    SubmissionSnapshot,
    SubmissionStatus,
)
from servicekit.problems import conflict
from servicekit.uow import UnitOfWork

from aspirasi import notices, store
from aspirasi.domain.clocks import due_on
from aspirasi.domain.privacy import public_words
from aspirasi.domain.workdays import business_date
from aspirasi.domain.workflow import CLOCKS, Action, TransitionRefused, next_status
from aspirasi.models import Clock, Step, Submission

_VERB = {
    Action.VERIFY: "diverifikasi",
    Action.ROUTE: "didisposisikan",
    Action.HOLD: "ditunda",
    Action.REFER: "dinyatakan bukan wewenang",
    Action.ARCHIVE: "diarsipkan",
    Action.RETURN: "dikembalikan ke koordinator",
    Action.FOLLOW_UP: "ditindaklanjuti",
    Action.ANSWER: "dijawab",
    Action.CONFIRM: "dikonfirmasi selesai",
    Action.REOPEN: "dibuka kembali",
    Action.AUTO_CLOSE: "ditutup otomatis",
}


def snapshot(sub: Submission) -> SubmissionSnapshot:
    privacy = Privacy(sub.privacy)
    return SubmissionSnapshot(
        submission_id=sub.id,
        code=sub.code,
        kind=SubmissionKind(sub.kind),
        privacy=privacy,
        status=SubmissionStatus(sub.status),
        unit_code=sub.unit_code,
        title=public_words(privacy, sub.title),
        text=public_words(privacy, sub.text),
        received_at=sub.received_at,
        reopen_count=sub.reopen_count,
        escalated=sub.escalated,
        forum_id=sub.forum_id,
    )


def publish(uow: UnitOfWork, sub: Submission, payload: EventPayload) -> None:
    sub.sequence += 1
    uow.add_event(payload, subject=sub.code, sequence=sub.sequence)


def record(
    uow: UnitOfWork, sub: Submission, action: str, now: datetime, note: str | None = None
) -> None:
    uow.session.add(
        Step(
            submission_id=sub.id,
            at=now,
            actor=uow.actor.sub,
            action=action,
            unit_code=sub.unit_code,
            note=note,
        )
    )


def start_clock(
    uow: UnitOfWork,
    sub: Submission,
    clock: SlaClock,
    today: date,
    holidays: Collection[date],
    *,
    due: date | None = None,
) -> Clock:
    row = Clock(
        submission_id=sub.id,
        clock=clock.value,
        unit_code=None if clock is SlaClock.VERIFICATION else sub.unit_code,
        started_on=today,
        due_on=due or due_on(clock, today, holidays),
        fixed_due=due is not None,
    )
    uow.session.add(row)
    return row


async def move(
    uow: UnitOfWork,
    sub: Submission,
    action: Action,
    now: datetime,
    *,
    note: str | None = None,
    holidays: Collection[date] | None = None,
) -> dict[SlaClock, Clock]:
    """Apply `action`: 409 if the status does not allow it. Returns the clocks started."""
    try:
        sub.status = next_status(SubmissionStatus(sub.status), action).value
    except TransitionRefused as exc:
        raise conflict(
            "submission_state_conflict",
            f"Tiket berstatus {sub.status}: tidak dapat {_VERB[action]}.",
        ) from exc
    sub.version += 1
    stop, start = CLOCKS[action]
    running = await store.running_clocks(uow.session, sub.id)
    for clock in running:
        if SlaClock(clock.clock) in stop:
            clock.stopped_at = now
    still_running = {SlaClock(c.clock) for c in running if c.stopped_at is None}
    started: dict[SlaClock, Clock] = {}
    if start:
        days_off = holidays if holidays is not None else await store.holidays(uow.session)
        today = business_date(now)
        for kind in start:
            once = kind is SlaClock.RESOLUTION
            if once and (kind in still_running or sub.verified_at is not None):
                continue  # the 60 days run once, from the first verification
            started[kind] = start_clock(uow, sub, kind, today, days_off)
    sub.escalated = any(c.breached_at is not None and c.stopped_at is None for c in running)
    record(uow, sub, action.value, now, note)
    notices.owe(uow, sub, action, now)
    await uow.session.flush()
    return started

"""The staff's steps: the coordinator decides (verify, route, hold, refer, archive); the
unit states a tindak lanjut, answers, or sends a misrouted ticket back (once per unit)."""

from __future__ import annotations

from datetime import datetime

from asn_schemas.aspirasi import (
    Privacy,
    SlaClock,
    SubmissionAnsweredV1,
    SubmissionArchivedV1,
    SubmissionFollowedUpV1,
    SubmissionHeldV1,
    SubmissionReferredV1,
    SubmissionReturnedV1,
    SubmissionRoutedV1,
)
from servicekit.identity import Identity
from servicekit.problems import conflict, invalid
from servicekit.uow import UnitOfWork

from aspirasi import access, steps, store
from aspirasi.domain.clocks import auto_close_on
from aspirasi.domain.privacy import PrivacyLoosened, public_words, tighten
from aspirasi.domain.workdays import business_date
from aspirasi.domain.workflow import Action, may_return
from aspirasi.models import Clock, Submission


def _tighten(sub: Submission, requested: Privacy | None) -> None:
    if requested is None:
        return
    try:
        sub.privacy = tighten(Privacy(sub.privacy), requested).value
    except PrivacyLoosened as exc:
        raise invalid(
            "privacy_loosened",
            "Kerahasiaan hanya dapat diperketat, tidak dilonggarkan.",
            field="privacy",
        ) from exc


async def verify(
    uow: UnitOfWork, who: Identity, sub: Submission, privacy: Privacy | None, now: datetime
) -> None:
    access.require_coordinator(who)
    _tighten(sub, privacy)
    await steps.move(uow, sub, Action.VERIFY, now)
    sub.verified_at = sub.verified_at or now


async def _resolution(uow: UnitOfWork, sub: Submission) -> Clock:
    clocks = await store.clocks_of(uow.session, sub.id)
    return next(c for c in clocks if c.clock == SlaClock.RESOLUTION.value)


async def route(
    uow: UnitOfWork,
    who: Identity,
    sub: Submission,
    unit_code: str,
    privacy: Privacy | None,
    now: datetime,
) -> None:
    access.require_coordinator(who)
    unit = await store.unit_by_code(uow.session, unit_code)
    if unit is None or not unit.active:
        raise invalid(
            "unit_unknown",
            f"Unit {unit_code} tidak dikenal atau tidak aktif.",
            field="unit_code",
        )
    _tighten(sub, privacy)
    sub.unit_code = unit.code
    started = await steps.move(uow, sub, Action.ROUTE, now, note=unit.code)
    sub.verified_at = sub.verified_at or now
    sub.routed_at = now
    steps.publish(
        uow,
        sub,
        SubmissionRoutedV1(
            submission=steps.snapshot(sub),
            unit_code=unit.code,
            routed_at=now,
            follow_up_due=started[SlaClock.FOLLOW_UP].due_on,
            resolution_due=(await _resolution(uow, sub)).due_on,
        ),
    )


async def hold(uow: UnitOfWork, who: Identity, sub: Submission, reason: str, now: datetime) -> None:
    access.require_coordinator(who)
    await steps.move(uow, sub, Action.HOLD, now, note=reason)
    sub.decision_note = reason
    steps.publish(
        uow, sub, SubmissionHeldV1(submission=steps.snapshot(sub), reason=reason, held_at=now)
    )


async def refer(
    uow: UnitOfWork, who: Identity, sub: Submission, referral: str, now: datetime
) -> None:
    access.require_coordinator(who)
    await steps.move(uow, sub, Action.REFER, now, note=referral)
    sub.decision_note = referral
    sub.closed_at = now
    steps.publish(
        uow,
        sub,
        SubmissionReferredV1(submission=steps.snapshot(sub), referral=referral, referred_at=now),
    )


async def archive(
    uow: UnitOfWork, who: Identity, sub: Submission, reason: str, now: datetime
) -> None:
    access.require_coordinator(who)
    await steps.move(uow, sub, Action.ARCHIVE, now, note=reason)
    sub.decision_note = reason
    sub.closed_at = now
    steps.publish(
        uow,
        sub,
        SubmissionArchivedV1(submission=steps.snapshot(sub), reason=reason, archived_at=now),
    )


async def send_back(
    uow: UnitOfWork, who: Identity, sub: Submission, reason: str, now: datetime
) -> None:
    unit = await access.require_handler(uow.session, who, sub)
    if not may_return(frozenset(sub.returned_by), unit):
        raise conflict(
            "already_returned", "Unit ini sudah pernah mengembalikan tiket ini ke koordinator."
        )
    started = await steps.move(uow, sub, Action.RETURN, now, note=reason)
    sub.returned_by = [*sub.returned_by, unit]
    sub.unit_code = None
    steps.publish(
        uow,
        sub,
        SubmissionReturnedV1(
            submission=steps.snapshot(sub),
            from_unit_code=unit,
            reason=reason,
            returned_at=now,
            verification_due=started[SlaClock.VERIFICATION].due_on,
        ),
    )


async def follow_up(
    uow: UnitOfWork, who: Identity, sub: Submission, note: str, now: datetime
) -> None:
    await access.require_handler(uow.session, who, sub)
    await steps.move(uow, sub, Action.FOLLOW_UP, now, note=note)
    sub.follow_up_note = note
    sub.first_follow_up_at = sub.first_follow_up_at or now
    steps.publish(
        uow,
        sub,
        SubmissionFollowedUpV1(
            submission=steps.snapshot(sub),
            followed_up_at=now,
            note=public_words(Privacy(sub.privacy), note),
        ),
    )


async def answer(uow: UnitOfWork, who: Identity, sub: Submission, text: str, now: datetime) -> None:
    await access.require_handler(uow.session, who, sub)
    await steps.move(uow, sub, Action.ANSWER, now, note=text)
    sub.answer = text
    sub.answered_at = now
    holidays = await store.holidays(uow.session)
    steps.publish(
        uow,
        sub,
        SubmissionAnsweredV1(
            submission=steps.snapshot(sub),
            answered_at=now,
            answer=public_words(Privacy(sub.privacy), text),
            auto_close_on=auto_close_on(business_date(now), holidays),
        ),
    )

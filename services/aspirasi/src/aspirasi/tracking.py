"""What a citizen does with the ticket code and secret: follow, add, confirm, reopen, rate.

An unknown code and a wrong secret get the same answer, after the same work (a hash
compared against a stand-in), so guessing codes reveals nothing about which exist.
"""

from __future__ import annotations

from datetime import datetime

from asn_schemas.aspirasi import (
    CloseOutcome,
    SlaClock,
    SubmissionClosedV1,
    SubmissionRatedV1,
    SubmissionReopenedV1,
    SubmissionStatus,
)
from servicekit.errors import ProblemError
from servicekit.problems import conflict
from servicekit.uow import UnitOfWork
from sqlalchemy.ext.asyncio import AsyncSession

from aspirasi import steps, store
from aspirasi.domain.tickets import hash_secret, is_ticket_code, secret_matches
from aspirasi.domain.workflow import Action, accepts_messages, may_rate
from aspirasi.models import Submission

_STAND_IN_SALT = b"\x00" * 16
_STAND_IN_HASH = hash_secret("0000-0000-0000-0000", _STAND_IN_SALT)


class WrongSecret(ProblemError):
    def __init__(self) -> None:
        super().__init__(
            404,
            "ticket_not_found",
            "Tiket tidak ditemukan",
            "Kode tiket atau kode rahasia tidak cocok.",
        )


async def open_ticket(
    session: AsyncSession, code: str, secret: str | None, *, lock: bool = False
) -> Submission:
    sub = await store.by_code(session, code, lock=lock) if is_ticket_code(code) else None
    salt, stored = (
        (sub.secret_salt, sub.secret_hash)
        if sub is not None and sub.secret_salt is not None and sub.secret_hash is not None
        else (_STAND_IN_SALT, _STAND_IN_HASH)
    )
    matches = secret_matches(secret or "", salt, stored)
    if sub is None or sub.secret_hash is None or not matches:
        raise WrongSecret()
    return sub


async def add_message(uow: UnitOfWork, sub: Submission, text: str, now: datetime) -> None:
    if not accepts_messages(SubmissionStatus(sub.status)):
        raise conflict("submission_final", "Tiket sudah selesai; kirim pengaduan baru.")
    steps.record(uow, sub, "message", now, text)
    sub.version += 1


def _closed(sub: Submission, outcome: CloseOutcome, now: datetime) -> SubmissionClosedV1:
    return SubmissionClosedV1(
        submission=steps.snapshot(sub), outcome=outcome, closed_at=now, rating=sub.rating
    )


async def confirm(uow: UnitOfWork, sub: Submission, rating: int | None, now: datetime) -> None:
    await steps.move(uow, sub, Action.CONFIRM, now)
    sub.closed_at = now
    sub.close_outcome = CloseOutcome.RESOLVED.value
    if rating is not None:
        sub.rating, sub.rated_at = rating, now
    steps.publish(uow, sub, _closed(sub, CloseOutcome.RESOLVED, now))


async def auto_close(uow: UnitOfWork, sub: Submission, now: datetime) -> None:
    await steps.move(uow, sub, Action.AUTO_CLOSE, now)
    sub.closed_at = now
    sub.close_outcome = CloseOutcome.TIMED_OUT.value
    steps.publish(uow, sub, _closed(sub, CloseOutcome.TIMED_OUT, now))


async def reopen(uow: UnitOfWork, sub: Submission, reason: str, now: datetime) -> None:
    started = await steps.move(uow, sub, Action.REOPEN, now, note=reason)
    sub.reopen_count += 1
    sub.answered_at = None
    steps.publish(
        uow,
        sub,
        SubmissionReopenedV1(
            submission=steps.snapshot(sub),
            reopened_at=now,
            reopen_count=sub.reopen_count,
            follow_up_due=started[SlaClock.FOLLOW_UP].due_on,
        ),
    )


async def rate(uow: UnitOfWork, sub: Submission, rating: int, now: datetime) -> None:
    if not may_rate(SubmissionStatus(sub.status), sub.rating is not None):
        if sub.rating is not None:
            raise conflict("already_rated", "Jawaban tiket ini sudah dinilai.")
        raise conflict("not_answered", "Tiket belum dijawab; belum dapat dinilai.")
    sub.rating, sub.rated_at = rating, now
    sub.version += 1
    steps.record(uow, sub, "rated", now, str(rating))
    steps.publish(
        uow, sub, SubmissionRatedV1(submission=steps.snapshot(sub), rating=rating, rated_at=now)
    )

"""The sender of progress notices: claims due notices (SKIP LOCKED, so several processes
share the work), reads the contact at send time, and records each outcome. A failed try is
retried with a doubling wait up to `notify_max_attempts`; delivery is at least once (a crash
between the mail and the commit sends it again). States: pending → sent | dropped (the
contact was erased or withdrawn) | undeliverable (refused for good, or no channel) | failed
(tries used up)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from servicekit.identity import Identity
from servicekit.logging import get_logger
from servicekit.runtime import ServiceRuntime
from sqlalchemy import select
from sqlmodel import col

from aspirasi.domain.workdays import Clock as Now
from aspirasi.mail import Transport, Undeliverable
from aspirasi.models import Notification, Submission
from aspirasi.notices import message
from aspirasi.settings import AspirasiSettings

log = get_logger(__name__)
ACTOR = Identity.system("aspirasi-notices")


@dataclass(frozen=True)
class Policy:
    portal_url: str
    max_attempts: int
    backoff_s: float
    batch: int = 20

    @classmethod
    def from_settings(cls, settings: AspirasiSettings) -> Policy:
        return cls(settings.portal_url, settings.notify_max_attempts, settings.notify_backoff_s)


async def send_due(
    runtime: ServiceRuntime, transport: Transport, now: datetime, policy: Policy
) -> int:
    """Send the notices due at `now`; the number handled (whatever their outcome)."""
    async with runtime.unit_of_work(ACTOR) as uow:
        query = (
            select(Notification, Submission.code, Submission.contact)  # type: ignore[call-overload]
            .join(Submission, col(Submission.id) == col(Notification.submission_id))
            .where(col(Notification.state) == "pending", col(Notification.next_attempt_at) <= now)
            .order_by(col(Notification.id))
            .limit(policy.batch)
            .with_for_update(of=Notification, skip_locked=True)
        )
        rows = (await uow.session.execute(query)).all()
        for notice, code, contact in rows:
            await _send_one(transport, notice, code, contact, now, policy)
        return len(rows)


async def _send_one(
    transport: Transport,
    notice: Notification,
    code: str,
    contact: str | None,
    now: datetime,
    policy: Policy,
) -> None:
    if contact is None:
        notice.state, notice.done_at = "dropped", now
        return
    assert notice.id is not None
    try:
        await transport.send(
            contact, message(code, notice.action, policy.portal_url), notice_id=notice.id
        )
    except Undeliverable as exc:
        notice.state, notice.done_at, notice.last_error = "undeliverable", now, str(exc)
        return
    except Exception as exc:
        notice.attempts += 1
        # The class only: a server's message may quote the address.
        notice.last_error = type(exc).__name__
        if notice.attempts >= policy.max_attempts:
            notice.state, notice.done_at = "failed", now
            log.warning("progress notice failed for good", notice_id=notice.id)
        else:
            wait = policy.backoff_s * 2 ** (notice.attempts - 1)
            notice.next_attempt_at = now + timedelta(seconds=wait)
        return
    notice.attempts += 1
    notice.state, notice.done_at, notice.last_error = "sent", now, None


async def run_forever(
    runtime: ServiceRuntime, transport: Transport, clock: Now, interval_s: float, policy: Policy
) -> None:
    while True:
        try:
            while await send_due(runtime, transport, clock(), policy) == policy.batch:
                pass  # a full batch: more may be due at once
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.error("notice sender failed", error=repr(exc))
        await asyncio.sleep(interval_s)

"""The sweep: clocks that ran out, answers left unanswered for 10 working days, the units'
signals, and contacts kept past their year. It runs every minute in each process, and
is idempotent: rows are claimed with SKIP LOCKED, a clock breaches once, a ticket closes
once, a signal is published only when its figures changed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from asn_schemas.aspirasi import SlaBreachedV1, SlaClock, SubmissionStatus, UnitSignalComputedV1
from servicekit.identity import Identity
from servicekit.logging import get_logger
from servicekit.runtime import ServiceRuntime
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from aspirasi import signals, steps, store, tracking
from aspirasi.domain.clocks import auto_close_on, due_on, is_breached
from aspirasi.domain.workdays import Clock as Now
from aspirasi.domain.workdays import business_date, month_of
from aspirasi.models import Clock, Submission, UnitSignal

log = get_logger(__name__)
ACTOR = Identity.system("aspirasi-sla")


@dataclass(frozen=True)
class SweepReport:
    breached: int
    closed: int
    signals: int


async def sweep(runtime: ServiceRuntime, now: datetime, retention_days: int = 365) -> SweepReport:
    breached = await _breaches(runtime, now)
    closed = await _auto_close(runtime, now)
    published = await _signals(runtime, now)
    await _erase_contacts(runtime, now, retention_days)
    return SweepReport(breached, closed, published)


async def _breaches(runtime: ServiceRuntime, now: datetime) -> int:
    today = business_date(now)
    async with runtime.unit_of_work(ACTOR) as uow:
        session = uow.session
        holidays = await store.holidays(session)
        query = (
            select(Clock, Submission)
            .join(Submission, col(Submission.id) == col(Clock.submission_id))
            .where(col(Clock.stopped_at).is_(None), col(Clock.breached_at).is_(None))
            .order_by(col(Clock.id))
            .with_for_update(skip_locked=True)
        )
        count = 0
        for clock, sub in (await session.execute(query)).all():
            kind = SlaClock(clock.clock)
            if not clock.fixed_due:
                # Holidays declared or removed since the clock started move its deadline.
                clock.due_on = due_on(kind, clock.started_on, holidays)
            if not is_breached(kind, clock.due_on, today, holidays):
                continue
            clock.breached_at = now
            sub.escalated = True
            sub.version += 1
            steps.record(uow, sub, "sla_breached", now, kind.value)
            steps.publish(
                uow,
                sub,
                SlaBreachedV1(
                    submission_id=sub.id,
                    code=sub.code,
                    clock=kind,
                    unit_code=clock.unit_code,
                    due=clock.due_on,
                    breached_at=now,
                ),
            )
            count += 1
    return count


async def _auto_close(runtime: ServiceRuntime, now: datetime) -> int:
    today = business_date(now)
    async with runtime.unit_of_work(ACTOR) as uow:
        holidays = await store.holidays(uow.session)
        query = (
            select(Submission)
            .where(col(Submission.status) == SubmissionStatus.ANSWERED.value)
            .with_for_update(skip_locked=True)
        )
        count = 0
        for sub in (await uow.session.execute(query)).scalars():
            assert sub.answered_at is not None
            if today >= auto_close_on(business_date(sub.answered_at), holidays):
                await tracking.auto_close(uow, sub, now)
                count += 1
    return count


async def _signals(runtime: ServiceRuntime, now: datetime) -> int:
    today = business_date(now)
    months = {month_of(today), month_of(today.replace(day=1) - timedelta(days=1))}
    count = 0
    async with runtime.unit_of_work(ACTOR) as uow:
        session = uow.session
        # One sweep at a time computes signals; another process skips this part.
        lock = func.pg_try_advisory_xact_lock(func.hashtext("aspirasi-signals"))
        locked = (await session.execute(select(lock))).scalar_one()
        if not locked:
            return 0
        for month in sorted(months):
            for unit, figures in (await signals.figures_by_unit(session, month, today)).items():
                data = signals.figures_json(figures)
                held = await session.get(UnitSignal, (unit, month))
                if held is not None and held.figures == data:
                    continue
                statement = insert(UnitSignal).values(
                    unit_code=unit, month=month, figures=data, computed_at=now
                )
                await session.execute(
                    statement.on_conflict_do_update(
                        index_elements=["unit_code", "month"],
                        set_={"figures": data, "computed_at": now},
                    )
                )
                uow.add_event(
                    UnitSignalComputedV1(
                        unit_code=unit,
                        month=month,
                        received=figures.received,
                        resolved=figures.resolved,
                        sla_compliance=figures.sla_compliance,
                        reopen_rate=figures.reopen_rate,
                        average_rating=figures.average_rating,
                        computed_at=now,
                    ),
                    subject=unit,
                )
                count += 1
    return count


async def _erase_contacts(runtime: ServiceRuntime, now: datetime, retention_days: int) -> None:
    """UU PDP: a contact is kept only while it serves; a year after the ticket ended."""
    async with runtime.unit_of_work(ACTOR) as uow:
        await uow.session.execute(
            update(Submission)
            .where(
                col(Submission.contact).is_not(None),
                col(Submission.closed_at) < now - timedelta(days=retention_days),
            )
            .values(contact=None)
        )


async def run_forever(
    runtime: ServiceRuntime, clock: Now, interval_s: float, retention_days: int
) -> None:
    while True:
        try:
            report = await sweep(runtime, clock(), retention_days)
            if report.breached or report.closed or report.signals:
                log.info("sla sweep", **vars(report))
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.error("sla sweep failed", error=repr(exc))
        await asyncio.sleep(interval_s)

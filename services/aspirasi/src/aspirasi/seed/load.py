"""Loading the demo data through the commands, each step at its own past instant."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from asn_schemas.aspirasi import Privacy, SubmissionKind
from servicekit.identity import Identity, Role
from servicekit.runtime import ServiceRuntime
from sqlalchemy import func, select
from sqlmodel import col

from aspirasi import forums, handling, intake, sla, store, tracking
from aspirasi.access import COORDINATOR
from aspirasi.api.schemas import ForumFollowUpIn, ForumIn, OrganisationIn, SubmissionIn
from aspirasi.domain.workdays import WIB, add_working_days, business_date
from aspirasi.models import Submission, Unit
from aspirasi.seed.demo import FORUMS, TICKETS, DemoTicket

SEED = "system:aspirasi-seed"
COORDINATOR_ID = Identity(sub=SEED, roles=frozenset({COORDINATOR}))
CITIZEN = Identity(sub="warga")


def _unit_admin(unit: str) -> Identity:
    return Identity(sub=SEED, roles=frozenset({Role.ADMIN_OPD.value}), unit_id=unit)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), WIB).astimezone(dt.UTC)


def needed_units() -> set[str]:
    units = {t.unit for t in TICKETS if t.unit} | {f.unit for f in FORUMS if f.unit}
    return units | {u for f in FORUMS for u, *_ in f.follow_ups}


async def _wait_for_units(runtime: ServiceRuntime, timeout_s: float = 120.0) -> set[str]:
    """The unit replica fills from pegawai.events while pegawai's own seed runs: wait for
    every unit the demo routes to (or the time limit); returns those present."""
    needed = needed_units()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while True:
        async with runtime.db.read_session() as session:
            query = select(col(Unit.code)).where(col(Unit.code).in_(needed), col(Unit.active))
            present = {row[0] for row in await session.execute(query)}
        if present == needed or loop.time() > deadline:
            return present
        await asyncio.sleep(1)


async def _ticket(runtime: ServiceRuntime, demo: DemoTicket, real_now: dt.datetime) -> None:
    holidays = await _holidays(runtime)
    today = business_date(real_now)
    day = today - dt.timedelta(days=demo.days_ago)
    body = SubmissionIn(
        kind=SubmissionKind(demo.kind),
        unit_code=demo.unit,
        title=demo.title,
        text=demo.text,
        privacy=Privacy(demo.privacy),
        reporter_name=demo.reporter_name,
    )
    async with runtime.unit_of_work(CITIZEN) as uow:
        sub, _ = await intake.receive(uow, body, [], _at(day, 9))
    sub_id = sub.id
    for step in demo.steps:
        day = min(add_working_days(day, 2, holidays), today)
        now = min(_at(day, 10), real_now)  # never a step in the future
        who = (
            _unit_admin(demo.unit or "")
            if step in ("follow_up", "answer", "return")
            else (CITIZEN if step in ("reopen", "confirm") else COORDINATOR_ID)
        )
        async with runtime.unit_of_work(who) as uow:
            row = await store.locked(uow.session, sub_id)
            assert row is not None
            note = demo.notes.get(step)
            match step:
                case "verify":
                    await handling.verify(uow, who, row, None, now)
                case "route":
                    await handling.route(uow, who, row, demo.unit or "", None, now)
                case "hold":
                    await handling.hold(uow, who, row, note or "Data belum lengkap.", now)
                case "refer":
                    await handling.refer(uow, who, row, note or "Bukan kewenangan Pemkot.", now)
                case "archive":
                    await handling.archive(uow, who, row, note or "spam", now)
                case "return":
                    await handling.send_back(uow, who, row, "Bukan urusan unit kami.", now)
                case "follow_up":
                    await handling.follow_up(uow, who, row, "Laporan sedang kami tinjau.", now)
                case "answer":
                    await handling.answer(uow, who, row, "Sudah kami tindak lanjuti.", now)
                case "reopen":
                    await tracking.reopen(uow, row, "Masalahnya belum selesai.", now)
                case "confirm":
                    await tracking.confirm(uow, row, demo.rating, now)
    if demo.rating is not None and "confirm" not in demo.steps:
        async with runtime.unit_of_work(CITIZEN) as uow:
            row = await store.locked(uow.session, sub_id)
            assert row is not None
            await tracking.rate(uow, row, demo.rating, min(_at(day, 11), real_now))


async def _holidays(runtime: ServiceRuntime) -> set[dt.date]:
    async with runtime.db.read_session() as session:
        return await store.holidays(session)


async def _forums(runtime: ServiceRuntime, today: dt.date, units: set[str]) -> int:
    shown = [
        f
        for f in FORUMS
        if (f.unit is None or f.unit in units) and all(u in units for u, *_ in f.follow_ups)
    ]
    for demo in shown:
        held_on = today - dt.timedelta(days=demo.days_ago)
        body = ForumIn(
            unit_code=demo.unit,
            held_on=held_on,
            place=demo.place,
            organisations=[OrganisationIn(name=n, count=c) for n, c in demo.organisations],
            participant_count=demo.participants,
        )
        async with runtime.unit_of_work(COORDINATOR_ID) as uow:
            forum = await forums.hold_session(uow, COORDINATOR_ID, body)
            await forums.set_minutes(uow, COORDINATOR_ID, forum, demo.minutes)
            for unit, title, text, due_in in demo.follow_ups:
                item = ForumFollowUpIn(
                    unit_code=unit,
                    title=title,
                    text=text,
                    due_on=held_on + dt.timedelta(days=due_in),
                )
                await forums.add_follow_up(
                    uow,
                    COORDINATOR_ID,
                    forum,
                    item.model_copy(update={"due_on": max(item.due_on, held_on)}),
                    _at(held_on, 14),
                )
    return len(shown)


async def load(runtime: ServiceRuntime, now: dt.datetime, wait_s: float = 120.0) -> dict[str, Any]:
    async with runtime.db.read_session() as session:
        existing = await session.execute(select(func.count()).select_from(Submission))
        if int(existing.scalar_one()):
            return {"skipped": "tickets exist"}
    units = await _wait_for_units(runtime, wait_s)
    if not units:
        return {"skipped": "no units in the replica (is pegawai running?)"}
    today = business_date(now)
    # A unit that never arrived only drops the demo items that name it.
    tickets = [t for t in TICKETS if t.unit is None or t.unit in units]
    for demo in sorted(tickets, key=lambda t: -t.days_ago):
        await _ticket(runtime, demo, now)
    forums_loaded = await _forums(runtime, today, units)
    report = await sla.sweep(runtime, now)
    return {"tickets": len(tickets), "forums": forums_loaded, **vars(report)}

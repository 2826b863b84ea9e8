"""`python -m presensi.seed`: the demo (idempotent) — shifts for the RSUD and the
puskesmas, leave requests in every state (`presensi.seed_leave`) and this month's
attendance so far for a share of the office-hours staff (`presensi.seed_month`).

For each of them: shift types pagi 07–14, siang 14–21 and malam 21–07 (hospital pattern,
DOMAIN 1.7), and this month's published roster for up to 40 staff on a six-day rotation
(pagi, siang, malam, then three days off: at most 32 h in any week). At the RSUD, three
corrections: one waiting in the supervisor's inbox, one approved, one rejected.

The employees come from pegawai's events: the seed waits until the replica has them.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
from time import monotonic
from types import SimpleNamespace
from typing import Any

from servicekit.db import Database
from servicekit.identity import Identity, Role
from servicekit.logging import configure_logging, get_logger
from servicekit.seeding import group_caught_up
from servicekit.uow import UnitOfWork
from sqlalchemy import text

from presensi import corrections, rosters, seed_leave, seed_month
from presensi.domain.calendar import WIB, business_date, system_clock
from presensi.domain.shifts import month_days
from presensi.main import migrate
from presensi.settings import PresensiSettings
from presensi.shift_tables import RosterRow

ACTOR = Identity(sub="system:demo-seed", roles=frozenset({str(Role.BKPSDM)}))
SHIFTS = (
    ("pagi", "Pagi", time(7), time(14), 0),
    ("siang", "Siang", time(14), time(21), 0),
    ("malam", "Malam", time(21), time(7), 60),
)
ROTATION = ("pagi", "siang", "malam", None, None, None)
STAFF_PER_UNIT = 40
log = get_logger("presensi.seed")


async def wait_for_replica(
    db: Database,
    *,
    consumer: tuple[str, str, list[str]] | None = None,
    timeout_s: float = 180.0,
) -> list[str]:
    """The RSUD and puskesmas units once their employees have arrived from pegawai (and,
    given `consumer`, once that group has caught up with the topic: servicekit.seeding)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    last = -1
    while True:
        async with db.read_session() as session:
            rows = await session.execute(
                text(
                    "SELECT u.code, count(e.nip) FROM unit u JOIN employee e "
                    "ON e.unit_code = u.code AND e.status = 'aktif' "
                    "WHERE u.code = 'rsud' OR u.code LIKE 'pkm-%' GROUP BY u.code ORDER BY u.code"
                )
            )
            found = {r[0]: int(r[1]) for r in rows}
        total = sum(found.values())
        settled = bool(found) and total == last  # the replica stopped growing
        if settled and (consumer is None or await group_caught_up(*consumer)):
            return sorted(found)
        if loop.time() > deadline:
            return sorted(found)
        last = total
        await asyncio.sleep(2)


async def load(
    db: Database, settings: PresensiSettings, today: date, *, wait_for_pegawai: bool = False
) -> dict[str, Any]:
    group = (settings.kafka_bootstrap, settings.consumer_group, [settings.pegawai_topic])
    units = await wait_for_replica(db, consumer=group if wait_for_pegawai else None)
    month = today.strftime("%Y-%m")
    rostered = 0
    for unit in units:
        rostered += await _unit(db, settings, unit, month)
    made = await _corrections(db, settings, today) if "rsud" in units else 0
    return {"units": units, "rostered_people": rostered, "corrections": made}


async def living_month(db: Database, settings: PresensiSettings, now: datetime) -> dict[str, Any]:
    """Leave first, so that its approved days close as cuti; then the month's attendance."""
    month = business_date(now).strftime("%Y-%m")
    leads = await seed_month.leads(db)
    people = await seed_month.share(db, month, leads)
    # Leave also for the sign-in's supervisors whose teams work shifts (no attendance here).
    shared = {m.nip for m in people}
    asking = people + [m for m in await seed_month.teams(db, leads) if m.nip not in shared]
    leave = await seed_leave.Leave(db, settings, now).load(asking, leads)
    attendance = await seed_month.Month(db, settings, now).load(people)
    return {"attendance_people": len(people), "leave": leave, "attendance": attendance}


def _uow(db: Database, settings: PresensiSettings, who: Identity = ACTOR) -> UnitOfWork:
    return UnitOfWork(db, actor=who, source=settings.source, topic=settings.topic)


async def _unit(db: Database, settings: PresensiSettings, unit: str, month: str) -> int:
    async with _uow(db, settings) as uow:
        existing = await rosters.unit_shifts(uow.session, unit)
        for code, name, start, end, rest in SHIFTS:
            if code not in existing:
                body = SimpleNamespace(unit_code=unit, code=code, name=name, start=start, end=end,
                                       break_minutes=rest, check_in_before_minutes=60,
                                       check_out_after_minutes=240)  # fmt: skip
                await rosters.create_shift_type(uow, ACTOR, body)
    async with _uow(db, settings) as uow:
        if await uow.session.get(RosterRow, (unit, month)) is not None:
            return 0
        staff = [
            r[0]
            for r in await uow.session.execute(
                text(
                    "SELECT nip FROM employee WHERE unit_code = :u AND status = 'aktif' "
                    "AND supervisor_nip IS NOT NULL ORDER BY nip LIMIT :n"
                ),
                {"u": unit, "n": STAFF_PER_UNIT},
            )
        ]
        if not staff:
            return 0
        entries = [
            SimpleNamespace(nip=nip, date=day, shift=ROTATION[(i + day.day) % len(ROTATION)])
            for i, nip in enumerate(staff)
            for day in month_days(month)
        ]
        await rosters.put_roster(uow, ACTOR, unit, month, SimpleNamespace(entries=entries))
    async with _uow(db, settings) as uow:
        await rosters.publish(uow, ACTOR, unit, month, datetime.now(WIB))
    return len(staff)


async def _corrections(db: Database, settings: PresensiSettings, today: date) -> int:
    async with db.read_session() as session:
        if await session.scalar(text("SELECT count(*) FROM attendance_correction")):
            return 0
        people = list(
            await session.execute(
                text(
                    "SELECT nip, supervisor_nip FROM employee WHERE unit_code = 'rsud' "
                    "AND status = 'aktif' AND supervisor_nip IS NOT NULL ORDER BY nip DESC LIMIT 3"
                )
            )
        )
    day = today - timedelta(days=1)
    asks = (
        ("missing_check_out", None, "approve"),
        ("official_travel", "ST/094/RSUD/2026", "approve"),
        ("missing_check_in", None, "reject"),
    )
    made = 0
    for (nip, supervisor), (kind, evidence, decision) in zip(people, asks, strict=False):
        who = Identity(sub=nip, roles=frozenset({str(Role.PEGAWAI)}))
        moment = datetime.combine(day, time(7, 10) if kind == "missing_check_in" else time(21, 5),
                                  WIB)  # fmt: skip
        body = SimpleNamespace(
            nip=nip, date=day, kind=kind, reason="Demo: mesin sidik jari gangguan",
            evidence_ref=evidence,
            check_in_at=moment if kind == "missing_check_in" else None,
            check_out_at=moment if kind == "missing_check_out" else None,
        )  # fmt: skip
        try:
            async with _uow(db, settings, who) as uow:
                asked = await corrections.create(
                    uow, who, body, datetime.combine(today, time(8), WIB)
                )
            if kind != "missing_check_out":  # the first stays in the supervisor's inbox
                boss = Identity(sub=supervisor, roles=frozenset({str(Role.PEGAWAI)}))
                async with _uow(db, settings, boss) as uow:
                    now = datetime.now(WIB)
                    cap = settings.deduction_daily_cap
                    await corrections.decide(uow, boss, asked.id, decision, "Demo", None, now, cap)
            made += 1
        except Exception as exc:
            log.warning("demo correction skipped", kind=kind, error=str(exc))
    return made


async def main(settings: PresensiSettings) -> None:
    db = Database(settings.database_url.get_secret_value())
    try:
        now = system_clock()
        loaded = await load(db, settings, business_date(now), wait_for_pegawai=True)
        log.info("demo shifts loaded", **loaded)
        if loaded["units"]:  # the replica has arrived
            began = monotonic()
            month = await living_month(db, settings, now)
            log.info("demo month loaded", seconds=round(monotonic() - began, 1), **month)
    finally:
        await db.dispose()


if __name__ == "__main__":
    settings = PresensiSettings()
    configure_logging("presensi-seed", settings.log_level, json=settings.log_json)
    migrate(settings)
    asyncio.run(main(settings))

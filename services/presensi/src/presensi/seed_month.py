"""The demo's month of attendance: check-ins and check-outs from the first working day of
the month up to today, and each past day closed — through the service's own commands.

Punches go through `presensi.punches` (the check-in desk's batch functions, many people per
statement), days through `presensi.closing.close_day`: the rows and the very events a
phone or a BKPSDM close would make. Who came when is drawn from the NIP and the date (the
same on every run): most on time, some late across TL1–TL4, some leaving early (PSW), a
few absent, and nobody on a day of approved leave.

Volume: the whole city for a month is ~40,000 person-days (120,000 events), more than a
first `make run` should wait for, so the demo covers a share — in every unit that works
office hours, its first `PER_UNIT` people by NIP, plus the teams of the first `TEAMS`
supervisors of staff (the ones the portal's development sign-in lists). Units on a shift
roster (RSUD, puskesmas) have their rosters instead (`presensi.seed`).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from servicekit.context import current_traceparent
from servicekit.db import Database
from servicekit.identity import Identity, Role
from servicekit.uow import UnitOfWork
from sqlalchemy import text

from presensi import closing, store
from presensi.domain.calendar import WIB, days
from presensi.domain.schedules import schedule_for
from presensi.punches import Answer, Punch, check_ins, check_outs
from presensi.settings import PresensiSettings

PER_UNIT = 10
TEAMS = 3
CLOSER = Identity(sub="system:demo-seed", roles=frozenset({str(Role.BKPSDM)}))
# (share up to, minutes after the start: from, to); below zero is before the start.
ARRIVAL = (
    (0.015, None),  # absent: no check-in, closed as tanpa keterangan
    (0.80, (-25, 0)),  # on time
    (0.89, (1, 30)),  # TL1
    (0.93, (31, 60)),  # TL2
    (0.955, (61, 90)),  # TL3
    (1.00, (91, 150)),  # TL4
)
# (share up to, minutes after the end: from, to); None: no check-out (PSW4).
DEPARTURE = ((0.015, None), (0.06, (-30, -1)), (0.075, (-60, -31)), (1.00, (0, 40)))

# Supervisors of staff only (whose reports lead no one), by NIP, city-wide: the ones the
# development sign-in lists first as "atasan" (gateway/api/devtoken.py).
_LEADS = text(
    """
    SELECT s.nip FROM employee s
    WHERE s.status = 'aktif'
      AND EXISTS (SELECT 1 FROM employee r WHERE r.supervisor_nip = s.nip AND r.status = 'aktif')
      AND NOT EXISTS (SELECT 1 FROM employee r JOIN employee rr
                      ON rr.supervisor_nip = r.nip WHERE r.supervisor_nip = s.nip)
    ORDER BY s.nip LIMIT :teams
    """
)
_TEAMS = text(
    "SELECT nip, unit_code, supervisor_nip FROM employee WHERE status = 'aktif' "
    "AND supervisor_nip = ANY(CAST(:leads AS text[])) ORDER BY nip"
)
_SHARE = text(
    """
    WITH office AS (
        SELECT e.nip, e.unit_code, e.supervisor_nip FROM employee e
        WHERE e.status = 'aktif'
          AND e.unit_code NOT IN (SELECT unit_code FROM roster WHERE month = :month)
    )
    , first_of_unit AS (
        SELECT nip FROM (
            SELECT nip, row_number() OVER (PARTITION BY unit_code ORDER BY nip) AS n FROM office
        ) ranked WHERE n <= :per_unit
    )
    SELECT o.nip, o.unit_code, o.supervisor_nip, u.latitude, u.longitude FROM office o
    LEFT JOIN unit u ON u.code = o.unit_code
    WHERE o.nip IN (SELECT nip FROM first_of_unit) OR o.nip = ANY(CAST(:leads AS text[]))
       OR o.supervisor_nip = ANY(CAST(:leads AS text[]))
    ORDER BY o.nip
    """
)


@dataclass(frozen=True)
class Member:
    nip: str
    unit_code: str
    supervisor: str | None
    position: tuple[float, float] | None


def draw(*parts: object) -> float:
    """A fixed number in [0, 1) for a person and a purpose (the same on every run)."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def _pick(table: Sequence[tuple[float, Any]], r: float) -> Any:
    return next(value for share, value in table if r < share)


def _minute(day: date, at: time, minutes: tuple[int, int], nip: str, what: str) -> datetime:
    offset = random.Random(f"{nip}:{day}:{what}").randint(*minutes)
    return datetime.combine(day, at, WIB) + timedelta(minutes=offset)


async def leads(db: Database) -> list[str]:
    """The first `TEAMS` supervisors of staff, by NIP."""
    async with db.read_session() as session:
        return [r[0] for r in await session.execute(_LEADS, {"teams": TEAMS})]


async def teams(db: Database, supervisors: list[str]) -> list[Member]:
    """Those who report to `supervisors` (whether or not they work office hours)."""
    async with db.read_session() as session:
        rows = await session.execute(_TEAMS, {"leads": supervisors})
        return [Member(r.nip, r.unit_code, r.supervisor_nip, None) for r in rows]


async def share(db: Database, month: str, teams: list[str]) -> list[Member]:
    """The people the demo makes attendance for (see the module's docstring)."""
    async with db.read_session() as session:
        params = {"month": month, "per_unit": PER_UNIT, "leads": teams}
        rows = await session.execute(_SHARE, params)
        return [
            Member(r.nip, r.unit_code, r.supervisor_nip,
                   (r.latitude, r.longitude) if r.latitude is not None else None)
            for r in rows
        ]  # fmt: skip


class Month:
    def __init__(self, db: Database, settings: PresensiSettings, now: datetime) -> None:
        self.db, self.settings, self.now = db, settings, now.astimezone(WIB)
        self.today = self.now.date()
        self.counts: dict[str, int] = {}

    def _punch(self, m: Member, at: datetime) -> Punch:
        return Punch(
            nip=m.nip,
            actor=m.nip,
            at=at,
            position=m.position,
            accuracy_m=12.0 if m.position else None,
            idempotency_key=None,
            fingerprint=None,
            traceparent=str(current_traceparent().child()),
            source=self.settings.source,
            topic=self.settings.topic,
        )

    async def _apply(self, run: Any, punches: list[Punch], what: str) -> None:
        if not punches:
            return
        pool = await self.db.raw_pool()
        async with pool.acquire() as conn, conn.transaction():
            answers = await run(conn, punches)
        done = sum(isinstance(a, Answer) for a in answers)
        self.counts[what] = self.counts.get(what, 0) + done

    async def load(self, people: list[Member]) -> dict[str, int]:
        first = self.today.replace(day=1)
        async with self.db.read_session() as session:
            holidays = await store.holidays_between(session, first, self.today)
            schedules = await store.schedules(session, sorted({m.unit_code for m in people}))
            done = {
                (r[0], r[1])
                for r in await session.execute(
                    text(
                        "SELECT nip, date FROM attendance WHERE date >= :f UNION "
                        "SELECT nip, date FROM day_status WHERE date >= :f"
                    ),
                    {"f": first},
                )
            }
            leave = await session.execute(
                text(
                    "SELECT nip, start_date, end_date FROM leave_request "
                    "WHERE status = 'disetujui' AND end_date >= :f AND start_date <= :t"
                ),
                {"f": first, "t": self.today},
            )
            away = {(r[0], d) for r in leave for d in days(r[1], r[2])}
        nips = [m.nip for m in people]
        for day in days(first, self.today):
            ins, outs = [], []
            for m in people:
                hours = schedule_for(schedules, m.unit_code, day).hours_on(day)
                if hours is None or day in holidays or (m.nip, day) in done or (m.nip, day) in away:
                    continue
                arrival = _pick(ARRIVAL, draw(m.nip, day, "in"))
                if arrival is None:
                    continue
                checked_in = _minute(day, hours.start, arrival, m.nip, "in")
                if checked_in > self.now:
                    continue  # today, not yet come
                ins.append(self._punch(m, checked_in))
                departure = _pick(DEPARTURE, draw(m.nip, day, "out"))
                if departure is not None:
                    checked_out = _minute(day, hours.end, departure, m.nip, "out")
                    if checked_out <= self.now:
                        outs.append(self._punch(m, checked_out))
            await self._apply(check_ins, ins, "checked_in")
            await self._apply(check_outs, outs, "checked_out")
            if day < self.today:
                async with UnitOfWork(self.db, actor=CLOSER, source=self.settings.source,
                                      topic=self.settings.topic) as uow:  # fmt: skip
                    closed = await closing.close_day(
                        uow, day, self.settings.deduction_daily_cap, self.now, only=nips
                    )
                for status, n in closed["by_status"].items():
                    self.counts[status] = self.counts.get(status, 0) + n
        return dict(sorted(self.counts.items()))

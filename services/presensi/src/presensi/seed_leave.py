"""The demo's leave requests, one in every state, through `presensi.leave_requests`:
approved ones earlier this month (their days close as cuti), and ahead of today requests
waiting in supervisors' inboxes (one for each supervisor the development sign-in lists),
one forwarded to BKPSDM (cuti besar), one rejected, one deferred (ditangguhkan), one
cancelled by its requester after approval, one approved. Balances follow from the
commands' own ledger (taken, restored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from asn_schemas.presensi import LeaveType
from servicekit.db import Database
from servicekit.errors import ProblemError
from servicekit.identity import Identity, Role
from servicekit.logging import get_logger
from servicekit.uow import UnitOfWork
from sqlalchemy import text

from presensi import leave_requests, store
from presensi.api.schemas import LeaveRequestBody
from presensi.domain.calendar import WIB, working_days
from presensi.seed_month import Member
from presensi.settings import PresensiSettings

log = get_logger("presensi.seed")
MARK = "Demo: "  # every demo request's reason starts so: a rerun finds them and stops


@dataclass(frozen=True)
class Case:
    kind: LeaveType
    past: bool  # earlier this month (decided then), or ahead of today
    days: int  # working days asked
    outcome: str  # wait | approve | forward | reject | defer | cancel
    reason: str
    lead: int | None = None  # for a report of the n-th listed supervisor


CASES = (
    Case(LeaveType.TAHUNAN, True, 2, "approve", "urusan keluarga di Padang"),
    Case(LeaveType.TAHUNAN, True, 3, "approve", "pulang kampung"),
    Case(LeaveType.SAKIT, True, 1, "approve", "demam"),
    Case(LeaveType.ALASAN_PENTING, True, 2, "approve", "orang tua dirawat di rumah sakit"),
    Case(LeaveType.TAHUNAN, False, 2, "wait", "menghadiri wisuda anak", lead=0),
    Case(LeaveType.TAHUNAN, False, 3, "wait", "acara keluarga", lead=1),
    Case(LeaveType.TAHUNAN, False, 2, "wait", "mengurus rumah", lead=2),
    Case(LeaveType.TAHUNAN, False, 3, "wait", "liburan keluarga"),
    Case(LeaveType.BESAR, False, 22, "forward", "menunaikan ibadah umrah"),
    Case(LeaveType.TAHUNAN, False, 2, "reject", "keperluan pribadi"),
    Case(LeaveType.TAHUNAN, False, 5, "defer", "liburan akhir tahun"),
    Case(LeaveType.TAHUNAN, False, 2, "cancel", "rencana perjalanan"),
    Case(LeaveType.TAHUNAN, False, 1, "approve", "mengurus dokumen kependudukan"),
)
NOTES = {
    "reject": "Bertepatan dengan pemeriksaan BPK; mohon ajukan tanggal lain.",
    "defer": "Ditangguhkan: tenaga dibutuhkan untuk penutupan anggaran akhir tahun.",
}


def _person(nip: str) -> Identity:
    return Identity(sub=nip, roles=frozenset({str(Role.PEGAWAI)}))


class Leave:
    def __init__(self, db: Database, settings: PresensiSettings, now: datetime) -> None:
        self.db, self.settings, self.now = db, settings, now.astimezone(WIB)
        self.today = self.now.date()

    def _uow(self, who: Identity) -> UnitOfWork:
        return UnitOfWork(self.db, actor=who, source=self.settings.source,
                          topic=self.settings.topic)  # fmt: skip

    async def load(self, people: list[Member], leads: list[str]) -> dict[str, int]:
        async with self.db.read_session() as session:
            marked = await session.execute(
                text("SELECT 1 FROM leave_request WHERE reason LIKE :m LIMIT 1"), {"m": f"{MARK}%"}
            )
            if marked.first() is not None:
                return {}
            first = self.today.replace(day=1)
            horizon = self.today + timedelta(days=60)
            holidays = await store.holidays_between(session, first, horizon)
        past = working_days(first, self.today - timedelta(days=1), holidays)
        ahead = working_days(self.today + timedelta(days=1), horizon, holidays)
        free = [m for m in people if m.supervisor]
        made: dict[str, int] = {}
        for n, case in enumerate(CASES):
            dates = past if case.past else ahead
            slot = (n * 3) % max(len(dates) - case.days, 1)
            if len(dates) < case.days + 1:
                continue  # too early in the month for days behind it
            start, end = dates[slot], dates[slot + case.days - 1]
            if case.kind is LeaveType.BESAR:
                end = start + timedelta(days=30)
            pool = free
            if case.lead is not None:
                lead = leads[case.lead] if case.lead < len(leads) else None
                pool = [m for m in free if m.supervisor == lead]
            for m in pool:
                if await self._case(m, case, start, end):
                    free.remove(m)
                    made[case.outcome] = made.get(case.outcome, 0) + 1
                    break
        return made

    async def _case(self, m: Member, case: Case, start: date, end: date) -> bool:
        """One person's request taken as far as the case says; False (nothing kept) when the
        rules refuse it for this person (service too short, PPPK, balance)."""
        assert m.supervisor is not None
        asked = datetime.combine(start - timedelta(days=7), time(9), WIB) if case.past else self.now
        body = LeaveRequestBody(
            leave_type=case.kind,
            start_date=start,
            end_date=end,
            reason=MARK + case.reason,
            certificate_ref="SKD/RSUD/0412" if case.kind is LeaveType.SAKIT else None,
        )
        me, boss = _person(m.nip), _person(m.supervisor)
        try:
            # One unit of work per case, its `actor` following whoever takes each step: a
            # step the rules refuse leaves nothing of the case behind, row or event.
            async with self._uow(me) as uow:
                req = await leave_requests.create(uow, me, body, asked.date())
                if case.outcome == "wait":
                    return True
                decision = {"reject": "reject", "defer": "defer"}.get(case.outcome, "approve")
                decided = asked + timedelta(hours=2) if case.past else self.now
                uow.actor = boss
                note = NOTES.get(case.outcome)
                await leave_requests.decide(uow, boss, req.id, decision, note, None, decided)
                if case.outcome == "cancel":
                    uow.actor = me
                    await leave_requests.cancel(uow, me, req.id, self.today, self.now)
        except ProblemError as exc:
            log.info("demo leave tried another person", nip=m.nip, code=exc.code)
            return False
        return True

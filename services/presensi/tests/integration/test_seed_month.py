"""The demo's month (`presensi.seed.living_month`) on a real database and Kafka: leave in
every state with balances that follow, a supervisor's inbox with a waiting request, the
month's recap with lateness, early leave, absence and cuti; a rerun adds no row and no
event."""

from __future__ import annotations

from datetime import datetime

import pytest
from aiokafka import AIOKafkaProducer
from asn_schemas import CONTENT_TYPE, new_event
from asn_schemas.pegawai import EmployeeRegisteredV1, UnitCreatedV1
from presensi.domain.calendar import WIB
from presensi.seed import living_month
from presensi_testkit import BKPSDM_NIP, HEAD, MID, OTHER, Service, snapshot, unit
from sqlalchemy import text

pytestmark = pytest.mark.integration

NOW = datetime(2025, 3, 13, 9, 30, tzinfo=WIB)  # a Thursday: 8 working days behind it
TEAM = [f"199002022015032{n:03d}" for n in range(1, 17)]  # MID's staff, appointed 2015
DISDIK = [f"199104042016031{n:03d}" for n in range(1, 4)]  # OTHER's staff


async def _city(service: Service) -> int:
    people = [(HEAD, "dinkes", None), (MID, "dinkes", HEAD), (OTHER, "disdik", None)]
    people += [(nip, "dinkes", MID) for nip in TEAM] + [(n, "disdik", OTHER) for n in DISDIK]
    sends = [(UnitCreatedV1(unit=unit(code)), code) for code in ("dinkes", "disdik")]
    sends += [(EmployeeRegisteredV1(employee=snapshot(n, u, s)), n) for n, u, s in people]
    producer = AIOKafkaProducer(bootstrap_servers=service.bootstrap, acks="all")
    await producer.start()
    try:
        for payload, subject in sends:
            envelope = new_event(payload, subject=subject, actor=BKPSDM_NIP,
                                 source="/sawahlunto/pegawai", sequence=1)  # fmt: skip
            await producer.send_and_wait(
                service.settings.pegawai_topic,
                value=envelope.to_json_bytes(),
                key=subject.encode(),
                headers=[("content-type", CONTENT_TYPE.encode())],
            )
    finally:
        await producer.stop()
    await service.consumed(len(sends))
    return len(people)


async def test_demo_month_leave_and_rerun(service: Service) -> None:
    everyone = await _city(service)
    loaded = await living_month(service.db, service.settings, NOW)
    assert loaded["attendance_people"] == everyone
    assert loaded["leave"] == {
        "approve": 5,
        "wait": 3,
        "forward": 1,
        "reject": 1,
        "defer": 1,
        "cancel": 1,
    }, loaded

    # Leave in every state; the cuti besar waits for BKPSDM after the supervisor.
    statuses = await service.scalar(
        "SELECT string_agg(status, ',' ORDER BY status) FROM "
        "(SELECT DISTINCT status FROM leave_request) s"
    )
    assert statuses == ("dibatalkan,disetujui,ditangguhkan,ditolak,menunggu_atasan,menunggu_bkpsdm")
    # Each supervisor of staff has a request waiting in their inbox.
    for lead in (MID, OTHER):
        inbox = await service.call("GET", "/leave-requests?approver=me", as_=(lead, "pegawai"))
        waiting = [r for r in inbox.json()["items"] if r["status"] == "menunggu_atasan"]
        assert waiting, f"nothing waits for {lead}"
    bkpsdm = await service.call("GET", "/leave-requests?approver=me&status=menunggu_bkpsdm")
    assert [r["leave_type"] for r in bkpsdm.json()["items"]] == ["besar"]

    # Balances follow the ledger: an approved tahunan is taken, a cancelled one restored.
    taken = await service.scalar(
        "SELECT nip FROM leave_request WHERE status = 'disetujui' AND leave_type = 'tahunan' "
        "AND start_date < '2025-03-13' ORDER BY working_days LIMIT 1"
    )
    days = await service.scalar(
        "SELECT working_days FROM leave_request WHERE nip = :n AND status = 'disetujui'", n=taken
    )
    balance = await service.call("GET", f"/leave-balances/{taken}", as_=(taken, "pegawai"))
    assert balance.json()["balance"] == 12 - days
    cancelled = await service.scalar("SELECT nip FROM leave_request WHERE status = 'dibatalkan'")
    balance = await service.call("GET", f"/leave-balances/{cancelled}", as_=(cancelled, "pegawai"))
    assert balance.json()["balance"] == 12

    # The month's recap: 8 closed working days each, with lateness, early leave and cuti.
    recap = (await service.call("GET", "/attendance/recap?month=2025-03&unit=dinkes")).json()
    assert {p["days"] for p in recap["people"]} == {8}
    seen = {status for p in recap["people"] for status in p["by_status"]}
    assert {"hadir", "terlambat", "cuti"} <= seen, seen
    categories = await service.scalar(
        "SELECT string_agg(DISTINCT late_category, ',') FROM day_status"
    )
    assert categories and "TL1" in categories
    assert recap["deduction_percent_total"] > 0
    # Today: those who came before 09:30 are in, nobody has gone home yet.
    today = await service.scalar(
        "SELECT count(*) FROM attendance WHERE date = '2025-03-13' AND checked_out_at IS NULL"
    )
    assert today > 0
    assert await service.scalar("SELECT count(*) FROM day_status WHERE date = '2025-03-13'") == 0

    before = await service.counts()
    again = await living_month(service.db, service.settings, NOW)
    assert again["leave"] == {} and again["attendance"] == {}
    assert await service.counts() == before


async def test_a_supervisor_whose_team_works_shifts_still_has_a_waiting_request(
    service: Service,
) -> None:
    """The sign-in page lists supervisors city-wide: one whose unit works a roster gets no
    attendance from the demo (the roster has its own) but still a request in the inbox."""
    await _city(service)
    async with service.db.sessionmaker() as session, session.begin():
        await session.execute(
            text(
                "INSERT INTO roster (unit_code, month, status, version, updated_by) "
                "VALUES ('disdik', '2025-03', 'draft', 1, 'system:test')"
            )
        )
    loaded = await living_month(service.db, service.settings, NOW)
    assert loaded["attendance_people"] == 2 + len(TEAM)  # HEAD, MID and MID's team
    assert not await service.scalar("SELECT count(*) FROM attendance WHERE unit_code = 'disdik'")
    inbox = await service.call("GET", "/leave-requests?approver=me", as_=(OTHER, "pegawai"))
    assert [r["status"] for r in inbox.json()["items"]] == ["menunggu_atasan"]

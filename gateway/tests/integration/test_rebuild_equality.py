"""A rebuilt read model equals the live one, table by table, on real Kafka and PostgreSQL.

The topics hold what a relay leaves behind after lost acks: an event re-sent right after
itself, and events re-sent after later events of the same employee (a leave approval
after its cancellation, a registration after a promotion, a holiday's declaration after
its removal). Besides, one event no projection can apply (a unit name holding a NUL
character, which PostgreSQL refuses): the live consumer dead-letters it, and so does the
rebuild, which goes on.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from asn_schemas.envelope import Envelope
from asn_schemas.pegawai import UnitCreatedV1, UnitSnapshot
from asn_schemas.presensi import (
    AttendanceCheckedInV1,
    HolidayDeclaredV1,
    HolidayRemovedV1,
    LeaveApprovedV1,
    LeaveCancelledV1,
    LeaveRequestedV1,
)
from gateway.lag import LagMonitor
from gateway.main import create_app, migrate
from gateway.models import PELATIHAN_TABLES, SHIFT_TABLES
from gateway.rebuild import rebuild
from gateway.settings import GatewaySettings
from gateway_testkit import (
    MID,
    STAFF,
    Gateway,
    at_wib,
    city_events,
    event,
    eventually,
    promoted,
    publish,
    read_model,
    registered,
    today_wib,
)
from servicekit.db import Database
from servicekit.deadletter import dlq_topic
from servicekit.testing import read_topic_records

pytestmark = pytest.mark.integration


@asynccontextmanager
async def live_gateway(settings: GatewaySettings, token_for: Any) -> AsyncIterator[Gateway]:
    await asyncio.to_thread(migrate, settings)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            yield Gateway(client, settings, settings.kafka_bootstrap, token_for, app)


def leave_story(day: date) -> tuple[Envelope, Envelope, Envelope]:
    """STAFF's leave: requested, approved (balance 11), then cancelled (balance 12)."""
    request_id = uuid.uuid4()
    common: dict[str, Any] = {
        "request_id": request_id,
        "nip": STAFF,
        "unit_code": "dinkes-p2p",
        "leave_type": "tahunan",
        "start_date": day,
        "end_date": day,
        "working_days": 1,
    }
    requested = LeaveRequestedV1(**common, calendar_days=1, approver_nip=MID, needs_bkpsdm=False)
    approved = LeaveApprovedV1(
        **common,
        decided_by=MID,
        decided_at=at_wib(day - timedelta(days=3), 9, 0),
        balance_year=day.year,
        balance_after=11,
    )
    cancelled = LeaveCancelledV1(
        **common,
        cancelled_by=STAFF,
        cancelled_at=at_wib(day - timedelta(days=2), 9, 0),
        reason="withdrawn_by_employee",
        was_approved=True,
        balance_year=day.year,
        balance_after=12,
    )
    return (
        event(requested, STAFF, actor=STAFF),
        event(approved, STAFF, actor=MID),
        event(cancelled, STAFF, actor=STAFF),
    )


def holiday_story(day: date) -> tuple[Envelope, Envelope]:
    values: dict[str, Any] = {
        "holiday_id": uuid.uuid4(),
        "date": day,
        "name": "Libur daerah",
        "kind": "libur_daerah",
    }
    key = day.isoformat()
    return (
        event(HolidayDeclaredV1(**values), key, actor="system:presensi"),
        event(HolidayRemovedV1(**values), key, actor="system:presensi"),
    )


def a_unit_the_database_refuses() -> Envelope:
    """Valid by its contract, refused by PostgreSQL whenever it comes (a failure that
    depends on no other event, so both orders of the partitions meet it alike)."""
    snapshot = UnitSnapshot(unit_id=uuid.uuid4(), code="ghost", name="Unit\x00ghost", kind="dinas")
    return event(UnitCreatedV1(unit=snapshot), "ghost", sequence=1)


def offsets(rows: list[tuple[str, ...]]) -> dict[tuple[str, str], int]:
    """`applied_offset` rows as `read_model` gives them (reprs): partition → offset."""
    return {(topic, partition): int(offset) for topic, partition, offset, *_ in rows}


async def caught_up(settings: GatewaySettings) -> None:
    """Until the live group has committed every partition's end (a fresh lag reading)."""

    async def done() -> bool:
        monitor = LagMonitor(
            settings.kafka_bootstrap,
            settings.consumer_group,
            list(settings.source_topics.values()),
            interval_s=1,
        )
        try:
            await monitor.check()
        finally:
            await monitor.stop()
        return monitor.lag is not None and monitor.total_events_behind() == 0

    await eventually(done, what="the live read model caught up with every topic")


async def test_a_rebuild_equals_the_live_read_model_table_by_table(
    gateway_settings, stub, token_for
):
    settings = await gateway_settings(
        pegawai_url=stub.url,
        presensi_url=stub.url,
        kinerja_url=stub.url,
        consumer_max_attempts=2,
        consumer_backoff_initial_s=0.05,
    )
    pegawai, presensi = settings.pegawai_topic, settings.presensi_topic
    day = today_wib()
    registration = registered(STAFF, "dinkes-p2p", MID)
    promotion = promoted(STAFF, "dinkes-p2p", MID, sequence=2)
    requested, approved, cancelled = leave_story(day + timedelta(days=7))
    declared, removed = holiday_story(day + timedelta(days=14))
    check_in = AttendanceCheckedInV1(
        attendance_id=uuid.uuid4(),
        nip=STAFF,
        unit_code="dinkes-p2p",
        date=day,
        checked_in_at=at_wib(day, 7, 52),
        scheduled_start="07:30",
        minutes_late=22,
        late_category="TL1",
    )
    poison = a_unit_the_database_refuses()
    city = [item for item in city_events(pegawai) if item[1].subject != STAFF]

    async with live_gateway(settings, token_for) as gateway:
        await publish(
            settings.kafka_bootstrap,
            *city,
            (pegawai, registration),
            (pegawai, promotion),
            (pegawai, promotion),  # re-sent at once: the ack was lost
            (pegawai, registration),  # re-sent after the promotion
            (pegawai, poison),
            (presensi, event(check_in, STAFF, actor=STAFF)),
            (presensi, requested),
            (presensi, approved),
            (presensi, cancelled),
            (presensi, approved),  # the approval re-sent after the cancellation
            (presensi, declared),
            (presensi, removed),
            (presensi, declared),  # the declaration re-sent after the removal
        )
        await caught_up(settings)
        db = Database(settings.database_url.get_secret_value(), pool_size=1)
        try:
            live = await read_model(db)
            result = await rebuild(settings)
            rebuilt = await read_model(db)
        finally:
            await db.dispose()
        profile = (await gateway.get(f"/api/profiles/{STAFF}")).json()

    # What the live consumer shows, and so what the rebuild must show too.
    leave = [row for row in live["leave_request"] if repr(STAFF) in row]
    assert len(leave) == 1 and repr("cancelled") in leave[0]
    assert [row for row in live["holiday"] if repr(True) in row]  # removed stays removed
    assert len(live["employee_history"]) == 4 * 5 + 1  # four registrations, one promotion
    assert profile["golongan"] == "III/c"
    assert [h["value"]["to"] for h in profile["history"]["golongan"][1:]] == ["III/c"]
    assert profile["leave_balances"][0]["remaining"] == 12
    # Tables of sources this test publishes nothing for (kinerja's, aspirasi's,
    # pelatihan's, presensi's shift work).
    unfed = {"skp", "appraisal", "feedback", "ticket", "complaint_signal"}
    unfed |= {table.name for table in PELATIHAN_TABLES + SHIFT_TABLES}
    assert [name for name, rows in live.items() if not rows and name not in unfed] == []

    assert set(rebuilt) == set(live)
    # The offset guard is bookkeeping, not the read model: the live consumer's inbox drops
    # a re-sent event before the projections see it, so its offset is not recorded there,
    # while the rebuild records the offset of every event it reads. What must hold is
    # that the rebuild has read at least as far as the live tables had applied.
    live_offsets = offsets(live.pop("applied_offset"))
    rebuilt_offsets = offsets(rebuilt.pop("applied_offset"))
    assert rebuilt_offsets.keys() == live_offsets.keys()
    assert all(rebuilt_offsets[p] >= live_offsets[p] for p in live_offsets)
    for table, rows in live.items():
        assert rebuilt[table] == rows, f"{table} differs after the rebuild"

    events = len(city) + 13
    assert result.duplicates == 4
    assert result.dead_lettered == 1
    assert result.skipped == 0
    assert result.applied == events - 4 - 1
    letters = await read_topic_records(settings.kafka_bootstrap, dlq_topic(settings.consumer_group))
    # One from the live consumer, one from the rebuild: the same record, its error attached.
    assert len(letters) == 2
    assert {bytes(r.value or b"") for r in letters} == {poison.to_json_bytes()}
    assert all(dict(r.headers).get("dlq.error.type") for r in letters)

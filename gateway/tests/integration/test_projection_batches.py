"""A poll's events applied together end exactly where applying them one by one ends,
and a replayed batch (or any event at or below a partition's applied offset) changes
nothing. Straight on the projections and a migrated database: no Kafka needed."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from asn_schemas import Envelope
from asn_schemas.presensi import (
    AttendanceCheckedInV1,
    AttendanceCheckedOutV1,
    AttendanceDayClosedV1,
    LeaveApprovedV1,
    LeaveRequestedV1,
)
from gateway.main import MIGRATIONS
from gateway.projections import apply_event, apply_events
from gateway_testkit import (
    MID,
    OTHER,
    STAFF,
    at_wib,
    event,
    promoted,
    read_model,
    registered,
    today_wib,
)
from servicekit.consumer import ConsumedEvent
from servicekit.db import Database
from servicekit.migrations import upgrade
from sqlalchemy import text

pytestmark = pytest.mark.integration

PRESENSI = "presensi.events"
PEGAWAI = "pegawai.events"


@pytest.fixture
def migrated(new_database: Callable[[str], Awaitable[str]]) -> Callable[[], Awaitable[Database]]:
    made: list[Database] = []

    async def make() -> Database:
        dsn = await new_database("gwproj")
        await asyncio.to_thread(upgrade, MIGRATIONS, dsn)
        db = Database(dsn, pool_size=2)
        made.append(db)
        return db

    return make


@pytest.fixture
async def databases(
    migrated: Callable[[], Awaitable[Database]],
) -> AsyncIterator[tuple[Database, Database]]:
    batched, one_by_one = await migrated(), await migrated()
    try:
        yield batched, one_by_one
    finally:
        await batched.dispose()
        await one_by_one.dispose()


def consumed(topic: str, partition: int, offset: int, envelope: Envelope) -> ConsumedEvent:
    """As the runner hands it over: the payload typed (here: validated again, untyped)."""
    return ConsumedEvent(envelope, envelope.data, topic, partition, offset)


async def apply_batched(db: Database, events: list[ConsumedEvent]) -> int:
    async with db.engine.begin() as conn:
        return await apply_events(conn, events)


async def apply_one_by_one(db: Database, events: list[ConsumedEvent]) -> int:
    count = 0
    for item in events:
        async with db.engine.begin() as conn:
            count += await apply_event(conn, item)
    return count


def a_day_of_attendance() -> list[ConsumedEvent]:
    """Two people on two partitions; for STAFF check-in, check-out and the day's close
    in one poll (one row written three times), for OTHER a check-in only."""
    today = today_wib()
    staff_in = AttendanceCheckedInV1(
        attendance_id=uuid.uuid4(),
        nip=STAFF,
        unit_code="dinkes-p2p",
        date=today,
        checked_in_at=at_wib(today, 7, 52),
        scheduled_start="07:30",
        minutes_late=22,
        late_category="TL1",
    )
    other_in = staff_in.model_copy(
        update={"attendance_id": uuid.uuid4(), "nip": OTHER, "unit_code": "disdik"}
    )
    staff_out = AttendanceCheckedOutV1(
        attendance_id=staff_in.attendance_id,
        nip=STAFF,
        unit_code="dinkes-p2p",
        date=today,
        checked_in_at=staff_in.checked_in_at,
        checked_out_at=at_wib(today, 15, 30),
        scheduled_end="16:00",
        minutes_early=30,
        early_category="PSW1",
    )
    staff_closed = AttendanceDayClosedV1(
        nip=STAFF,
        unit_code="dinkes-p2p",
        date=today,
        status="terlambat",
        checked_in_at=staff_in.checked_in_at,
        checked_out_at=staff_out.checked_out_at,
        minutes_late=22,
        late_category="TL1",
        minutes_early=30,
        early_category="PSW1",
        deduction_percent=2.5,
    )
    request_id = uuid.uuid4()
    start = today
    requested = LeaveRequestedV1(
        request_id=request_id,
        nip=OTHER,
        unit_code="disdik",
        leave_type="tahunan",
        start_date=start,
        end_date=start,
        working_days=1,
        calendar_days=1,
        approver_nip=MID,
        needs_bkpsdm=False,
    )
    approved = LeaveApprovedV1(
        request_id=request_id,
        nip=OTHER,
        unit_code="disdik",
        leave_type="tahunan",
        start_date=start,
        end_date=start,
        working_days=1,
        decided_by=MID,
        decided_at=at_wib(today, 9, 0),
        balance_year=today.year,
        balance_after=11,
    )
    return [
        consumed(PRESENSI, 0, 10, event(staff_in, STAFF, actor=STAFF)),
        consumed(PRESENSI, 1, 4, event(other_in, OTHER, actor=OTHER)),
        consumed(PRESENSI, 0, 11, event(staff_out, STAFF, actor=STAFF)),
        consumed(PRESENSI, 1, 5, event(requested, OTHER, actor=OTHER)),
        consumed(PRESENSI, 0, 12, event(staff_closed, STAFF, actor="system:presensi")),
        consumed(PRESENSI, 1, 6, event(approved, OTHER, actor=MID)),
    ]


def an_employees_changes() -> list[ConsumedEvent]:
    """Registered, promoted (sequence 2), then a stale snapshot (sequence 1) re-sent, all
    on one partition in one poll: the promotion stays."""
    return [
        consumed(PEGAWAI, 3, 0, registered(STAFF, "dinkes-p2p", MID)),
        consumed(PEGAWAI, 3, 1, promoted(STAFF, "dinkes-p2p", MID, sequence=2)),
        consumed(PEGAWAI, 3, 2, registered(STAFF, "dinkes-p2p", MID)),
    ]


async def test_a_batch_ends_where_one_by_one_ends(databases):
    batched, one_by_one = databases
    events = a_day_of_attendance() + an_employees_changes()
    assert await apply_batched(batched, events) == len(events)
    assert await apply_one_by_one(one_by_one, events) == len(events)
    state = await read_model(batched)
    assert state == await read_model(one_by_one)
    async with batched.engine.connect() as conn:
        day = (
            await conn.execute(
                text(
                    "SELECT status, minutes_late, minutes_early, early_category, "
                    "checked_out_at IS NOT NULL FROM readmodel.attendance_day WHERE nip = :nip"
                ),
                {"nip": STAFF},
            )
        ).one()
        golongan = await conn.scalar(
            text("SELECT golongan FROM readmodel.employee WHERE nip = :nip"), {"nip": STAFF}
        )
        offsets = (
            await conn.execute(
                text('SELECT topic, partition, "offset" FROM readmodel.applied_offset')
            )
        ).all()
    assert tuple(day) == ("terlambat", 22, 30, "PSW1", True)
    assert golongan == "III/c"
    assert sorted(offsets) == [(PEGAWAI, 3, 2), (PRESENSI, 0, 12), (PRESENSI, 1, 6)]


async def test_a_replayed_batch_changes_nothing(databases):
    batched, _ = databases
    events = a_day_of_attendance() + an_employees_changes()
    await apply_batched(batched, events)
    before = await read_model(batched)
    # The same poll again, and again in pieces and out of order: every offset is at or
    # below what the tables hold, so not even `updated_at` moves.
    assert await apply_batched(batched, events) == 0
    assert await apply_batched(batched, list(reversed(events))) == 0
    assert await apply_one_by_one(batched, events[:3]) == 0
    assert await read_model(batched) == before


async def test_a_batch_straddling_the_applied_offset_applies_only_the_rest(databases):
    batched, one_by_one = databases
    events = a_day_of_attendance()
    first, rest = events[:2], events[2:]
    await apply_batched(batched, first)
    # Redelivered from the start of the poll: the two applied are skipped, the rest apply.
    assert await apply_batched(batched, events) == len(rest)
    await apply_one_by_one(one_by_one, events)
    assert await read_model(batched) == await read_model(one_by_one)


def resent(events: list[ConsumedEvent], after: int) -> list[ConsumedEvent]:
    """The same events (same ids) at new offsets, as a relay re-sends after lost acks."""
    return [consumed(e.topic, e.partition, e.offset + after, e.envelope) for e in events]


async def test_an_event_re_sent_at_a_later_offset_changes_nothing(databases):
    batched, one_by_one = databases
    events = a_day_of_attendance() + an_employees_changes()
    # In one poll with its originals, then in a later poll and one by one, in reverse:
    # the leave approval after the day's close, the registration after the promotion.
    assert await apply_batched(batched, events + resent(events, 100)) == len(events)
    before = await read_model(batched)
    assert await apply_batched(batched, resent(events, 200)) == 0
    assert await apply_one_by_one(batched, resent(list(reversed(events)), 300)) == 0
    after = await read_model(batched)
    assert after.pop("applied_offset") != before.pop("applied_offset")  # offsets moved on
    assert after == before
    await apply_batched(one_by_one, events)
    expected = await read_model(one_by_one)
    expected.pop("applied_offset")
    assert after == expected

"""The analytics consumer on the real broker: every event lands once, wherever it stops."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from analytics_events import event, known_events, publish, publish_events
from asn_analytics.consume import consume
from asn_analytics.store import Store
from asn_schemas import Envelope
from servicekit.testing import eventually

pytestmark = pytest.mark.integration


def check_ins(count: int) -> list[Envelope]:
    """`count` distinct check-ins of as many made-up people (keys spread over partitions)."""
    return [
        event(
            "presensi.attendance.checked_in.v1",
            f"19900101201503{n:04d}",
            attendance_id=uuid.uuid4(),
            nip=f"19900101201503{n:04d}",
            date=date(2025, 3, 3) + timedelta(days=n % 20),
        )
        for n in range(count)
    ]


def stored(db: Path) -> tuple[int, int]:
    """(rows, distinct event ids) in the raw table."""
    with Store(db, read_only=True) as store:
        row = store.db.execute("SELECT count(*), count(DISTINCT id) FROM raw_events").fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


async def test_events_land_once_resends_are_absorbed_and_garbage_is_counted(
    kafka_bootstrap, new_topic, tmp_path
):
    pegawai, presensi = await new_topic("pegawai"), await new_topic("presensi")
    events = known_events()
    await publish_events(kafka_bootstrap, pegawai, events[:2])
    await publish_events(kafka_bootstrap, presensi, [*events[2:], events[5]])  # one re-sent
    await publish(kafka_bootstrap, presensi, [b"\x00 not json", b'{"id": 1}'], [b"x", b"y"])
    group = f"analytics-{uuid.uuid4().hex[:6]}"
    db = tmp_path / "a.duckdb"

    with Store(db) as store:
        first = await consume(kafka_bootstrap, store, topics=[pegawai, presensi], group=group)
    assert (first.landed, first.duplicates, first.rejected) == (len(events), 1, 2)
    assert stored(db) == (len(events), len(events))
    with Store(db, read_only=True) as store:
        rejected = store.db.execute(
            "SELECT topic, size_bytes FROM rejected_messages ORDER BY size_bytes"
        ).fetchall()
        by_type = dict(
            store.db.execute("SELECT type, count(*) FROM raw_events GROUP BY type").fetchall()
        )
    assert rejected == [(presensi, 9), (presensi, 10)]
    assert by_type["presensi.leave.approved.v1"] == 3

    with Store(db) as store:
        again = await consume(kafka_bootstrap, store, topics=[pegawai, presensi], group=group)
    assert again.read == 0, "a second run starts where the file says, re-reading nothing"

    # The group's commits follow the file, so `asn lag` shows the consumer caught up.
    watcher = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap, group_id=group)
    await watcher.start()
    try:
        committed = sum(
            [(await watcher.committed(TopicPartition(presensi, p))) or 0 for p in range(3)]
        )
    finally:
        await watcher.stop()
    assert committed == len(events) - 2 + 1 + 2


async def test_stopping_midway_and_restarting_loses_and_duplicates_nothing(
    kafka_bootstrap, new_topic, tmp_path
):
    topic = await new_topic("presensi")
    await publish_events(kafka_bootstrap, topic, check_ins(300))
    db = tmp_path / "a.duckdb"

    with Store(db) as store:
        part = await consume(kafka_bootstrap, store, topics=[topic], max_records=50, batch_size=20)
    rows, _ = stored(db)
    assert 0 < rows == part.landed < 300

    await publish_events(kafka_bootstrap, topic, check_ins(100))  # new people arrive meanwhile
    with Store(db) as store:  # a new process: only the file carries over
        rest = await consume(kafka_bootstrap, store, topics=[topic])
    assert rest.duplicates == 0 and rest.landed == 400 - rows
    assert stored(db) == (400, 400)


async def test_following_lands_live_events_and_new_topics(kafka_bootstrap, new_topic, tmp_path):
    first = await new_topic("presensi")
    db = tmp_path / "a.duckdb"
    stop = asyncio.Event()
    store = Store(db)
    seen: list[int] = []
    follower = asyncio.create_task(
        consume(
            kafka_bootstrap,
            store,
            topics=None,
            follow=True,
            rediscover_s=0.5,
            on_batch=lambda totals: seen.append(totals.landed),
            stop=stop,
        )
    )
    try:
        await publish_events(kafka_bootstrap, first, check_ins(5))

        async def landed(n: int) -> bool:
            # A cursor of its own: the follower writes from a worker thread meanwhile.
            row = (
                store.db.cursor()
                .execute(
                    "SELECT count(*) FROM raw_events WHERE list_contains(?, topic)",
                    [[first, *later]],
                )
                .fetchone()
            )
            return row is not None and row[0] == n

        later: list[str] = []
        await eventually(lambda: landed(5), what="live events landed")
        later.append(await new_topic("kinerja"))
        await publish_events(kafka_bootstrap, later[0], check_ins(3))
        await eventually(lambda: landed(8), what="a topic made while following is read")
    finally:
        stop.set()
        await follower
        store.close()
    assert seen, "progress is reported per batch"

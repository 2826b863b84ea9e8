"""The relay's drill failpoint: a crash between Kafka's ack and the mark, then a restart.

The crash runs in a real child process (the failpoint ends it with `os._exit`), set up by
the same ASN_* settings a service reads; the restart is a new relay on the same database.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest
from servicekit.failpoints import EXIT_CODE
from servicekit.identity import Identity
from servicekit.relay import OutboxRelay
from servicekit.testing import read_topic_records
from servicekit.uow import UnitOfWork
from servicekit_testdomain import SOURCE, NoteWritten

pytestmark = pytest.mark.integration
ACTOR = Identity("198503152010011001", frozenset({"bkpsdm"}))

# The relay as a service process runs it: its failpoint from ServiceSettings (read once).
CHILD = """
import asyncio
from servicekit.db import Database
from servicekit.failpoints import RelayCrashAfterSend
from servicekit.relay import OutboxRelay
from servicekit.settings import ServiceSettings

settings = ServiceSettings()
relay = OutboxRelay(
    Database(settings.database_url.get_secret_value()).asyncpg_dsn,
    settings.kafka,
    batch_size=2,
    failpoint=RelayCrashAfterSend.from_settings(settings),
)
asyncio.run(relay.drain())
"""


async def _write_events(db, topic: str, n: int) -> list[str]:
    ids = []
    for i in range(n):
        async with UnitOfWork(db, actor=ACTOR, source=SOURCE, topic=topic) as uow:
            envelope = uow.add_event(NoteWritten(note_id=f"n{i}", body="x"), subject=f"n{i}")
        ids.append(str(envelope.id))
    return ids


async def _outbox(dsn: str) -> dict[str, bool]:
    """Event id → published, in outbox order."""
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch("SELECT payload::text AS p, published FROM outbox ORDER BY id")
    finally:
        await conn.close()
    return {json.loads(r["p"])["id"]: r["published"] for r in rows}


async def _topic_ids(bootstrap: str, topic: str) -> list[str]:
    return [json.loads(r.value)["id"] for r in await read_topic_records(bootstrap, topic)]


def _run_child(db, bootstrap: str, tmp_path: Path, **failpoint: str) -> subprocess.CompletedProcess:
    key = tmp_path / "pub.pem"
    key.write_text("unused: the relay verifies no token")
    env = {
        **os.environ,
        "ASN_SERVICE_NAME": "testsuite",
        "ASN_DATABASE_URL": db.url,
        "ASN_KAFKA_BOOTSTRAP": bootstrap,
        "ASN_JWT_PUBLIC_KEY_FILE": str(key),
        **failpoint,
    }
    return subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120
    )


async def test_the_failpoint_exits_after_the_ack_and_a_restart_resends_exactly_the_unmarked_rows(
    service_db, kafka_bootstrap, new_topic, tmp_path
):
    topic = await new_topic(partitions=1)
    ids = await _write_events(service_db, topic, 5)  # batches of 2: [0 1] [2 3] [4]
    armed = tmp_path / "crash-relay"
    armed.touch()

    child = await asyncio.to_thread(
        _run_child,
        service_db,
        kafka_bootstrap,
        tmp_path,
        ASN_FAILPOINT_RELAY_CRASH_AFTER_SEND="2",
        ASN_FAILPOINT_RELAY_CRASH_FILE=str(armed),
    )

    assert child.returncode == EXIT_CODE, child.stdout[-2000:] + child.stderr[-2000:]
    assert "failpoint relay_crash_after_send fired" in child.stdout
    assert not armed.exists(), "the failpoint disarms itself: the restart runs clean"
    # Kafka acknowledged two batches; only the first was marked before the crash.
    assert await _topic_ids(kafka_bootstrap, topic) == ids[:4]
    outbox = await _outbox(service_db.asyncpg_dsn)
    assert [outbox[i] for i in ids] == [True, True, False, False, False]

    restarted = OutboxRelay(service_db.asyncpg_dsn, kafka_bootstrap)
    try:
        assert await restarted.drain() == 3, "the restart publishes exactly the unmarked rows"
    finally:
        await restarted.close()

    on_topic = await _topic_ids(kafka_bootstrap, topic)
    assert on_topic == ids[:4] + ids[2:], "the unmarked batch is re-sent, the marked one is not"
    assert all((await _outbox(service_db.asyncpg_dsn)).values())


async def test_without_its_file_the_failpoint_stays_off(
    service_db, kafka_bootstrap, new_topic, tmp_path
):
    topic = await new_topic(partitions=1)
    ids = await _write_events(service_db, topic, 3)

    child = await asyncio.to_thread(
        _run_child,
        service_db,
        kafka_bootstrap,
        tmp_path,
        ASN_FAILPOINT_RELAY_CRASH_AFTER_SEND="1",
        ASN_FAILPOINT_RELAY_CRASH_FILE=str(tmp_path / "never-created"),
    )

    assert child.returncode == 0, child.stdout[-2000:] + child.stderr[-2000:]
    assert await _topic_ids(kafka_bootstrap, topic) == ids
    assert all((await _outbox(service_db.asyncpg_dsn)).values())

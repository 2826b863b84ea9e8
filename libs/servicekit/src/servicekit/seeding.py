"""What the demo seeds (`python -m <service>.seed`, run by `make run`) share.

A seed that works on other services' data runs while its replica is still being filled
from their topics: it waits until the replica is complete before it starts. "Stopped
growing for a few seconds" alone is not enough: on a loaded machine a consumer pauses
for longer than that mid-way (measured: kinerja's seed once started with 1,374 of 2,549
employees), so the consumer group must also have caught up with the topic's end.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy.sql import Executable

from servicekit.db import Database


async def group_caught_up(bootstrap: str, group: str, topics: Sequence[str]) -> bool:
    """Whether `group` has committed every event now on `topics` (False while unknown)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, request_timeout_ms=5000
    )
    try:
        await admin.start()
        await consumer.start()
        partitions: list[TopicPartition] = []
        for topic in topics:
            known = consumer.partitions_for_topic(topic)
            if not known:
                await consumer._client.force_metadata_update()
                known = consumer.partitions_for_topic(topic) or set()
            partitions += [TopicPartition(topic, p) for p in sorted(known)]
        if not partitions:
            return False
        committed = await admin.list_consumer_group_offsets(group)
        ends = await consumer.end_offsets(partitions)
        for tp, end in ends.items():
            meta = committed.get(tp)
            if end > (meta.offset if meta is not None and meta.offset >= 0 else 0):
                return False
        return True
    except Exception:  # the broker not answering yet: not caught up
        return False
    finally:
        with contextlib.suppress(Exception):
            await consumer.stop()
        with contextlib.suppress(Exception):
            await admin.close()


async def replica_settled(
    db: Database,
    query: Executable,
    *,
    consumer: tuple[str, str, Sequence[str]] | None = None,
    settled_s: float = 3.0,
    limit_s: float = 300.0,
) -> int:
    """Wait until `query` (one number, e.g. the replica's rows) is above zero, has not
    changed for `settled_s` and — given `consumer` as (bootstrap, group, topics) — that
    group has caught up with those topics; returns the number (whatever it is after
    `limit_s`)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit_s
    last, since = -1, loop.time()
    while loop.time() < deadline:
        async with db.read_session() as session:
            count = int((await session.execute(query)).scalar_one())
        if count != last:
            last, since = count, loop.time()
        elif count > 0 and loop.time() - since >= settled_s:
            if consumer is None or await group_caught_up(*consumer):
                return count
            since = loop.time()  # look again after another quiet spell
        await asyncio.sleep(0.5)
    return last

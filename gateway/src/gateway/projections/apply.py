"""Applying events: the swap lock, the per-partition offset guard, the event-id guard,
then the projections.

The offset guard makes a projection idempotent per set of tables (not only per consumer
group): an event at or below the partition's applied offset has no effect. It is what
lets a rebuilt copy of the tables take over while the live consumer goes on, without
applying an event twice or skipping one. The event-id guard (`applied_event`) covers what
offsets cannot: the relay re-sending an event after a lost ack puts the same event at a
new offset, possibly after later events of the same aggregate; applied once, it has no
further effect, so a rebuild from the topics ends where the live tables are.

A poll's events are applied together (`apply_events`): one swap lock, one guard read and
one guard write per batch, and each projection statement sent once for a run of events
(an executemany: asyncpg pipelines it, PostgreSQL runs the rows one after another in
event order). Per-event round trips were what held the read model seconds behind at a
few hundred check-ins a second; the result is the same as applying the events one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from servicekit.consumer import ConsumedEvent
from servicekit.runtime import ConsumerSpec, ServiceRuntime
from servicekit.uow import UnitOfWork
from sqlalchemy import BigInteger, DateTime, Integer, Text, bindparam, func, text, tuple_
from sqlalchemy import select as sql_select
from sqlalchemy import update as sql_update
from sqlalchemy.dialects.postgresql import ARRAY, UUID, insert

from gateway.models import applied_event, applied_offset
from gateway.projections import aspirasi, kinerja, pegawai, pelatihan, presensi, presensi_shifts
from gateway.projections.common import Executor, Projection, Write
from gateway.settings import GatewaySettings

PROJECTIONS: dict[str, Projection] = {
    **pegawai.PROJECTIONS,
    **presensi.PROJECTIONS,
    **presensi_shifts.PROJECTIONS,
    **kinerja.PROJECTIONS,
    **aspirasi.PROJECTIONS,
    **pelatihan.PROJECTIONS,
}
HANDLED_TYPES = frozenset(PROJECTIONS)

SWAP_LOCK_KEY = 0x6761_7465  # "gate": live batches hold it shared, the rebuild's swap exclusive
_SHARED_LOCK = text(f"SELECT pg_advisory_xact_lock_shared({SWAP_LOCK_KEY})")

# Row locks on the batch's partitions, in one order (two owners of a partition during a
# rebalance then queue rather than deadlock); the values read are the latest committed.
_LOCK_OFFSETS = (
    sql_select(applied_offset.c.topic, applied_offset.c.partition, applied_offset.c.offset)
    .where(
        tuple_(applied_offset.c.topic, applied_offset.c.partition).in_(
            bindparam("partitions", expanding=True)
        )
    )
    .order_by(applied_offset.c.topic, applied_offset.c.partition)
    .with_for_update()
)
_FIRST_OFFSET = (
    insert(applied_offset)
    .on_conflict_do_nothing(index_elements=["topic", "partition"])
    .returning(applied_offset.c.topic, applied_offset.c.partition)
)
_ADVANCE_OFFSET = (
    sql_update(applied_offset)
    .where(
        applied_offset.c.topic == bindparam("o_topic", type_=Text),
        applied_offset.c.partition == bindparam("o_partition", type_=Integer),
        applied_offset.c.offset < bindparam("o_offset", type_=BigInteger),
    )
    .values(
        offset=bindparam("o_offset", type_=BigInteger),
        event_time=bindparam("o_event_time", type_=DateTime(timezone=True)),
    )
)

# Built on the table (not as text) so a rebuild's schema translation reaches it too.
_CLAIM_EVENTS = (
    insert(applied_event)
    .from_select(
        ["event_id"],
        sql_select(func.unnest(bindparam("ids", type_=ARRAY(UUID(as_uuid=True))))),
    )
    .on_conflict_do_nothing(index_elements=["event_id"])
    .returning(applied_event.c.event_id)
)

Partition = tuple[str, int]


async def _applied_offsets(executor: Executor, partitions: list[Partition]) -> dict[Partition, int]:
    rows = await executor.execute(_LOCK_OFFSETS, {"partitions": partitions})
    return {(topic, partition): offset for topic, partition, offset in rows}


async def claim_offsets(executor: Executor, events: Sequence[ConsumedEvent]) -> list[ConsumedEvent]:
    """Record the events' offsets as applied; returns those these tables did not have yet,
    in their order. Each partition's row stays locked until the transaction ends."""
    last: dict[Partition, ConsumedEvent] = {}
    for event in events:
        key = (event.topic, event.partition)
        if key not in last or event.offset > last[key].offset:
            last[key] = event
    partitions = sorted(last)
    applied = await _applied_offsets(executor, partitions)
    missing = [p for p in partitions if p not in applied]
    if missing:
        # A partition's first event: its row starts at the batch's last offset. A row
        # another transaction inserted meanwhile is read (and locked) again instead.
        inserted = await executor.execute(
            _FIRST_OFFSET,
            [
                {
                    "topic": topic,
                    "partition": partition,
                    "offset": last[(topic, partition)].offset,
                    "event_time": last[(topic, partition)].envelope.time,
                }
                for topic, partition in missing
            ],
        )
        for key in {(topic, partition) for topic, partition in inserted}:
            applied[key] = -1
        raced = [p for p in missing if p not in applied]
        if raced:
            applied.update(await _applied_offsets(executor, raced))
    advance = [
        {
            "o_topic": topic,
            "o_partition": partition,
            "o_offset": last[(topic, partition)].offset,
            "o_event_time": last[(topic, partition)].envelope.time,
        }
        for topic, partition in partitions
        if applied[(topic, partition)] >= 0
        and last[(topic, partition)].offset > applied[(topic, partition)]
    ]
    if advance:
        await executor.execute(_ADVANCE_OFFSET, advance)
    fresh: list[ConsumedEvent] = []
    seen: set[tuple[str, int, int]] = set()
    for event in events:
        position = (event.topic, event.partition, event.offset)
        if event.offset > applied[(event.topic, event.partition)] and position not in seen:
            seen.add(position)
            fresh.append(event)
    return fresh


async def claim_events(executor: Executor, events: Sequence[ConsumedEvent]) -> list[ConsumedEvent]:
    """Record the events' ids as applied; returns the first of each id these tables did
    not have yet, in their order (one statement for the batch)."""
    first: dict[Any, ConsumedEvent] = {}
    for event in events:
        first.setdefault(event.envelope.id, event)
    if not first:
        return []
    rows = await executor.execute(_CLAIM_EVENTS, {"ids": list(first)})
    claimed = {event_id for (event_id,) in rows}
    return [event for event_id, event in first.items() if event_id in claimed]


async def execute_writes(executor: Executor, writes: Sequence[Write]) -> None:
    """Run writes in order; consecutive writes of one statement go as one executemany."""
    start = 0
    while start < len(writes):
        statement = writes[start].statement
        keys = writes[start].params.keys()
        end = start + 1
        while (
            end < len(writes)
            and writes[end].statement is statement
            and writes[end].params.keys() == keys
        ):
            end += 1
        if end - start == 1:
            await executor.execute(statement, dict(writes[start].params))
        else:
            await executor.execute(statement, [dict(w.params) for w in writes[start:end]])
        start = end


async def apply_events(
    executor: Executor, events: Sequence[ConsumedEvent], *, lock: bool = True
) -> int:
    """Project events in their order; returns how many changed anything (the rest were
    of types not projected, or already applied to these tables: by offset or by id)."""
    projected = [e for e in events if e.envelope.type in PROJECTIONS]
    if not projected:
        return 0
    if lock:
        await executor.execute(_SHARED_LOCK)
    fresh = await claim_events(executor, await claim_offsets(executor, projected))
    writes = [w for event in fresh for w in PROJECTIONS[event.envelope.type](event)]
    await execute_writes(executor, writes)
    return len(fresh)


async def apply_event(executor: Executor, event: ConsumedEvent, *, lock: bool = True) -> bool:
    """Project one event; returns whether it changed anything."""
    return await apply_events(executor, [event], lock=lock) > 0


class ProjectionHandler:
    """The consumer's handler for every projected type. The runner hands it a poll's
    events at once (`handle_batch`); one event at a time only when it retries them."""

    async def __call__(self, event: ConsumedEvent, uow: UnitOfWork) -> None:
        await apply_events(uow.session, [event])

    async def handle_batch(self, events: Sequence[ConsumedEvent], uow: UnitOfWork) -> None:
        await apply_events(uow.session, events)


def consumer_specs(settings: GatewaySettings) -> list[ConsumerSpec]:
    handler = ProjectionHandler()
    handlers: dict[str, Any] = dict.fromkeys(PROJECTIONS, handler)
    return [
        ConsumerSpec(
            group_id=settings.consumer_group,
            topics=list(settings.source_topics.values()),
            handlers=handlers,
        )
    ]


def purge_applied_events(runtime: ServiceRuntime, settings: GatewaySettings) -> None:
    """Applied event ids are kept as long as servicekit's inbox keeps them, for the same
    reason (a re-sent or replayed event within that window is still recognised)."""
    runtime.housekeeper.also_purge(
        "readmodel.applied_event", "applied_at", days=settings.inbox_retention_days
    )

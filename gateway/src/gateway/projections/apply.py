"""Applying one event: the swap lock, the per-partition offset guard, then the projection.

The guard makes a projection idempotent per set of tables (not only per consumer group):
an event at or below the partition's applied offset has no effect. The live consumer's
inbox dedupes redeliveries as well; the guard is what lets a rebuilt copy of the tables
take over while the live consumer goes on, without applying an event twice or skipping one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from servicekit.consumer import ConsumedEvent
from servicekit.runtime import ConsumerSpec
from servicekit.uow import UnitOfWork
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from gateway.models import applied_offset
from gateway.projections import kinerja, pegawai, presensi
from gateway.settings import GatewaySettings

Executor = AsyncSession | AsyncConnection
Projection = Callable[[Executor, ConsumedEvent], Awaitable[None]]

PROJECTIONS: dict[str, Projection] = {
    **pegawai.PROJECTIONS,
    **presensi.PROJECTIONS,
    **kinerja.PROJECTIONS,
}
HANDLED_TYPES = frozenset(PROJECTIONS)

SWAP_LOCK_KEY = 0x6761_7465  # "gate": live batches hold it shared, the rebuild's swap exclusive
_SHARED_LOCK = text(f"SELECT pg_advisory_xact_lock_shared({SWAP_LOCK_KEY})")


async def claim_offset(executor: Executor, event: ConsumedEvent) -> bool:
    """Record the event's offset as applied; False when these tables already have it."""
    statement = insert(applied_offset).values(
        topic=event.topic,
        partition=event.partition,
        offset=event.offset,
        event_time=event.envelope.time,
    )
    claim = statement.on_conflict_do_update(
        index_elements=["topic", "partition"],
        set_={"offset": statement.excluded.offset, "event_time": statement.excluded.event_time},
        where=applied_offset.c.offset < statement.excluded.offset,
    ).returning(applied_offset.c.offset)
    return (await executor.execute(claim)).first() is not None


async def apply_event(executor: Executor, event: ConsumedEvent, *, lock: bool = True) -> bool:
    """Project one event; returns whether it changed anything."""
    projection = PROJECTIONS.get(event.envelope.type)
    if projection is None:
        return False
    if lock:
        await executor.execute(_SHARED_LOCK)
    if not await claim_offset(executor, event):
        return False
    await projection(executor, event)
    return True


async def _handle(event: ConsumedEvent, uow: UnitOfWork) -> None:
    await apply_event(uow.session, event)


def consumer_specs(settings: GatewaySettings) -> list[ConsumerSpec]:
    handlers: dict[str, Any] = dict.fromkeys(PROJECTIONS, _handle)
    return [
        ConsumerSpec(
            group_id=settings.consumer_group,
            topics=list(settings.source_topics.values()),
            handlers=handlers,
        )
    ]

"""Running the relay and a consumer in the background of a measure, and waiting on them."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

from servicekit.db import Database

from bench.outbox.domain import add_note, unit_of_work
from bench.outbox.probes import Probe, ProbedConsumer, ProbedRelay

WARM_UP_TIMEOUT_S = 60.0


class MeasureError(RuntimeError):
    """A background loop died, or the work did not finish in time."""


async def wait_until(
    done: Callable[[], bool] | asyncio.Event,
    tasks: list[asyncio.Task[None]],
    *,
    timeout_s: float,
    what: str,
) -> None:
    """Wait for `done`, failing loudly if a background loop dies meanwhile (not hanging)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    check: Callable[[], bool] = done.is_set if isinstance(done, asyncio.Event) else done
    while not check():
        for task in tasks:
            if task.done():
                error = None if task.cancelled() else task.exception()
                raise MeasureError(f"{task.get_name()} stopped while waiting for {what}: {error!r}")
        if loop.time() > deadline:
            raise MeasureError(f"{what} did not happen within {timeout_s:.0f} s")
        await asyncio.sleep(0.005)


@contextlib.asynccontextmanager
async def running(
    db: Database,
    topic: str,
    relay: ProbedRelay | None,
    consumer: ProbedConsumer | None,
) -> AsyncIterator[list[asyncio.Task[None]]]:
    """Start the loops, push one warm-up event end to end, yield; then stop them cleanly.

    The warm-up event makes the consumer join its group and the relay start its producer
    and open its pool before the clock starts: costs a service pays once, at start-up.
    """
    tasks: list[asyncio.Task[None]] = []
    if relay is not None:
        tasks.append(asyncio.create_task(relay.run(), name="relay"))
    if consumer is not None:
        tasks.append(asyncio.create_task(consumer.run(), name="consumer"))
    try:
        if relay is not None and consumer is not None:
            await warm_up(db, topic, consumer.probe, tasks)
        yield tasks
    finally:
        if consumer is not None:
            await consumer.close()
        if relay is not None:
            relay.stop()
        await asyncio.gather(*tasks, return_exceptions=True)
        if relay is not None:
            await relay.close()


async def warm_up(db: Database, topic: str, probe: Probe, tasks: list[asyncio.Task[None]]) -> None:
    probe.reset(1)
    async with unit_of_work(db, topic) as uow:
        add_note(uow, -1)
    await wait_until(probe.done, tasks, timeout_s=WARM_UP_TIMEOUT_S, what="the warm-up event")

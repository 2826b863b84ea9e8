"""Group commit: concurrent callers' commands share one transaction and one commit.

A hot command (presensi's check-in: thousands of phones within minutes of 07:30) pays
most of its cost in per-transaction work — round trips, BEGIN/COMMIT, the WAL flush of
every commit — not in its two rows. Callers `submit` an item; a batch takes whatever
is queued, runs it on one connection in one transaction, and answers each caller with
its own result or its own error. There is no timer: when PostgreSQL is idle a lone
item goes at once, and batches grow only while earlier ones are still committing, so
batching adds no wait at low load.

The batch function decides per item and must leave nothing of a refused item (its
result is an exception); an exception from the batch itself rolls the whole batch back
and reaches every caller in it. A deadlock between two batches is retried once.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections import deque
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Generic, TypeVar

import asyncpg

from servicekit.db import RawConnection
from servicekit.logging import get_logger

log = get_logger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")
Connection = RawConnection
BatchRunner = Callable[[Connection, Sequence[Item]], Awaitable[list[Result | Exception]]]
PoolSource = Callable[[], Awaitable[asyncpg.Pool]]

_RETRYABLE = (asyncpg.DeadlockDetectedError, asyncpg.SerializationError)


class GroupCommit(Generic[Item, Result]):
    def __init__(
        self,
        pool: PoolSource,
        run_batch: BatchRunner[Item, Result],
        *,
        max_batch: int = 64,
        max_in_flight: int = 2,
        exclusive_key: Callable[[Item], Hashable | None] = lambda _item: None,
    ) -> None:
        """`exclusive_key`: items with the same key never share a batch, nor run in two
        batches at once (e.g. one Idempotency-Key sent twice at once: the second must see
        the first's commit); they run in the order they came."""
        self._pool = pool
        self._run_batch = run_batch
        self._max_batch = max_batch
        self._max_in_flight = max_in_flight
        self._exclusive_key = exclusive_key
        self._queue: deque[tuple[Item, asyncio.Future[Result]]] = deque()
        self._in_flight = 0
        self._busy_keys: set[Hashable] = set()
        """Exclusive keys of the batches running now: their next items wait for them."""
        self._tasks: set[asyncio.Task[None]] = set()
        self.batches = 0
        self.items = 0

    async def submit(self, item: Item) -> Result:
        """Run `item` in the next batch; its result, or its own error raised here."""
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._in_flight < self._max_in_flight:
            self._in_flight += 1
            # A fresh context: the batch serves many requests, so it must not log or
            # trace as the one that happened to start it.
            task = asyncio.create_task(self._drain(), context=contextvars.Context())
            self._tasks.add(task)  # the loop keeps only a weak reference
            task.add_done_callback(self._tasks.discard)
        return await future

    def _take(self) -> list[tuple[Item, asyncio.Future[Result]]]:
        taken: list[tuple[Item, asyncio.Future[Result]]] = []
        deferred: list[tuple[Item, asyncio.Future[Result]]] = []
        keys: set[Hashable] = set()
        while self._queue and len(taken) < self._max_batch:
            entry = self._queue.popleft()
            if entry[1].done():  # its caller went away before the batch began
                continue
            key = self._exclusive_key(entry[0])
            if key is not None and (key in keys or key in self._busy_keys):
                deferred.append(entry)
                continue
            if key is not None:
                keys.add(key)
            taken.append(entry)
        self._queue.extendleft(reversed(deferred))
        self._busy_keys |= keys
        return taken

    async def _drain(self) -> None:
        # A drain that finds only items waiting on a running batch's keys ends; that
        # batch's drain takes them once it has released its keys.
        try:
            while batch := self._take():
                try:
                    await self._run(batch)
                finally:
                    self._busy_keys -= {
                        key
                        for key in (self._exclusive_key(item) for item, _ in batch)
                        if key is not None
                    }
        finally:
            self._in_flight -= 1

    async def _run(self, batch: list[tuple[Item, asyncio.Future[Result]]]) -> None:
        items = [item for item, _ in batch]
        try:
            results = await self._attempt(items)
        except Exception as exc:
            log.warning("group commit failed", items=len(items), error=repr(exc))
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        self.batches += 1
        self.items += len(items)
        for (_, future), result in zip(batch, results, strict=True):
            if future.done():
                continue
            if isinstance(result, Exception):
                future.set_exception(result)
            else:
                future.set_result(result)

    async def _attempt(self, items: list[Item]) -> list[Result | Exception]:
        pool = await self._pool()
        for attempt in (1, 2):
            try:
                async with pool.acquire() as conn, conn.transaction():
                    return await self._run_batch(conn, items)
            except _RETRYABLE:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

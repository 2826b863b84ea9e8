"""Commit-to-visible: check-ins at a steady rate through the gateway, each one watched
until its row appears in the read model.

Each check-in is a POST to the gateway, paced open loop (sent on schedule whatever the
answers). A poller queries `readmodel.attendance_day` every `poll_interval_s` for the NIPs
answered 201 and not yet seen (one indexed query for all of them); what a poll returns
is committed by the gateway's projection, i.e. visible to a profile read. Latency is from
the check-in's 201 reaching the client (presensi committed just before answering) to the
first poll that sees the row, on one clock: it includes presensi's relay, Kafka, the
gateway's consumer and projection, and up to one poll interval of observation delay. A
row already projected when the 201 arrives counts as the first poll's delay (≈ 0).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import asyncpg

from bench.checkin.loadgen import Connection, percentile, settle_collector
from bench.gateway.calls import HOST

_SEEN = """
SELECT nip FROM readmodel.attendance_day
WHERE date = $1 AND nip = ANY($2::text[]) AND checked_in_at IS NOT NULL
"""


@dataclass
class Tracked:
    nip: str
    scheduled: float
    answered: float | None = None
    status: int | None = None
    visible: float | None = None


@dataclass(frozen=True)
class VisibilityConfig:
    rate_per_s: float
    duration_s: float
    connections: int = 8
    poll_interval_s: float = 0.005
    settle_s: float = 30.0
    """How long to wait after the last check-in for the stragglers to appear."""


@dataclass(frozen=True)
class VisibilityFigures:
    rate_per_s: float
    duration_s: float
    sent: int
    created: int
    visible: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    from_schedule_p50_ms: float
    from_schedule_p99_ms: float
    check_in_p50_ms: float
    check_in_p99_ms: float
    poll_interval_ms: float
    polls: int
    statuses: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Poller:
    def __init__(self, dsn: str, day: date, interval_s: float) -> None:
        self._dsn, self._day, self._interval_s = dsn, day, interval_s
        self.pending: dict[str, Tracked] = {}
        self.polls = 0

    async def run(self, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        conn = await asyncpg.connect(self._dsn)
        try:
            statement = await conn.prepare(_SEEN)
            while not (stop.is_set() and not self.pending):
                if self.pending:
                    rows = await statement.fetch(self._day, list(self.pending))
                    self.polls += 1
                    now = loop.time()
                    for row in rows:
                        tracked = self.pending.pop(row["nip"], None)
                        if tracked is not None:
                            tracked.visible = now
                await asyncio.sleep(self._interval_s)
        finally:
            await conn.close()


async def run_visibility(
    port: int,
    people: Sequence[tuple[str, bytes]],
    dsn: str,
    day: date,
    config: VisibilityConfig,
) -> VisibilityFigures:
    """`people`: (nip, prepared check-in request), one per check-in, none checked in today."""
    settle_collector()
    loop = asyncio.get_running_loop()
    total = min(len(people), int(config.rate_per_s * config.duration_s))
    idle: asyncio.Queue[Connection] = asyncio.Queue()
    conns = [await Connection.open(HOST, port) for _ in range(config.connections)]
    for conn in conns:
        idle.put_nowait(conn)
    poller = Poller(dsn, day, config.poll_interval_s)
    stop = asyncio.Event()
    polling = asyncio.create_task(poller.run(stop))
    tracked: list[Tracked] = []

    async def one(item: Tracked, request: bytes) -> None:
        conn = await idle.get()
        try:
            item.status = await conn.call(request)
        finally:
            idle.put_nowait(conn)
        item.answered = loop.time()
        if item.status == 201:
            poller.pending[item.nip] = item

    start = loop.time() + 0.05
    tasks = []
    for i, (nip, request) in enumerate(people[:total]):
        scheduled = start + i / config.rate_per_s
        delay = scheduled - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        item = Tracked(nip, scheduled)
        tracked.append(item)
        tasks.append(asyncio.create_task(one(item, request)))
    try:
        await asyncio.gather(*tasks)
        stop.set()
        try:
            await asyncio.wait_for(asyncio.shield(polling), config.settle_s)
        except TimeoutError:
            poller.pending.clear()  # the rest count as never visible
            await polling
    finally:
        stop.set()
        for conn in conns:
            await conn.close()
    return _figures(tracked, poller.polls, config)


def _figures(tracked: list[Tracked], polls: int, config: VisibilityConfig) -> VisibilityFigures:
    created = [t for t in tracked if t.status == 201 and t.answered is not None]
    seen = [t for t in created if t.visible is not None]
    latency = [(t.visible - t.answered) * 1000 for t in seen]  # type: ignore[operator]
    from_schedule = [(t.visible - t.scheduled) * 1000 for t in seen]  # type: ignore[operator]
    check_in = [(t.answered - t.scheduled) * 1000 for t in created]  # type: ignore[operator]
    statuses: dict[str, int] = {}
    for t in tracked:
        statuses[str(t.status)] = statuses.get(str(t.status), 0) + 1
    return VisibilityFigures(
        rate_per_s=config.rate_per_s,
        duration_s=config.duration_s,
        sent=len(tracked),
        created=len(created),
        visible=len(seen),
        p50_ms=round(percentile(latency, 50), 2),
        p99_ms=round(percentile(latency, 99), 2),
        max_ms=round(max(latency, default=float("nan")), 2),
        from_schedule_p50_ms=round(percentile(from_schedule, 50), 2),
        from_schedule_p99_ms=round(percentile(from_schedule, 99), 2),
        check_in_p50_ms=round(percentile(check_in, 50), 2),
        check_in_p99_ms=round(percentile(check_in, 99), 2),
        poll_interval_ms=config.poll_interval_s * 1000,
        polls=polls,
        statuses=dict(sorted(statuses.items())),
    )

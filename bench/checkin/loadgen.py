"""A small HTTP/1.1 load generator: keep-alive connections on loopback, requests prepared.

Each request is pre-built bytes (its own employee's token and Idempotency-Key), so the
client spends a few tens of µs per call and leaves the two cores to the service and
PostgreSQL. Two modes:

- `saturate`: N connections, each sends its next request as soon as the last answered
  (closed loop): the service's maximum rate.
- `paced`: requests start on a fixed schedule whatever the answers (open loop), latency
  counted from the scheduled start, so queueing behind a slow answer is not hidden
  (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

BODY = json.dumps({"latitude": -0.6817, "longitude": 100.7766, "accuracy_m": 12}).encode()
"""A phone inside the unit's geofence (12 m accuracy), as the mobile app sends it."""

clock = time.perf_counter
"""Timestamps: uvloop's loop.time() only moves in whole milliseconds."""
DROPPED = 0
"""Status recorded when the server closed the connection instead of answering."""


def check_in_request(host: str, token: str, *, idempotency_key: bool) -> bytes:
    lines = [
        "POST /attendance/check-in HTTP/1.1",
        f"Host: {host}",
        f"Authorization: Bearer {token}",
        "Content-Type: application/json",
        f"Content-Length: {len(BODY)}",
    ]
    if idempotency_key:
        lines.append(f"Idempotency-Key: {uuid.uuid4()}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + BODY


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer)

    async def call(self, request: bytes) -> int:
        """Send one request, read the whole response; the status code."""
        self._writer.write(request)
        head = await self._reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
                break
        if length:
            await self._reader.readexactly(length)
        return status

    def replace(self, other: Connection) -> None:
        """Carry on over a new socket (the server dropped this one)."""
        self._reader, self._writer = other._reader, other._writer

    async def close(self) -> None:
        self._writer.close()
        with contextlib.suppress(OSError):
            await self._writer.wait_closed()


@dataclass
class Sample:
    started: float
    """Scheduled (paced) or actual (saturated) start, time.perf_counter()."""
    finished: float
    status: int

    @property
    def latency_s(self) -> float:
        return self.finished - self.started


@dataclass
class RunResult:
    samples: list[Sample] = field(default_factory=list)
    window_s: float = 0.0
    window_start: float = 0.0
    exhausted: bool = False
    """True when the prepared requests ran out before the time did."""

    def in_window(self) -> list[Sample]:
        end = self.window_start + self.window_s
        return [s for s in self.samples if self.window_start <= s.finished <= end]

    def statuses(self) -> dict[str, int]:
        return {str(k): v for k, v in sorted(Counter(s.status for s in self.samples).items())}


def settle_collector() -> None:
    """Before a timed window. The load generator holds every pre-built request; a full
    collection over them mid-window pauses it, and an open loop would count the pause as
    the service's latency."""
    gc.collect()
    gc.freeze()


async def _open_all(host: str, port: int, count: int) -> list[Connection]:
    return list(await asyncio.gather(*(Connection.open(host, port) for _ in range(count))))


async def saturate(
    host: str,
    port: int,
    requests: Iterator[bytes],
    *,
    connections: int,
    duration_s: float,
    warm_up_s: float,
) -> RunResult:
    """Closed loop for warm_up_s + duration_s; the window is the last duration_s."""
    settle_collector()
    conns = await _open_all(host, port, connections)
    result = RunResult(window_s=duration_s)
    start = clock()
    result.window_start = start + warm_up_s
    deadline = result.window_start + duration_s

    async def worker(conn: Connection) -> None:
        while clock() < deadline:
            request = next(requests, None)
            if request is None:
                result.exhausted = True
                return
            begun = clock()
            try:
                status = await conn.call(request)
            except (OSError, asyncio.IncompleteReadError):
                status = DROPPED
                await conn.close()
                conn.replace(await Connection.open(host, port))
            result.samples.append(Sample(begun, clock(), status))

    try:
        await asyncio.gather(*(worker(c) for c in conns))
    finally:
        await asyncio.gather(*(c.close() for c in conns))
    if result.exhausted:
        result.window_s = max(min(duration_s, clock() - result.window_start), 1e-3)
    return result


async def paced(
    host: str,
    port: int,
    requests: Iterator[bytes],
    *,
    rate_per_s: float,
    duration_s: float,
    connections: int,
) -> RunResult:
    """Open loop at rate_per_s for duration_s; a request waits for a free connection."""
    settle_collector()
    idle: asyncio.Queue[Connection] = asyncio.Queue()
    conns = await _open_all(host, port, connections)
    for conn in conns:
        idle.put_nowait(conn)
    result = RunResult(window_s=duration_s)
    total = int(rate_per_s * duration_s)
    start = clock() + 0.05
    result.window_start = start
    tasks: list[asyncio.Task[None]] = []

    async def one(scheduled: float, request: bytes) -> None:
        conn = await idle.get()
        try:
            status = await conn.call(request)
        except (OSError, asyncio.IncompleteReadError):
            status = DROPPED
            await conn.close()
            conn.replace(await Connection.open(host, port))
        finally:
            idle.put_nowait(conn)
        result.samples.append(Sample(scheduled, clock(), status))

    for i in range(total):
        scheduled = start + i / rate_per_s
        delay = scheduled - clock()
        if delay > 0:
            await asyncio.sleep(delay)
        request = next(requests, None)
        if request is None:
            result.exhausted = True
            break
        tasks.append(asyncio.create_task(one(scheduled, request)))
    try:
        await asyncio.gather(*tasks)
    finally:
        await asyncio.gather(*(c.close() for c in conns))
    # Every request counts, however late it finished: the window is the whole schedule.
    result.window_s = max(result.samples[-1].finished - start, duration_s) if tasks else 0.0
    return result


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]

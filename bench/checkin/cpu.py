"""CPU seconds per party during a measure, from /proc (psutil is not a dependency).

On two cores the service, PostgreSQL, the broker and the load generator share the
machine: CPU-ms per check-in of each tells where the time goes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # the name in parentheses may hold spaces


def process_seconds(pid: int | None, *, with_children: bool = False) -> float:
    """utime + stime of a process; with its children (PostgreSQL's backends) if asked."""
    if pid is None:
        return 0.0
    fields = _stat(pid)
    if fields is None:
        return 0.0
    total = (int(fields[11]) + int(fields[12])) / _TICKS
    if with_children:
        total += (int(fields[13]) + int(fields[14])) / _TICKS  # reaped children
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and (child := _stat(int(entry.name))) and child[1] == str(pid):
                total += (int(child[11]) + int(child[12])) / _TICKS
    return total


@dataclass(frozen=True)
class Pids:
    service: int | None
    postgres: int | None
    kafka: int | None


@dataclass(frozen=True)
class CpuSample:
    service: float
    postgres: float
    kafka: float
    client: float

    @classmethod
    def take(cls, pids: Pids) -> CpuSample:
        own = os.times()
        return cls(
            service=process_seconds(pids.service, with_children=True),  # uvicorn workers
            postgres=process_seconds(pids.postgres, with_children=True),
            kafka=process_seconds(pids.kafka, with_children=True),
            client=own.user + own.system,
        )


def cpu_ms_per_request(before: CpuSample, after: CpuSample, requests: int) -> dict[str, float]:
    """CPU milliseconds each party spent per answered request (2 cores = 2000 ms per s)."""
    n = max(requests, 1)
    return {
        name: round((getattr(after, name) - getattr(before, name)) * 1000 / n, 3)
        for name in ("service", "postgres", "kafka", "client")
    }

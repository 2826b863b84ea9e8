"""CPU seconds used by this process, the broker and PostgreSQL during a measure.

On two cores the three share the machine; who burns the CPU tells where the
bottleneck is (a Python process near 1.0 CPU-s per second is saturated). Read from
/proc, as psutil is not a dependency of the workspace.
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
    # The command name is in parentheses and may hold spaces: split after it.
    return raw[raw.rindex(")") + 2 :].split()


def _own_seconds(fields: list[str]) -> float:
    # utime, stime are fields 14 and 15 of /proc/<pid>/stat (index 11, 12 after the name).
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _reaped_children_seconds(fields: list[str]) -> float:
    # cutime, cstime: children that exited and were waited for (PostgreSQL's backends).
    return (int(fields[13]) + int(fields[14])) / _TICKS


def process_tree_seconds(pid: int | None) -> float:
    """CPU of a process, its living children and the children it has reaped."""
    if pid is None:
        return 0.0
    fields = _stat(pid)
    if fields is None:
        return 0.0
    total = _own_seconds(fields) + _reaped_children_seconds(fields)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        child = _stat(int(entry.name))
        if child is not None and child[1] == str(pid):  # field 4: ppid
            total += _own_seconds(child)
    return total


@dataclass(frozen=True)
class CpuSample:
    bench: float
    kafka: float
    postgres: float


def sample(kafka_pid: int | None, postgres_pid: int | None) -> CpuSample:
    own = os.times()
    return CpuSample(
        bench=own.user + own.system,
        kafka=process_tree_seconds(kafka_pid),
        postgres=process_tree_seconds(postgres_pid),
    )


def per_second(before: CpuSample, after: CpuSample, wall_s: float) -> dict[str, float]:
    """CPU-seconds per wall second of each party (1.0 = one core fully busy)."""
    wall = max(wall_s, 1e-9)
    return {
        "bench_python": round((after.bench - before.bench) / wall, 2),
        "kafka": round((after.kafka - before.kafka) / wall, 2),
        "postgres": round((after.postgres - before.postgres) / wall, 2),
    }

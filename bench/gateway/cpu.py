"""CPU per party during a measure (bench.outbox's /proc reader): who burns the two cores."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from bench.outbox.cpu import process_tree_seconds


def _sample(pids: Mapping[str, int | None]) -> dict[str, float]:
    own = os.times()
    seconds = {name: process_tree_seconds(pid) for name, pid in pids.items()}
    # This process: the load generator, plus pgbench (a child it waited for).
    seconds["bench"] = own.user + own.system + own.children_user + own.children_system
    return seconds


@contextmanager
def cpu_per_second(pids: Mapping[str, int | None]) -> Iterator[dict[str, float]]:
    """Fills the yielded dict with CPU-seconds per wall second (1.0 = one core busy)."""
    result: dict[str, float] = {}
    before, started = _sample(pids), time.perf_counter()
    try:
        yield result
    finally:
        after, wall = _sample(pids), max(time.perf_counter() - started, 1e-9)
        result.update({k: round((after[k] - before[k]) / wall, 2) for k in before})

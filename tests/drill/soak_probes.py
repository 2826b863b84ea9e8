"""What `make soak` samples besides the requests: each process's memory from /proc (the
process and its children, e.g. PostgreSQL's backends) and every consumer group's lag,
read as `asn lag` reads it."""

from __future__ import annotations

import os
from pathlib import Path

from asn_cli.dlq import dead_letter_topics
from asn_cli.lag import group_lag, totals
from soak_report import Behind

PROC = Path("/proc")


def rss_bytes(pid: int) -> int:
    """VmRSS of one process; 0 when it is gone or unreadable (a sample, not a failure)."""
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def children(pid: int) -> list[int]:
    """Every descendant of `pid` (one scan of /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir(PROC):
        if not entry.name.isdigit():
            continue
        try:
            stat = (PROC / entry.name / "stat").read_text()
        except OSError:
            continue
        # The command name in parentheses may hold spaces: the fields follow its last ")".
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    out: list[int] = []
    todo = [pid]
    while todo:
        kids = parents.get(todo.pop(), [])
        out.extend(kids)
        todo.extend(kids)
    return out


def tree_rss_bytes(pid: int) -> int:
    """RSS of a process and its descendants summed (for PostgreSQL that counts the shared
    buffers a backend touched once per backend: shown, not held to the memory goal)."""
    return rss_bytes(pid) + sum(rss_bytes(child) for child in children(pid))


async def lag_reading(bootstrap: str, t: float) -> tuple[dict[str, int], list[Behind]]:
    """Consumer group → events behind over all its partitions, as `asn lag` prints them,
    and each partition behind, to say where."""
    rows = await group_lag(bootstrap)
    where = [
        Behind(t, r.group, r.topic, r.partition, r.committed or 0, r.end) for r in rows if r.behind
    ]
    return totals(rows), where


async def dead_letters(bootstrap: str) -> dict[str, int]:
    """Every dead-letter topic and the letters in it, as `asn dlq list` counts them."""
    return {t.topic: t.letters for t in await dead_letter_topics(bootstrap)}

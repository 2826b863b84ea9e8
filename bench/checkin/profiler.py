"""Where the service's time goes: py-spy samples during an extra saturated run.

py-spy is not a workspace dependency: it runs through `uvx` (a tool environment, the
lock file untouched). The raw samples are kept beside the JSON (bench/results/).
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import uvloop
from devstack import Stack

from bench.checkin.cpu import Pids
from bench.checkin.env import ServiceProcess
from bench.checkin.measure import Requests, measure_saturated
from bench.checkin.report import RESULTS_DIR

# (label, substring of the "file:function;…" stack): a sample counts for every label whose
# frame is in its stack (inclusive shares, so they overlap and do not add up to 1).
MARKERS: tuple[tuple[str, str], ...] = (
    ("HTTP request, all of it", "RequestResponseCycle.run_asgi"),
    ("FastAPI dependencies (auth, body)", "solve_dependencies"),
    ("JWT verify", "JwtVerifier.verify"),
    ("punch route (before the batch)", "presensi/api/attendance_routes.py:_punch"),
    ("group commit batches, all of them", "servicekit/groupcommit.py:GroupCommit._run"),
    ("  claim keys + read context", "presensi/punches.py:_begin"),
    ("  rules + event building", "presensi/punches.py:check_ins"),
    ("  outbox, remembered keys, NOTIFY", "presensi/punches.py:_finish"),
    ("asyncpg, all", "asyncpg/"),
    ("outbox relay (same process)", "servicekit/relay.py"),
    ("consumer (same process)", "servicekit/consumer.py"),
)


def summarize(raw: Path) -> dict[str, Any]:
    """Share of samples whose stack holds each marker (py-spy counts only busy samples)."""
    shares: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        normalized = _normalize(stack)
        for label, marker in MARKERS:
            if marker in normalized:
                shares[label] += count
    return {
        "samples": total,
        "inclusive_share": {label: round(shares[label] / max(total, 1), 3) for label, _ in MARKERS},
    }


def _normalize(stack: str) -> str:
    # py-spy frames read "function (path/file.py:line)": make "path/file.py:function".
    parts = []
    for frame in stack.split(";"):
        name, _, where = frame.partition(" (")
        path = where.rstrip(")").rsplit(":", 1)[0]
        parts.append(f"{path}:{name.strip()}")
    return ";".join(parts)


def profile_saturated(
    stack: Stack, service: ServiceProcess, requests: Requests, profile: Any
) -> dict[str, Any]:
    uvx = shutil.which("uvx")
    if uvx is None:
        return {"error": "uvx not found"}
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    raw = RESULTS_DIR / f"checkin-py-spy-{time.strftime('%Y%m%dT%H%M%S')}.txt"
    duration = int(profile.saturated_s)
    command = [uvx, "py-spy", "record", "--pid", str(service.pid), "--rate", "200"]
    command += ["--duration", str(duration + 2), "--format", "raw", "--output", str(raw)]
    command += ["--nonblocking"]
    spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    pids = Pids(service=service.pid, postgres=stack.postgres.pid(), kafka=stack.kafka.pid())
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        summary = runner.run(
            measure_saturated(
                requests,
                pids,
                idempotency_key=True,
                connections=profile.connections,
                duration_s=duration,
                warm_up_s=1,
            )
        )
    _, err = spy.communicate(timeout=60)
    if spy.returncode != 0 or not raw.exists():
        return {"error": err.decode(errors="replace")[-1000:]}
    return {"under_profiler": summary.as_dict(), "raw": str(raw), **summarize(raw)}

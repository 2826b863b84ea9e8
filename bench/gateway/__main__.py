"""`python -m bench.gateway [--quick]`: measure, print one table, write JSON.

Order: the stack and 100k employees (presensi's replica and the gateway's read model, by
COPY); presensi and the gateway as processes; then profile reads, check-ins, and
commit-to-visible latency, each beside its anchor in the same run on the same stack.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import time
from datetime import UTC, datetime
from typing import Any

from devstack import Stack
from gateway.main import MIGRATIONS as GATEWAY_MIGRATIONS
from servicekit.logging import configure_logging
from servicekit.migrations import upgrade

from bench.checkin import seed as presensi_seed
from bench.gateway.env import ANCHOR_DB, GATEWAY_DB, PRESENSI_DB, bench_stack, running_suite
from bench.gateway.measures import (
    Bench,
    Profile,
    as_config,
    measure_check_ins,
    measure_reads,
    measure_visibility,
    say,
    smoke,
)
from bench.gateway.readmodel import seed_read_model
from bench.gateway.report import render_table, write_json
from bench.gateway.rows import build_rows, notes
from bench.gateway.visibility import VisibilityConfig

FULL = Profile(
    employees=100_000,
    clients=8,
    duration_s=10,
    warm_up_s=2,
    readers=20_000,
    gateway_check_ins=15_000,
    direct_check_ins=25_000,
    visibility=VisibilityConfig(rate_per_s=200, duration_s=15),
    anchor_latency_messages=2_000,
)
QUICK = Profile(
    employees=20_000,
    clients=8,
    duration_s=3,
    warm_up_s=1,
    readers=3_000,
    gateway_check_ins=5_000,
    direct_check_ins=6_000,
    visibility=VisibilityConfig(rate_per_s=200, duration_s=4),
    anchor_latency_messages=300,
)


def prepare(stack: Stack, profile: Profile, runner: asyncio.Runner) -> dict[str, Any]:
    """Migrations (each service's own), then the city by COPY in all three databases."""
    started = time.perf_counter()
    presensi, anchor, gateway = (
        stack.postgres.dsn(d) for d in (PRESENSI_DB, ANCHOR_DB, GATEWAY_DB)
    )
    presensi_seed.migrate(presensi)
    presensi_seed.migrate(anchor)
    upgrade(GATEWAY_MIGRATIONS, gateway)
    city = runner.run(presensi_seed.seed_city(presensi, employees=profile.employees))
    runner.run(presensi_seed.seed_city(anchor, employees=profile.employees))
    counts = runner.run(seed_read_model(gateway, city.nips, city.units))
    say(f"seeded {counts} in {time.perf_counter() - started:.1f} s")
    return {"nips": city.nips, "read_model": counts.__dict__}


def measure(stack: Stack, profile: Profile) -> dict[str, Any]:
    # asyncio's own loop: its clock is time.monotonic(); uvloop's counts whole milliseconds.
    with asyncio.Runner() as runner:
        seeded = prepare(stack, profile, runner)
        with running_suite(stack) as suite:
            bench = Bench(stack, suite, profile, runner, seeded["nips"], 0)
            smoke(bench)
            reads = measure_reads(bench)
            check_ins = measure_check_ins(bench)
            visibility = measure_visibility(bench, check_ins["value_bytes"])
            results = {
                "read_model": seeded["read_model"],
                "reads": reads,
                "check_ins": check_ins,
                "visibility": visibility,
            }
    return results


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.gateway", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small N: a smoke run (~1.5 min)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    profile = QUICK if args.quick else FULL
    configure_logging("bench", "WARNING", json=False)
    started_at = datetime.now(UTC)
    clock = time.perf_counter()
    load_before = os.getloadavg()
    say(f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}")
    with bench_stack() as stack:
        say(f"stack up in {time.perf_counter() - clock:.1f} s: {stack.config.state_dir}")
        results = measure(stack, profile)
        kafka_version = stack.kafka.version
    duration = time.perf_counter() - clock
    load_after = os.getloadavg()
    rows = build_rows(results)
    document = {
        "started_at": started_at.isoformat(),
        "duration_s": round(duration, 1),
        "profile": "quick" if args.quick else "full",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "kafka": kafka_version,
            # Other work on a 2-core machine moves every figure: kept to judge a run.
            "loadavg_before": load_before,
            "loadavg_after": load_after,
        },
        "config": as_config(profile),
        "results": results,
    }
    path = write_json(document, rows, started_at)
    print()
    print(render_table(rows))
    for line in notes(results, profile):
        print(f"  · {line}")
    print(
        f"  · load average before {load_before[0]:.2f} / after {load_after[0]:.2f} "
        f"(1 min) on {os.cpu_count()} cores; {duration:.0f} s in all; "
        f"JSON: {path.relative_to(path.parents[2])}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make soak` (issue 17): SOAK_MINUTES (10) of a mixed workload through the gateway at a
steady SOAK_RATE commands/s, with bursts of 3× for 15 s every 2 minutes (the first after
one), on its own stack (free ports, `.stack-drill/`): pegawai, presensi, kinerja, the
gateway and its projector under `make run`'s supervisor.

The workload: new employees, each through registration, check-in, an SKP drafted,
submitted and agreed by the supervisor, annual leave requested and approved by the
supervisor, a promotion, a new position and check-out (`suite_commands.Life`). The driver
is open-loop: it sends on a fixed schedule whether or not earlier answers came, so a slow
suite shows as latency, not as a lower rate. Each command is sent once (no retry hides an
error), with an Idempotency-Key.

Recorded: every request's route, status and latency; every process's memory at the start,
every 30 s and at the end; every consumer group's lag every 5 s (every second for a minute
after each burst and after the load stops). Printed: a table per route, per process and
per burst; written beside it: `.soak/soak-<timestamp>.png` and `.csv`. Exits 1 when a goal
fails (any error or timeout, a suite process growing more than 25 % after the warm-up or
restarted, lag not back to 0 within 60 s after a burst, the rate not sustained), naming it.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import os
import shutil
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from devstack.config import REPO_ROOT
from drill_suite import DrillSuite, drill_suite
from gateway_client import GatewayClient
from soak_chart import draw
from soak_probes import dead_letters, lag_reading, rss_bytes, tree_rss_bytes
from soak_report import (
    LAG_ZERO_WITHIN_S,
    Lag,
    Memory,
    Plan,
    Report,
    Request,
    burst_schedule,
    rate_at,
    table,
    write_csv,
)
from suite_commands import (
    NOT_YET_CODES,
    STEPS,
    Command,
    Life,
    employee_body,
    every_day_schedule,
    new_key,
    new_nip,
    unit_body,
)

MINUTES = float(os.environ.get("SOAK_MINUTES", "10"))
RATE = float(os.environ.get("SOAK_RATE", "6"))
BURST_FACTOR = 3.0
BURST_EVERY_S = 120.0
BURST_LENGTH_S = 15.0
WARMUP_S = 30.0
MEMORY_EVERY_S = 30.0
LAG_EVERY_S = 5.0
REQUEST_TIMEOUT_S = 15.0
REPLICA_GRACE_S = 2.0
"""After a registration, before its employee's next step: the replicas need a moment."""
NOT_YET_AGAIN_S = 1.0
MAX_IN_FLIGHT = 256
"""A bound on the open-loop driver, so a stalled suite cannot pile up requests without end."""
SUPERVISORS = 10
SERVICES = ("pegawai", "presensi", "kinerja", "gateway", "projector")
OUT_DIR = REPO_ROOT / ".soak"
WIB = ZoneInfo("Asia/Jakarta")
_serials = itertools.count(1)


def say(line: str) -> None:
    print(f"[soak] {line}", flush=True)


def today_wib() -> date:
    return datetime.now(UTC).astimezone(WIB).date()


async def prepare(client: GatewayClient) -> tuple[str, list[str]]:
    """A unit whose every day is a working day, and its supervisors, known to every service."""
    unit = f"opd-soak-{new_key()[:6]}"
    await client.until("POST", "/api/units", {201}, unit_body(unit))
    await client.until("PUT", f"/api/schedules/{unit}", {200, 201}, every_day_schedule(today_wib()))
    bosses = [new_nip(next(_serials)) for _ in range(SUPERVISORS)]
    for nip in bosses:
        await client.until("POST", "/api/employees", {201}, employee_body(nip, unit))
    for nip in bosses:
        await client.until("GET", f"/api/leave-balances/{nip}", {200})
    return unit, bosses


class Driver:
    """Open-loop: one command per tick of the schedule, from the employee whose next step
    has waited longest, or a new employee when none is ready."""

    def __init__(
        self, client: GatewayClient, plan: Plan, report: Report, unit: str, bosses: list[str]
    ) -> None:
        self.client, self.plan, self.report = client, plan, report
        self.unit, self.bosses = unit, bosses
        self.waiting: list[tuple[float, int, Life]] = []
        self.order = itertools.count()
        self.in_flight: set[asyncio.Task[None]] = set()
        self.first_errors: list[str] = []
        self.t0 = 0.0
        self.sent = self.registered = 0

    def now(self) -> float:
        return time.monotonic() - self.t0

    def next_life(self) -> Life:
        """The longest-waiting ready employee, unless registrations are below their share
        of the mix (one step in len(STEPS)) or nobody is ready: so a burst sends every
        kind of step, as between bursts, and not a wave of registrations alone."""
        ready = bool(self.waiting) and self.waiting[0][0] <= self.now()
        if ready and self.registered * len(STEPS) >= self.sent:
            return heapq.heappop(self.waiting)[2]
        self.registered += 1
        serial = next(_serials)
        return Life(
            new_nip(serial, sex=1 + serial % 2), self.unit, self.bosses[serial % SUPERVISORS]
        )

    def later(self, life: Life, after_s: float) -> None:
        heapq.heappush(self.waiting, (self.now() + after_s, next(self.order), life))

    async def run(self, t0: float) -> None:
        self.t0 = t0
        tick = 0.0
        while tick < self.plan.duration_s:
            delay = tick - self.now()
            if delay > 0:
                await asyncio.sleep(delay)
            while len(self.in_flight) >= MAX_IN_FLIGHT:
                await asyncio.wait(self.in_flight, return_when=asyncio.FIRST_COMPLETED)
            if self.now() >= self.plan.duration_s:
                break
            life = self.next_life()
            self.sent += 1
            task = asyncio.create_task(self.send(life, life.command(today_wib())))
            self.in_flight.add(task)
            task.add_done_callback(self.in_flight.discard)
            tick += 1 / rate_at(tick, self.plan)
        if self.in_flight:
            await asyncio.wait(self.in_flight)

    async def send(self, life: Life, command: Command) -> None:
        headers = {**self.client.auth(command.actor, *command.roles), "Idempotency-Key": new_key()}
        sent = self.now()
        started = time.perf_counter()
        try:
            response = await self.client.http.request(
                command.method, command.path, json=command.body, headers=headers
            )
        except httpx.HTTPError as exc:
            latency = time.perf_counter() - started
            self.report.requests.append(Request(sent, command.route, None, latency, "error"))
            self.note(f"{command.route}: {type(exc).__name__} after {latency:.1f} s")
            return
        latency = time.perf_counter() - started
        status = response.status_code
        if 200 <= status < 300:
            outcome = "ok"
            life.advance(response.json())
            if not life.done:
                self.later(life, REPLICA_GRACE_S if life.step == 1 else 0.0)
        elif 400 <= status < 500 and _code(response) in NOT_YET_CODES:
            outcome = "not-yet"
            self.later(life, NOT_YET_AGAIN_S)
        else:
            outcome = "error"
            self.note(f"{command.route} ({command.step}): {status} {response.text[:200]}")
        self.report.requests.append(Request(sent, command.route, status, latency, outcome))

    def note(self, line: str) -> None:
        if len(self.first_errors) < 20:
            self.first_errors.append(line)
            say(f"error: {line}")


def _code(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    code = body.get("code") if isinstance(body, dict) else None
    return str(code) if code is not None else None


def sample_memory(suite: DrillSuite, report: Report, t: float) -> None:
    for name, child in suite.supervisor.children.items():
        if child.pid is not None:
            report.memory.append(Memory(t, name, tree_rss_bytes(child.pid), child.pid))
    for name, pid in (
        ("kafka", suite.stack.kafka.pid()),
        ("postgresql", suite.stack.postgres.pid()),
    ):
        if pid is not None:
            report.memory.append(Memory(t, name, tree_rss_bytes(pid), pid))
    # Alone: the stack's processes are the driver's children.
    report.memory.append(Memory(t, "soak driver", rss_bytes(os.getpid()), os.getpid()))


async def memory_sampler(suite: DrillSuite, report: Report, clock: Driver) -> None:
    while True:
        await asyncio.to_thread(sample_memory, suite, report, clock.now())
        await asyncio.sleep(MEMORY_EVERY_S)


async def lag_sampler(bootstrap: str, report: Report, clock: Driver) -> None:
    """Every 5 s, and every second for a minute after each burst and after the load, so
    "back to 0" is seen when it happens rather than up to 5 s later."""
    watch = [(b.end, b.end + LAG_ZERO_WITHIN_S) for b in report.plan.bursts]
    watch.append((report.plan.duration_s, report.plan.duration_s + LAG_ZERO_WITHIN_S))
    while True:
        t = clock.now()
        try:
            behind, where = await lag_reading(bootstrap, t)
        except Exception as exc:  # a missed sample is a gap in the chart, not a lag
            say(f"lag sample failed: {type(exc).__name__}: {exc}")
        else:
            report.lag.extend(Lag(t, group, n) for group, n in behind.items())
            report.partitions_behind.extend(where)
        every = 1.0 if any(a <= t < b for a, b in watch) else LAG_EVERY_S
        await asyncio.sleep(max(0.0, t + every - clock.now()))


async def drain(report: Report, clock: Driver) -> None:
    """After the load: until a lag sample shows every group at 0, or the goal's limit."""
    end = report.plan.duration_s
    while clock.now() < end + LAG_ZERO_WITHIN_S + 5:
        latest = [s for s in report.lag if s.t >= end]
        if latest:
            last_t = latest[-1].t
            if sum(s.behind for s in latest if s.t == last_t) == 0:
                return
        await asyncio.sleep(1.0)


def keep_logs(suite: DrillSuite, into: Path) -> None:
    """The services' logs outlive the stack (it is removed at the end): a failed soak is
    read from them."""
    into.mkdir(parents=True, exist_ok=True)
    for spec in suite.processes.specs:
        log = suite.processes.log_file(spec)
        if log.exists():
            shutil.copy(log, into / log.name)


async def soak(suite: DrillSuite, plan: Plan) -> Report:
    # One connection per request in flight, so a queue shows in the suite, not in the driver.
    limits = httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=64)
    client = GatewayClient(suite, timeout=REQUEST_TIMEOUT_S, limits=limits)
    report = Report(plan)
    try:
        unit, bosses = await prepare(client)
        say(f"unit {unit} with {len(bosses)} supervisors ready; load starts")
        driver = Driver(client, plan, report, unit, bosses)
        t0 = time.monotonic()
        driver.t0 = t0
        samplers = [
            asyncio.create_task(memory_sampler(suite, report, driver)),
            asyncio.create_task(lag_sampler(suite.stack.kafka.bootstrap, report, driver)),
        ]
        progress = asyncio.create_task(_progress(report, driver))
        try:
            await driver.run(t0)
            say(f"load over at {driver.now():.0f} s; following the lag until it is 0")
            await drain(report, driver)
            await asyncio.to_thread(sample_memory, suite, report, driver.now())
            bootstrap = suite.stack.kafka.bootstrap
            report.dead_letters = await dead_letters(bootstrap)
            report.behind_at_end = [str(b) for b in (await lag_reading(bootstrap, 0.0))[1]]
        finally:
            for task in [*samplers, progress]:
                task.cancel()
            for task in [*samplers, progress]:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    finally:
        await client.aclose()
    return report


async def _progress(report: Report, clock: Driver) -> None:
    while True:
        await asyncio.sleep(30)
        done = report.requests
        errors = sum(r.outcome == "error" for r in done)
        behind = sum(s.behind for s in report.lag if s.t == report.lag[-1].t) if report.lag else 0
        say(f"{clock.now():.0f} s: {len(done)} requests, {errors} errors, lag {behind}")


async def main() -> int:
    duration = MINUTES * 60
    plan = Plan(
        duration_s=duration,
        rate=RATE,
        warmup_s=min(WARMUP_S, duration / 4),
        bursts=burst_schedule(duration, BURST_EVERY_S, BURST_LENGTH_S),
        burst_factor=BURST_FACTOR,
        checked_processes=frozenset(SERVICES),
    )
    say(
        f"{MINUTES:g} min at {RATE:g} commands/s, bursts of {BURST_FACTOR:g}× at "
        + ", ".join(f"{b.start:.0f} s" for b in plan.bursts)
    )
    started = time.monotonic()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    png, raw = OUT_DIR / f"soak-{stamp}.png", OUT_DIR / f"soak-{stamp}.csv"
    logs = OUT_DIR / f"soak-{stamp}-logs"
    with drill_suite(SERVICES) as suite:
        say(f"suite up in {time.monotonic() - started:.0f} s (gateway {suite.gateway_url})")
        try:
            report = await soak(suite, plan)
        finally:
            keep_logs(suite, logs)
    OUT_DIR.mkdir(exist_ok=True)
    write_csv(report, raw)
    draw(report, png)
    print()
    print(table(report))
    print(f"\nchart: {png}\nraw samples: {raw}\nservice logs: {logs}/")
    failures = report.failures()
    if failures:
        print("\nFAILED:\n" + "\n".join(f"- {f}" for f in failures))
        return 1
    print("\npassed: no error, memory flat, lag back to 0 after every burst")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

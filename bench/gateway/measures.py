"""The three measures of issue 5, each with its anchor, on one running suite."""

from __future__ import annotations

import asyncio
import functools
import itertools
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, TypeVar

import asyncpg
import httpx
from devstack import Stack
from presensi.domain.calendar import business_date, system_clock

from bench.checkin.loadgen import paced, percentile, saturate
from bench.checkin.tokens import mint_tokens
from bench.gateway import calls
from bench.gateway.cpu import cpu_per_second
from bench.gateway.env import ANCHOR_DB, GATEWAY_DB, PRESENSI_DB, Suite
from bench.gateway.pgbench import Pgbench, check_in_script, check_script, read_script
from bench.gateway.visibility import VisibilityConfig, run_visibility
from bench.outbox import anchors

T = TypeVar("T")


@dataclass(frozen=True)
class Profile:
    employees: int
    clients: int
    duration_s: float
    warm_up_s: float
    readers: int
    """How many distinct employees the profile reads pick from (tokens minted up front)."""
    gateway_check_ins: int
    direct_check_ins: int
    visibility: VisibilityConfig
    anchor_latency_messages: int
    catch_up_timeout_s: float = 90.0


def say(message: str) -> None:
    print(f"[bench.gateway] {message}", flush=True)


class Bench:
    """The running suite and what every measure needs: pgbench, tokens, a loop."""

    def __init__(
        self,
        stack: Stack,
        suite: Suite,
        profile: Profile,
        runner: asyncio.Runner,
        nips: Sequence[str],
        extra_check_ins: int = 0,
    ) -> None:
        self.stack, self.suite, self.profile, self.runner = stack, suite, profile, runner
        self.pgbench = Pgbench(
            stack.postgres.bindir / "pgbench",
            stack.config.pg_port,
            stack.config.state_dir / "pgbench",
        )
        self.day = business_date(system_clock())
        people = list(nips)
        random.Random(7).shuffle(people)
        wanted = (
            extra_check_ins
            + 3
            + profile.gateway_check_ins
            + profile.direct_check_ins
            + int(profile.visibility.rate_per_s * profile.visibility.duration_s)
        )
        started = time.perf_counter()
        chosen = people[:wanted]
        self.people = list(zip(chosen, mint_tokens(suite.private_key, chosen), strict=True))
        say(f"{len(self.people):,} tokens minted in {time.perf_counter() - started:.1f} s")
        self._unused: Iterator[tuple[str, str]] = iter(self.people)

    def dsn(self, database: str) -> str:
        return self.stack.postgres.dsn(database)

    def take(self, count: int) -> list[tuple[str, str]]:
        """Employees not checked in yet today (each checks in once)."""
        return list(itertools.islice(self._unused, count))

    def pids(self) -> dict[str, int | None]:
        return {
            **self.suite.pids,
            "postgres": self.stack.postgres.pid(),
            "kafka": self.stack.kafka.pid(),
        }

    def timed(self, label: str, work: Callable[[], T]) -> T:
        say(f"{label} …")
        started = time.perf_counter()
        result = work()
        say(f"{label}: done in {time.perf_counter() - started:.1f} s")
        return result

    def saturate(self, port: int, requests: Iterator[bytes]) -> dict[str, Any]:
        profile = self.profile
        with cpu_per_second(self.pids()) as cpu:
            result = self.runner.run(
                saturate(
                    calls.HOST,
                    port,
                    requests,
                    connections=profile.clients,
                    duration_s=profile.duration_s,
                    warm_up_s=profile.warm_up_s,
                )
            )
        return {**calls.summarize(result, profile.clients).as_dict(), "cpu_per_s": cpu}

    def run_pgbench(self, database: str, name: str, text: str, **variables: str) -> dict[str, Any]:
        with cpu_per_second(self.pids()) as cpu:
            figures = self.pgbench.run(
                database,
                name,
                text,
                clients=self.profile.clients,
                duration_s=self.profile.duration_s,
                variables=variables,
            )
        return {**figures.as_dict(), "cpu_per_s": cpu}


async def _expect(
    client: httpx.AsyncClient, method: str, url: str, token: str, status: int
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    body = {"latitude": -0.6817, "longitude": 100.7766, "accuracy_m": 12}
    response = await client.request(
        method, url, headers=headers, json=body if method == "POST" else None
    )
    if response.status_code != status:
        raise RuntimeError(f"{method} {url}: {response.status_code} {response.text[:300]}")


def smoke(bench: Bench) -> None:
    """One profile read and one check-in on each path, or stop here with the answer."""
    suite = bench.suite
    gateway = f"http://{calls.HOST}:{suite.gateway_port}"
    presensi = f"http://{calls.HOST}:{suite.presensi_port}"
    (reader, reader_token), (_, one_token), (_, two_token) = bench.take(3)

    async def calls_() -> None:
        async with httpx.AsyncClient(timeout=15) as client:
            await _expect(client, "GET", f"{gateway}/api/profiles/{reader}", reader_token, 200)
            await _expect(client, "POST", f"{gateway}/api/attendance/check-in", one_token, 201)
            await _expect(client, "POST", f"{presensi}/attendance/check-in", two_token, 201)

    bench.runner.run(calls_())
    waited = bench.runner.run(
        _catch_up(bench.dsn(PRESENSI_DB), bench.dsn(GATEWAY_DB), bench.day, 30.0)
    )
    if waited < 0:
        raise RuntimeError(f"the read model never showed the check-in: {_log_tail(suite)}")
    say(f"smoke: profile read, two check-ins, projected in {waited:.2f} s")


def _log_tail(suite: Suite, lines: int = 15) -> str:
    text = suite.logs["gateway"].read_text(errors="replace").splitlines()
    return "gateway log ends with:\n" + "\n".join(text[-lines:])


def measure_reads(bench: Bench) -> dict[str, Any]:
    profile, suite = bench.profile, bench.suite
    readers = bench.people[: profile.readers]
    bench.pgbench.check(GATEWAY_DB, "nip-check", check_script(profile.employees))
    anchor = bench.timed(
        "pgbench: SELECT employee by nip",
        lambda: bench.run_pgbench(GATEWAY_DB, "read", read_script(profile.employees)),
    )
    ours = bench.timed(
        "profile reads through the gateway, saturated",
        lambda: bench.saturate(suite.gateway_port, calls.profile_reads(readers)),
    )
    half = max(ours["rate_per_s"] / 2, 1.0)

    def paced_reads() -> dict[str, Any]:
        result = bench.runner.run(
            paced(
                calls.HOST,
                suite.gateway_port,
                calls.profile_reads(readers, seed=11),
                rate_per_s=half,
                duration_s=profile.duration_s,
                connections=profile.clients,
            )
        )
        return calls.summarize(result, profile.clients, offered_per_s=half).as_dict()

    at_half = bench.timed(f"profile reads at {half:.0f}/s (open loop)", paced_reads)
    return {"pgbench": anchor, "saturated": ours, "half_rate": at_half}


async def _count(dsn: str, sql: str, day: date) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval(sql, day))
    finally:
        await conn.close()


_CREATED = "SELECT count(*) FROM attendance WHERE date = $1"
_PROJECTED = (
    "SELECT count(*) FROM readmodel.attendance_day WHERE date = $1 AND checked_in_at IS NOT NULL"
)


async def _catch_up(presensi_dsn: str, gateway_dsn: str, day: date, timeout_s: float) -> float:
    """Seconds until the read model holds every check-in presensi has; -1 on timeout."""
    started = time.perf_counter()
    target = await _count(presensi_dsn, _CREATED, day)
    while time.perf_counter() - started < timeout_s:
        if await _count(gateway_dsn, _PROJECTED, day) >= target:
            return round(time.perf_counter() - started, 2)
        await asyncio.sleep(0.05)
    return -1.0


async def _outbox_sample(dsn: str) -> dict[str, Any]:
    """A real check-in event as presensi's outbox holds it: the pgbench row, the size."""
    conn = await asyncpg.connect(dsn)
    try:
        row = await conn.fetchrow(
            "SELECT event_type, traceparent, payload::text AS payload FROM outbox "
            "WHERE event_type LIKE '%checked_in%' ORDER BY id DESC LIMIT 1"
        )
        size = await conn.fetchval("SELECT avg(octet_length(payload::text)) FROM outbox")
    finally:
        await conn.close()
    if row is None:
        raise RuntimeError("no check-in event in presensi's outbox")
    return {**dict(row), "value_bytes": round(float(size))}


def measure_check_ins(bench: Bench) -> dict[str, Any]:
    profile, suite = bench.profile, bench.suite
    sample = bench.runner.run(_outbox_sample(bench.dsn(PRESENSI_DB)))
    anchor = bench.timed(
        "pgbench: presensi's check-in transaction",
        lambda: bench.run_pgbench(
            ANCHOR_DB,
            "check-in",
            check_in_script(profile.employees),
            day=bench.day.isoformat(),
            unit="bench-00",
            event_type=sample["event_type"],
            traceparent=sample["traceparent"] or "",
            payload=sample["payload"],
        ),
    )
    results: dict[str, Any] = {"pgbench": anchor, "value_bytes": sample["value_bytes"]}
    for path, port, count, build in (
        ("gateway", suite.gateway_port, profile.gateway_check_ins, calls.gateway_check_in),
        ("direct", suite.presensi_port, profile.direct_check_ins, calls.direct_check_in),
    ):
        requests = iter([build(token) for _, token in bench.take(count)])
        results[path] = bench.timed(
            f"check-ins ({path}), saturated", functools.partial(bench.saturate, port, requests)
        )
        waited = bench.timed(
            "read model catching up",
            lambda: bench.runner.run(
                _catch_up(
                    bench.dsn(PRESENSI_DB),
                    bench.dsn(GATEWAY_DB),
                    bench.day,
                    profile.catch_up_timeout_s,
                )
            ),
        )
        if waited < 0:
            raise RuntimeError(f"the read model did not catch up: {_log_tail(suite)}")
        results[path]["read_model_catch_up_s"] = waited
    return results


def measure_visibility(bench: Bench, value_bytes: int) -> dict[str, Any]:
    config = bench.profile.visibility
    people = [
        (nip, calls.gateway_check_in(token))
        for nip, token in bench.take(int(config.rate_per_s * config.duration_s))
    ]

    def ours() -> dict[str, Any]:
        with cpu_per_second(bench.pids()) as cpu:
            figures = bench.runner.run(
                run_visibility(
                    bench.suite.gateway_port, people, bench.dsn(GATEWAY_DB), bench.day, config
                )
            )
        return {**figures.as_dict(), "cpu_per_s": cpu}

    visible = bench.timed(f"check-ins at {config.rate_per_s:.0f}/s until visible", ours)
    nips = [nip for nip, _ in people]
    visible["stages"] = bench.runner.run(
        _stages(bench.dsn(PRESENSI_DB), bench.dsn(GATEWAY_DB), nips)
    )
    kafka = bench.stack.kafka
    kafka.create_topics({"anchor.latency": 1})
    anchor = bench.timed(
        "Kafka EndToEndLatency",
        lambda: anchors.end_to_end_latency(
            kafka, "anchor.latency", bench.profile.anchor_latency_messages, value_bytes
        ),
    )
    return {"ours": visible, "end_to_end_latency": anchor.as_dict()}


async def _stages(presensi_dsn: str, gateway_dsn: str, nips: list[str]) -> dict[str, Any]:
    """Where commit-to-visible goes, on PostgreSQL's clock: presensi's transaction start →
    the relay's mark after Kafka's ack, and → the start of the gateway's projection
    transaction (its inbox row)."""
    presensi = await asyncpg.connect(presensi_dsn)
    try:
        events = await presensi.fetch(
            "SELECT event_id, created_at, published_at FROM outbox "
            "WHERE event_type = 'presensi.attendance.checked_in.v1' AND key = ANY($1::text[])",
            nips,
        )
    finally:
        await presensi.close()
    gateway = await asyncpg.connect(gateway_dsn)
    try:
        projected = {
            r["event_id"]: r["processed_at"]
            for r in await gateway.fetch(
                "SELECT event_id, processed_at FROM inbox WHERE event_id = ANY($1::uuid[])",
                [e["event_id"] for e in events],
            )
        }
    finally:
        await gateway.close()

    def ms(values: list[float]) -> dict[str, float]:
        return {
            "p50_ms": round(percentile(values, 50), 2),
            "p99_ms": round(percentile(values, 99), 2),
        }

    relay = [
        (e["published_at"] - e["created_at"]).total_seconds() * 1000
        for e in events
        if e["published_at"] is not None
    ]
    to_projection = [
        (projected[e["event_id"]] - e["created_at"]).total_seconds() * 1000
        for e in events
        if e["event_id"] in projected
    ]
    return {"published": ms(relay), "projection_started": ms(to_projection)}


def as_config(profile: Profile) -> dict[str, Any]:
    return asdict(profile)

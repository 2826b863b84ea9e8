"""`make drill` (issue 17): a bounded mixed workload through the gateway, one fault in the
middle of it, then every acknowledged command checked against the topics and the read model.

Faults (each a drill on the same suite, one after another):
- a service (pegawai) killed with SIGKILL mid-workload; `make run`'s supervisor restarts it;
- the broker killed with SIGKILL mid-workload and started again 20 s later;
- PostgreSQL restarted (fast shutdown: open sessions cut) mid-workload;
- the gateway's projector killed with SIGKILL mid-batch; the supervisor restarts it.

The workload: registrations (pegawai) and check-ins (presensi, by people registered before
the fault), interleaved, CONCURRENCY at a time; every command carries an Idempotency-Key,
and a 5xx, a 429 or no answer is retried with the same key until it settles or
RETRY_DEADLINE_S passes. Then: every 2xx must have exactly one event on its topic (by event
id; a re-sent id is counted and allowed) and exactly one effect in the gateway's read
model; lost and duplicated must be 0. Not part of `make test` (minutes, its own stack).
DRILL_OPS=<n> sets the commands per fault (default 120).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import signal
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
from devstack.services import DEV_KEYS_DIR
from drill_checks import Effect, Found, Op, Row, table, tally
from drill_suite import DrillSuite, drill_suite
from faults import kafka_latency_and_resets, relay_crash
from poison import PoisonFault
from poison import topic_events as readable_topic_events
from servicekit.devkeys import ensure_dev_keys, mint_token

OPS = int(os.environ.get("DRILL_OPS", "120"))
CONCURRENCY = 4
RETRY_DEADLINE_S = 240.0
SETTLE_TIMEOUT_S = 300.0
BKPSDM = "197001011995031001"
REGISTERED = "pegawai.employee.registered.v1"
CHECKED_IN = "presensi.attendance.checked_in.v1"
WIB = ZoneInfo("Asia/Jakarta")
_serials = itertools.count(1)


def say(line: str) -> None:
    print(f"[drill] {line}", flush=True)


def new_nip() -> str:
    """A fresh, well-formed NIP (birth date, CPNS TMT 2010, sex, serial)."""
    birth = date(1975 + random.randrange(20), 1 + random.randrange(12), 1 + random.randrange(28))
    return f"{birth:%Y%m%d}2010011{next(_serials) % 1000:03d}"


def employee_body(nip: str, unit: str) -> dict[str, Any]:
    return {
        "nip": nip,
        "name": f"Pegawai Drill {nip[-4:]}",
        "sex": "male",
        "birth_date": f"{nip[0:4]}-{nip[4:6]}-{nip[6:8]}",
        "asn_type": "pns",
        "golongan": "III/b",
        "tmt_golongan": "2022-04-01",
        "tmt_cpns": "2010-01-01",
        "position": {"name": "Analis Kepegawaian", "kind": "pelaksana"},
        "unit_code": unit,
        "education": "s1",
    }


class Gateway:
    """The portal's side: commands through the gateway with tokens from the dev key."""

    def __init__(self, suite: DrillSuite) -> None:
        self.http = httpx.AsyncClient(base_url=suite.gateway_url, timeout=15)
        self._private = ensure_dev_keys(DEV_KEYS_DIR)[0].read_bytes()

    def auth(self, nip: str, *roles: str) -> dict[str, str]:
        token = mint_token(self._private, sub=nip, roles=roles or ("pegawai",), unit_id=None)
        return {"Authorization": f"Bearer {token}"}

    async def send(self, op: Op, method: str, path: str, body: Any, auth: dict[str, str]) -> None:
        """Until it settles: 2xx or 4xx (not 429); a 5xx, 429 or no answer is retried."""
        deadline = time.monotonic() + RETRY_DEADLINE_S
        headers = {**auth, "Idempotency-Key": op.key}
        while True:
            op.attempts += 1
            try:
                response = await self.http.request(method, path, json=body, headers=headers)
            except httpx.HTTPError as exc:
                op.status = None
                op.errors.append(type(exc).__name__)
            else:
                op.status = response.status_code
                if response.status_code < 500 and response.status_code != 429:
                    if not op.acknowledged:
                        op.errors.append(f"{response.status_code} {response.text[:200]}")
                    return
                op.errors.append(f"{response.status_code} {response.text[:120]}")
            if time.monotonic() > deadline:
                return
            await asyncio.sleep(min(5.0, 0.25 * 2 ** min(op.attempts, 5)))

    async def until(self, method: str, path: str, ok: set[int], body: Any = None) -> None:
        """Set-up steps the suite answers once its replicas caught up."""
        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        while True:
            response = await self.http.request(
                method, path, json=body, headers=self.auth(BKPSDM, "bkpsdm")
            )
            if response.status_code in ok:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
            await asyncio.sleep(0.3)


async def prepare(gateway: Gateway, people: int) -> tuple[str, list[str]]:
    """A unit whose every day is a working day, and people presensi knows (not counted)."""
    unit = f"opd-drill-{uuid.uuid4().hex[:6]}"
    body = {
        "code": unit,
        "name": f"Dinas {unit}",
        "kind": "dinas",
        "parent_code": None,
        "latitude": -0.68,
        "longitude": 100.78,
        "geofence_radius_m": 150,
    }
    await gateway.until("POST", "/api/units", {201}, body)
    today = datetime.now(UTC).astimezone(WIB).date()
    schedule = {
        "kind": "regular",
        "valid_from": (today - timedelta(days=40)).isoformat(),
        "days": {str(d): {"start": "00:00", "end": "23:59", "break_minutes": 0} for d in range(7)},
    }
    await gateway.until("PUT", f"/api/schedules/{unit}", {200, 201}, schedule)
    nips = [new_nip() for _ in range(people)]
    for nip in nips:
        await gateway.until("POST", "/api/employees", {201}, employee_body(nip, unit))
    for nip in nips:
        await gateway.until("GET", f"/api/leave-balances/{nip}", {200})
    return unit, nips


async def kill_service(suite: DrillSuite, name: str = "pegawai") -> float:
    child = suite.supervisor.children[name]
    old = child.pid
    assert old is not None, f"{name} is not running"
    say(f"fault: SIGKILL {name} (pid {old})")
    os.kill(old, signal.SIGKILL)
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while not (child.pid not in (None, old) and child.ready):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not come back")
        await asyncio.sleep(0.2)
    say(f"fault over: {name} is back (pid {child.pid})")
    return time.monotonic()


async def broker_outage(suite: DrillSuite) -> float:
    say("fault: SIGKILL the broker; it starts again in 20 s")
    await asyncio.to_thread(suite.stack.kafka.kill)
    await asyncio.sleep(20)  # the fault's length, not a wait for an outcome
    await asyncio.to_thread(suite.stack.kafka.start)
    say("fault over: the broker answers again")
    return time.monotonic()


async def database_restart(suite: DrillSuite) -> float:
    say("fault: PostgreSQL restarted (pg_ctl stop -m fast, then start)")
    await asyncio.to_thread(suite.stack.postgres.stop)
    await asyncio.to_thread(suite.stack.postgres.start)
    say("fault over: PostgreSQL answers again")
    return time.monotonic()


async def workload(
    gateway: Gateway, unit: str, people: Sequence[str], fault: Callable[[], Awaitable[float]]
) -> tuple[list[Op], float]:
    registrations = [Op("registration", new_nip(), str(uuid.uuid4())) for _ in range(OPS // 2)]
    check_ins = [Op("check-in", nip, str(uuid.uuid4())) for nip in people]
    ops = [op for pair in itertools.zip_longest(registrations, check_ins) for op in pair if op]
    settled = 0
    third = asyncio.Event()
    gate = asyncio.Semaphore(CONCURRENCY)

    async def run(op: Op) -> None:
        nonlocal settled
        async with gate:
            if op.kind == "registration":
                body = employee_body(op.subject, unit)
                auth = gateway.auth(BKPSDM, "bkpsdm")
                await gateway.send(op, "POST", "/api/employees", body, auth)
            else:
                await gateway.send(
                    op, "POST", "/api/attendance/check-in", {}, gateway.auth(op.subject)
                )
        settled += 1
        if settled >= len(ops) // 3:
            third.set()

    async def inject() -> float:
        await third.wait()
        return await fault()

    fault_task = asyncio.create_task(inject())
    await asyncio.gather(*(run(op) for op in ops))
    return ops, await fault_task


async def read_model_effects(dsn: str, ops: Sequence[Op]) -> dict[Effect, int]:
    registered = [op.subject for op in ops if op.kind == "registration"]
    checked_in = [op.subject for op in ops if op.kind == "check-in"]
    conn = await asyncpg.connect(dsn)
    try:
        found: dict[Effect, int] = {}
        for nip, n in await conn.fetch(
            "SELECT h.nip, count(DISTINCT h.event_id) FROM readmodel.employee_history h "
            "JOIN readmodel.employee e ON e.nip = h.nip "
            "WHERE h.nip = ANY($1) AND h.event_type = $2 GROUP BY h.nip",
            registered,
            REGISTERED,
        ):
            found[("registration", nip)] = n
        for nip, n in await conn.fetch(
            "SELECT nip, count(*) FROM readmodel.attendance_day WHERE nip = ANY($1) "
            "AND checked_in_at IS NOT NULL GROUP BY nip",
            checked_in,
        ):
            found[("check-in", nip)] = n
        return found
    finally:
        await conn.close()


async def topic_events(bootstrap: str, ops: Sequence[Op]) -> dict[Effect, list[str]]:
    wanted = {(op.kind, op.subject) for op in ops}
    events: dict[Effect, list[str]] = defaultdict(list)
    for topic, kind, event_type in (
        ("pegawai.events", "registration", REGISTERED),
        ("presensi.events", "check-in", CHECKED_IN),
    ):
        for event in await readable_topic_events(bootstrap, topic):  # poison left out
            key = (kind, event.get("subject", ""))
            if event.get("type") == event_type and key in wanted:
                events[key].append(event["id"])
    return events


async def drill(
    suite: DrillSuite, gateway: Gateway, name: str, fault: Callable[[], Awaitable[float]]
) -> Row:
    say(f"== {name}: preparing")
    unit, people = await prepare(gateway, OPS - OPS // 2)
    say(f"{name}: {OPS} commands, fault after a third")
    ops, fault_end = await workload(gateway, unit, people, fault)
    dsn = suite.stack.postgres.dsn("gateway")
    acked = [op for op in ops if op.acknowledged]
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while True:
        applied = await read_model_effects(dsn, acked)
        if all(applied.get((op.kind, op.subject), 0) for op in acked):
            recover_s: float | None = max(0.0, time.monotonic() - fault_end)
            break
        if time.monotonic() > deadline:
            recover_s = None
            break
        await asyncio.sleep(0.5)
    found = Found(
        events=await topic_events(suite.stack.kafka.bootstrap, ops),
        read_model=await read_model_effects(dsn, ops),
    )
    row = tally(name, ops, found, recover_s)
    for op in ops:
        if not op.acknowledged:
            say(f"{name}: {op.kind} {op.subject} not acknowledged: {op.errors[-3:]}")
    return row


async def main() -> int:
    started = time.monotonic()
    with drill_suite() as suite:
        say(f"suite up in {time.monotonic() - started:.0f} s (gateway {suite.gateway_url})")
        gateway = Gateway(suite)
        try:
            rows = [
                await drill(
                    suite, gateway, "service killed (SIGKILL pegawai)", lambda: kill_service(suite)
                ),
                await drill(
                    suite, gateway, "broker killed, back after 20 s", lambda: broker_outage(suite)
                ),
                await drill(
                    suite, gateway, "PostgreSQL restarted (fast)", lambda: database_restart(suite)
                ),
                await drill(
                    suite,
                    gateway,
                    "projector killed (SIGKILL)",
                    lambda: kill_service(suite, "projector"),
                ),
                await drill(
                    suite, gateway, "relay exits after ack, before mark", lambda: relay_crash(suite)
                ),
                await drill(
                    suite,
                    gateway,
                    "Kafka +200 ms each way, 2 resets",
                    lambda: kafka_latency_and_resets(suite),
                ),
            ]
            poison = PoisonFault(suite)
            rows.append(await drill(suite, gateway, "poison on every topic", poison.inject))
            poison_ok = await poison.verify()
        finally:
            await gateway.http.aclose()
    print()
    print(table(rows))
    print(
        "\nlost: acknowledged without its event or read-model effect; dup: two effects of one "
        "command; resent: one event id repeated on a topic (absorbed by the consumers); "
        "recover: from the fault's end until the read model held every acknowledged effect."
    )
    if not poison_ok:
        print("poison: not every poison reached every reader's DLQ, or lag stayed above 0")
    return 0 if all(row.passed for row in rows) and poison_ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

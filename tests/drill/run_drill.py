"""`make drill` (issue 17): a bounded mixed workload through the gateway, one fault in the
middle of it, then every command checked in its service, on its topic and in every consumer.

Faults (each a drill on the same suite, one after another):
- a service (pegawai) killed with SIGKILL mid-workload; `make run`'s supervisor restarts it;
- the broker killed with SIGKILL mid-workload and started again 20 s later;
- PostgreSQL restarted (fast shutdown: open sessions cut) mid-workload;
- the gateway's projector killed with SIGKILL mid-batch; the supervisor restarts it;
- pegawai's relay exiting between Kafka's ack and marking its rows (a failpoint): a re-send;
- 200 ms each way and connection resets between the services and Kafka (tests/drill/tcp_proxy.py);
- poison on every event topic, which every reader must park in its dead-letter topic.

The workload (tests/drill/drill_workload.py, one entry per kind): registrations and promotions
(pegawai), check-ins and check-outs, leave requests and the supervisor's decisions
(presensi), SKP drafted, submitted and agreed, the annual appraisal opened, self-assessed,
submitted and finalized (kinerja), as one chain of steps per person, CONCURRENCY commands
at a time; every command carries an Idempotency-Key, and a 5xx, a 429 or no answer is
retried with the same key until it settles or RETRY_DEADLINE_S passes. Then, queried
directly: every 2xx must have exactly one effect in its service's own tables, exactly one
event on its topic (by event id; a re-sent id is counted and allowed) and exactly one effect
in each consumer (the gateway's read model; presensi's and kinerja's replica of the
employee; pegawai's of the finalized appraisal); a command not acknowledged may have one
effect, never two. Lost and duplicated must be 0. Not part of `make test` (minutes, its
own stack). DRILL_OPS=<n> sets the commands per fault (default 120).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import drill_workload as workload
import httpx
from drill_checks import RECOVER_LIMIT_S, TOPIC, Effect, Found, Op, Row, table, tally
from drill_suite import DrillSuite, drill_suite
from drill_workload import Context
from faults import kafka_latency_and_resets, relay_crash
from gateway_client import SETTLE_TIMEOUT_S, GatewayClient
from poison import PoisonFault
from poison import topic_events as readable_topic_events
from suite_commands import employee_body, every_day_schedule, unit_body

OPS = int(os.environ.get("DRILL_OPS", "120"))
CONCURRENCY = 4
RETRY_DEADLINE_S = 240.0
WIB = ZoneInfo("Asia/Jakarta")


def say(line: str) -> None:
    print(f"[drill] {line}", flush=True)


class Gateway(GatewayClient):
    """The drill's commands: each retried with its one Idempotency-Key until it settles."""

    def __init__(self, suite: DrillSuite) -> None:
        super().__init__(suite, timeout=15)

    async def send(self, op: Op, method: str, path: str, body: Any, auth: dict[str, str]) -> Any:
        """Until it settles: 2xx or 4xx (not 429); a 5xx, 429 or no answer is retried.
        Answers the body of a 2xx (a later step of the scenario needs its ids), else None."""
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
                        return None
                    return response.json() if response.content else {}
                op.errors.append(f"{response.status_code} {response.text[:120]}")
            if time.monotonic() > deadline:
                return None
            await asyncio.sleep(min(5.0, 0.25 * 2 ** min(op.attempts, 5)))


async def prepare(suite: DrillSuite, gateway: Gateway, nips: Sequence[str]) -> Context:
    """A unit whose every day is a working day, its head, and the people of the workload's
    scenarios reporting to them, known to presensi and kinerja (none of it counted)."""
    unit = f"opd-drill-{uuid.uuid4().hex[:6]}"
    await gateway.until("POST", "/api/units", {201}, unit_body(unit))
    today = datetime.now(UTC).astimezone(WIB).date()
    await gateway.until("PUT", f"/api/schedules/{unit}", {200, 201}, every_day_schedule(today))
    boss = workload.new_nip()
    await gateway.until("POST", "/api/employees", {201}, employee_body(boss, unit))
    for nip in nips:
        body = employee_body(nip, unit, boss)
        await gateway.until("POST", "/api/employees", {201}, body)
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while not await workload.replicas_know(suite.stack.postgres.dsn, [boss, *nips]):
        if time.monotonic() > deadline:
            raise RuntimeError("presensi or kinerja did not learn the drill's people")
        await asyncio.sleep(0.3)
    return Context(unit=unit, boss=boss, today=today)


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


async def run_workload(
    gateway: Gateway,
    ctx: Context,
    chains: Sequence[Sequence[Op]],
    fault: Callable[[], Awaitable[float]],
) -> tuple[float, float]:
    """Every scenario at once, CONCURRENCY commands in flight; the fault starts once a third
    of the commands settled. A step whose predecessor was not acknowledged is not sent.
    Answers when the fault ended and when the last command settled (monotonic clock)."""
    total = sum(len(chain) for chain in chains)
    settled = 0
    third = asyncio.Event()
    gate = asyncio.Semaphore(CONCURRENCY)

    def count(n: int) -> None:
        nonlocal settled
        settled += n
        if settled >= total // 3:
            third.set()

    async def run(chain: Sequence[Op]) -> None:
        for i, op in enumerate(chain):
            async with gate:
                req = workload.request(ctx, op)
                auth = gateway.auth(req.actor, *req.roles)
                answer = await gateway.send(op, req.method, req.path, req.body, auth)
            if answer is None:
                count(len(chain) - i)
                return
            ctx.answers[(op.kind, op.subject)] = answer
            count(1)

    async def inject() -> float:
        await third.wait()
        return await fault()

    fault_task = asyncio.create_task(inject())
    await asyncio.gather(*(run(chain) for chain in chains))
    last_answer = time.monotonic()
    return await fault_task, last_answer


async def topic_events(bootstrap: str, ops: Sequence[Op]) -> dict[Effect, list[str]]:
    wanted = {(op.kind, op.subject) for op in ops}
    kinds: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for topic, kind, event_type in workload.topics():
        kinds[topic].append((kind, event_type))
    events: dict[Effect, list[str]] = defaultdict(list)
    for topic, published in kinds.items():
        for event in await readable_topic_events(bootstrap, topic):  # poison left out
            for kind, event_type in published:
                key = (kind, event.get("subject", ""))
                if event.get("type") == event_type and key in wanted:
                    events[key].append(event["id"])
    return events


async def drill(
    suite: DrillSuite, gateway: Gateway, name: str, fault: Callable[[], Awaitable[float]]
) -> Row:
    say(f"== {name}: preparing")
    chains = workload.plan(OPS)
    ctx = await prepare(suite, gateway, workload.people(chains))
    say(f"{name}: {OPS} commands in {len(chains)} scenarios, fault after a third")
    fault_end, last_answer = await run_workload(gateway, ctx, chains, fault)
    # Recovery counts from the later of the fault's end and the last answer: commands sent
    # after the fault are the workload's time, not the suite's lag.
    since = max(fault_end, last_answer)
    say(f"{name}: the last command settled {last_answer - fault_end:+.1f} s after the fault")
    ops = [op for chain in chains for op in chain if op.attempts]
    acked = [op for op in ops if op.acknowledged]
    dsn = suite.stack.postgres.dsn
    expected = workload.expected_places()
    # Recovered once every table holds every acknowledged effect; the topics are read once,
    # after: an effect in a consumer came from its event.
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while True:
        now = Found({}, await workload.effects(dsn, acked), expected)
        if not any(set(now.missing(op)) - {TOPIC} for op in acked):
            recover_s: float | None = time.monotonic() - since
            break
        if time.monotonic() > deadline:
            recover_s = None
            break
        await asyncio.sleep(0.5)
    found = Found(
        events=await topic_events(suite.stack.kafka.bootstrap, ops),
        applied=await workload.effects(dsn, ops),
        expected=expected,
    )
    row = tally(name, ops, found, recover_s)
    for op in ops:
        wrong = {
            place: n
            for place, n in found.counts(op).items()
            if n > 1 or (op.acknowledged and n == 0)
        }
        if wrong:
            say(f"{name}: {op.kind} {op.subject} (answer {op.status}) counted {wrong}")
        if not op.acknowledged:
            say(f"{name}: {op.kind} {op.subject} not acknowledged: {op.errors[-3:]}")
    unsent = sum(len(chain) for chain in chains) - len(ops)
    if unsent:
        say(f"{name}: {unsent} later steps not sent (a step before them was not acknowledged)")
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
            await gateway.aclose()
    print()
    print(table(rows))
    print(
        "\nlost: acknowledged, yet missing on its topic, in its service's tables, in the read "
        "model or in a replica; dup: two effects of one command in one of those places; "
        "resent: one event id repeated on a topic (absorbed by the consumers); recover: from "
        "the fault's end (or the last answer, if later) until every consumer held every "
        f"acknowledged effect; a fault fails when that took over {RECOVER_LIMIT_S:.0f} s."
    )
    if not poison_ok:
        print("poison: not every poison reached every reader's DLQ, or lag stayed above 0")
    return 0 if all(row.passed for row in rows) and poison_ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

"""The drill's faults 5 and 6: the relay crashed between Kafka's ack and the mark, and
latency plus connection resets between the services and Kafka.

Each is a coroutine the workload starts after a third of its commands settled; it returns
the moment the fault ended (time.monotonic()), from which the drill measures recovery.
"""

from __future__ import annotations

import asyncio
import time

from drill_suite import RELAY_CRASH, DrillSuite
from servicekit.testing import read_topic_records

CRASH_TIMEOUT_S = 300.0
LATENCY_S = 0.2
"""Added to every chunk in each direction between a service and the broker (RTT +400 ms)."""
LATENCY_FOR_S = 20.0
RESETS_AT_S = (1.5, 4.0)
"""Seconds into the latency when every connection is cut (two rounds): early, while the
rest of the workload's commands are still coming in and their events still on the way."""


def say(line: str) -> None:
    print(f"[drill] {line}", flush=True)


async def relay_crash(suite: DrillSuite) -> float:
    """Arm pegawai's relay failpoint; its next batch acknowledged by Kafka ends the process
    before the rows are marked; the supervisor restarts it and the relay re-sends them."""
    child = suite.supervisor.children[RELAY_CRASH]
    old = child.pid
    assert old is not None, f"{RELAY_CRASH} is not running"
    armed = suite.relay_crash_file
    armed.touch()
    say(f"fault: {RELAY_CRASH}'s relay failpoint armed (pid {old}): exit after Kafka's ack")
    deadline = time.monotonic() + CRASH_TIMEOUT_S
    while not (child.pid not in (None, old) and child.ready):
        if time.monotonic() > deadline:
            armed.unlink(missing_ok=True)
            raise RuntimeError(f"{RELAY_CRASH}'s relay failpoint did not fire, or no restart")
        await asyncio.sleep(0.2)
    if armed.exists():
        raise RuntimeError(f"{RELAY_CRASH} restarted, but not by its failpoint")
    say(f"fault over: the failpoint fired; {RELAY_CRASH} is back (pid {child.pid})")
    return time.monotonic()


async def kafka_latency_and_resets(suite: DrillSuite) -> float:
    """200 ms each way between every service and the broker for 20 s, with every
    connection reset twice in that time; the services must keep answering."""
    proxy = suite.proxy
    say(
        f"fault: +{LATENCY_S * 1000:.0f} ms each way between the services and Kafka for "
        f"{LATENCY_FOR_S:.0f} s; every connection reset at {RESETS_AT_S} s"
    )
    started, started_wall = time.monotonic(), time.time()
    proxy.set_latency(LATENCY_S, LATENCY_S)
    try:
        for at in RESETS_AT_S:
            await asyncio.sleep(max(0.0, started + at - time.monotonic()))  # the fault's plan
            cut = await asyncio.to_thread(proxy.reset_all)
            say(f"fault: {cut} connections to Kafka reset (RST)")
        await asyncio.sleep(max(0.0, started + LATENCY_FOR_S - time.monotonic()))
    finally:
        proxy.set_latency()
    ended, ended_wall = time.monotonic(), time.time()
    during = await events_created_between(suite, started_wall, ended_wall)
    say(
        f"fault over: latency off ({proxy.resets} connections reset in all; "
        f"{during} events published through the slowed proxy meanwhile)"
    )
    return ended


async def events_created_between(suite: DrillSuite, start: float, end: float) -> int:
    """Records on every topic that their producer made between two wall-clock times.

    The services' relays reach Kafka only through the proxy, so these passed its latency
    (and the resets, if made after them): read afterwards on the broker's direct listener
    by their CreateTime, since counting offsets during the fault would open clients on the
    drill's busy loop and miss the start."""
    bootstrap = suite.stack.kafka.bootstrap
    created = 0
    for topic in suite.stack.config.topics:
        for record in await read_topic_records(bootstrap, topic):
            created += start * 1000 <= record.timestamp <= end * 1000
    return created

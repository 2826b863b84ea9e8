"""The drill's faults 5 and 6: the relay crashed between Kafka's ack and the mark, and
latency plus connection resets between the services and Kafka.

Each is a coroutine the workload starts after a third of its commands settled; it returns
the moment the fault ended (time.monotonic()), from which the drill measures recovery.
"""

from __future__ import annotations

import asyncio
import time

from drill_suite import RELAY_CRASH, DrillSuite

CRASH_TIMEOUT_S = 300.0
LATENCY_S = 0.2
"""Added to every chunk in each direction between a service and the broker (RTT +400 ms)."""
LATENCY_FOR_S = 20.0
RESETS_AT_S = (5.0, 12.0)
"""Seconds into the latency when every connection is cut (two rounds)."""


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
    started = time.monotonic()
    proxy.set_latency(LATENCY_S, LATENCY_S)
    try:
        for at in RESETS_AT_S:
            await asyncio.sleep(max(0.0, started + at - time.monotonic()))  # the fault's plan
            cut = await asyncio.to_thread(proxy.reset_all)
            say(f"fault: {cut} connections to Kafka reset (RST)")
        await asyncio.sleep(max(0.0, started + LATENCY_FOR_S - time.monotonic()))
    finally:
        proxy.set_latency()
    say(f"fault over: latency off ({proxy.resets} connections reset in all)")
    return time.monotonic()

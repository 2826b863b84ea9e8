"""`uv run python -m bench.firstrun`: how long a first `make run` takes with the demo.

The same start as `make run` (devstack: the stack, then every service of services.toml,
each seed after its service answers, in the file's order), but on free ports and in a
fresh state folder, so it never meets a running `make run` or a test. Prints the time of
the stack, of each service's seed, until `make run` would print its URLs ("ready"), and
until every outbox is published and the gateway's read model has caught up.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import asyncpg
from devstack import StackConfig, free_port
from devstack.services import ServiceProcesses, ServiceSpec, load_services
from devstack.stack import Stack


class TimedProcesses(ServiceProcesses):
    """Runs each seed as `start()` does, timing it (wall clock and the seed process's own
    CPU) and printing its summary log line ("... loaded")."""

    def _seed(self, spec: ServiceSpec, public_key: Path) -> None:
        began, cpu = time.monotonic(), _children_cpu()
        result = subprocess.run(
            [sys.executable, "-m", str(spec.seed)],
            env=self.env_for(spec, public_key),
            capture_output=True,
            text=True,
            check=False,
        )
        wall, used = time.monotonic() - began, _children_cpu() - cpu
        print(f"seed {spec.name:<10} {wall:6.1f} s (its CPU {used:5.1f} s)", flush=True)
        for line in result.stdout.splitlines() + result.stderr.splitlines():
            if "loaded" in line or result.returncode != 0:
                print(f"    {line[:600]}", flush=True)


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


def _lag(gateway_port: int) -> float:
    with urllib.request.urlopen(f"http://127.0.0.1:{gateway_port}/metrics", timeout=5) as r:
        body = r.read().decode()
    lines = re.findall(r"^gateway_readmodel_lag_events\{[^}]*\} (\S+)$", body, re.MULTILINE)
    return sum(float(v) for v in lines) if lines else float("inf")


async def _unpublished(config: StackConfig, databases: list[str]) -> int:
    total = 0
    for name in databases:
        conn = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{config.pg_port}/{name}")
        try:
            total += await conn.fetchval("SELECT count(*) FROM outbox WHERE NOT published")
        finally:
            await conn.close()
    return total


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="firstrun-") as folder:
        config = StackConfig.for_tests(Path(folder))
        stack = Stack(config)
        taken = {config.kafka_port, config.controller_port, config.pg_port}
        specs = []
        for spec in load_services():
            port = free_port(taken)
            taken.add(port)
            specs.append(replace(spec, port=port))
        processes = TimedProcesses(config, specs)
        began = time.monotonic()
        try:
            stack.start()
            stacked = time.monotonic()
            processes.start(seed=True, timeout=180)
            ready = time.monotonic()
            gateway = next(s for s in specs if s.name == "gateway")
            databases = sorted({s.database for s in specs if s.built and s.name != "projector"})
            while True:
                pending = asyncio.run(_unpublished(config, databases))
                if pending == 0 and _lag(gateway.port) == 0:
                    break
                time.sleep(2)
            settled = time.monotonic()
        finally:
            processes.stop()
            stack.destroy()
    print(f"stack up            {stacked - began:6.1f} s")
    print(f"load average         {os.getloadavg()[0]:5.1f} (2 cores)")
    print(f"ready (URLs shown)  {ready - began:6.1f} s")
    print(f"read model caught up {settled - began:5.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

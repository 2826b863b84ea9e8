"""The benchmark's own stack and the service process under test.

Its own stack (free ports, `.stack-bench/checkin-*`, git-ignored, destroyed at the end)
so a run neither disturbs `make run`'s suite nor is disturbed by it. The service runs
exactly as `make run` starts it: `python -m presensi` (migrate, then one uvicorn worker)
with ASN_* variables from devstack; only its port and signing key are the benchmark's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from devstack import Stack, StackConfig, free_port
from devstack.processes import StackError, pid_alive, spawn_detached, tail, terminate, wait_until
from devstack.services import ServiceSpec, service_env
from servicekit.devkeys import ensure_dev_keys

REPO_ROOT = Path(__file__).resolve().parents[2]
STATE_BASE = REPO_ROOT / ".stack-bench"
DATABASE = "presensi"
TOPICS = {"presensi.events": 6, "pegawai.events": 6}
"""As deploy/local/topics.toml: what the service publishes to and consumes from."""


@contextmanager
def bench_stack() -> Iterator[Stack]:
    """A started stack with only presensi's database and topics; destroyed after."""
    STATE_BASE.mkdir(exist_ok=True)
    state_dir = Path(tempfile.mkdtemp(prefix="checkin-", dir=STATE_BASE))
    config = dataclasses.replace(
        StackConfig.for_tests(state_dir), databases=(DATABASE,), topics=TOPICS
    )
    stack = Stack(config)
    try:
        stack.kafka.fetch()
        stack.start()
        stack.postgres.create_databases([DATABASE])
        stack.kafka.create_topics(TOPICS)
        yield stack
    finally:
        stack.destroy()
        with contextlib.suppress(OSError):  # another run's folder keeps it
            STATE_BASE.rmdir()


def dev_keys(stack: Stack) -> tuple[Path, Path]:
    """A signing pair of this run only (the services verify with its public half)."""
    return ensure_dev_keys(stack.config.state_dir / "dev-keys")


@dataclass
class ServiceProcess:
    """One HTTP server process (`python -m <module>`), started and stopped by the bench."""

    name: str
    pid: int
    port: int
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if pid_alive(self.pid):
            terminate(self.pid, grace=20.0)


def start_service(
    stack: Stack,
    module: str,
    *,
    name: str,
    extra_env: Mapping[str, str] | None = None,
    timeout_s: float = 90.0,
) -> ServiceProcess:
    """Start `python -m <module>` with presensi's ASN_* settings; wait for /health/live."""
    port = free_port()
    spec = ServiceSpec(name="presensi", module=module, port=port, database=DATABASE)
    _, public_key = dev_keys(stack)
    env = service_env(spec, stack.config, public_key, _base_env())
    env.update(extra_env or {})
    log = stack.config.state_dir / "services" / f"{name}.log"
    pid = spawn_detached([sys.executable, "-m", module], output=log, cwd=REPO_ROOT, env=env)
    process = ServiceProcess(name=name, pid=pid, port=port, log=log)
    try:
        _wait_live(process, timeout_s)
    except BaseException:
        process.stop()
        raise
    return process


def _base_env() -> dict[str, str]:
    # A developer's own ASN_* (ports, URLs, topics) must not leak into the service under test.
    return {k: v for k, v in os.environ.items() if not k.startswith("ASN_")}


def _wait_live(process: ServiceProcess, timeout_s: float) -> None:
    url = f"{process.base_url}/health/live"

    def answers() -> bool:
        if not pid_alive(process.pid):
            raise StackError(f"{process.name} exited during start-up:\n{tail(process.log, 20)}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 -- loopback
                return bool(response.status == 200)
        except OSError:
            return False

    wait_until(answers, timeout=timeout_s, interval=0.2, what=f"{process.name} on {url}")


@contextmanager
def running(
    stack: Stack, module: str, *, name: str, extra_env: Mapping[str, str] | None = None
) -> Iterator[ServiceProcess]:
    started = time.perf_counter()
    process = start_service(stack, module, name=name, extra_env=extra_env)
    print(
        f"[bench.checkin] {name} up on :{process.port} in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    try:
        yield process
    finally:
        process.stop()

"""The benchmark's own stack and the two service processes under test.

Its own stack on free ports in `.stack-bench/gateway-*` (git-ignored, destroyed at the
end), so a run neither disturbs `make run`'s suite nor is disturbed by it. presensi and
the gateway run as `make run` and the e2e suite start them: devstack's ServiceProcesses,
`python -m presensi|gateway` (migrate, then one uvicorn worker each), ASN_* from devstack.
"""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from devstack import Stack, StackConfig, free_port
from devstack.config import load_topics
from devstack.processes import read_pid
from devstack.services import DEV_KEYS_DIR, ServiceProcesses, ServiceSpec, load_services
from servicekit.devkeys import ensure_dev_keys

REPO_ROOT = Path(__file__).resolve().parents[2]
STATE_BASE = REPO_ROOT / ".stack-bench"
GATEWAY_DB = "gateway"
PRESENSI_DB = "presensi"
ANCHOR_DB = "presensi_anchor"
"""A second presensi database for pgbench's check-in transactions: its outbox rows must
not reach the relay, the topic and the read model."""
GATEWAY_GROUP = "gateway-bench"
RUN = ("presensi", "gateway", "projector")


def suite_topics() -> dict[str, int]:
    """Every topic of deploy/local/topics.toml, as `make run` has them: the gateway
    subscribes to each source service's topic, and a missing one stalls its group."""
    return load_topics()


def absent_services() -> list[str]:
    """Services the gateway knows but this benchmark does not run (services.toml)."""
    return [spec.name for spec in load_services() if spec.name not in RUN]


@contextmanager
def bench_stack() -> Iterator[Stack]:
    """A started stack with the benchmark's databases and topics; destroyed after."""
    STATE_BASE.mkdir(exist_ok=True)
    state_dir = Path(tempfile.mkdtemp(prefix="gateway-", dir=STATE_BASE))
    databases = (GATEWAY_DB, PRESENSI_DB, ANCHOR_DB)
    config = dataclasses.replace(
        StackConfig.for_tests(state_dir), databases=databases, topics=suite_topics()
    )
    stack = Stack(config)
    try:
        stack.kafka.fetch()
        stack.start()
        stack.postgres.create_databases(list(databases))
        stack.kafka.create_topics(config.topics)
        yield stack
    finally:
        stack.destroy()
        with contextlib.suppress(OSError):  # another run's folder keeps it
            STATE_BASE.rmdir()


@dataclass(frozen=True)
class Suite:
    """The running services: where they answer and how to sign their tokens."""

    gateway_port: int
    presensi_port: int
    private_key: Path
    logs: dict[str, Path]
    pids: dict[str, int | None]
    absent_url: str


def _extra_env(
    absent_url: str, presensi_url: str, group: str = GATEWAY_GROUP
) -> Callable[[ServiceSpec], Mapping[str, str]]:
    def env(spec: ServiceSpec) -> Mapping[str, str]:
        # Database and broker addresses come from the stack's config (devstack's
        # service_env); topics are the services' defaults, as topics.toml names them.
        if spec.name not in ("gateway", "projector"):
            return {}
        absent = {f"ASN_{name.upper()}_URL": absent_url for name in absent_services()}
        return {
            **absent,
            "ASN_PRESENSI_URL": presensi_url,
            "ASN_CONSUMER_GROUP": group,  # the projector's, and the gateway's lag monitor's
        }

    return env


@contextmanager
def running_suite(stack: Stack) -> Iterator[Suite]:
    """presensi, the gateway and its projector, each `python -m <module>` on a free port
    with services.toml's settings; stopped after.

    Settings are the services' defaults (log level, pools, relay) apart from addresses,
    topics and the consumer group: what `make run` runs.
    """
    taken: set[int] = set()
    ports = {}
    for name in (*RUN, "absent"):
        ports[name] = free_port(taken)
        taken.add(ports[name])
    listed = {spec.name: spec for spec in load_services()}
    databases = {"presensi": PRESENSI_DB, "gateway": GATEWAY_DB}
    specs = [
        ServiceSpec(
            name,
            listed[name].module,
            ports[name],
            databases[listed[name].database],
            env=listed[name].env,
        )
        for name in RUN
    ]
    absent_url = f"http://127.0.0.1:{ports['absent']}"
    presensi_url = f"http://127.0.0.1:{ports['presensi']}"
    processes = ServiceProcesses(
        stack.config, specs, extra_env=_extra_env(absent_url, presensi_url)
    )
    # ServiceProcesses signs with the repository's dev key pair (git-ignored), as `make run`.
    private_key, _ = ensure_dev_keys(DEV_KEYS_DIR)
    started = time.perf_counter()
    try:
        processes.start(seed=False, timeout=180)
        print(
            f"[bench.gateway] presensi :{ports['presensi']} and gateway :{ports['gateway']} "
            f"up in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        yield Suite(
            gateway_port=ports["gateway"],
            presensi_port=ports["presensi"],
            private_key=private_key,
            logs={spec.name: processes.log_file(spec) for spec in specs},
            pids={spec.name: _pid(stack, spec.name) for spec in specs},
            absent_url=absent_url,
        )
    finally:
        processes.stop()


def _pid(stack: Stack, name: str) -> int | None:
    return read_pid(stack.config.state_dir / "services" / f"{name}.pid")

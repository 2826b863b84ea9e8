"""The drill's own stack and suite: Kafka and PostgreSQL on free ports in `.stack-drill/`,
pegawai, presensi, the gateway and its projector as `make run` runs them — under `make
run`'s supervisor, so a killed process comes back as it would for a city."""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from devstack import Stack, StackConfig, free_port
from devstack.config import REPO_ROOT, load_topics
from devstack.services import ServiceProcesses, ServiceSpec, load_services
from devstack.supervisor import Supervisor

STATE_BASE = REPO_ROOT / ".stack-drill"
RUN = ("pegawai", "presensi", "gateway", "projector")


@dataclass
class DrillSuite:
    stack: Stack
    processes: ServiceProcesses
    supervisor: Supervisor

    def port(self, name: str) -> int:
        return next(s.port for s in self.processes.specs if s.name == name)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.port('gateway')}"


@contextlib.contextmanager
def drill_suite(services: Sequence[str] = RUN) -> Iterator[DrillSuite]:
    """`services`: which of services.toml run (`make soak` adds kinerja)."""
    STATE_BASE.mkdir(exist_ok=True)
    state_dir = Path(tempfile.mkdtemp(prefix="drill-", dir=STATE_BASE))
    config = dataclasses.replace(StackConfig.for_tests(state_dir), topics=load_topics())
    stack = Stack(config)
    stop = threading.Event()
    watcher: threading.Thread | None = None
    supervisor: Supervisor | None = None
    try:
        stack.kafka.fetch()
        stack.start()
        taken: set[int] = {config.kafka_port, config.controller_port, config.pg_port}
        specs = []
        for spec in load_services():
            port = free_port(taken)
            taken.add(port)
            specs.append(dataclasses.replace(spec, port=port))
        processes = ServiceProcesses(config, specs, only=tuple(services), extra_env=_env)
        supervisor = Supervisor(processes)
        supervisor.start(seed=False, stop=stop)
        watcher = threading.Thread(target=supervisor.run, args=(stop, 0.25), daemon=True)
        watcher.start()
        yield DrillSuite(stack, processes, supervisor)
    finally:
        stop.set()
        if watcher is not None:
            watcher.join(timeout=30)
        if supervisor is not None:
            supervisor.stop_all()
        stack.destroy()
        with contextlib.suppress(OSError):  # another run's folder keeps it
            STATE_BASE.rmdir()


def _env(spec: ServiceSpec) -> dict[str, str]:
    # The relay's fallback poll a little quicker than the default, so recovery after the
    # broker returns is measured on the wake-up path, not on a 2 s timer.
    return {"ASN_ENVIRONMENT": "dev", "ASN_RELAY_POLL_INTERVAL_S": "0.5"}

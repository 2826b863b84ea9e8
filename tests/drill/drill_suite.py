"""The drill's own stack and suite: Kafka and PostgreSQL on free ports in `.stack-drill/`,
pegawai, presensi, kinerja, the gateway and its projector (or the processes `run` names) as
`make run` runs them — under `make run`'s supervisor, so a killed process comes back as it
would for a city.

The services reach Kafka through the drill's TCP proxy (a listener of the broker that
advertises the proxy's port), so a drill can slow or cut their connections; the drill's own
checks read the broker directly. pegawai's relay has its failpoint set, armed only while
`relay_crash_file` exists (servicekit.failpoints): one crash per file the drill creates."""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from devstack import Stack, StackConfig, free_port
from devstack.config import REPO_ROOT, load_topics
from devstack.services import ServiceProcesses, ServiceSpec, load_services
from devstack.supervisor import Supervisor
from tcp_proxy import TcpProxy

STATE_BASE = REPO_ROOT / ".stack-drill"
RUN = ("pegawai", "presensi", "kinerja", "gateway", "projector")
RELAY_CRASH = "pegawai"
"""The service whose relay the drill can crash between Kafka's ack and the mark."""
EVERY_PROCESS = ("pegawai", "kinerja", "pelatihan", "presensi", "aspirasi", "gateway", "projector")


@dataclass
class DrillSuite:
    stack: Stack
    processes: ServiceProcesses
    supervisor: Supervisor
    proxy: TcpProxy
    """Between the services and Kafka: latency and resets (tcp_proxy)."""

    def port(self, name: str) -> int:
        return next(s.port for s in self.processes.specs if s.name == name)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.port('gateway')}"

    @property
    def relay_crash_file(self) -> Path:
        return relay_crash_file(self.stack.config.state_dir)


def relay_crash_file(state_dir: Path) -> Path:
    return state_dir / f"failpoint-relay-crash.{RELAY_CRASH}"


@contextlib.contextmanager
def drill_suite(
    run: Sequence[str] = RUN, env: Mapping[str, str] | None = None
) -> Iterator[DrillSuite]:
    """The stack and the processes `run` names, each with `env` besides the drill's settings."""
    STATE_BASE.mkdir(exist_ok=True)
    state_dir = Path(tempfile.mkdtemp(prefix="drill-", dir=STATE_BASE))
    config = StackConfig.for_tests(state_dir)
    taken: set[int] = {config.kafka_port, config.controller_port, config.pg_port}
    proxied = free_port(taken)
    taken.add(proxied)
    proxy_port = free_port(taken)
    taken.add(proxy_port)
    config = dataclasses.replace(
        config, topics=load_topics(), kafka_proxied_port=proxied, kafka_proxy_port=proxy_port
    )
    stack = Stack(config)
    proxy = TcpProxy(("127.0.0.1", proxied), port=proxy_port)
    stop = threading.Event()
    watcher: threading.Thread | None = None
    supervisor: Supervisor | None = None
    try:
        stack.kafka.fetch()
        stack.start()
        proxy.start()
        specs = []
        for spec in load_services():
            port = free_port(taken)
            taken.add(port)
            specs.append(dataclasses.replace(spec, port=port))
        processes = ServiceProcesses(
            config,
            specs,
            only=tuple(run),
            extra_env=lambda spec: {**_env(spec, state_dir), **(env or {})},
        )
        supervisor = Supervisor(processes)
        supervisor.start(seed=False, stop=stop)
        watcher = threading.Thread(target=supervisor.run, args=(stop, 0.25), daemon=True)
        watcher.start()
        yield DrillSuite(stack, processes, supervisor, proxy)
    finally:
        stop.set()
        if watcher is not None:
            watcher.join(timeout=30)
        if supervisor is not None:
            supervisor.stop_all()
        proxy.stop()
        stack.destroy()
        with contextlib.suppress(OSError):  # another run's folder keeps it
            STATE_BASE.rmdir()


def _env(spec: ServiceSpec, state_dir: Path) -> dict[str, str]:
    # The relay's fallback poll a little quicker than the default, so recovery after the
    # broker returns is measured on the wake-up path, not on a 2 s timer.
    env = {"ASN_ENVIRONMENT": "dev", "ASN_RELAY_POLL_INTERVAL_S": "0.5"}
    if spec.name == RELAY_CRASH:
        # Set at every spawn but armed only by the file: the drill creates it, the
        # failpoint deletes it as it fires, and the restarted process runs clean.
        env["ASN_FAILPOINT_RELAY_CRASH_AFTER_SEND"] = "1"
        env["ASN_FAILPOINT_RELAY_CRASH_FILE"] = str(relay_crash_file(state_dir))
    return env

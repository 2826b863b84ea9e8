"""The suite's service processes on top of the stack: `make run` and `make stop` call this.

Each service runs as `python -m <module>` with its settings in ASN_* variables, the
same entry point a container would use; pid files and logs live in the state folder.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tomllib
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from devstack.config import LOCAL_DIR, REPO_ROOT, StackConfig
from devstack.processes import (
    StackError,
    pid_alive,
    port_in_use,
    read_pid,
    spawn_detached,
    tail,
    terminate,
    wait_until,
)

SERVICES_FILE = LOCAL_DIR / "services.toml"
DEV_KEYS_DIR = REPO_ROOT / ".dev-keys"


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    module: str
    port: int
    database: str
    seed: str | None = None
    env: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Settings of this process that differ from the defaults (services.toml `env`)."""

    @property
    def built(self) -> bool:
        """Whether the service's package exists yet (services join as their issues land)."""
        return _module_exists(f"{self.module}.__main__")


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def load_services(path: Path = SERVICES_FILE) -> list[ServiceSpec]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    specs = []
    for name, entry in data.get("services", {}).items():
        port = int(os.environ.get(f"ASN_{name.upper()}_PORT", entry["port"]))
        specs.append(
            ServiceSpec(
                name,
                entry["module"],
                port,
                entry["database"],
                entry.get("seed"),
                {k: str(v) for k, v in entry.get("env", {}).items()},
            )
        )
    return specs


def service_urls(specs: Sequence[ServiceSpec]) -> dict[str, str]:
    """ASN_<NAME>_URL of every service: how the gateway finds them when ports are overridden."""
    return {f"ASN_{s.name.upper()}_URL": f"http://127.0.0.1:{s.port}" for s in specs}


ExtraEnv = Callable[[ServiceSpec], Mapping[str, str]]


def service_env(
    spec: ServiceSpec,
    config: StackConfig,
    public_key: Path,
    base: Mapping[str, str],
    urls: Mapping[str, str] | None = None,
) -> dict[str, str]:
    env = dict(base)
    env.update(urls or {})
    env.update(spec.env)
    env.update(
        {
            "ASN_SERVICE_NAME": spec.name,
            "ASN_ENVIRONMENT": env.get("ASN_ENVIRONMENT", "dev"),
            "ASN_PORT": str(spec.port),
            "ASN_DATABASE_URL": (
                f"postgresql+asyncpg://postgres@127.0.0.1:{config.pg_port}/{spec.database}"
            ),
            "ASN_KAFKA_BOOTSTRAP": f"127.0.0.1:{config.kafka_port}",
            "ASN_JWT_PUBLIC_KEY_FILE": str(public_key),
            "ASN_DEV_KEYS_DIR": str(public_key.parent),
        }
    )
    return env


class ServiceProcesses:
    def __init__(
        self,
        config: StackConfig,
        specs: Sequence[ServiceSpec] | None = None,
        *,
        extra_env: ExtraEnv | None = None,
    ) -> None:
        """`extra_env` adds (or overrides) variables per service, e.g. for the e2e tests."""
        self.config = config
        self.specs = list(specs) if specs is not None else load_services()
        self._extra_env = extra_env
        self._dir = config.state_dir / "services"

    def env_for(self, spec: ServiceSpec, public_key: Path) -> dict[str, str]:
        env = service_env(spec, self.config, public_key, os.environ, service_urls(self.specs))
        if self._extra_env is not None:
            env.update(self._extra_env(spec))
        return env

    def _pid_file(self, spec: ServiceSpec) -> Path:
        return self._dir / f"{spec.name}.pid"

    def log_file(self, spec: ServiceSpec) -> Path:
        return self._dir / f"{spec.name}.log"

    def running(self, spec: ServiceSpec) -> bool:
        pid = read_pid(self._pid_file(spec))
        return pid is not None and pid_alive(pid)

    def start(self, *, seed: bool = True, timeout: float = 90.0) -> list[ServiceSpec]:
        """Start every built service that isn't running; wait until each answers."""
        from servicekit.devkeys import ensure_dev_keys  # the dev IdP's key pair

        _, public_key = ensure_dev_keys(DEV_KEYS_DIR)
        started = []
        for spec in (s for s in self.specs if s.built):
            if self.running(spec):
                continue
            if port_in_use(spec.port):
                raise StackError(
                    f"port {spec.port} for {spec.name} is taken: "
                    f"set ASN_{spec.name.upper()}_PORT to a free one"
                )
            env = self.env_for(spec, public_key)
            pid = spawn_detached(
                [sys.executable, "-m", spec.module],
                output=self.log_file(spec),
                cwd=REPO_ROOT,
                env=env,
            )
            self._pid_file(spec).write_text(f"{pid}\n")
            started.append(spec)
        for spec in started:
            self._wait_ready(spec, timeout)
            if seed and spec.seed and _module_exists(spec.seed):
                self._seed(spec, public_key)
        return started

    def stop(self) -> None:
        for spec in self.specs:
            pid = read_pid(self._pid_file(spec))
            if pid is not None and pid_alive(pid):
                terminate(pid, grace=20.0)
            self._pid_file(spec).unlink(missing_ok=True)

    def _wait_ready(self, spec: ServiceSpec, timeout: float) -> None:
        url = f"http://127.0.0.1:{spec.port}/health/live"

        def answers() -> bool:
            if not self.running(spec):
                raise StackError(
                    f"{spec.name} exited during start-up; its log "
                    f"({self.log_file(spec)}) ends with:\n{tail(self.log_file(spec), 15)}"
                )
            try:
                with urllib.request.urlopen(url, timeout=1) as response:
                    return bool(response.status == 200)
            except OSError:
                return False

        wait_until(answers, timeout=timeout, interval=0.3, what=f"{spec.name} on {url}")

    def _seed(self, spec: ServiceSpec, public_key: Path) -> None:
        import subprocess

        env = self.env_for(spec, public_key)
        result = subprocess.run(
            [sys.executable, "-m", str(spec.seed)],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise StackError(f"demo data for {spec.name} failed:\n{result.stderr[-2000:]}")


def _shown(path: Path) -> Path:
    """Short when the state lives in the checkout; ASN_STACK_DIR may put it anywhere else."""
    return path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path


def _summary(processes: ServiceProcesses) -> str:
    gateway = next((s for s in processes.specs if s.name == "gateway"), None)
    lines = ["", "Sawahlunto ASN Suite is up:"]
    for spec in processes.specs:
        if not spec.built:
            lines.append(f"  {spec.name:<10} not built yet")
        elif processes.running(spec):
            lines.append(
                f"  {spec.name:<10} http://127.0.0.1:{spec.port}/docs"
                f"   (log: {_shown(processes.log_file(spec))})"
            )
    lines += [
        f"  kafka      127.0.0.1:{processes.config.kafka_port}",
        f"  postgres   postgresql://postgres@127.0.0.1:{processes.config.pg_port}/<service>",
        "",
        "A dev token (BKPSDM): make token NIP=198503152010011001 ROLES=bkpsdm UNIT=bkpsdm",
        *(
            [
                f"  or from the gateway: curl -s -X POST http://127.0.0.1:{gateway.port}"
                "/auth/dev-token -H 'content-type: application/json' "
                """-d '{"nip": "198503152010011001", "roles": ["bkpsdm"]}'""",
            ]
            if gateway is not None and processes.running(gateway)
            else []
        ),
        "Stop everything:      make stop",
    ]
    return "\n".join(lines)


def _wait_for_interrupt(processes: ServiceProcesses) -> None:
    """Foreground `make run`: Ctrl-C (or SIGTERM) takes the services and the stack down."""
    import signal
    import threading

    from devstack.stack import Stack

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    print("Ctrl-C stops everything (data is kept for the next `make run`).", flush=True)
    while not stop.wait(2.0):
        for spec in processes.specs:
            if spec.built and not processes.running(spec):
                print(f"devstack: {spec.name} exited; see {processes.log_file(spec)}", flush=True)
                stop.set()
    print("\nstopping services and the stack ...", flush=True)
    processes.stop()
    Stack(processes.config).stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="devstack.services")
    parser.add_argument(
        "command",
        choices=["run", "start", "stop", "status"],
        help="run: start, then stay in the foreground until Ctrl-C, which stops everything",
    )
    parser.add_argument("--no-seed", action="store_true", help="skip the demo data")
    args = parser.parse_args(argv)
    try:
        processes = ServiceProcesses(StackConfig.from_env())
        if args.command in ("start", "run"):
            processes.start(seed=not args.no_seed)
            print(_summary(processes), flush=True)
            if args.command == "run":
                _wait_for_interrupt(processes)
        elif args.command == "stop":
            processes.stop()
        else:
            print(_summary(processes))
    except StackError as exc:
        print(f"devstack: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The suite's service processes on top of the stack: `make run` and `make stop` call this.

Each service runs as `python -m <module>` with its settings in ASN_* variables, the
same entry point a container would use; pid files and logs live in the state folder.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import sys
import tomllib
import urllib.request
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from http.client import HTTPException
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


def load_services(path: Path | None = None) -> list[ServiceSpec]:
    """services.toml, or the file ASN_SERVICES_FILE names (a machine's own list of processes;
    the supervisor's tests give it stand-in services)."""
    path = path or Path(os.environ.get("ASN_SERVICES_FILE") or SERVICES_FILE)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise StackError(f"services list {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise StackError(f"{path}: {exc}") from None
    specs = []
    for name, entry in data.get("services", {}).items():
        port = int(os.environ.get(f"ASN_{name.upper()}_PORT", entry["port"]))
        # A department's own server may name the database otherwise (`presensi_dinkes`).
        database = os.environ.get(f"ASN_{name.upper()}_DATABASE") or entry["database"]
        specs.append(
            ServiceSpec(
                name,
                entry["module"],
                port,
                database,
                entry.get("seed"),
                {k: str(v) for k, v in entry.get("env", {}).items()},
            )
        )
    return specs


def select(specs: Sequence[ServiceSpec], names: Collection[str]) -> list[ServiceSpec]:
    """The named services, in services.toml's order; a name that isn't one is an error."""
    known = {spec.name: spec for spec in specs}
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise StackError(f"no service named {', '.join(unknown)}; the services: {', '.join(known)}")
    unbuilt = sorted(name for name in names if not known[name].built)
    if unbuilt:
        raise StackError(f"not built yet: {', '.join(unbuilt)}")
    return [spec for spec in specs if spec.name in names]


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
            "ASN_DATABASE_URL": config.database_url(spec.database),
            "ASN_KAFKA_BOOTSTRAP": config.kafka_bootstrap,
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
        only: Collection[str] | None = None,
    ) -> None:
        """`extra_env` adds (or overrides) variables per service, e.g. for the e2e tests;
        `only` names the services to run (`make run ONLY=presensi,gateway`)."""
        self.config = config
        every = list(specs) if specs is not None else load_services()
        self._urls = service_urls(every)  # a gateway run alone still finds the others
        self.specs = select(every, only) if only else every
        self._extra_env = extra_env
        self._dir = config.state_dir / "services"

    def env_for(self, spec: ServiceSpec, public_key: Path) -> dict[str, str]:
        env = service_env(spec, self.config, public_key, os.environ, self._urls)
        if self._extra_env is not None:
            env.update(self._extra_env(spec))
        if env.get("ASN_JWT_JWKS_URL"):
            # Pointed at an identity provider: trust its keys, not the dev pair (servicekit
            # prefers a key file when both are set).
            env.pop("ASN_JWT_PUBLIC_KEY_FILE", None)
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
        public_key = self.public_key()
        started = []
        for spec in (s for s in self.specs if s.built):
            if self.running(spec):
                continue
            if port_in_use(spec.port):
                raise StackError(
                    f"port {spec.port} for {spec.name} is taken: "
                    f"set ASN_{spec.name.upper()}_PORT to a free one"
                )
            self.spawn(spec, public_key)
            started.append(spec)
        for spec in started:
            self._wait_ready(spec, timeout)
            if seed:
                self.seed(spec, public_key)
        return started

    @staticmethod
    def public_key() -> Path:
        """The dev IdP's public key, made on first use (the services verify tokens with it)."""
        from servicekit.devkeys import ensure_dev_keys

        return ensure_dev_keys(DEV_KEYS_DIR)[1]

    def spawn(self, spec: ServiceSpec, public_key: Path) -> int:
        """Start one service's process in its own session; its pid goes to its pid file."""
        pid = spawn_detached(
            [sys.executable, "-m", spec.module],
            output=self.log_file(spec),
            cwd=REPO_ROOT,
            env=self.env_for(spec, public_key),
        )
        self._pid_file(spec).parent.mkdir(parents=True, exist_ok=True)
        self._pid_file(spec).write_text(f"{pid}\n")
        return pid

    def pid(self, spec: ServiceSpec) -> int | None:
        pid = read_pid(self._pid_file(spec))
        return pid if pid is not None and pid_alive(pid) else None

    def forget(self, spec: ServiceSpec) -> None:
        self._pid_file(spec).unlink(missing_ok=True)

    def answers(self, spec: ServiceSpec, timeout: float = 1.0) -> bool:
        """Whether the service answers /health/live (it is up; its readiness is its own)."""
        url = f"http://127.0.0.1:{spec.port}/health/live"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return bool(response.status == 200)
        except (OSError, HTTPException):
            # HTTPException: a process that answers garbage or closes mid-answer.
            return False

    def stop(self) -> None:
        """SIGTERM to every service at once (each drains on its own), SIGKILL after 20 s."""
        pids = [pid for pid in (self.pid(spec) for spec in self.specs) if pid is not None]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in pids:
            terminate(pid, grace=20.0)
        for spec in self.specs:
            self.forget(spec)

    def _wait_ready(self, spec: ServiceSpec, timeout: float) -> None:
        def answers() -> bool:
            if not self.running(spec):
                raise StackError(
                    f"{spec.name} exited during start-up; its log "
                    f"({self.log_file(spec)}) ends with:\n{tail(self.log_file(spec), 15)}"
                )
            return self.answers(spec)

        wait_until(answers, timeout=timeout, interval=0.3, what=f"{spec.name} on port {spec.port}")

    def seed(self, spec: ServiceSpec, public_key: Path) -> None:
        """Load the service's demo data, if it has any (idempotent: each start runs it)."""
        if not spec.seed or not _module_exists(spec.seed):
            return
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


if __name__ == "__main__":
    # The Makefile's entry point before `devstack.suite` held the commands.
    from devstack.suite import main

    raise SystemExit(main())

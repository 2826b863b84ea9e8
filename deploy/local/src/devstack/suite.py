"""`make run`, `make up`, `make stop`, `make status`: the suite's processes under a supervisor.

`run` supervises in the foreground; Ctrl-C (or SIGTERM, or the terminal closing) stops
the services and the local stack. `start` (`make up`) runs the same supervisor detached,
in its own session with a pid file, and returns once the suite answers (or each service
not answering has missed its start timeout): a background
suite needs a living parent to restart what exits, and one code path for both keeps the
guarantee the same. `start` exits 1 when a service was given up on or did not answer
within its start timeout, naming it and its log (the others keep running). `stop` sends
that supervisor SIGTERM (it stops its services) and ends any service left without one;
`status` reads the supervisor's state file.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from devstack.config import REPO_ROOT, StackConfig
from devstack.processes import (
    StackError,
    pid_alive,
    read_pid,
    spawn_detached,
    tail,
    terminate,
    wait_until,
)
from devstack.services import ServiceProcesses
from devstack.supervision import LivenessPolicy, RestartPolicy
from devstack.supervisor import Supervisor, read_state

# The detached supervisor waits for each service's start and then its seed.
START_TIMEOUT_S = 600.0


class Files:
    """The supervisor's pid, state and log files in the state folder."""

    def __init__(self, config: StackConfig) -> None:
        folder = config.state_dir / "services"
        self.pid = folder / "supervisor.pid"
        self.state = folder / "supervisor.json"
        self.log = folder / "supervisor.log"

    def running_pid(self) -> int | None:
        pid = read_pid(self.pid)
        return pid if pid is not None and pid_alive(pid) else None


def _shown(path: Path) -> Path:
    """Short when the state lives in the checkout; ASN_STACK_DIR may put it anywhere else."""
    return path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path


def _policies(environ: Mapping[str, str]) -> tuple[RestartPolicy, LivenessPolicy]:
    """The supervisor's settings (ASN_SUPERVISOR_*), checked before anything starts."""
    try:
        return RestartPolicy.from_env(environ), LivenessPolicy.from_env(environ)
    except ValueError as exc:
        raise StackError(str(exc)) from None


def _summary(processes: ServiceProcesses, files: Files) -> str:
    config = processes.config
    supervised = files.running_pid() is not None
    state = read_state(files.state) if supervised else None
    given_up = (state or {}).get("given_up", {})
    late = (state or {}).get("late", {})
    gateway = next((s for s in processes.specs if s.name == "gateway"), None)
    lines = ["", "Sawahlunto ASN Suite is up:"]
    for spec in processes.specs:
        log = _shown(processes.log_file(spec))
        if not spec.built:
            lines.append(f"  {spec.name:<10} not built yet")
        elif spec.name in given_up:
            lines.append(f"  {spec.name:<10} GIVEN UP: {given_up[spec.name]}")
        elif spec.name in late:
            why = late[spec.name]
            lines.append(f"  {spec.name:<10} NOT ANSWERING: {why}; restarting (log: {log})")
        elif processes.running(spec):
            lines.append(f"  {spec.name:<10} http://127.0.0.1:{spec.port}/docs   (log: {log})")
        else:
            again = "; the supervisor restarts it" if supervised else ""
            lines.append(f"  {spec.name:<10} NOT RUNNING{again} (log: {log})")
    kafka = "(external)" if config.external_kafka else ""
    postgres = (
        "(external)"
        if config.external_postgres
        else f"postgresql://postgres@127.0.0.1:{config.pg_port}/<service>"
    )
    lines += [
        f"  kafka      {config.kafka_bootstrap} {kafka}".rstrip(),
        f"  postgres   {postgres}",
    ]
    supervisor = files.running_pid()
    if supervisor is not None:
        lines.append(
            f"  supervised by pid {supervisor}: a process that exits or stops answering is "
            f"restarted (log: {_shown(files.log)} for `make up`)"
        )
    lines += [
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


def _supervise(
    processes: ServiceProcesses,
    files: Files,
    policies: tuple[RestartPolicy, LivenessPolicy],
    *,
    seed: bool,
    foreground: bool,
) -> int:
    """Start, then keep the services running until SIGINT/SIGTERM; then stop them."""
    from devstack.stack import Stack

    stop = threading.Event()
    signals = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if foreground else [])
    for signum in signals:
        signal.signal(signum, lambda *_: stop.set())
    files.pid.parent.mkdir(parents=True, exist_ok=True)
    files.pid.write_text(f"{os.getpid()}\n")
    policy, liveness = policies
    supervisor = Supervisor(processes, policy, liveness, state_file=files.state)
    try:
        supervisor.start(seed=seed, stop=stop)
        if not stop.is_set():
            print(_summary(processes, files), flush=True)
            if foreground:
                print("Ctrl-C stops everything (data is kept for the next `make run`).", flush=True)
            supervisor.run(stop)
    finally:
        print("\nstopping services ...", flush=True)
        supervisor.stop_all()
        if foreground:
            # The stack's local parts only: an external broker or server is not ours to stop.
            Stack(processes.config).stop()
        files.pid.unlink(missing_ok=True)
    return 0


def _start_detached(processes: ServiceProcesses, files: Files, args: argparse.Namespace) -> int:
    argv = [sys.executable, "-m", "devstack.suite", "supervise"]
    argv += ["--no-seed"] if args.no_seed else []
    argv += ["--only", args.only] if args.only else []
    pid = spawn_detached(argv, output=files.log, cwd=REPO_ROOT, env=os.environ)
    files.pid.write_text(f"{pid}\n")

    def up() -> bool:
        if not pid_alive(pid):
            raise StackError(
                f"the supervisor exited during start-up; its log ({files.log}) ends with:\n"
                f"{tail(files.log, 15)}"
            )
        state = read_state(files.state)
        if state is None or state.get("pid") != pid:
            return False
        # Also done when each service not answering has missed its start timeout: the
        # supervisor goes on restarting them, and `make up` names them rather than wait.
        waiting, late = set(state.get("waiting", [])), set(state.get("late", {}))
        return state.get("phase") == "up" or (bool(waiting) and waiting <= late)

    try:
        wait_until(up, timeout=START_TIMEOUT_S, interval=0.3, what="the suite to start")
    except StackError as exc:
        raise StackError(f"{exc}; {_still_waiting(processes, read_state(files.state))}") from None
    print(_summary(processes, files), flush=True)
    return _start_failures(processes, files, read_state(files.state) or {})


def _still_waiting(processes: ServiceProcesses, state: Mapping[str, Any] | None) -> str:
    waiting = (state or {}).get("waiting", [])
    names = [spec for spec in processes.specs if spec.name in waiting]
    if not names:
        return "every service answers; the demo data was still loading"
    listed = ", ".join(f"{s.name} (log: {_shown(processes.log_file(s))})" for s in names)
    return (
        f"not answering yet: {listed}. The supervisor keeps trying in the background; "
        "`make status` shows it, `make stop` stops it"
    )


def _start_failures(processes: ServiceProcesses, files: Files, state: Mapping[str, Any]) -> int:
    """`make up`'s exit code: 1, with one line each, when a service did not start."""
    given_up, late = state.get("given_up", {}), state.get("late", {})
    failed = [spec for spec in processes.specs if spec.name in given_up or spec.name in late]
    if not failed:
        return 0
    lines = [f"devstack: {len(failed)} of the suite's services did not start:"]
    for spec in failed:
        if spec.name in given_up:
            lines.append(f"  {spec.name:<10} given up on: {given_up[spec.name]}")
        else:
            log = _shown(processes.log_file(spec))
            lines.append(f"  {spec.name:<10} {late[spec.name]}; still restarting it; see {log}")
    lines.append(
        f"The others run under supervisor pid {files.running_pid()}; `make stop` stops them."
    )
    print("\n".join(lines), file=sys.stderr, flush=True)
    return 1


def _stop(processes: ServiceProcesses, files: Files) -> None:
    pid = files.running_pid()
    if pid is not None:
        terminate(pid, grace=60.0)  # it stops its services first
    files.pid.unlink(missing_ok=True)
    files.state.unlink(missing_ok=True)
    processes.stop()  # services of a supervisor that was killed, if any


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="devstack.suite")
    parser.add_argument(
        "command",
        choices=["run", "start", "stop", "status", "supervise"],
        help="run: start and supervise in the foreground until Ctrl-C, which stops everything; "
        "start: the same supervisor in the background (make up); supervise: what start runs",
    )
    parser.add_argument("--no-seed", action="store_true", help="skip the demo data")
    parser.add_argument(
        "--only", default="", help="comma-separated services to run, e.g. presensi,gateway"
    )
    args = parser.parse_args(argv)
    try:
        config = StackConfig.from_env()
        only = [name.strip() for name in args.only.split(",") if name.strip()]
        processes = ServiceProcesses(config, only=only or None)
        files = Files(config)
        if args.command == "stop":
            _stop(processes, files)
            return 0
        if args.command == "status":
            print(_summary(processes, files))
            return 0
        # Checked before anything starts (`stop` and `status` work whatever they say).
        policies = _policies(os.environ)
        if args.command != "supervise" and files.running_pid() is not None:
            # `supervise` is that supervisor: `start` wrote its pid before it got here.
            print(_summary(processes, files))
            print(f"Already running under supervisor pid {files.running_pid()}.")
            return 0
        if args.command == "start":
            return _start_detached(processes, files, args)
        foreground = args.command == "run"
        return _supervise(processes, files, policies, seed=not args.no_seed, foreground=foreground)
    except StackError as exc:
        print(f"devstack: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Keeps the suite's processes running: restarts what exits or hangs, gives up on what
can't start.

`supervision.py` decides (backoff, give-up window, misses in a row); this module handles
the processes: it starts or adopts each service, notices an exit within one tick, logs one
line, starts the process again when its backoff has passed, kills a process that does not
answer within the start timeout, and, once a process has answered, probes /health/live
and kills it after too many misses in a row. Only `stop_all()` (Ctrl-C or SIGTERM in the
CLI) ends them.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devstack.processes import StackError, exit_status, kill_group, port_in_use, tail
from devstack.services import ServiceProcesses, ServiceSpec
from devstack.supervision import (
    GiveUp,
    LivenessCount,
    LivenessPolicy,
    RestartHistory,
    RestartPolicy,
    describe_exit,
)

Say = Callable[[str], None]


def _say(line: str) -> None:
    print(f"devstack: {line}", flush=True)


@dataclass
class Child:
    """One supervised service and what the supervisor knows of its current run."""

    spec: ServiceSpec
    history: RestartHistory
    liveness: LivenessCount
    pid: int | None = None
    started_at: float = 0.0
    ready: bool = False
    spawned: bool = False
    """Started by this supervisor (not adopted from an earlier one): seeded after its start."""
    restarts: int = 0
    restart_at: float | None = None
    given_up: str | None = None
    """Why the supervisor stopped trying; None while it is supervised."""
    late: str | None = None
    """Set when a run did not answer within the start timeout, until a run answers: `make up`
    stops waiting for it and names it, while the restarts go on."""
    killed_for: str | None = None
    """Why the supervisor killed the current run, for the exit's log line."""
    probe: Future[bool] | None = None
    """The /health/live request in flight for the current run."""
    next_probe_at: float = 0.0


@dataclass
class Supervisor:
    processes: ServiceProcesses
    policy: RestartPolicy = field(default_factory=RestartPolicy)
    liveness: LivenessPolicy = field(default_factory=LivenessPolicy)
    say: Say = _say
    clock: Callable[[], float] = time.monotonic
    state_file: Path | None = None
    """Where `status` and `make up` read the phase and the given-up services (JSON)."""

    def __post_init__(self) -> None:
        self.children = {
            spec.name: Child(spec, RestartHistory(self.policy), LivenessCount(self.liveness))
            for spec in self.processes.specs
            if spec.built
        }
        self.phase = "starting"
        self._public_key: Path | None = None
        # Probes run beside the ticks: a hung process's timeout must not delay noticing
        # another's exit. Threads start on the first probe.
        self._probes = ThreadPoolExecutor(
            max_workers=max(1, len(self.children)), thread_name_prefix="liveness"
        )

    # Start-up

    def start(self, *, seed: bool = True, stop: threading.Event | None = None) -> None:
        """Start or adopt every built service; return once each answers or is given up on."""
        stop = stop or threading.Event()
        self._public_key = self.processes.public_key()
        now = self.clock()
        fresh = []
        for child in self.children.values():
            pid = self.processes.pid(child.spec)
            if pid is not None:
                # Left running by an earlier supervisor (e.g. one that was killed): keep it.
                child.pid, child.started_at = pid, now
            elif port_in_use(child.spec.port):
                raise StackError(
                    f"port {child.spec.port} for {child.spec.name} is taken: "
                    f"set ASN_{child.spec.name.upper()}_PORT to a free one"
                )
            else:
                fresh.append(child)
        for child in fresh:
            self._spawn(child)
        self._write_state()
        while not stop.is_set() and not all(c.ready or c.given_up for c in self.children.values()):
            self.tick()
            stop.wait(0.2)
        if stop.is_set():
            return
        if seed:
            for child in fresh:
                if child.ready:
                    self.processes.seed(child.spec, self._key())
        self.phase = "up"
        self._write_state()

    # Supervision

    def tick(self) -> None:
        """One look at every process: reap exits, restart what is due, probe what starts,
        check on what runs."""
        changed = False
        for child in self.children.values():
            if child.given_up is not None:
                continue
            now = self.clock()
            if child.pid is None:
                if child.restart_at is not None and now >= child.restart_at:
                    self._spawn(child)
                    child.restarts += 1
                    changed = True
                continue
            if self.processes.pid(child.spec) != child.pid:
                self._exited(child, exit_status(child.pid), now)
                changed = True
            elif child.ready:
                self._check_liveness(child, now)
            elif self.processes.answers(child.spec, timeout=0.5):
                child.ready, child.late = True, None
                child.next_probe_at = now + self.liveness.period_s
                if child.restarts:
                    self.say(
                        f"{child.spec.name} is back (pid {child.pid}, answering "
                        f"{now - child.started_at:.1f} s after its start)"
                    )
                changed = True
            elif now - child.started_at > self.policy.start_timeout_s:
                timeout = self.policy.start_timeout_s
                child.late = f"did not answer /health/live within {timeout:g} s of its start"
                self._kill(child, child.late)
                changed = True
        if changed:
            self._write_state()

    def _check_liveness(self, child: Child, now: float) -> None:
        """Collect the last probe's answer, kill on too many misses, send the next when due."""
        if not self.liveness.enabled:
            return
        if child.probe is not None:
            if not child.probe.done():
                return
            answered = child.probe.result()
            child.probe = None
            if child.liveness.answered(answered):
                misses = child.liveness.misses
                policy = self.liveness
                self._kill(
                    child,
                    f"did not answer /health/live {misses} times in a row "
                    f"(every {policy.period_s:g} s, {policy.timeout_s:g} s timeout)",
                )
                return
        if now >= child.next_probe_at:
            child.next_probe_at = now + self.liveness.period_s
            child.probe = self._probes.submit(
                self.processes.answers, child.spec, self.liveness.timeout_s
            )

    def _kill(self, child: Child, why: str) -> None:
        """SIGKILL for a run that hangs; the next tick sees the exit and restarts it."""
        assert child.pid is not None
        child.killed_for = why
        self.say(f"{child.spec.name} {why}: killing it (SIGKILL) to restart it")
        with contextlib.suppress(StackError):
            kill_group(child.pid)

    def _exited(self, child: Child, returncode: int | None, now: float) -> None:
        spec, log = child.spec, self.processes.log_file(child.spec)
        decision = child.history.exited(
            at=now, started_at=child.started_at, became_ready=child.ready
        )
        how = f"{spec.name} {describe_exit(returncode)} after {now - child.started_at:.0f} s"
        if child.killed_for is not None:
            how = f"{how} (by the supervisor: it {child.killed_for})"
        child.pid, child.ready, child.killed_for, child.probe = None, False, None, None
        self.processes.forget(spec)
        if isinstance(decision, GiveUp):
            child.given_up = (
                f"failed at start-up {decision.failures} times within "
                f"{decision.window_s:.0f} s; see {log}"
            )
            self.say(
                f"{how}; giving up on it: {child.given_up}. The other services keep running. "
                f"Its log ends with:\n{_indent(tail(log, 8))}"
            )
            return
        child.restart_at = now + decision.delay_s
        self.say(
            f"{how}; log {log}; restarting in {decision.delay_s:.1f} s (attempt {decision.attempt})"
        )

    def _spawn(self, child: Child) -> None:
        child.pid = self.processes.spawn(child.spec, self._key())
        child.started_at = self.clock()
        child.ready, child.spawned, child.restart_at = False, True, None
        child.killed_for, child.probe = None, None
        child.liveness.reset()

    def _key(self) -> Path:
        if self._public_key is None:
            self._public_key = self.processes.public_key()
        return self._public_key

    def run(self, stop: threading.Event, interval: float = 0.5) -> None:
        """Supervise until `stop` is set (the services keep running: see `stop_all`)."""
        while not stop.wait(interval):
            self.tick()

    def stop_all(self) -> None:
        self.phase = "stopping"
        self._write_state()
        self._probes.shutdown(wait=False, cancel_futures=True)
        self.processes.stop()
        if self.state_file is not None:
            self.state_file.unlink(missing_ok=True)

    # What `status` shows

    def state(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "phase": self.phase,
            "given_up": {n: c.given_up for n, c in self.children.items() if c.given_up},
            "late": {n: c.late for n, c in self.children.items() if c.late and not c.given_up},
            "waiting": sorted(
                n for n, c in self.children.items() if not c.ready and not c.given_up
            ),
            "restarts": {n: c.restarts for n, c in self.children.items() if c.restarts},
        }

    def _write_state(self) -> None:
        if self.state_file is None:
            return
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        partial = self.state_file.with_suffix(".partial")
        partial.write_text(json.dumps(self.state()))
        partial.replace(self.state_file)


def read_state(path: Path) -> dict[str, Any] | None:
    try:
        state: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return state


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines()) or "    (empty)"

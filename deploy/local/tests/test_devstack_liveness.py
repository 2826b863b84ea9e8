"""`make run`'s supervisor restarts a process that hangs (issue 17), like Kubernetes'
livenessProbe: a process that stops answering /health/live (here: SIGSTOP) is killed and
started again, the others are left alone, and a process still starting is not probed.

Real processes (`tinyservice`, a stand-in that answers in a millisecond) on free ports, with
probe settings short enough for a quick test.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from devstack import StackConfig, free_port
from devstack.processes import pid_alive, wait_until
from devstack.services import ServiceProcesses, ServiceSpec
from devstack.supervision import LivenessPolicy, RestartPolicy
from devstack.supervisor import Supervisor

TESTS_DIR = Path(__file__).parent
POLICY = RestartPolicy(backoff_initial_s=0.1, backoff_max_s=1.0, start_timeout_s=60.0)
LIVENESS = LivenessPolicy(period_s=0.3, timeout_s=1.0, failure_threshold=3)


def tiny_env(_: ServiceSpec) -> dict[str, str]:
    """The stand-in service is a package of this folder."""
    inherited = os.environ.get("PYTHONPATH")
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(TESTS_DIR), inherited]))}


@dataclass
class Supervised:
    supervisor: Supervisor
    said: list[str] = field(default_factory=list)

    def lines_about(self, name: str) -> list[str]:
        return [line for line in self.said if line.startswith(f"{name} ")]


@pytest.fixture
def supervised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Supervised]:
    monkeypatch.syspath_prepend(str(TESTS_DIR))  # `built` looks for tinyservice here too
    taken: set[int] = set()
    specs = []
    # "slow" starts in 1.5 s: longer than three misses take, so probing it during its
    # start would kill it.
    for name, env in (("hung", {}), ("steady", {}), ("slow", {"ASN_TINY_START_DELAY_S": "1.5"})):
        port = free_port(taken)
        taken.add(port)
        specs.append(ServiceSpec(name, "tinyservice", port, "unused", env=env))
    processes = ServiceProcesses(StackConfig(state_dir=tmp_path), specs, extra_env=tiny_env)
    running = Supervised(Supervisor(processes, POLICY, LIVENESS))
    supervisor = running.supervisor
    supervisor.say = running.said.append
    stop = threading.Event()
    watcher = threading.Thread(target=supervisor.run, args=(stop, 0.1), daemon=True)
    try:
        supervisor.start(seed=False, stop=stop)
        watcher.start()
        yield running
    finally:
        stop.set()
        if watcher.is_alive():
            watcher.join(timeout=30)
        supervisor.stop_all()


def test_a_stopped_process_is_killed_and_restarted_and_the_others_are_untouched(supervised):
    processes = supervised.supervisor.processes
    hung, steady, slow = (supervised.supervisor.children[n] for n in ("hung", "steady", "slow"))
    # Start-up grace: the slow one was not probed (nor killed) before it first answered.
    assert all(child.ready for child in (hung, steady, slow))
    assert supervised.lines_about("slow") == []
    assert slow.restarts == 0
    stopped, steady_pid = hung.pid, steady.pid
    assert stopped is not None

    os.kill(stopped, signal.SIGSTOP)
    try:

        def back() -> bool:
            return hung.pid not in (None, stopped) and hung.ready

        # Generous for a loaded machine; it takes about 4 s.
        wait_until(back, timeout=60, interval=0.1, what="the stopped process restarted")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(stopped, signal.SIGCONT)

    kill_line, exit_line, back_line = supervised.lines_about("hung")
    assert kill_line == (
        "hung did not answer /health/live 3 times in a row (every 0.3 s, 1 s timeout): "
        "killing it (SIGKILL) to restart it"
    )
    assert exit_line.startswith("hung killed by SIGKILL after ")
    assert "(by the supervisor: it did not answer /health/live 3 times in a row" in exit_line
    assert exit_line.endswith("restarting in 0.1 s (attempt 1)")
    assert back_line.startswith(f"hung is back (pid {hung.pid}, ")
    assert not pid_alive(stopped)
    assert hung.restarts == 1
    assert processes.answers(hung.spec)
    # Nobody else was touched.
    assert steady.pid == steady_pid and steady.restarts == 0 and slow.restarts == 0
    assert supervised.lines_about("steady") == supervised.lines_about("slow") == []
    assert processes.answers(steady.spec)

"""`make run` supervises its processes (issue 17): a service killed with SIGKILL comes back
while the others keep serving through the gateway, and a service that fails at every start
is given up on, with its log named, while the rest run on.

The supervisor is `make run`'s own (devstack.supervisor), over real processes on free
ports against the session's Kafka and PostgreSQL, with a quicker backoff than the default.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from devstack import StackConfig, free_port
from devstack.processes import wait_until
from devstack.services import ServiceProcesses, ServiceSpec, load_services
from devstack.supervision import RestartPolicy
from devstack.supervisor import Supervisor
from e2e_testkit import BKPSDM_NIP, Suite, new_unit_code

pytestmark = pytest.mark.integration

RUNNING = ("gateway", "pegawai", "presensi")
BROKEN = "pelatihan"
POLICY = RestartPolicy(
    backoff_initial_s=0.2,
    backoff_max_s=2.0,
    stable_after_s=30.0,
    start_limit_burst=3,
    # Wide enough that three slow starts on a loaded machine still fall in one window.
    start_limit_interval_s=900.0,
    start_timeout_s=240.0,
)


@dataclass
class Supervised:
    suite: Suite
    processes: ServiceProcesses
    supervisor: Supervisor
    said: list[tuple[float, str]] = field(default_factory=list)

    def lines_about(self, name: str) -> list[str]:
        return [line for _, line in self.said if line.startswith(f"{name} ")]


@pytest.fixture(scope="module")
def supervised(stack, tmp_path_factory) -> Iterator[Supervised]:
    suite = Suite(stack, tmp_path_factory.mktemp("supervised"))
    listed = {spec.name: spec for spec in load_services()}
    names = (*RUNNING, BROKEN)
    databases = {name: f"{listed[name].database}_sv{suite.suffix}" for name in names}
    stack.postgres.create_databases(sorted(set(databases.values())))
    stack.kafka.create_topics(
        {suite.topic(s): 3 for s in ("pegawai", "presensi", "kinerja", "pelatihan", "aspirasi")}
    )
    taken: set[int] = set()
    for name in names:
        port = free_port(taken)
        taken.add(port)
        spec = listed[name]
        suite.specs[name] = ServiceSpec(name, spec.module, port, databases[name], env=spec.env)

    def env(spec: ServiceSpec) -> dict[str, str]:
        values = dict(suite._env(spec))
        if spec.name == BROKEN:
            values["ASN_WORKERS"] = "0"  # a setting it refuses: it exits at every start
        return values

    processes = ServiceProcesses(
        StackConfig(state_dir=suite.state_dir), list(suite.specs.values()), extra_env=env
    )
    running = Supervised(suite, processes, Supervisor(processes, POLICY))

    def say(line: str) -> None:
        running.said.append((time.monotonic(), line))
        print(f"devstack: {line}", flush=True)

    running.supervisor.say = say
    stop = threading.Event()
    watcher = threading.Thread(target=running.supervisor.run, args=(stop, 0.2), daemon=True)
    try:
        running.supervisor.start(seed=False, stop=stop)
        watcher.start()
        yield running
    finally:
        stop.set()
        if watcher.is_alive():
            watcher.join(timeout=30)
        running.supervisor.stop_all()


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def _unit(code: str) -> dict[str, object]:
    return {
        "code": code,
        "name": f"Dinas {code}",
        "kind": "dinas",
        "parent_code": None,
        "latitude": -0.68,
        "longitude": 100.78,
        "geofence_radius_m": 150,
    }


def test_a_service_that_fails_at_every_start_is_given_up_on_and_named(supervised):
    child = supervised.supervisor.children[BROKEN]
    log = supervised.processes.log_file(supervised.suite.specs[BROKEN])

    assert child.given_up is not None
    assert child.given_up.startswith("failed at start-up 3 times within 900 s")
    assert str(log) in child.given_up
    lines = supervised.lines_about(BROKEN)
    assert [("exited with code 1" in line, "restarting in" in line) for line in lines] == [
        (True, True),
        (True, True),
        (True, False),
    ]
    assert "giving up on it" in lines[-1] and str(log) in lines[-1]
    # Its log says why: the setting it refused.
    assert "workers" in log.read_text()
    # The rest were started and serve.
    assert all(supervised.supervisor.children[name].ready for name in RUNNING)
    assert supervised.supervisor.state()["given_up"] == {BROKEN: child.given_up}


def test_a_killed_service_comes_back_while_the_others_serve_through_the_gateway(supervised):
    suite, supervisor = supervised.suite, supervised.supervisor
    presensi = suite.specs["presensi"]
    answers: list[tuple[float, int, str]] = []
    done = threading.Event()
    client_failed: list[BaseException] = []

    def client() -> None:
        """Commands to pegawai through the gateway, one after another, until told to stop."""
        try:
            with httpx.Client(base_url=suite.gateway_url, timeout=30) as http:
                login = {"nip": BKPSDM_NIP, "roles": ["bkpsdm"]}
                token = http.post("/auth/dev-token", json=login).json()["access_token"]
                headers = {"Authorization": f"Bearer {token}"}
                while not done.is_set():
                    response = http.post("/api/units", json=_unit(new_unit_code()), headers=headers)
                    answers.append((time.monotonic(), response.status_code, response.text[:300]))
                    done.wait(0.05)
        except BaseException as exc:  # surfaced by the assertion below
            client_failed.append(exc)

    sender = threading.Thread(target=client, daemon=True)
    sender.start()
    try:
        wait_until(lambda: len(answers) >= 3, timeout=120, what="the client's first answers")
        old_pid = supervisor.children["presensi"].pid
        assert old_pid is not None and _ready(presensi.port)

        killed_at = time.monotonic()
        os.kill(old_pid, signal.SIGKILL)

        def back() -> bool:
            pid = supervisor.children["presensi"].pid
            return pid not in (None, old_pid) and _ready(presensi.port)

        # Generous: a Python service's start on a loaded two-core machine; not a timing claim.
        wait_until(back, timeout=240, interval=0.2, what="presensi ready again")
        back_at = time.monotonic()
        answered_before = len(answers)
        wait_until(
            lambda: len(answers) > answered_before, timeout=60, what="an answer after the return"
        )
    finally:
        done.set()
        sender.join(timeout=60)

    assert not client_failed, client_failed
    failed = [(status, body) for _, status, body in answers if status != 201]
    assert failed == []
    assert any(killed_at <= at <= back_at for at, _, _ in answers), "no request during the outage"
    exit_line, back_line = supervised.lines_about("presensi")[-2:]
    log = supervised.processes.log_file(presensi)
    assert exit_line.startswith("presensi killed by SIGKILL after ")
    assert f"log {log}; restarting in 0.2 s (attempt 1)" in exit_line
    assert back_line.startswith("presensi is back (pid ")
    assert supervisor.children["presensi"].restarts == 1
    # Nobody else was touched.
    assert all(supervisor.children[n].restarts == 0 for n in ("gateway", "pegawai"))

"""`make up` (`python -m devstack.suite start`) says when the suite did not start (issue 17):
it exits 1 naming each service given up on, or not answering within its start timeout,
with its log, and `make status` shows the given-up one apart from those that run.

The real detached supervisor, over `tinyservice` stand-ins (ASN_SERVICES_FILE) in a state
folder of the test's own, with a quick backoff (ASN_SUPERVISOR_*).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from devstack import free_port, suite

TESTS_DIR = Path(__file__).parent


@pytest.fixture
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The suite's environment for one test; whatever it started is stopped at the end."""
    state = tmp_path / "state"
    monkeypatch.syspath_prepend(str(TESTS_DIR))  # `built` looks for tinyservice here too
    inherited = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(TESTS_DIR), inherited])))
    monkeypatch.setenv("ASN_STACK_DIR", str(state))
    monkeypatch.setenv("ASN_SUPERVISOR_BACKOFF_INITIAL_S", "0.1")
    try:
        yield state
    finally:
        suite.main(["stop"])


def write_services(path: Path, services: Mapping[str, Mapping[str, str]]) -> None:
    """A services list of tinyservice processes on free ports, each with its settings."""
    taken: set[int] = set()
    text = []
    for name, env in services.items():
        port = free_port(taken)
        taken.add(port)
        settings = ", ".join(f'{key} = "{value}"' for key, value in env.items())
        text += [
            f"[services.{name}]",
            'module = "tinyservice"',
            f"port = {port}",
            'database = "unused"',
            f"env = {{ {settings} }}",
            "",
        ]
    path.write_text("\n".join(text))


def test_up_exits_1_naming_what_was_given_up_on_or_did_not_answer_and_status_shows_it(
    state_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    services = tmp_path / "services.toml"
    write_services(
        services,
        {
            "steady": {},
            "broken": {"ASN_TINY_EXIT": "3"},
            "hanging": {"ASN_TINY_START_DELAY_S": "3600"},
        },
    )
    monkeypatch.setenv("ASN_SERVICES_FILE", str(services))
    monkeypatch.setenv("ASN_SUPERVISOR_START_TIMEOUT_S", "3")
    logs = state_dir / "services"

    started = suite.main(["start", "--no-seed"])

    out, err = capsys.readouterr()
    supervisor_log = (logs / "supervisor.log").read_text()
    assert started == 1, (out, err, supervisor_log)
    lines = err.splitlines()
    assert lines[0] == "devstack: 2 of the suite's services did not start:"
    assert lines[1] == (
        f"  broken     given up on: failed at start-up 5 times within 120 s; "
        f"see {logs / 'broken.log'}"
    )
    assert lines[2] == (
        "  hanging    did not answer /health/live within 3 s of its start; still restarting it; "
        f"see {logs / 'hanging.log'}"
    )
    assert lines[3].startswith("The others run under supervisor pid ")
    assert "refusing to start (ASN_TINY_EXIT=3)" in (logs / "broken.log").read_text()
    # The summary still shows what runs, and what did not start, apart.
    assert f"  broken     GIVEN UP: failed at start-up 5 times within 120 s; see {logs}" in out
    assert "  steady     http://127.0.0.1:" in out

    assert suite.main(["status"]) == 0
    status = capsys.readouterr().out
    assert f"  broken     GIVEN UP: failed at start-up 5 times within 120 s; see {logs}" in status
    assert "  steady     http://127.0.0.1:" in status
    # Killed and restarted, or given up on by now: never shown as serving.
    hanging = next(line for line in status.splitlines() if line.startswith("  hanging "))
    assert "http://" not in hanging and f"{logs / 'hanging.log'}" in hanging


def test_up_that_times_out_names_the_services_not_answering(
    state_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    services = tmp_path / "services.toml"
    # Each run fails after 0.5 s, never two within the start-limit window: restarted for
    # ever, never given up on, so only `make up`'s own timeout ends its wait.
    write_services(
        services, {"steady": {}, "looping": {"ASN_TINY_EXIT": "1", "ASN_TINY_START_DELAY_S": "0.5"}}
    )
    monkeypatch.setenv("ASN_SERVICES_FILE", str(services))
    monkeypatch.setenv("ASN_SUPERVISOR_START_LIMIT_INTERVAL_S", "0.1")
    monkeypatch.setattr(suite, "START_TIMEOUT_S", 5.0)

    assert suite.main(["start", "--no-seed"]) == 1

    err = capsys.readouterr().err
    assert err.startswith(
        "devstack: timed out after 5 s waiting for the suite to start; not answering yet: "
        f"looping (log: {state_dir / 'services' / 'looping.log'}). "
        "The supervisor keeps trying in the background"
    ), err


def test_up_refuses_a_bad_supervisor_setting_before_starting_anything(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setenv("ASN_SUPERVISOR_LIVENESS_PERIOD_S", "often")

    assert suite.main(["start", "--no-seed"]) == 1

    assert capsys.readouterr().err == (
        "devstack: ASN_SUPERVISOR_LIVENESS_PERIOD_S='often' is not a number\n"
    )
    assert not (state_dir / "services" / "supervisor.pid").exists()
    # Only what starts the suite reads them: status and stop still work.
    assert suite.main(["status"]) == 0
    assert suite.main(["stop"]) == 0

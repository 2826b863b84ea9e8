"""A department runs one service alone (issue 15): `make up ONLY=presensi` against the city's
Kafka and its own PostgreSQL, with no other service running.

The "city" is the session's broker and server, given as ASN_KAFKA_BOOTSTRAP and
ASN_POSTGRES_URL: devstack starts neither a local Kafka nor a local PostgreSQL. pegawai
runs first (alone too) and fills `pegawai.events`, then stops; presensi, started later
with a consumer group of its own, builds its replica from the beginning of that topic and
serves a check-in.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from devstack import free_port
from devstack.config import REPO_ROOT
from devstack.processes import read_pid, wait_until
from devstack.services import DEV_KEYS_DIR
from e2e_testkit import BKPSDM_NIP, event_on_topic, new_nip, new_unit_code, today_wib
from servicekit.devkeys import ensure_dev_keys, mint_token
from servicekit.testing import eventually

pytestmark = pytest.mark.integration

TOPICS = ("pegawai", "presensi", "kinerja", "pelatihan", "aspirasi")


class Department:
    """`make stack-up` and `make up ONLY=<name>` / `make stop`, as their commands run them."""

    def __init__(self, stack: Any, base: Path, suffix: str) -> None:
        self.stack, self.base, self.suffix = stack, base, suffix
        self.ports: dict[str, int] = {}

    def topic(self, service: str) -> str:
        return f"{service}.dept{self.suffix}.events"

    def env(self, name: str) -> dict[str, str]:
        port = self.ports.setdefault(name, free_port(set(self.ports.values())))
        server = self.stack.postgres.dsn("postgres").rpartition("/")[0]
        return {
            **os.environ,
            "ASN_STACK_DIR": str(self.base / name),
            "ASN_KAFKA_BOOTSTRAP": self.stack.kafka.bootstrap,
            "ASN_POSTGRES_URL": server,
            f"ASN_{name.upper()}_PORT": str(port),
            f"ASN_{name.upper()}_DATABASE": f"{name}_dept{self.suffix}",
            "ASN_ENVIRONMENT": "dev",
            "ASN_CONSUMER_GROUP": f"{name}-dept{self.suffix}",
            "ASN_RELAY_POLL_INTERVAL_S": "0.5",
            "ASN_EVENTS_TOPIC": self.topic(name),
            **{f"ASN_{t.upper()}_TOPIC": self.topic(t) for t in TOPICS if t != name},
        }

    def run(self, name: str, *argv: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", *argv],
            cwd=REPO_ROOT,
            env=self.env(name),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def up(self, name: str) -> str:
        out = self.run(name, "devstack.cli", "start")  # make stack-up
        return out + self.run(name, "devstack.suite", "start", "--only", name, "--no-seed")

    def stop(self, name: str) -> None:
        self.run(name, "devstack.suite", "stop")
        self.run(name, "devstack.cli", "stop")

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"


@pytest.fixture
def department(stack, tmp_path) -> Iterator[Department]:
    dept = Department(stack, tmp_path, uuid.uuid4().hex[:8])
    stack.postgres.create_databases([f"{n}_dept{dept.suffix}" for n in ("pegawai", "presensi")])
    stack.kafka.create_topics({dept.topic(t): 3 for t in TOPICS})
    try:
        yield dept
    finally:
        for name in dept.ports:
            subprocess.run(
                [sys.executable, "-m", "devstack.suite", "stop"],
                cwd=REPO_ROOT,
                env=dept.env(name),
                capture_output=True,
                check=False,
            )


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


async def _until(client: httpx.AsyncClient, method: str, path: str, ok: set[int], **kw: Any):
    last: list[httpx.Response] = []

    async def done() -> bool:
        last[:] = [await client.request(method, path, **kw)]
        return last[0].status_code in ok

    try:
        await eventually(done, what=f"{method} {path} answered {sorted(ok)}")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; last answer: {last[0].text[:500] if last else ''}") from None
    return last[0]


async def test_presensi_alone_builds_its_replica_from_the_topic_and_serves_a_check_in(
    department,
):
    private = ensure_dev_keys(DEV_KEYS_DIR)[0].read_bytes()

    def bearer(nip: str, *roles: str) -> dict[str, str]:
        token = mint_token(private, sub=nip, roles=roles, unit_id=None)
        return {"Authorization": f"Bearer {token}"}

    bkpsdm = bearer(BKPSDM_NIP, "bkpsdm")
    unit, nip = new_unit_code(), new_nip()

    # pegawai alone registers the unit and the employee, publishes, and stops.
    out = department.up("pegawai")
    assert "kafka      external" in out and "postgres   external" in out
    assert "pegawai " in out and "presensi " not in out
    async with httpx.AsyncClient(base_url=department.url("pegawai"), timeout=30) as pegawai:
        created = await pegawai.post(
            "/units",
            json={
                "code": unit,
                "name": f"Dinas {unit}",
                "kind": "dinas",
                "parent_code": None,
                "latitude": -0.68,
                "longitude": 100.78,
                "geofence_radius_m": 150,
            },
            headers=bkpsdm,
        )
        assert created.status_code == 201, created.text
        registered = await pegawai.post(
            "/employees",
            json={
                "nip": nip,
                "name": "Pegawai Dinas Sendiri",
                "sex": "male",
                "birth_date": f"{nip[0:4]}-{nip[4:6]}-{nip[6:8]}",
                "asn_type": "pns",
                "golongan": "III/b",
                "tmt_golongan": "2022-04-01",
                "tmt_cpns": "2010-01-01",
                "position": {"name": "Perawat", "kind": "pelaksana"},
                "unit_code": unit,
                "education": "s1",
            },
            headers=bkpsdm,
        )
        assert registered.status_code == 201, registered.text
    await event_on_topic(
        department.stack.kafka.bootstrap,
        department.topic("pegawai"),
        lambda e: e["subject"] == nip,
        "the registration on pegawai's topic",
    )
    department.stop("pegawai")
    assert not _answers(department.ports["pegawai"])

    # presensi alone, started after pegawai is gone.
    out = department.up("presensi")
    assert "presensi " in out and "pegawai " not in out
    for name in ("pegawai", "presensi"):
        state = department.base / name
        # Neither a local broker nor a local cluster was made or started.
        assert not (state / "kafka").exists() and not (state / "postgres").exists()
    async with httpx.AsyncClient(base_url=department.url("presensi"), timeout=30) as presensi:
        schedule = {
            "kind": "regular",
            "valid_from": (today_wib() - timedelta(days=40)).isoformat(),
            "days": {
                str(d): {"start": "00:00", "end": "23:59", "break_minutes": 0} for d in range(7)
            },
        }
        # Presensi knows the unit only from pegawai's events on the topic.
        await _until(
            presensi, "PUT", f"/schedules/{unit}", {200, 201}, json=schedule, headers=bkpsdm
        )
        checked_in = await _until(
            presensi, "POST", "/attendance/check-in", {201}, json={}, headers=bearer(nip, "pegawai")
        )
    assert checked_in.json()["nip"] == nip
    assert checked_in.json()["minutes_late"] > 0

    # `make up`'s supervisor runs detached and restarts what is killed, as `make run`'s does.
    assert "supervised by pid" in out
    services = department.base / "presensi" / "services"
    killed = int((services / "presensi.pid").read_text())
    os.kill(killed, signal.SIGKILL)

    def restarted() -> bool:
        pid = read_pid(services / "presensi.pid")
        return pid not in (None, killed) and _answers(department.ports["presensi"])

    wait_until(
        restarted, timeout=240, interval=0.2, what="presensi restarted by make up's supervisor"
    )
    assert "presensi killed by SIGKILL" in (services / "supervisor.log").read_text()
    department.stop("presensi")
    assert not _answers(department.ports["presensi"])

"""The whole suite as real processes (`python -m pegawai|presensi|kinerja|gateway`, as
`make run` starts them) on free ports against the session's stack, and a client of the gateway."""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from devstack import StackConfig, free_port
from devstack.services import ServiceProcesses, ServiceSpec, load_services
from servicekit.testing import eventually
from servicekit.testing import read_topic_events as read_topic

WIB = ZoneInfo("Asia/Jakarta")
BKPSDM_NIP = "197001011995031001"
SERVICES = ("pegawai", "presensi", "kinerja", "pelatihan", "aspirasi", "gateway", "projector")
"""As `make run` starts them: modules and settings from deploy/local/services.toml."""


def today_wib() -> date:
    return datetime.now(UTC).astimezone(WIB).date()


@dataclass
class Suite:
    """The running processes, their topics, and how to stop or start one of them."""

    stack: Any
    state_dir: Path
    suffix: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    specs: dict[str, ServiceSpec] = field(default_factory=dict)
    processes: ServiceProcesses | None = None
    services: tuple[str, ...] = SERVICES
    """Which processes to start (a test of one path may need fewer)."""
    seed: bool = False
    """Load the demo data (the `seed` modules of services.toml) after start."""

    def topic(self, service: str) -> str:
        return f"{service}.e2e{self.suffix}.events"

    def group(self, service: str) -> str:
        return f"{service}-e2e{self.suffix}"

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.specs['gateway'].port}"

    @property
    def aspirasi_url(self) -> str:
        """aspirasi itself: only for its test clock and sweep (`ASN_TEST_CLOCK`)."""
        return f"http://127.0.0.1:{self.specs['aspirasi'].port}"

    def _env(self, spec: ServiceSpec) -> Mapping[str, str]:
        env = {
            "ASN_ENVIRONMENT": "dev",  # POST /auth/dev-token exists only in dev
            "ASN_DATABASE_URL": self.stack.postgres.dsn(spec.database),
            "ASN_KAFKA_BOOTSTRAP": self.stack.kafka.bootstrap,
            # The projector consumes as the gateway's group: the gateway reports that lag.
            "ASN_CONSUMER_GROUP": self.group("gateway" if spec.name == "projector" else spec.name),
            "ASN_RELAY_POLL_INTERVAL_S": "0.5",
            "ASN_LOG_LEVEL": "INFO",
        }
        if spec.name == "pegawai":
            env["ASN_EVENTS_TOPIC"] = self.topic("pegawai")
            env["ASN_KINERJA_TOPIC"] = self.topic("kinerja")
            env["ASN_PELATIHAN_TOPIC"] = self.topic("pelatihan")
        elif spec.name == "pelatihan":
            env["ASN_EVENTS_TOPIC"] = self.topic("pelatihan")
            env["ASN_PEGAWAI_TOPIC"] = self.topic("pegawai")
            env["ASN_KINERJA_TOPIC"] = self.topic("kinerja")
        elif spec.name in ("presensi", "kinerja"):
            env["ASN_EVENTS_TOPIC"] = self.topic(spec.name)
            env["ASN_PEGAWAI_TOPIC"] = self.topic("pegawai")
            if spec.name == "kinerja":
                env["ASN_ASPIRASI_TOPIC"] = self.topic("aspirasi")
        elif spec.name == "aspirasi":
            env["ASN_EVENTS_TOPIC"] = self.topic("aspirasi")
            env["ASN_PEGAWAI_TOPIC"] = self.topic("pegawai")
            env["ASN_PRESENSI_TOPIC"] = self.topic("presensi")
            # The tests move aspirasi's clock and run its sweep themselves.
            env["ASN_TEST_CLOCK"] = "true"
            env["ASN_SLA_SWEEP_ENABLED"] = "false"
        else:
            env["ASN_PEGAWAI_TOPIC"] = self.topic("pegawai")
            env["ASN_PRESENSI_TOPIC"] = self.topic("presensi")
            env["ASN_KINERJA_TOPIC"] = self.topic("kinerja")
            env["ASN_ASPIRASI_TOPIC"] = self.topic("aspirasi")
            env["ASN_PELATIHAN_TOPIC"] = self.topic("pelatihan")
            env["ASN_HEALTH_POLL_INTERVAL_S"] = "0.5"
            env["ASN_LAG_POLL_INTERVAL_S"] = "0.5"
            env["ASN_UPSTREAM_TIMEOUT_S"] = "15"
        return env

    def start(self) -> None:
        listed = {spec.name: spec for spec in load_services()}
        databases = {
            listed[name].database: f"{listed[name].database}_e2e{self.suffix}"
            for name in self.services
        }
        self.stack.postgres.create_databases(list(databases.values()))
        self.stack.kafka.create_topics(
            {self.topic(s): 3 for s in ("pegawai", "presensi", "kinerja", "pelatihan", "aspirasi")}
        )
        taken: set[int] = set()
        for name in self.services:
            port = free_port(taken)
            taken.add(port)
            spec = listed[name]
            # `seed` comes along: it runs only when `self.seed` asks.
            self.specs[name] = replace(spec, port=port, database=databases[spec.database])
        config = StackConfig(state_dir=self.state_dir)
        self.processes = ServiceProcesses(config, list(self.specs.values()), extra_env=self._env)
        self.processes.start(seed=self.seed, timeout=180)

    def only(self, name: str) -> ServiceProcesses:
        """A handle on one service's process (same state folder, pid file and env)."""
        assert self.processes is not None
        return ServiceProcesses(self.processes.config, [self.specs[name]], extra_env=self._env)

    def stop_service(self, name: str) -> None:
        self.only(name).stop()

    def start_service(self, name: str) -> None:
        self.only(name).start(seed=False, timeout=180)

    def stop(self) -> None:
        if self.processes is not None:
            self.processes.stop()

    def logs(self) -> str:
        assert self.processes is not None
        out = []
        for spec in self.specs.values():
            path = self.processes.log_file(spec)
            if path.exists():
                out.append(
                    f"--- {spec.name} ---\n" + "\n".join(path.read_text().splitlines()[-30:])
                )
        return "\n".join(out)


_counter = itertools.count(1)


def new_nip(sex: int = 1) -> str:
    """A fresh, well-formed NIP: birth date, CPNS TMT (2010), sex, serial."""
    birth = date(1975 + random.randrange(20), 1 + random.randrange(12), 1 + random.randrange(28))
    serial = (next(_counter) * 37 + random.randrange(37)) % 1000
    return f"{birth:%Y%m%d}201001{sex}{serial:03d}"


def new_unit_code() -> str:
    return f"opd-{uuid.uuid4().hex[:8]}"


class Portal:
    """What the HR portal does: talk to the gateway, with dev tokens from the gateway."""

    def __init__(self, suite: Suite, client: httpx.AsyncClient) -> None:
        self.suite = suite
        self.client = client
        self._tokens: dict[tuple[str, tuple[str, ...], str | None], str] = {}

    async def token(self, nip: str, *roles: str, unit: str | None = None) -> str:
        key = (nip, roles or ("pegawai",), unit)
        if key not in self._tokens:
            body = {"nip": nip, "roles": list(key[1]), "unit": unit}
            response = await self.client.post("/auth/dev-token", json=body)
            assert response.status_code == 200, response.text
            self._tokens[key] = response.json()["access_token"]
        return self._tokens[key]

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        as_: tuple[str, ...] = (BKPSDM_NIP, "bkpsdm"),
        unit: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        nip, *roles = as_
        token = await self.token(nip, *roles, unit=unit)
        all_headers = {"Authorization": f"Bearer {token}", **(headers or {})}
        return await self.client.request(method, path, json=body, headers=all_headers)

    async def until(
        self,
        method: str,
        path: str,
        check: Callable[[httpx.Response], bool],
        what: str,
        body: Any = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Repeat a call until its answer satisfies `check` (the suite is eventually
        consistent across services); the limit only guards against a hang."""
        last: list[httpx.Response] = []

        async def done() -> bool:
            response = await self.call(method, path, body, **kwargs)
            last[:] = [response]
            return check(response)

        try:
            await eventually(done, what=what)
        except AssertionError as exc:
            detail = last[0].text[:500] if last else ""
            raise AssertionError(f"{exc}; last answer: {detail}") from None
        return last[0]

    async def profile(self, nip: str, check: Callable[[dict[str, Any]], bool], what: str) -> Any:
        response = await self.until(
            "GET",
            f"/api/profiles/{nip}",
            lambda r: r.status_code == 200 and check(r.json()),
            what,
        )
        return response.json()

    # The city's data, registered through the gateway.

    async def unit(self, code: str, parent: str | None = None) -> None:
        body = {
            "code": code,
            "name": f"Dinas {code}",
            "kind": "bidang" if parent else "dinas",
            "parent_code": parent,
            "latitude": -0.68,
            "longitude": 100.78,
            "geofence_radius_m": 150,
        }
        response = await self.call("POST", "/api/units", body)
        assert response.status_code == 201, response.text

    async def employee(
        self, nip: str, unit: str, supervisor: str | None = None, name: str | None = None
    ) -> None:
        body = {
            "nip": nip,
            "name": name or f"Pegawai E2E {nip[-4:]}",
            "sex": "male" if nip[14] == "1" else "female",
            "birth_date": f"{nip[0:4]}-{nip[4:6]}-{nip[6:8]}",
            "asn_type": "pns",
            "golongan": "III/b",
            "tmt_golongan": "2022-04-01",
            "tmt_cpns": "2010-01-01",
            "position": {"name": "Analis Kepegawaian", "kind": "pelaksana"},
            "unit_code": unit,
            "supervisor_nip": supervisor,
            "education": "s1",
            "phone": "+62 812 0000 0000",
            "address": "Jl. Soekarno-Hatta No. 1, Sawahlunto",
        }
        response = await self.call("POST", "/api/employees", body)
        assert response.status_code == 201, response.text

    async def every_day_is_a_working_day(self, unit: str) -> None:
        """A schedule for every weekday from 00:00, so tests run any day, and a check-in
        after midnight is late."""
        body = {
            "kind": "regular",
            "valid_from": (today_wib() - timedelta(days=40)).isoformat(),
            "days": {
                str(d): {"start": "00:00", "end": "23:59", "break_minutes": 0} for d in range(7)
            },
        }
        await self.until(
            "PUT",
            f"/api/schedules/{unit}",
            lambda r: r.status_code in (200, 201),
            "presensi knows the unit",
            body=body,
        )


async def event_on_topic(
    bootstrap: str, topic: str, match: Callable[[dict[str, Any]], bool], what: str
) -> dict[str, Any]:
    found: list[dict[str, Any]] = []

    async def seen() -> bool:
        found[:] = [e for e in await read_topic(bootstrap, topic) if match(e)]
        return bool(found)

    await eventually(seen, what=what)
    return found[0]

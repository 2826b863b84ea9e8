"""Helpers of the gateway integration tests: the gateway handle, events to publish, a stub
upstream service (a real HTTP server on a free port), waiting."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import uvicorn
from aiokafka import AIOKafkaProducer
from asn_schemas import new_event
from asn_schemas.base import EventPayload
from asn_schemas.envelope import CONTENT_TYPE, Envelope
from devstack import free_port
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from gateway.models import SCHEMA, metadata
from gateway.settings import GatewaySettings
from servicekit.db import Database
from servicekit.testing import eventually
from sqlalchemy import select

BKPSDM_NIP = "197001011995031001"
HEAD = "197505052000031002"
MID = "198001012005011003"
STAFF = "199002022015032004"
OTHER = "199103032016041005"
WIB = ZoneInfo("Asia/Jakarta")


def today_wib() -> date:
    """The business date the `gateway` fixture's views use: this week's Wednesday, a
    working day whatever the weekday the tests run on (a test of a day off pins its own)."""
    today = datetime.now(UTC).astimezone(WIB).date()
    return today - timedelta(days=today.weekday() - 2)


@dataclass
class Gateway:
    client: httpx.AsyncClient
    settings: GatewaySettings
    bootstrap: str
    token_for: Callable[..., str]
    app: Any

    def auth(self, sub: str = BKPSDM_NIP, *roles: str, unit: str | None = None) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.token_for(sub, *(roles or ('bkpsdm',)), unit=unit)}"
        }

    async def get(
        self, path: str, *, as_: tuple[str, ...] | None = None, unit: str | None = None
    ) -> httpx.Response:
        sub, *roles = as_ or (BKPSDM_NIP, "bkpsdm")
        return await self.client.get(path, headers=self.auth(sub, *roles, unit=unit))

    async def publish(self, *events: tuple[str, Envelope]) -> None:
        await publish(self.bootstrap, *events)

    async def profile_when(
        self, nip: str, check: Callable[[dict[str, Any]], bool], what: str
    ) -> dict[str, Any]:
        """The profile once the read model satisfies `check` (events apply asynchronously)."""
        seen: dict[str, Any] = {}

        async def ready() -> bool:
            response = await self.get(f"/api/profiles/{nip}")
            if response.status_code != 200:
                return False
            seen.clear()
            seen.update(response.json())
            return check(seen)

        await eventually(ready, what=what)
        return seen

    async def dashboard_when(
        self, code: str, check: Callable[[dict[str, Any]], bool], what: str
    ) -> dict[str, Any]:
        return await self.json_when(f"/api/units/{code}/dashboard", check, what)

    async def json_when(
        self,
        path: str,
        check: Callable[[dict[str, Any]], bool],
        what: str,
        as_: tuple[str, ...] | None = None,
        unit: str | None = None,
    ) -> dict[str, Any]:
        seen: dict[str, Any] = {}

        async def ready() -> bool:
            response = await self.get(path, as_=as_, unit=unit)
            if response.status_code != 200:
                return False
            seen.clear()
            seen.update(response.json())
            return check(seen)

        await eventually(ready, what=what)
        return seen


def event(
    payload: EventPayload, subject: str, *, sequence: int | None = None, actor: str = BKPSDM_NIP
) -> Envelope:
    return new_event(
        payload,
        subject=subject,
        actor=actor,
        source=f"/sawahlunto/{payload.service()}",
        sequence=sequence,
    )


async def publish(bootstrap: str, *events: tuple[str, Envelope | bytes]) -> None:
    """Put events on topics as a service's relay would (key = subject, CloudEvents header)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for topic, envelope in events:
            if isinstance(envelope, bytes):
                await producer.send_and_wait(topic, envelope, key=b"raw")
                continue
            await producer.send_and_wait(
                topic,
                envelope.to_json_bytes(),
                key=envelope.subject.encode(),
                headers=[("content-type", CONTENT_TYPE.encode())],
            )
    finally:
        await producer.stop()


def at_wib(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), WIB).astimezone(UTC)


# A stub upstream: a real HTTP server that echoes what it received.


def stub_service_app() -> FastAPI:
    app = FastAPI()

    @app.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def echo(path: str, request: Request) -> Response:
        if "slow" in path:
            await asyncio.sleep(5)
        if "problem" in path:
            return JSONResponse(
                {"type": "x", "title": "Ditolak", "status": 409, "code": "some_conflict"},
                status_code=409,
                media_type="application/problem+json",
            )
        body = await request.body()
        return JSONResponse(
            {
                "method": request.method,
                "path": f"/{path}",
                "query": request.url.query,
                "headers": dict(request.headers),
                "body": body.decode(),
            },
            status_code=201 if request.method == "POST" else 200,
            headers={"ETag": '"7"', "Location": f"/{path}/x", "X-Internal": "hidden"},
        )

    return app


class StubServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            stub_service_app(), host="127.0.0.1", port=self.port, log_config=None, lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> StubServer:
        self.task = asyncio.create_task(self.server.serve())
        await eventually(self._started, what="stub server started")
        return self

    async def _started(self) -> bool:
        return bool(self.server.started)

    async def __aexit__(self, *exc: object) -> None:
        self.server.should_exit = True
        if self.task is not None:
            await self.task


# What the database generates rather than the events: history ids, and the wall clock of
# the guards' writes.
GENERATED_COLUMNS = {
    "employee_history": {"id"},
    "applied_offset": {"updated_at"},
    "applied_event": {"applied_at"},
}


async def read_model(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every read-model table, rows sorted, without what the database generates."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    async with db.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.schema != SCHEMA:
                continue
            generated = GENERATED_COLUMNS.get(table.name, set())
            columns = [c for c in table.columns if c.name not in generated]
            rows = (await conn.execute(select(*columns))).all()
            tables[table.name] = sorted((tuple(map(repr, row)) for row in rows), key=str)
    return tables


def new_group() -> str:
    return f"gateway-{uuid.uuid4().hex[:8]}"


# Events of a small city: dinkes with a bidang, and disdik.

UNIT_IDS = {
    code: uuid.uuid5(uuid.NAMESPACE_DNS, f"{code}.test")
    for code in ("dinkes", "dinkes-p2p", "disdik")
}


def unit_created(code: str, parent: str | None = None, kind: str = "dinas") -> Envelope:
    from asn_schemas.pegawai import UnitCreatedV1, UnitSnapshot

    snapshot = UnitSnapshot(
        unit_id=UNIT_IDS[code],
        code=code,
        name=f"Unit {code}",
        kind=kind,
        parent_unit_id=UNIT_IDS[parent] if parent else None,
        parent_code=parent,
    )
    return event(UnitCreatedV1(unit=snapshot), code, sequence=1)


def snapshot(nip: str, unit: str, supervisor: str | None, **extra: Any) -> Any:
    from asn_schemas.pegawai import EmployeeSnapshot

    values: dict[str, Any] = {
        "nip": nip,
        "name": f"Pegawai {nip[-4:]}, S.T.",
        "sex": "male",
        "birth_date": date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8])),
        "asn_type": "pns",
        "status": "aktif",
        "golongan": "III/b",
        "pangkat": "Penata Muda Tingkat I",
        "tmt_golongan": date(2022, 4, 1),
        "position": {"name": "Analis Kepegawaian", "kind": "pelaksana"},
        "unit_id": UNIT_IDS[unit],
        "unit_code": unit,
        "supervisor_nip": supervisor,
    }
    values.update(extra)
    return EmployeeSnapshot.model_validate(values)


def registered(nip: str, unit: str, supervisor: str | None, **extra: Any) -> Envelope:
    from asn_schemas.pegawai import EmployeeRegisteredV1

    return event(
        EmployeeRegisteredV1(employee=snapshot(nip, unit, supervisor, **extra)), nip, sequence=1
    )


def promoted(nip: str, unit: str, supervisor: str | None, sequence: int) -> Envelope:
    from asn_schemas.pegawai import EmployeePromotedV1

    snap = snapshot(
        nip, unit, supervisor, golongan="III/c", pangkat="Penata", tmt_golongan=date(2026, 4, 1)
    )
    payload = EmployeePromotedV1(
        employee=snap,
        from_golongan="III/b",
        to_golongan="III/c",
        tmt=date(2026, 4, 1),
        kind="reguler",
    )
    return event(payload, nip, sequence=sequence)


CITY = (
    ("dinkes", None),
    ("dinkes-p2p", "dinkes"),
    ("disdik", None),
)
PEOPLE = (
    (HEAD, "dinkes", None),
    (MID, "dinkes-p2p", HEAD),
    (STAFF, "dinkes-p2p", MID),
    (OTHER, "disdik", None),
)


def city_events(topic: str) -> list[tuple[str, Envelope]]:
    events = [
        (topic, unit_created(code, parent, "bidang" if parent else "dinas"))
        for code, parent in CITY
    ]
    events += [(topic, registered(nip, unit, sup)) for nip, unit, sup in PEOPLE]
    return events

"""Helpers of the aspirasi integration tests: the service on its own database and topics,
units and holidays fed as pegawai and presensi events, and the ticket flows over HTTP."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from aiokafka import AIOKafkaProducer
from asn_schemas import CONTENT_TYPE, EventPayload, new_event
from asn_schemas.pegawai import UnitCreatedV1, UnitKind, UnitSnapshot
from asn_schemas.presensi import HolidayDeclaredV1, HolidayKind
from aspirasi import sla
from aspirasi.main import create_app, migrate
from aspirasi.settings import AspirasiSettings
from servicekit.db import Database
from servicekit.testing import answers_as_declared, eventually
from servicekit.testing import read_topic_events as read_topic
from sqlalchemy import text

WIB = ZoneInfo("Asia/Jakarta")
COORDINATOR = "198201012008011001"
DINKES_ADMIN = "198505052010012002"
DISDIK_ADMIN = "198707072012011003"
AUDITOR = "197901012005011004"
UNITS = {"dinkes": uuid.UUID(int=1), "disdik": uuid.UUID(int=2), "lama": uuid.UUID(int=3)}


@dataclass
class Clock:
    """The service's clock for a test: a fixed instant the test moves explicitly."""

    now: datetime = field(default_factory=lambda: datetime(2026, 11, 2, 9, 0, tzinfo=WIB))

    def __call__(self) -> datetime:
        return self.now

    def set(self, y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> None:
        self.now = datetime(y, m, d, hh, mm, tzinfo=WIB)


@dataclass
class Service:
    client: httpx.AsyncClient
    db: Database
    settings: AspirasiSettings
    runtime: Any
    token_for: Callable[..., str]
    clock: Clock

    async def staff(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        as_: str = COORDINATOR,
        roles: tuple[str, ...] = ("admin_aspirasi",),
        unit: str | None = None,
    ) -> httpx.Response:
        token = self.token_for(as_, *roles, unit=unit)
        return await self.client.request(
            method, path, json=body, headers={"Authorization": f"Bearer {token}"}
        )

    async def unit_admin(
        self, method: str, path: str, body: Any = None, *, unit: str = "dinkes"
    ) -> httpx.Response:
        nip = DINKES_ADMIN if unit == "dinkes" else DISDIK_ADMIN
        return await self.staff(method, path, body, as_=nip, roles=("admin_opd",), unit=unit)

    async def public(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        secret: str | None = None,
        client: str = "203.0.113.7",
    ) -> httpx.Response:
        headers = {"X-Forwarded-For": client}
        if secret is not None:
            headers["X-Ticket-Secret"] = secret
        return await self.client.request(method, path, json=body, headers=headers)

    async def submit(self, **fields: Any) -> dict[str, Any]:
        body = {
            "kind": "pengaduan",
            "title": "Antrean puskesmas terlalu lama",
            "text": "Saya menunggu tiga jam di Puskesmas Talawi tanpa kejelasan.",
            "privacy": "anonim",
            **fields,
        }
        client = fields.pop("client", None) or f"198.51.100.{uuid.uuid4().int % 250}"
        body.pop("client", None)
        response = await self.public("POST", "/public/submissions", body, client=client)
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        async with self.db.read_session() as session:
            row = (
                await session.execute(
                    text("SELECT id FROM submission WHERE code = :c"), {"c": created["code"]}
                )
            ).scalar_one()
        created["id"] = str(row)
        return created

    async def sweep(self) -> sla.SweepReport:
        return await sla.sweep(self.runtime, self.clock())

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.db.read_session() as session:
            return (await session.execute(text(sql), params)).scalar()

    async def published_events(self, expected: int) -> list[dict[str, Any]]:
        async def done() -> bool:
            n = await self.scalar("SELECT count(*) FROM outbox WHERE published")
            return int(n) >= expected

        await eventually(done, what=f"{expected} events published")
        return await read_topic(self.settings.kafka_bootstrap, self.settings.topic)

    async def publish(self, topic: str, payload: EventPayload, subject: str) -> None:
        envelope = new_event(
            payload, subject=subject, actor="system:test", source=f"/sawahlunto/{payload.service()}"
        )
        producer = AIOKafkaProducer(bootstrap_servers=self.settings.kafka_bootstrap, acks="all")
        await producer.start()
        try:
            await producer.send_and_wait(
                topic,
                value=envelope.to_json_bytes(),
                key=subject.encode(),
                headers=[("content-type", CONTENT_TYPE.encode())],
            )
        finally:
            await producer.stop()

    async def add_unit(self, code: str, *, active: bool = True) -> None:
        unit_id = UNITS.get(code) or uuid.uuid5(uuid.NAMESPACE_DNS, f"{code}.sawahlunto.go.id")
        snap = UnitSnapshot(
            unit_id=unit_id, code=code, name=f"Dinas {code}", kind=UnitKind.DINAS, active=active
        )
        await self.publish(self.settings.pegawai_topic, UnitCreatedV1(unit=snap), code)

        async def arrived() -> bool:
            return bool(await self.scalar("SELECT count(*) FROM unit WHERE code = :c", c=code))

        await eventually(arrived, what=f"unit {code} in the replica")

    async def declare_holiday(self, day: date, name: str = "Libur") -> None:
        payload = HolidayDeclaredV1(
            holiday_id=uuid.uuid4(), date=day, name=name, kind=HolidayKind.LIBUR_NASIONAL
        )
        await self.publish(self.settings.presensi_topic, payload, day.isoformat())

        async def arrived() -> bool:
            n = await self.scalar("SELECT count(*) FROM holiday WHERE date = :d", d=day)
            return bool(n)

        await eventually(arrived, what=f"holiday {day} in the replica")

    async def answered(self, sub: dict[str, Any], unit: str = "dinkes") -> None:
        """Route, follow up and answer a ticket (the happy path up to the answer)."""
        sid = sub["id"]
        steps = [
            await self.staff("POST", f"/submissions/{sid}/route", {"unit_code": unit}),
            await self.unit_admin(
                "POST", f"/submissions/{sid}/follow-up", {"text": "Sedang kami periksa."}, unit=unit
            ),
            await self.unit_admin(
                "POST", f"/submissions/{sid}/answer", {"text": "Jadwal dokter ditambah."}, unit=unit
            ),
        ]
        for response in steps:
            assert response.status_code == 200, response.text


async def aspirasi_settings(new_database, new_topic, kafka_bootstrap, dev_keys, **extra: Any):
    return AspirasiSettings(
        database_url=await new_database("aspirasi"),
        kafka_bootstrap=kafka_bootstrap,
        jwt_public_key_file=dev_keys[1],
        environment="test",
        events_topic=await new_topic("aspirasi"),
        pegawai_topic=await new_topic("pegawai"),
        presensi_topic=await new_topic("presensi"),
        consumer_group=f"aspirasi-{uuid.uuid4().hex[:8]}",
        relay_poll_interval_s=0.2,
        log_json=False,
        sla_sweep_enabled=False,  # tests sweep explicitly, at the instants they choose
        # Tests of the notices run the sender themselves, or turn its loop on.
        **{"notify_enabled": False, **extra},
    )


async def running(settings: AspirasiSettings, token_for, clock: Clock) -> AsyncIterator[Service]:
    await asyncio.to_thread(migrate, settings)
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://aspirasi",
            event_hooks={"response": [answers_as_declared(app)]},
        ) as client:
            runtime = app.state.runtime
            yield Service(client, runtime.db, settings, runtime, token_for, clock)

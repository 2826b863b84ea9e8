"""Helpers of the presensi integration tests: the service handle, a settable clock, pegawai
events published on the test's own topic, and Kafka reads."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from asn_schemas import CONTENT_TYPE, Envelope, EventPayload, new_event
from asn_schemas.pegawai import EmployeeSnapshot, UnitSnapshot
from presensi.domain.calendar import WIB
from presensi.settings import PresensiSettings
from servicekit.db import Database
from servicekit.testing import eventually
from servicekit.testing import read_topic_events as read_topic
from sqlalchemy import text

BKPSDM_NIP = "197001011995031001"
HEAD = "197505052000031002"  # kepala dinas, no supervisor
MID = "198001012005011003"  # reports to HEAD
STAFF = "199002022015032004"  # reports to MID (female PNS since 2015)
PPPK = "199505052022012005"  # reports to MID (female PPPK since 2022)
OTHER = "198808082012121005"  # in another unit, no supervisor

UNITS = {
    "dinkes": uuid.UUID("0190c0a0-1111-7000-8000-000000000001"),
    "disdik": uuid.UUID("0190c0a0-2222-7000-8000-000000000002"),
}
DINKES_LOCATION = (-0.6817, 100.7765)


@dataclass
class Clock:
    """The server's clock for a test: a fixed instant the test moves explicitly."""

    now: datetime = field(default_factory=lambda: datetime(2025, 3, 3, 7, 41, tzinfo=WIB))

    def __call__(self) -> datetime:
        return self.now

    def set(self, y: int, m: int, d: int, hh: int, mm: int) -> None:
        self.now = datetime(y, m, d, hh, mm, tzinfo=WIB)


@dataclass
class Service:
    client: httpx.AsyncClient
    db: Database
    settings: PresensiSettings
    bootstrap: str
    token_for: Callable[..., str]
    clock: Clock

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
        sub, *roles = as_
        token = self.token_for(sub, *(roles or ["pegawai"]), unit=unit)
        all_headers = {"Authorization": f"Bearer {token}", **(headers or {})}
        return await self.client.request(method, path, json=body, headers=all_headers)

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.db.read_session() as session:
            return (await session.execute(text(sql), params)).scalar()

    async def counts(self) -> dict[str, int]:
        """Row counts of every state table, to show that a refusal changed nothing."""
        result = {}
        for table in (
            "attendance",
            "leave_request",
            "leave_ledger",
            "official_travel",
            "day_status",
            "holiday",
            "outbox",
            "idempotency_key",
        ):
            result[table] = int(await self.scalar(f"SELECT count(*) FROM {table}"))  # noqa: S608
        return result

    async def publish(self, payload: EventPayload, subject: str, sequence: int = 1) -> Envelope:
        envelope = new_event(
            payload,
            subject=subject,
            actor=BKPSDM_NIP,
            source="/sawahlunto/pegawai",
            sequence=sequence,
        )
        await self.publish_envelope(envelope)
        return envelope

    async def publish_envelope(self, envelope: Envelope) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, acks="all")
        await producer.start()
        try:
            await producer.send_and_wait(
                self.settings.pegawai_topic,
                value=envelope.to_json_bytes(),
                key=(envelope.subject or "").encode(),
                headers=[("content-type", CONTENT_TYPE.encode())],
            )
        finally:
            await producer.stop()

    async def consumed(self, count: int) -> None:
        """Wait until the replica's consumer has applied `count` events (inbox rows)."""

        async def done() -> bool:
            return int(await self.scalar("SELECT count(*) FROM inbox")) >= count

        await eventually(done, what=f"{count} pegawai events consumed")

    async def outbox_total(self) -> int:
        return int(await self.scalar("SELECT count(*) FROM outbox"))

    async def published_events(self, expected: int) -> list[dict[str, Any]]:
        async def done() -> bool:
            published = await self.scalar("SELECT count(*) FROM outbox WHERE published")
            return int(published) >= expected

        await eventually(done, what=f"{expected} events published")
        return await read_topic(self.bootstrap, self.settings.events_topic or "")


def unit(code: str) -> UnitSnapshot:
    return UnitSnapshot.model_validate(
        {
            "unit_id": str(UNITS[code]),
            "code": code,
            "name": f"Dinas {code}",
            "kind": "dinas",
            "latitude": DINKES_LOCATION[0],
            "longitude": DINKES_LOCATION[1],
            "geofence_radius_m": 150,
        }
    )


def snapshot(
    nip: str, unit_code: str, supervisor: str | None, *, status: str = "aktif"
) -> EmployeeSnapshot:
    pppk = nip == PPPK
    return EmployeeSnapshot.model_validate(
        {
            "nip": nip,
            "name": f"Pegawai {nip[-4:]}",
            "sex": "male" if nip[14] == "1" else "female",
            "birth_date": date(int(nip[:4]), int(nip[4:6]), int(nip[6:8])).isoformat(),
            "asn_type": "pppk" if pppk else "pns",
            "status": status,
            "golongan": "IX" if pppk else "III/b",
            "pangkat": None if pppk else "Penata Muda Tingkat I",
            "tmt_golongan": "2022-04-01",
            "position": {"name": "Analis", "kind": "pelaksana"},
            "unit_id": str(UNITS[unit_code]),
            "unit_code": unit_code,
            "supervisor_nip": supervisor,
        }
    )


def at_utc(y: int, m: int, d: int, hh: int, mm: int) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=WIB).astimezone(UTC)

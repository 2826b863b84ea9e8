"""Helpers of the pegawai integration tests: the service handle, test data, Kafka reads."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
from pegawai.settings import PegawaiSettings
from servicekit.db import Database
from servicekit.testing import eventually
from servicekit.testing import read_topic_events as read_topic
from sqlalchemy import text

BKPSDM_NIP = "197001011995031001"


@dataclass
class Service:
    client: httpx.AsyncClient
    db: Database
    settings: PegawaiSettings
    bootstrap: str
    token_for: Callable[..., str]

    def auth(self, sub: str = BKPSDM_NIP, *roles: str, unit: str | None = None) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.token_for(sub, *(roles or ('bkpsdm',)), unit=unit)}"
        }

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        as_: tuple[str, ...] | None = None,
        unit: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sub, *roles = as_ or (BKPSDM_NIP, "bkpsdm")
        all_headers = {**self.auth(sub, *roles, unit=unit), **(headers or {})}
        return await self.client.request(method, path, json=body, headers=all_headers)

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.db.read_session() as session:
            return (await session.execute(text(sql), params)).scalar()

    async def outbox_count(self) -> int:
        return int(await self.scalar("SELECT count(*) FROM outbox"))

    async def published_events(self, expected: int) -> list[dict[str, Any]]:
        """Wait until the relay has put `expected` events on the topic; return them all."""
        await eventually(lambda: self._all_published(expected), what=f"{expected} events published")
        return await read_topic(self.bootstrap, self.settings.events_topic)

    async def _all_published(self, expected: int) -> bool:
        published = await self.scalar("SELECT count(*) FROM outbox WHERE published")
        return int(published) >= expected


def unit_body(code: str, parent: str | None = None, kind: str = "dinas") -> dict[str, Any]:
    return {
        "code": code,
        "name": f"Unit {code}",
        "kind": kind,
        "parent_code": parent,
        "latitude": -0.68,
        "longitude": 100.78,
        "geofence_radius_m": 150,
    }


def employee_body(nip: str, unit: str, supervisor: str | None = None, **extra: Any) -> dict:
    birth = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    tmt_cpns = extra.get("tmt_cpns") or date(int(nip[8:12]), int(nip[12:14]), 1).isoformat()
    body = {
        "nip": nip,
        "name": f"Pegawai {nip[-4:]}, S.T.",
        "sex": "male" if nip[14] == "1" else "female",
        "birth_date": birth.isoformat(),
        "asn_type": "pns",
        "golongan": "III/b",
        "tmt_golongan": "2022-04-01",
        "tmt_cpns": tmt_cpns,
        "position": {"name": "Analis Kepegawaian", "kind": "pelaksana"},
        "unit_code": unit,
        "supervisor_nip": supervisor,
        "education": "s1",
        "phone": "+62 812 0000 0000",
        "address": "Jl. Soekarno-Hatta No. 1, Sawahlunto",
    }
    body.update(extra)
    return body


HEAD = "197505052000031002"  # kepala dinas
MID = "198001012005011003"  # reports to HEAD
STAFF = "199002022015032004"  # reports to MID
OTHER = "198808082012121005"  # in another dinas


async def publish_appraisal(
    service: Service, nip: str, year: int, predikat: str, *, appraiser: str = HEAD
) -> None:
    """Publish a finalized annual appraisal as kinerja would, on the test's kinerja topic."""
    from datetime import UTC, datetime

    from aiokafka import AIOKafkaProducer
    from asn_schemas import CONTENT_TYPE, new_event
    from asn_schemas.kinerja import AppraisalFinalizedV1

    payload = AppraisalFinalizedV1.model_validate(
        {
            "appraisal_id": str(uuid.uuid4()),
            "nip": nip,
            "period": {
                "kind": "annual",
                "year": year,
                "start": f"{year}-01-01",
                "end": f"{year}-12-31",
            },
            "predikat": predikat,
            "rating_hasil_kerja": "sesuai_ekspektasi",
            "rating_perilaku_kerja": "sesuai_ekspektasi",
            "appraiser_nip": appraiser if appraiser != nip else MID,
            "finalized_at": datetime.now(UTC).isoformat(),
        }
    )
    envelope = new_event(payload, subject=nip, actor=appraiser, source="/sawahlunto/kinerja")
    producer = AIOKafkaProducer(bootstrap_servers=service.bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(
            service.settings.kinerja_topic,
            value=envelope.to_json_bytes(),
            key=nip.encode(),
            headers=[("content-type", CONTENT_TYPE.encode())],
        )
    finally:
        await producer.stop()


async def appraisals_arrived(service: Service, nip: str, count: int) -> None:
    async def arrived() -> bool:
        found = await service.scalar("SELECT count(*) FROM appraisal WHERE nip = :nip", nip=nip)
        return int(found) >= count

    await eventually(arrived, what=f"{count} appraisals of {nip} consumed")

"""Helpers of the kinerja integration tests: the service handle, pegawai events fed to its
replica over Kafka, and the SKP/appraisal flows driven over HTTP."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from asn_schemas import CONTENT_TYPE, EventPayload, new_event
from asn_schemas.golongan import GolonganPns, Pangkat
from asn_schemas.pegawai import (
    AsnType,
    EmployeeRegisteredV1,
    EmployeeSnapshot,
    EmployeeStatus,
    Position,
    PositionKind,
    Sex,
    UnitCreatedV1,
    UnitKind,
    UnitSnapshot,
)
from kinerja.main import create_app, migrate
from kinerja.settings import KinerjaSettings
from servicekit.db import Database
from servicekit.testing import answers_as_declared, eventually
from servicekit.testing import read_topic_events as read_topic
from sqlalchemy import text

BKPSDM_NIP = "197001011995031001"
HEAD = "197505052000031002"  # kepala dinas
MID = "198001012005011003"  # reports to HEAD
STAFF = "199002022015032004"  # reports to MID
OTHER = "198808082012121005"  # another dinas
DINKES = uuid.UUID("0190c0a0-0000-7000-8000-0000000000d1")
DINKES_P2P = uuid.UUID("0190c0a0-0000-7000-8000-0000000000d2")
DISDIK = uuid.UUID("0190c0a0-0000-7000-8000-0000000000d3")
UNIT_CODES = {DINKES: "dinkes", DINKES_P2P: "dinkes-p2p", DISDIK: "disdik"}
ALL_VALUES = (
    "berorientasi_pelayanan",
    "akuntabel",
    "kompeten",
    "harmonis",
    "loyal",
    "adaptif",
    "kolaboratif",
)


@dataclass
class Service:
    client: httpx.AsyncClient
    db: Database
    settings: KinerjaSettings
    bootstrap: str
    token_for: Callable[..., str]

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        as_: str | tuple[str, ...] = STAFF,
        unit: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sub, *roles = (as_,) if isinstance(as_, str) else as_
        token = self.token_for(sub, *(roles or ["pegawai"]), unit=unit)
        all_headers = {"Authorization": f"Bearer {token}", **(headers or {})}
        return await self.client.request(method, path, json=body, headers=all_headers)

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.db.read_session() as session:
            return (await session.execute(text(sql), params)).scalar()

    async def outbox_count(self) -> int:
        return int(await self.scalar("SELECT count(*) FROM outbox"))

    async def published_events(self, expected: int) -> list[dict[str, Any]]:
        """Wait until the relay has put `expected` events on the topic; return them all."""

        async def done() -> bool:
            n = await self.scalar("SELECT count(*) FROM outbox WHERE published")
            return int(n) >= expected

        await eventually(done, what=f"{expected} events published")
        return await read_topic(self.bootstrap, self.settings.topic)

    async def publish_pegawai(self, payload: EventPayload, subject: str, sequence: int) -> None:
        await publish(self.bootstrap, self.settings.pegawai_topic, payload, subject, sequence)

    async def publish_aspirasi(self, payload: EventPayload, subject: str) -> None:
        await publish(
            self.bootstrap, self.settings.aspirasi_topic, payload, subject, None, "aspirasi"
        )

    async def replica_has(self, nip: str, **expected: Any) -> None:
        async def arrived() -> bool:
            async with self.db.read_session() as session:
                row = (
                    (
                        await session.execute(
                            text("SELECT * FROM employee WHERE nip = :nip"), {"nip": nip}
                        )
                    )
                    .mappings()
                    .first()
                )
            return row is not None and all(row[k] == v for k, v in expected.items())

        await eventually(arrived, what=f"replica of {nip} with {expected}")


async def publish(
    bootstrap: str,
    topic: str,
    payload: EventPayload,
    subject: str,
    sequence: int | None,
    service: str = "pegawai",
) -> None:
    envelope = new_event(
        payload,
        subject=subject,
        actor=BKPSDM_NIP,
        source=f"/sawahlunto/{service}",
        sequence=sequence,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
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


def unit_snapshot(unit_id: uuid.UUID, parent: uuid.UUID | None = None) -> UnitSnapshot:
    return UnitSnapshot(
        unit_id=unit_id,
        code=UNIT_CODES[unit_id],
        name=f"Unit {UNIT_CODES[unit_id]}",
        kind=UnitKind.BIDANG if parent else UnitKind.DINAS,
        parent_unit_id=parent,
        parent_code=UNIT_CODES[parent] if parent else None,
    )


def snapshot(
    nip: str,
    unit_id: uuid.UUID,
    supervisor: str | None,
    status: EmployeeStatus = EmployeeStatus.AKTIF,
) -> EmployeeSnapshot:
    return EmployeeSnapshot(
        nip=nip,
        name=f"Pegawai {nip[-4:]}",
        sex=Sex.MALE if nip[14] == "1" else Sex.FEMALE,
        birth_date=date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8])),
        asn_type=AsnType.PNS,
        status=status,
        golongan=GolonganPns.III_B,
        pangkat=Pangkat.PENATA_MUDA_TINGKAT_I,
        tmt_golongan=date(2022, 4, 1),
        position=Position(name="Analis", kind=PositionKind.PELAKSANA),
        unit_id=unit_id,
        unit_code=UNIT_CODES[unit_id],
        supervisor_nip=supervisor,
    )


PEOPLE = {
    HEAD: (DINKES, None),
    MID: (DINKES_P2P, HEAD),
    STAFF: (DINKES_P2P, MID),
    OTHER: (DISDIK, None),
}


async def seed_people(service: Service) -> None:
    """Units and four employees, fed as pegawai events through Kafka into the replica."""
    for unit_id, parent in ((DINKES, None), (DINKES_P2P, DINKES), (DISDIK, None)):
        unit = unit_snapshot(unit_id, parent)
        await service.publish_pegawai(UnitCreatedV1(unit=unit), unit.code, 1)
    for nip, (unit_id, supervisor) in PEOPLE.items():
        await service.publish_pegawai(
            EmployeeRegisteredV1(employee=snapshot(nip, unit_id, supervisor)), nip, 1
        )
    for nip in PEOPLE:
        await service.replica_has(nip)

    async def units() -> bool:
        return int(await service.scalar("SELECT count(*) FROM unit")) == 3

    await eventually(units, what="unit replica")


def rhk(title: str = "Layanan vaksinasi", kind: str = "utama", **extra: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "title": title,
        "indicators": [
            {"aspect": "kuantitas", "description": "Sasaran terlayani", "target": "1000 orang"},
            {"aspect": "waktu", "description": "Selesai", "target": "12 bulan"},
        ],
        **extra,
    }


async def approved_skp(service: Service, nip: str, year: int, *, rater: str, **body: Any) -> dict:
    created = await service.call("POST", "/skp", {"year": year, "rhk": [rhk()], **body}, as_=nip)
    assert created.status_code == 201, created.text
    skp_id = created.json()["id"]
    assert (await service.call("POST", f"/skp/{skp_id}/submit", as_=nip)).status_code == 200
    approved = await service.call("POST", f"/skp/{skp_id}/approve", as_=rater)
    assert approved.status_code == 200, approved.text
    result: dict = approved.json()
    return result


def rating(hasil: str = "sesuai_ekspektasi", perilaku: str = "sesuai_ekspektasi") -> dict:
    return {
        "rating_hasil_kerja": hasil,
        "perilaku": [{"value": v, "rating": perilaku, "note": "Konsisten."} for v in ALL_VALUES],
    }


async def submitted_appraisal(
    service: Service, skp: dict, *, kind: str = "annual", number: int | None = None
) -> dict:
    nip = skp["nip"]
    period = {"kind": kind, "number": number}
    opened = await service.call(
        "POST", "/appraisals", {"skp_id": skp["id"], "period": period}, as_=nip
    )
    assert opened.status_code == 201, opened.text
    appraisal_id = opened.json()["id"]
    results = [
        {
            "rhk_id": r["id"],
            "realisasi": "1.050 orang terlayani",
            "evidence_links": ["https://drive.sawahlunto.go.id/bukti/1"],
        }
        for r in skp["rhk"]
    ]
    assessed = await service.call(
        "PUT", f"/appraisals/{appraisal_id}/self-assessment", {"results": results}, as_=nip
    )
    assert assessed.status_code == 200, assessed.text
    submitted = await service.call("POST", f"/appraisals/{appraisal_id}/submit", as_=nip)
    assert submitted.status_code == 200, submitted.text
    result: dict = submitted.json()
    return result


# The app itself, on its own database and topics.


async def kinerja_settings(new_database, new_topic, kafka_bootstrap, dev_keys, **extra):
    return KinerjaSettings(
        database_url=await new_database("kinerja"),
        kafka_bootstrap=kafka_bootstrap,
        jwt_public_key_file=dev_keys[1],
        environment="test",
        events_topic=extra.pop("events_topic", None) or await new_topic("kinerja"),
        pegawai_topic=extra.pop("pegawai_topic", None) or await new_topic("pegawai"),
        aspirasi_topic=extra.pop("aspirasi_topic", None) or await new_topic("aspirasi"),
        consumer_group=f"kinerja-{uuid.uuid4().hex[:8]}",
        relay_poll_interval_s=0.2,
        log_json=False,
        **extra,
    )


async def running(settings: KinerjaSettings, token_for) -> AsyncIterator[Service]:
    await asyncio.to_thread(migrate, settings)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://kinerja",
            event_hooks={"response": [answers_as_declared(app)]},
        ) as client:
            yield Service(
                client, app.state.runtime.db, settings, settings.kafka_bootstrap, token_for
            )

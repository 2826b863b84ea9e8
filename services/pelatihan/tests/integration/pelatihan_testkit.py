"""Helpers of the pelatihan integration tests: the service handle, pegawai and kinerja events
fed to it over Kafka, and programs set up over HTTP."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from asn_schemas import CONTENT_TYPE, EventPayload, new_event
from asn_schemas.golongan import PANGKAT_BY_GOLONGAN, GolonganPns
from asn_schemas.kinerja import (
    AppraisalFinalizedV1,
    AppraisalPeriod,
    CoreValue,
    PeriodKind,
    Predikat,
    Rating,
    ValueRating,
)
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
from pelatihan.main import create_app, migrate
from pelatihan.settings import PelatihanSettings
from servicekit.db import Database
from servicekit.testing import answers_as_declared, eventually
from servicekit.testing import read_topic_events as read_topic
from sqlalchemy import text

BKPSDM = "197001011995031001"
HEAD = "197505052000031002"  # kepala dinas, IV/b since 2018
MID = "198001012005011003"  # reports to HEAD
STAFF = "199002022015032004"  # reports to MID
OTHER = "198808082012121005"  # another dinas, no supervisor
DINKES = uuid.UUID("0190c0a0-0000-7000-8000-0000000000d1")
DINKES_P2P = uuid.UUID("0190c0a0-0000-7000-8000-0000000000d2")
DISDIK = uuid.UUID("0190c0a0-0000-7000-8000-0000000000d3")
UNIT_CODES = {DINKES: "dinkes", DINKES_P2P: "dinkes-p2p", DISDIK: "disdik"}
TODAY = datetime.now(UTC).date()
NEXT_YEAR = TODAY.year + 1


@dataclass
class Service:
    client: httpx.AsyncClient
    db: Database
    settings: PelatihanSettings
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

    async def bkpsdm(self, method: str, path: str, body: Any = None) -> httpx.Response:
        return await self.call(method, path, body, as_=(BKPSDM, "bkpsdm"))

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.db.read_session() as session:
            return (await session.execute(text(sql), params)).scalar()

    async def events(self, expected: int) -> list[dict[str, Any]]:
        """Wait until the relay has put `expected` events on the topic; return them all."""

        async def done() -> bool:
            n = await self.scalar("SELECT count(*) FROM outbox WHERE published")
            return int(n) >= expected

        await eventually(done, what=f"{expected} events published")
        return await read_topic(self.bootstrap, self.settings.topic)

    async def publish(
        self, topic: str, payload: EventPayload, subject: str, seq: int | None
    ) -> None:
        source = "/sawahlunto/" + payload.service()
        envelope = new_event(payload, subject=subject, actor=BKPSDM, source=source, sequence=seq)
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, acks="all")
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

    async def publish_pegawai(self, payload: EventPayload, subject: str, seq: int) -> None:
        await self.publish(self.settings.pegawai_topic, payload, subject, seq)

    async def wait_for(self, sql: str, what: str, **params: Any) -> None:
        async def ok() -> bool:
            return bool(await self.scalar(sql, **params))

        await eventually(ok, what=what)


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
    *,
    status: EmployeeStatus = EmployeeStatus.AKTIF,
    golongan: GolonganPns = GolonganPns.III_B,
    tmt: date = date(2022, 4, 1),
) -> EmployeeSnapshot:
    return EmployeeSnapshot(
        nip=nip,
        name=f"Pegawai {nip[-4:]}",
        sex=Sex.MALE if nip[14] == "1" else Sex.FEMALE,
        birth_date=date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8])),
        asn_type=AsnType.PNS,
        status=status,
        golongan=golongan,
        pangkat=PANGKAT_BY_GOLONGAN[golongan],
        tmt_golongan=tmt,
        position=Position(name="Analis", kind=PositionKind.PELAKSANA),
        unit_id=unit_id,
        unit_code=UNIT_CODES[unit_id],
        supervisor_nip=supervisor,
    )


PEOPLE: dict[str, tuple[uuid.UUID, str | None, GolonganPns]] = {
    HEAD: (DINKES, None, GolonganPns.IV_B),
    MID: (DINKES_P2P, HEAD, GolonganPns.III_D),
    STAFF: (DINKES_P2P, MID, GolonganPns.III_B),
    OTHER: (DISDIK, None, GolonganPns.III_A),
}


async def seed_people(service: Service) -> None:
    """Units and four employees, fed as pegawai events through Kafka into the replica."""
    for unit_id, parent in ((DINKES, None), (DINKES_P2P, DINKES), (DISDIK, None)):
        unit = unit_snapshot(unit_id, parent)
        await service.publish_pegawai(UnitCreatedV1(unit=unit), unit.code, 1)
    for nip, (unit_id, supervisor, golongan) in PEOPLE.items():
        snap = snapshot(nip, unit_id, supervisor, golongan=golongan, tmt=date(2018, 4, 1))
        await service.publish_pegawai(EmployeeRegisteredV1(employee=snap), nip, 1)
    await service.wait_for("SELECT count(*) = 4 FROM employee", "employee replica")
    await service.wait_for("SELECT count(*) = 3 FROM unit", "unit replica")


def finalized(
    nip: str,
    *,
    hasil: Rating = Rating.DI_BAWAH_EKSPEKTASI,
    below: tuple[CoreValue, ...] = (),
    appraisal_id: uuid.UUID | None = None,
) -> AppraisalFinalizedV1:
    year = TODAY.year - 1
    perilaku = tuple(
        ValueRating(
            value=v,
            rating=Rating.DI_BAWAH_EKSPEKTASI if v in below else Rating.SESUAI_EKSPEKTASI,
        )
        for v in CoreValue
    )
    return AppraisalFinalizedV1(
        appraisal_id=appraisal_id or uuid.uuid4(),
        nip=nip,
        period=AppraisalPeriod(
            kind=PeriodKind.ANNUAL, year=year, start=date(year, 1, 1), end=date(year, 12, 31)
        ),
        predikat=Predikat.BUTUH_PERBAIKAN,
        rating_hasil_kerja=hasil,
        rating_perilaku_kerja=Rating.SESUAI_EKSPEKTASI,
        appraiser_nip=MID if nip != MID else HEAD,
        finalized_at=datetime.now(UTC),
        annual=True,
        unit_code=None,
        perilaku=perilaku,
    )


async def institution(service: Service, **overrides: Any) -> dict[str, Any]:
    body = {
        "name": f"BPSDM Provinsi Sumatera Barat {uuid.uuid4().hex[:6]}",
        "kind": "bpsdm_provinsi",
        "agreement_number": "PKS-01/BPSDM/2025",
        "valid_from": date(TODAY.year - 1, 1, 1).isoformat(),
        "valid_until": date(NEXT_YEAR + 1, 12, 31).isoformat(),
        **overrides,
    }
    created = await service.bkpsdm("POST", "/institutions", body)
    assert created.status_code == 201, created.text
    result: dict[str, Any] = created.json()
    return result


async def program(
    service: Service, inst: dict[str, Any], *, publish: bool = True, **overrides: Any
) -> dict[str, Any]:
    start = TODAY + timedelta(days=30)
    body = {
        "title": "Bimtek Pengadaan Barang/Jasa",
        "kind": "bimtek",
        "institution_id": inst["id"],
        "jp": 24,
        "start": start.isoformat(),
        "end": (start + timedelta(days=3)).isoformat(),
        "place": "Sawahlunto",
        "quota": 10,
        "cost_per_participant": 2_000_000,
        "competencies": ["hasil_kerja", "pengadaan"],
        **overrides,
    }
    created = await service.bkpsdm("POST", "/programs", body)
    assert created.status_code == 201, created.text
    result: dict[str, Any] = created.json()
    if publish:
        published = await service.bkpsdm("POST", f"/programs/{result['id']}/publish")
        assert published.status_code == 200, published.text
        result = published.json()
    return result


async def budget(service: Service, unit_code: str, year: int, allocated: int) -> None:
    put = await service.bkpsdm(
        "PUT", f"/training-budgets/{unit_code}/{year}", {"allocated": allocated}
    )
    assert put.status_code == 200, put.text


async def approved(service: Service, program_id: str, nip: str, supervisor: str | None) -> dict:
    """An enrolment through both approvals."""
    enrolled = await service.call("POST", "/enrollments", {"program_id": program_id}, as_=nip)
    assert enrolled.status_code == 201, enrolled.text
    eid = enrolled.json()["id"]
    if supervisor is not None:
        ok = await service.call(
            "POST", f"/enrollments/{eid}/decision", {"decision": "approve"}, as_=supervisor
        )
        assert ok.status_code == 200, ok.text
    final = await service.bkpsdm("POST", f"/enrollments/{eid}/decision", {"decision": "approve"})
    assert final.status_code == 200, final.text
    result: dict = final.json()
    return result


async def pelatihan_settings(new_database, new_topic, kafka_bootstrap, dev_keys, **extra):
    return PelatihanSettings(
        database_url=await new_database("pelatihan"),
        kafka_bootstrap=kafka_bootstrap,
        jwt_public_key_file=dev_keys[1],
        environment="test",
        events_topic=await new_topic("pelatihan"),
        pegawai_topic=await new_topic("pegawai"),
        kinerja_topic=await new_topic("kinerja"),
        consumer_group=f"pelatihan-{uuid.uuid4().hex[:8]}",
        relay_poll_interval_s=0.2,
        log_json=False,
        **extra,
    )


async def running(settings: PelatihanSettings, token_for) -> AsyncIterator[Service]:
    await asyncio.to_thread(migrate, settings)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://pelatihan",
            event_hooks={"response": [answers_as_declared(app)]},
        ) as client:
            yield Service(
                client, app.state.runtime.db, settings, settings.kafka_bootstrap, token_for
            )

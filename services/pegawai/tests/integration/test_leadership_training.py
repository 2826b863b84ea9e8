"""pelatihan's completed PKP/PKA/PKN becomes the DUK's latihan jabatan key (DOMAIN 1.11)."""

import uuid
from datetime import date

import pytest
from aiokafka import AIOKafkaProducer
from asn_schemas import CONTENT_TYPE, new_event
from asn_schemas.pelatihan import CompletionSource, ProgramKind, TrainingCompletedV1
from pegawai_testkit import BKPSDM_NIP, Service, employee_body
from servicekit.testing import eventually

pytestmark = pytest.mark.integration

OLDER = "198501012010011101"
YOUNGER = "199001012010011102"  # same pangkat, jabatan and TMT CPNS as OLDER


async def completed(service: Service, nip: str, kind: ProgramKind, end: date) -> None:
    payload = TrainingCompletedV1(
        completion_id=uuid.uuid4(),
        source=CompletionSource.PROGRAM,
        nip=nip,
        title=f"{kind.value.upper()} Angkatan I",
        kind=kind,
        klasikal=True,
        jp=240,
        institution="BPSDM Provinsi Sumatera Barat",
        certificate_number="STTPP-1",
        start=date(end.year, 1, 6),
        end=end,
    )
    envelope = new_event(payload, subject=nip, actor=BKPSDM_NIP, source="/sawahlunto/pelatihan")
    producer = AIOKafkaProducer(bootstrap_servers=service.bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(
            service.settings.pelatihan_topic,
            value=envelope.to_json_bytes(),
            key=nip.encode(),
            headers=[("content-type", CONTENT_TYPE.encode())],
        )
    finally:
        await producer.stop()


async def handled(service: Service, count: int) -> None:
    async def done() -> bool:
        found = await service.scalar(
            "SELECT count(*) FROM inbox WHERE event_type = 'pelatihan.training.completed.v1'"
        )
        return int(found) >= count

    await eventually(done, what=f"{count} completions consumed")


async def test_a_completed_pka_reorders_the_duk(service: Service):
    assert (
        await service.call(
            "POST", "/units", {"code": "dpmptsp", "name": "DPMPTSP", "kind": "dinas"}
        )
    ).status_code == 201
    for nip in (OLDER, YOUNGER):
        created = await service.call("POST", "/employees", employee_body(nip, "dpmptsp"))
        assert created.status_code == 201, created.text
    duk = (await service.call("GET", "/reports/duk?unit=dpmptsp")).json()
    assert [e["nip"] for e in duk["items"]] == [OLDER, YOUNGER]  # tied until age

    # A technical course is no latihan jabatan; the PKA is.
    await completed(service, OLDER, ProgramKind.TEKNIS, date(2024, 3, 1))
    await completed(service, YOUNGER, ProgramKind.PKA, date(2025, 8, 29))
    await handled(service, 2)
    duk = (await service.call("GET", "/reports/duk?unit=dpmptsp")).json()
    assert [(e["nip"], e["leadership_training"]) for e in duk["items"]] == [
        (YOUNGER, "2025-08-29"),
        (OLDER, None),
    ]
    # Read as of a day before the completion, the key is not there yet.
    before = (await service.call("GET", "/reports/duk?unit=dpmptsp&as_of=2025-08-28")).json()
    assert [e["nip"] for e in before["items"]] == [OLDER, YOUNGER]

    # A redelivered older leadership course does not undo the newer one.
    await completed(service, YOUNGER, ProgramKind.PKP, date(2019, 5, 1))
    await handled(service, 3)
    employee = (await service.call("GET", f"/employees/{YOUNGER}")).json()
    assert employee["leadership_training"] == "2025-08-29"

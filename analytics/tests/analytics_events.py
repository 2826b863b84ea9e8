"""A small, known set of the suite's events (made-up people) and a way to put them on topics."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

from aiokafka import AIOKafkaProducer
from asn_schemas import Envelope, EventPayload, new_event, source_for
from asn_schemas.examples import example_employee, example_payloads

ANI, BUDI = "199001012015032001", "198805052012031002"
SAMPLES = example_payloads()


def event(event_type: str, subject: str = ANI, **update: Any) -> Envelope:
    """The catalogue's example of `event_type` with `update` over its fields."""
    sample = SAMPLES[event_type]
    # Validated again, so strings become the enums and a wrong field fails here, not later.
    payload: EventPayload = type(sample).model_validate({**sample.model_dump(), **update})
    return new_event(
        payload,
        subject=subject,
        actor=subject,
        source=source_for(payload.service()),
        time=datetime(2025, 6, 1, tzinfo=UTC),
    )


def employee(nip: str, unit: str) -> dict[str, Any]:
    return {**example_employee().model_dump(), "nip": nip, "unit_code": unit}


def known_events() -> list[Envelope]:
    """Two employees in two units, and a little of everything the reports count."""
    ani, budi = employee(ANI, "dinkes"), employee(BUDI, "bkpsdm")
    promotion = SAMPLES["pegawai.employee.promoted.v1"].employee  # type: ignore[attr-defined]
    promoted = {**promotion.model_dump(), "nip": ANI, "unit_code": "dinkes"}
    annual = SAMPLES["kinerja.appraisal.finalized.v1"].period  # type: ignore[attr-defined]
    quarter = {**annual.model_dump(), "kind": "quarterly", "number": 1}
    checkin = "presensi.attendance.checked_in.v1"
    approved, cancelled = "presensi.leave.approved.v1", "presensi.leave.cancelled.v1"
    finalized = "kinerja.appraisal.finalized.v1"
    completed = "pelatihan.training.completed.v1"
    routed, breached = "aspirasi.submission.routed.v1", "aspirasi.sla.breached.v1"
    submission = SAMPLES[routed].submission  # type: ignore[attr-defined]
    first = {**submission.model_dump(), "submission_id": uuid4()}
    second = {**submission.model_dump(), "submission_id": uuid4()}
    return [
        event("pegawai.employee.registered.v1", ANI, employee=ani),
        event("pegawai.employee.registered.v1", BUDI, employee=budi),
        event(checkin, ANI, nip=ANI, unit_code="dinkes", minutes_late=11, date=date(2025, 3, 3)),
        event(
            checkin,
            ANI,
            nip=ANI,
            unit_code="dinkes",
            minutes_late=0,
            date=date(2025, 3, 4),
            late_category=None,
        ),
        event(
            checkin,
            BUDI,
            nip=BUDI,
            unit_code="bkpsdm",
            minutes_late=0,
            date=date(2025, 4, 1),
            late_category=None,
        ),
        event(approved, ANI, request_id=uuid4(), nip=ANI, working_days=3),
        event(approved, BUDI, request_id=uuid4(), nip=BUDI, working_days=2),
        event(cancelled, BUDI, nip=BUDI, working_days=2, was_approved=True),
        event(approved, BUDI, request_id=uuid4(), nip=BUDI, working_days=1, leave_type="sakit"),
        event(finalized, ANI, appraisal_id=uuid4(), nip=ANI, predikat="baik"),
        event(finalized, BUDI, appraisal_id=uuid4(), nip=BUDI, predikat="sangat_baik"),
        event(finalized, BUDI, appraisal_id=uuid4(), nip=BUDI, predikat="baik", period=quarter),
        event("pegawai.employee.promoted.v1", ANI, employee=promoted),
        event(completed, ANI, completion_id=uuid4(), nip=ANI, unit_code="dinkes", jp=24),
        event(completed, BUDI, completion_id=uuid4(), nip=BUDI, unit_code="bkpsdm", jp=10),
        event(routed, "c1", submission=first, unit_code="dinkes"),
        event(routed, "c2", submission=second, unit_code="dinkes"),
        event(breached, "c2", submission_id=second["submission_id"], unit_code="dinkes"),
    ]


async def publish(bootstrap: str, topic: str, values: list[bytes], keys: list[bytes]) -> None:
    """Put raw values on a topic as a service's relay would (the key keeps a NIP in order)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    try:
        sent = [
            await producer.send(topic, value, key=key)
            for value, key in zip(values, keys, strict=True)
        ]
        for future in sent:
            await future
    finally:
        await producer.stop()


async def publish_events(bootstrap: str, topic: str, events: list[Envelope]) -> None:
    await publish(
        bootstrap, topic, [e.to_json_bytes() for e in events], [e.subject.encode() for e in events]
    )

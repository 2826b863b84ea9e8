"""What pelatihan consumes: the employee and unit replica from pegawai, and finalized
appraisals from kinerja (training needs)."""

from __future__ import annotations

from asn_schemas.kinerja import AppraisalFinalizedV1
from asn_schemas.pegawai import PEGAWAI_EVENTS, UnitCreatedV1, UnitUpdatedV1
from pydantic import BaseModel
from servicekit.consumer import ConsumedEvent
from servicekit.runtime import ConsumerSpec
from servicekit.uow import UnitOfWork

from pelatihan import needs, replica
from pelatihan.settings import PelatihanSettings


def _typed(event: ConsumedEvent, models: tuple[type[BaseModel], ...]) -> BaseModel:
    payload = event.payload
    if isinstance(payload, BaseModel):
        return payload
    model = next(m for m in models if getattr(m, "event_type", None) == event.envelope.type)
    return model.model_validate(payload, extra="ignore")


async def on_unit(event: ConsumedEvent, uow: UnitOfWork) -> None:
    payload = _typed(event, PEGAWAI_EVENTS)
    assert isinstance(payload, UnitCreatedV1 | UnitUpdatedV1)
    await replica.apply_unit(uow.session, payload.unit)


async def on_employee(event: ConsumedEvent, uow: UnitOfWork) -> None:
    payload = _typed(event, PEGAWAI_EVENTS)
    snapshot = getattr(payload, "employee", None)
    assert snapshot is not None, "every employee event carries the snapshot"
    await replica.apply_employee(uow, event.envelope.sequence or 0, snapshot)


async def on_appraisal_finalized(event: ConsumedEvent, uow: UnitOfWork) -> None:
    payload = _typed(event, (AppraisalFinalizedV1,))
    assert isinstance(payload, AppraisalFinalizedV1)
    await needs.from_appraisal(uow, payload)


def consumer_specs(settings: PelatihanSettings) -> list[ConsumerSpec]:
    handlers = {
        model.event_type: on_unit if model.event_type.startswith("pegawai.unit.") else on_employee
        for model in PEGAWAI_EVENTS
    }
    handlers[AppraisalFinalizedV1.event_type] = on_appraisal_finalized
    return [
        ConsumerSpec(
            group_id=settings.consumer_group,
            topics=[settings.pegawai_topic, settings.kinerja_topic],
            handlers=handlers,
        )
    ]

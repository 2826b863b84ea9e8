"""What kinerja consumes: the employee and unit replica from pegawai."""

from __future__ import annotations

from asn_schemas.pegawai import PEGAWAI_EVENTS, UnitCreatedV1, UnitUpdatedV1
from pydantic import BaseModel
from servicekit.consumer import ConsumedEvent
from servicekit.runtime import ConsumerSpec
from servicekit.uow import UnitOfWork

from kinerja import replica
from kinerja.settings import KinerjaSettings


def _typed(event: ConsumedEvent) -> BaseModel:
    payload = event.payload
    if isinstance(payload, BaseModel):
        return payload
    model = next(m for m in PEGAWAI_EVENTS if m.event_type == event.envelope.type)
    return model.model_validate(payload, extra="ignore")


async def on_unit(event: ConsumedEvent, uow: UnitOfWork) -> None:
    payload = _typed(event)
    assert isinstance(payload, UnitCreatedV1 | UnitUpdatedV1)
    await replica.apply_unit(uow.session, payload.unit)


async def on_employee(event: ConsumedEvent, uow: UnitOfWork) -> None:
    payload = _typed(event)
    snapshot = getattr(payload, "employee", None)
    assert snapshot is not None, "every employee event carries the snapshot"
    await replica.apply_employee(uow.session, event, snapshot)


def consumer_specs(settings: KinerjaSettings) -> list[ConsumerSpec]:
    handlers = {
        model.event_type: on_unit if model.event_type.startswith("pegawai.unit.") else on_employee
        for model in PEGAWAI_EVENTS
    }
    return [
        ConsumerSpec(
            group_id=settings.consumer_group, topics=[settings.pegawai_topic], handlers=handlers
        )
    ]

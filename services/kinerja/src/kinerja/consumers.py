"""What kinerja consumes: the employee and unit replica from pegawai, and the citizens' unit
signals from aspirasi (context beside the organisation predikat)."""

from __future__ import annotations

from asn_schemas.aspirasi import UnitSignalComputedV1
from asn_schemas.pegawai import PEGAWAI_EVENTS, UnitCreatedV1, UnitUpdatedV1
from asn_schemas.registry import payload_model
from pydantic import BaseModel
from servicekit.consumer import ConsumedEvent
from servicekit.runtime import ConsumerSpec
from servicekit.uow import UnitOfWork

from kinerja import replica, signals
from kinerja.settings import KinerjaSettings


def _typed(event: ConsumedEvent) -> BaseModel:
    payload = event.payload
    if isinstance(payload, BaseModel):
        return payload
    model = payload_model(event.envelope.type)
    assert model is not None, "handlers are registered only for known types"
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


async def on_unit_signal(event: ConsumedEvent, uow: UnitOfWork) -> None:
    payload = _typed(event)
    assert isinstance(payload, UnitSignalComputedV1)
    await signals.apply(uow.session, payload)


def consumer_specs(settings: KinerjaSettings) -> list[ConsumerSpec]:
    handlers = {
        model.event_type: on_unit if model.event_type.startswith("pegawai.unit.") else on_employee
        for model in PEGAWAI_EVENTS
    }
    # aspirasi's other events (tickets, forums) are skipped by the consumer: not ours.
    handlers[UnitSignalComputedV1.event_type] = on_unit_signal
    return [
        ConsumerSpec(
            group_id=settings.consumer_group,
            topics=[settings.pegawai_topic, settings.aspirasi_topic],
            handlers=handlers,
        )
    ]

"""What aspirasi consumes: units from pegawai, holidays from presensi."""

from __future__ import annotations

from asn_schemas.pegawai import UnitCreatedV1, UnitUpdatedV1
from asn_schemas.presensi import HolidayDeclaredV1, HolidayRemovedV1
from asn_schemas.registry import payload_model
from pydantic import BaseModel
from servicekit.consumer import ConsumedEvent
from servicekit.runtime import ConsumerSpec
from servicekit.uow import UnitOfWork

from aspirasi import replica
from aspirasi.settings import AspirasiSettings


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


async def on_holiday_declared(event: ConsumedEvent, uow: UnitOfWork) -> None:
    payload = _typed(event)
    assert isinstance(payload, HolidayDeclaredV1)
    await replica.declare_holiday(uow.session, payload)


async def on_holiday_removed(event: ConsumedEvent, uow: UnitOfWork) -> None:
    payload = _typed(event)
    assert isinstance(payload, HolidayRemovedV1)
    await replica.remove_holiday(uow.session, payload)


def consumer_specs(settings: AspirasiSettings) -> list[ConsumerSpec]:
    return [
        ConsumerSpec(
            group_id=settings.consumer_group,
            topics=[settings.pegawai_topic, settings.presensi_topic],
            handlers={
                UnitCreatedV1.event_type: on_unit,
                UnitUpdatedV1.event_type: on_unit,
                HolidayDeclaredV1.event_type: on_holiday_declared,
                HolidayRemovedV1.event_type: on_holiday_removed,
            },
        )
    ]

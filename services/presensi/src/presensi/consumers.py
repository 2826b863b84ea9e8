"""The employee and unit replica, fed by `pegawai.events` (never by calling pegawai).

Every employee event carries the full snapshot, so each one upserts the replica row;
an older event (lower `sequence`) never overwrites a newer one, and the inbox makes a
redelivered event a no-op. A transfer changes the unit (so schedule and geofence follow
it) and the approver of open requests; a retirement stops check-ins and cancels the
open and not-yet-started leave requests.
"""

from __future__ import annotations

from typing import Any

from asn_schemas.pegawai import (
    EmployeePositionChangedV1,
    EmployeePromotedV1,
    EmployeeRegisteredV1,
    EmployeeRetiredV1,
    EmployeeSnapshot,
    EmployeeTransferredV1,
    EmployeeUpdatedV1,
    UnitCreatedV1,
    UnitUpdatedV1,
)
from pydantic import BaseModel
from servicekit.consumer import ConsumedEvent
from servicekit.runtime import ConsumerSpec
from servicekit.uow import UnitOfWork
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert

from presensi import leave_requests
from presensi.domain.leave_rules import service_start_from_nip
from presensi.models import EmployeeReplica, UnitReplica
from presensi.settings import PresensiSettings

_EMPLOYEE_EVENTS: tuple[type[BaseModel], ...] = (
    EmployeeRegisteredV1,
    EmployeeUpdatedV1,
    EmployeePromotedV1,
    EmployeeTransferredV1,
    EmployeePositionChangedV1,
    EmployeeRetiredV1,
)
_UNIT_EVENTS: tuple[type[BaseModel], ...] = (UnitCreatedV1, UnitUpdatedV1)


def _typed(event: ConsumedEvent, model: type[BaseModel]) -> Any:
    payload = event.payload
    if isinstance(payload, model):
        return payload
    return model.model_validate(payload, extra="ignore")


async def _upsert_employee(uow: UnitOfWork, emp: EmployeeSnapshot, sequence: int) -> bool:
    """Write the snapshot unless a newer one is already there; True when written."""
    values = {
        "nip": emp.nip,
        "name": emp.name,
        "sex": emp.sex.value,
        "asn_type": emp.asn_type.value,
        "status": emp.status.value,
        "unit_id": emp.unit_id,
        "unit_code": emp.unit_code,
        "supervisor_nip": emp.supervisor_nip,
        # pegawai's TMT CPNS; the NIP's digits only for events from before it was carried
        # (unreliable for PPPK, whose NI may not hold the month of first appointment).
        "service_start": emp.tmt_cpns or service_start_from_nip(emp.nip),
        "sequence": sequence,
    }
    statement = insert(EmployeeReplica).values(**values)
    excluded = statement.excluded
    upsert = statement.on_conflict_do_update(
        index_elements=["nip"],
        set_={**{k: excluded[k] for k in values if k != "nip"}, "updated_at": text("now()")},
        where=EmployeeReplica.__table__.c.sequence <= excluded.sequence,  # type: ignore[attr-defined]
    ).returning(EmployeeReplica.__table__.c.nip)  # type: ignore[attr-defined]
    return (await uow.session.execute(upsert)).first() is not None


async def on_employee_event(event: ConsumedEvent, uow: UnitOfWork) -> None:
    model = next(m for m in _EMPLOYEE_EVENTS if m.event_type == event.envelope.type)  # type: ignore[attr-defined]
    payload = _typed(event, model)
    sequence = event.envelope.sequence or 0
    written = await _upsert_employee(uow, payload.employee, sequence)
    if not written:
        return
    nip = payload.employee.nip
    # The approver of open requests is the current direct supervisor (transfer, new position).
    await uow.session.execute(
        text(
            "UPDATE leave_request SET approver_nip = :sup, version = version + 1, "
            "updated_at = now() WHERE nip = :nip AND status = 'menunggu_atasan' "
            "AND approver_nip IS DISTINCT FROM :sup"
        ),
        {"nip": nip, "sup": payload.employee.supervisor_nip},
    )
    if isinstance(payload, EmployeeRetiredV1):
        await uow.session.execute(
            text("UPDATE employee SET left_on = :tmt WHERE nip = :nip"),
            {"nip": nip, "tmt": payload.tmt},
        )
        await leave_requests.cancel_open_requests(uow, nip, payload.tmt, reason="employee_retired")


async def on_unit_event(event: ConsumedEvent, uow: UnitOfWork) -> None:
    model = next(m for m in _UNIT_EVENTS if m.event_type == event.envelope.type)  # type: ignore[attr-defined]
    unit = _typed(event, model).unit
    values = {
        "unit_id": unit.unit_id,
        "code": unit.code,
        "name": unit.name,
        "parent_code": unit.parent_code,
        "latitude": unit.latitude,
        "longitude": unit.longitude,
        "geofence_radius_m": unit.geofence_radius_m,
        "active": unit.active,
    }
    statement = insert(UnitReplica).values(**values)
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=["unit_id"],
        set_={**{k: excluded[k] for k in values if k != "unit_id"}, "updated_at": text("now()")},
    )
    await uow.session.execute(statement)


def consumer_specs(settings: PresensiSettings) -> list[ConsumerSpec]:
    handlers = {m.event_type: on_employee_event for m in _EMPLOYEE_EVENTS}  # type: ignore[attr-defined]
    handlers.update({m.event_type: on_unit_event for m in _UNIT_EVENTS})  # type: ignore[attr-defined]
    return [
        ConsumerSpec(
            group_id=settings.consumer_group,
            topics=[settings.pegawai_topic],
            handlers=handlers,
        )
    ]

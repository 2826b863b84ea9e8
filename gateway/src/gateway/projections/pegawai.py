"""pegawai.events → units, employees (latest snapshot) and their effective-dated history."""

from __future__ import annotations

from datetime import date
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
from servicekit.consumer import ConsumedEvent
from sqlalchemy import Executable, or_
from sqlalchemy.dialects.postgresql import insert

from gateway.models import employee, employee_history, unit
from gateway.projections.common import Projection, Write, payload


def _not_older(current: Any, incoming: Any) -> Any:
    """Per-aggregate order: an event with a lower `sequence` than what we hold is stale."""
    return or_(current.is_(None), incoming.is_(None), current <= incoming)


def _snapshot_upsert(table: Any, key: str, columns: tuple[str, ...]) -> Executable:
    statement = insert(table)
    return statement.on_conflict_do_update(
        index_elements=[key],
        set_={k: statement.excluded[k] for k in columns if k != key},
        where=_not_older(table.c.sequence, statement.excluded.sequence),
    )


_UNIT_COLUMNS = (
    "code",
    "unit_id",
    "name",
    "kind",
    "parent_code",
    "active",
    "sequence",
    "updated_at",
)
_EMPLOYEE_COLUMNS = (
    "nip",
    "name",
    "sex",
    "birth_date",
    "asn_type",
    "status",
    "golongan",
    "pangkat",
    "tmt_golongan",
    "position",
    "unit_id",
    "unit_code",
    "supervisor_nip",
    "retirement_date",
    "sequence",
    "updated_at",
)
_UPSERT_UNIT = _snapshot_upsert(unit, "code", _UNIT_COLUMNS)
_UPSERT_EMPLOYEE = _snapshot_upsert(employee, "nip", _EMPLOYEE_COLUMNS)
# The event-id guard already keeps a re-sent event out; the key keeps history right even
# for a writer that bypasses it.
_INSERT_HISTORY = insert(employee_history).on_conflict_do_nothing(
    index_elements=["event_id", "field"]
)


def on_unit(event: ConsumedEvent) -> list[Write]:
    if event.envelope.type == UnitCreatedV1.event_type:
        snapshot = payload(event, UnitCreatedV1).unit
    else:
        snapshot = payload(event, UnitUpdatedV1).unit
    values = {
        "code": snapshot.code,
        "unit_id": snapshot.unit_id,
        "name": snapshot.name,
        "kind": str(snapshot.kind),
        "parent_code": snapshot.parent_code,
        "active": snapshot.active,
        "sequence": event.envelope.sequence,
        "updated_at": event.envelope.time,
    }
    return [Write(_UPSERT_UNIT, values)]


def _upsert_employee(
    event: ConsumedEvent, snap: EmployeeSnapshot, retired_on: date | None
) -> Write:
    values = {
        "nip": snap.nip,
        "name": snap.name,
        "sex": str(snap.sex),
        "birth_date": snap.birth_date,
        "asn_type": str(snap.asn_type),
        "status": str(snap.status),
        "golongan": str(snap.golongan),
        "pangkat": str(snap.pangkat) if snap.pangkat else None,
        "tmt_golongan": snap.tmt_golongan,
        "position": snap.position.model_dump(mode="json"),
        "unit_id": snap.unit_id,
        "unit_code": snap.unit_code,
        "supervisor_nip": snap.supervisor_nip,
        # pegawai's date (its BUP rules and convention); null from events before it existed.
        "retirement_date": retired_on or snap.retirement_date,
        "sequence": event.envelope.sequence,
        "updated_at": event.envelope.time,
    }
    return Write(_UPSERT_EMPLOYEE, values)


def _history(
    event: ConsumedEvent, nip: str, rows: list[tuple[str, Any, date | None]]
) -> list[Write]:
    return [
        Write(
            _INSERT_HISTORY,
            {
                "nip": nip,
                "field": field,
                "value": value,
                "tmt": tmt,
                "event_type": event.envelope.type,
                "event_id": event.envelope.id,
                "recorded_at": event.envelope.time,
            },
        )
        for field, value, tmt in rows
    ]


def _unit_value(snap: EmployeeSnapshot) -> dict[str, str]:
    return {"unit_code": snap.unit_code, "unit_id": str(snap.unit_id)}


def on_registered(event: ConsumedEvent) -> list[Write]:
    snap = payload(event, EmployeeRegisteredV1).employee
    return [
        _upsert_employee(event, snap, None),
        *_history(
            event,
            snap.nip,
            [
                ("status", str(snap.status), None),
                ("golongan", str(snap.golongan), snap.tmt_golongan),
                ("position", snap.position.model_dump(mode="json"), None),
                ("unit", _unit_value(snap), None),
                ("supervisor", snap.supervisor_nip, None),
            ],
        ),
    ]


_FIELD_OF = {
    "status": "status",
    "golongan": "golongan",
    "position": "position",
    "unit_code": "unit",
    "unit_id": "unit",
    "supervisor_nip": "supervisor",
}


def on_updated(event: ConsumedEvent) -> list[Write]:
    data = payload(event, EmployeeUpdatedV1)
    snap = data.employee
    upsert = _upsert_employee(event, snap, None)
    values = {
        "status": str(snap.status),
        "golongan": str(snap.golongan),
        "position": snap.position.model_dump(mode="json"),
        "unit": _unit_value(snap),
        "supervisor": snap.supervisor_nip,
    }
    fields = dict.fromkeys(_FIELD_OF[f] for f in data.changed_fields if f in _FIELD_OF)
    return [upsert, *_history(event, snap.nip, [(f, values[f], None) for f in fields])]


def on_promoted(event: ConsumedEvent) -> list[Write]:
    data = payload(event, EmployeePromotedV1)
    upsert = _upsert_employee(event, data.employee, None)
    value = {"from": str(data.from_golongan), "to": str(data.to_golongan), "kind": str(data.kind)}
    return [upsert, *_history(event, data.employee.nip, [("golongan", value, data.tmt)])]


def on_transferred(event: ConsumedEvent) -> list[Write]:
    data = payload(event, EmployeeTransferredV1)
    upsert = _upsert_employee(event, data.employee, None)
    rows: list[tuple[str, Any, date | None]] = [
        ("unit", {"from": data.from_unit.unit_code, "to": data.to_unit.unit_code}, data.tmt)
    ]
    if data.from_supervisor_nip != data.to_supervisor_nip:
        rows.append(("supervisor", data.to_supervisor_nip, data.tmt))
    return [upsert, *_history(event, data.employee.nip, rows)]


def on_position_changed(event: ConsumedEvent) -> list[Write]:
    data = payload(event, EmployeePositionChangedV1)
    upsert = _upsert_employee(event, data.employee, None)
    rows: list[tuple[str, Any, date | None]] = [
        ("position", data.to_position.model_dump(mode="json"), data.tmt)
    ]
    if data.from_supervisor_nip != data.to_supervisor_nip:
        rows.append(("supervisor", data.to_supervisor_nip, data.tmt))
    return [upsert, *_history(event, data.employee.nip, rows)]


def on_retired(event: ConsumedEvent) -> list[Write]:
    data = payload(event, EmployeeRetiredV1)
    upsert = _upsert_employee(event, data.employee, data.tmt)
    value = {"status": str(data.employee.status), "reason": str(data.reason)}
    return [upsert, *_history(event, data.employee.nip, [("status", value, data.tmt)])]


PROJECTIONS: dict[str, Projection] = {
    UnitCreatedV1.event_type: on_unit,
    UnitUpdatedV1.event_type: on_unit,
    EmployeeRegisteredV1.event_type: on_registered,
    EmployeeUpdatedV1.event_type: on_updated,
    EmployeePromotedV1.event_type: on_promoted,
    EmployeeTransferredV1.event_type: on_transferred,
    EmployeePositionChangedV1.event_type: on_position_changed,
    EmployeeRetiredV1.event_type: on_retired,
}

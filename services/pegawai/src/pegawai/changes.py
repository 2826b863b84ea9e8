"""What every employee command shares: loading under lock, checks, history rows, events."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from asn_schemas import EventPayload
from servicekit.problems import check_if_match, conflict, invalid, not_found
from servicekit.uow import UnitOfWork
from sqlalchemy.ext.asyncio import AsyncSession

from pegawai import store
from pegawai.domain.hierarchy import closes_cycle
from pegawai.models import Employee, EmployeeHistory, Unit
from pegawai.views import LEFT_SERVICE


async def load_for_change(
    session: AsyncSession, nip: str, if_match: str | None, *, if_match_required: bool = False
) -> Employee:
    """The employee row locked for this transaction, at the version the caller saw."""
    emp = await store.employee(session, nip, for_update=True)
    if emp is None:
        raise not_found("employee", f"Pegawai dengan NIP {nip}")
    check_if_match(if_match, emp.version, required=if_match_required)
    return emp


def require_in_service(emp: Employee, action: str) -> None:
    if emp.status in LEFT_SERVICE:
        raise conflict(
            "employee_not_active",
            f"Pegawai berstatus {emp.status}: tidak dapat {action}.",
        )


def require_not_before(
    tmt: date, current: date, what: str, *, strictly_after: bool = False
) -> None:
    """A change cannot take effect before the one it replaces."""
    if tmt < current or (strictly_after and tmt == current):
        raise invalid(
            "tmt_before_current",
            f"TMT {tmt.isoformat()} tidak boleh {'sama dengan atau ' if strictly_after else ''}"
            f"sebelum TMT {what} saat ini ({current.isoformat()}).",
            field="tmt",
        )


async def check_supervisor(session: AsyncSession, nip: str, supervisor_nip: str | None) -> None:
    """The supervisor exists, is in service, and the chain stays a tree."""
    if supervisor_nip is None:
        return
    if supervisor_nip == nip:
        raise invalid(
            "supervisor_cycle",
            "Pegawai tidak dapat menjadi atasannya sendiri.",
            field="supervisor_nip",
        )
    supervisor = await store.employee(session, supervisor_nip)
    if supervisor is None:
        raise invalid(
            "unknown_supervisor",
            f"Atasan dengan NIP {supervisor_nip} tidak terdaftar.",
            field="supervisor_nip",
        )
    if supervisor.status in LEFT_SERVICE:
        raise invalid(
            "supervisor_not_active",
            f"Atasan berstatus {supervisor.status}.",
            field="supervisor_nip",
        )
    await session.execute(store.SUPERVISOR_TREE_LOCK)
    chain = await store.supervisor_chain(session, supervisor_nip)
    if closes_cycle(nip, supervisor_nip, chain):
        raise invalid(
            "supervisor_cycle",
            f"{supervisor_nip} berada di bawah {nip} dalam rantai atasan; perubahan ini "
            "membentuk lingkaran.",
            field="supervisor_nip",
        )


async def unit_for(session: AsyncSession, code: str, *, field: str) -> Unit:
    unit = await store.unit_by_code(session, code)
    if unit is None:
        raise invalid("unknown_unit", f"Unit {code} tidak terdaftar.", field=field)
    if not unit.active:
        raise invalid("unit_inactive", f"Unit {code} tidak aktif.", field=field)
    return unit


def record(
    uow: UnitOfWork,
    emp: Employee,
    field: str,
    value: Any,
    tmt: date,
    event_type: str,
    note: dict[str, Any] | None = None,
) -> None:
    uow.session.add(
        EmployeeHistory(
            nip=emp.nip,
            field=field,
            value=value,
            tmt=tmt,
            event_type=event_type,
            actor=uow.actor.sub,
            note=note,
        )
    )


def position_value(emp: Employee) -> dict[str, Any]:
    return {
        "code": emp.position_code,
        "name": emp.position_name,
        "kind": emp.position_kind,
        "level": emp.position_level,
    }


def unit_value(unit: Unit) -> dict[str, Any]:
    return {"unit_id": str(unit.id), "unit_code": unit.code}


def bump(emp: Employee) -> int:
    """A new version: the ETag and the event's per-employee `sequence`."""
    emp.version += 1
    emp.updated_at = datetime.now(UTC)
    return emp.version


async def snapshot_unit(session: AsyncSession, emp: Employee) -> Unit:
    unit = await session.get(Unit, emp.unit_id)
    assert unit is not None  # a foreign key guarantees it
    return unit


def emit(uow: UnitOfWork, emp: Employee, payload: EventPayload) -> None:
    uow.add_event(payload, subject=emp.nip, sequence=emp.version)

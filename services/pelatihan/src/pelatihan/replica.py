"""The employee and unit replica from `pegawai.events`, and what a transfer or a retirement
does to open enrolments: a transfer moves the approver and, before BKPSDM's approval,
the budget line; a retirement withdraws them (releasing any committed cost)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from asn_schemas.pegawai import EmployeeSnapshot, UnitSnapshot
from asn_schemas.pelatihan import WithdrawalReason
from servicekit.logging import get_logger
from servicekit.uow import UnitOfWork
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from pelatihan import programs, store
from pelatihan.models import Employee, Enrollment, LearningRecord, Unit

log = get_logger(__name__)

GONE = ("pensiun", "berhenti", "meninggal")


async def apply_unit(session: AsyncSession, unit: UnitSnapshot) -> None:
    statement = insert(Unit).values(
        id=unit.unit_id, code=unit.code, name=unit.name, parent_id=unit.parent_unit_id
    )
    statement = statement.on_conflict_do_update(
        index_elements=["id"],
        set_={"code": unit.code, "name": unit.name, "parent_id": unit.parent_unit_id},
    )
    await session.execute(statement)


async def apply_employee(uow: UnitOfWork, sequence: int, snap: EmployeeSnapshot) -> None:
    """Upsert the replica row; an older snapshot than the one held is ignored."""
    session = uow.session
    emp = await store.locked(session, Employee, snap.nip)
    if emp is not None and sequence and sequence <= emp.source_sequence:
        log.info("older employee snapshot ignored", sequence=sequence)
        return
    before = (emp.unit_id, emp.supervisor_nip, emp.status) if emp is not None else None
    values: dict[str, Any] = {
        "name": snap.name,
        "status": snap.status.value,
        "asn_type": snap.asn_type.value,
        "golongan": snap.golongan.value,
        "tmt_golongan": snap.tmt_golongan,
        "birth_date": snap.birth_date,
        "position_kind": snap.position.kind.value,
        "unit_id": snap.unit_id,
        "unit_code": snap.unit_code,
        "supervisor_nip": snap.supervisor_nip,
        "updated_at": datetime.now(UTC),
    }
    if emp is None:
        session.add(Employee(nip=snap.nip, source_sequence=sequence, event_sequence=0, **values))
        await session.flush()
        return
    for key, value in values.items():
        setattr(emp, key, value)
    emp.source_sequence = max(sequence, emp.source_sequence)
    await session.flush()
    assert before is not None
    if snap.status.value in GONE and before[2] not in GONE:
        await _withdraw_all(uow, snap.nip)
        return
    if before[0] != snap.unit_id:
        await _move_budget_line(session, snap)
    if before[1] != snap.supervisor_nip:
        await _new_approver(session, snap)


async def _withdraw_all(uow: UnitOfWork, nip: str) -> None:
    query = (
        select(Enrollment)
        .where(col(Enrollment.nip) == nip, col(Enrollment.status).in_(store.ACTIVE))
        .with_for_update()
    )
    for e in list((await uow.session.execute(query)).scalars()):
        await programs.release_seat(uow, e, "withdrawn", WithdrawalReason.RETIRED)


async def _move_budget_line(session: AsyncSession, snap: EmployeeSnapshot) -> None:
    """Enrolments BKPSDM has not approved yet follow the person to the new unit's budget;
    an approved one keeps the line its cost is committed to."""
    budget_unit = await store.budget_unit_code(session, snap.unit_id, snap.unit_code)
    await session.execute(
        update(Enrollment)
        .where(
            col(Enrollment.nip) == snap.nip,
            col(Enrollment.status).in_(("requested", "supervisor_approved")),
        )
        .values(
            unit_id=snap.unit_id,
            unit_code=snap.unit_code,
            budget_unit_code=budget_unit,
            version=col(Enrollment.version) + 1,
        )
    )


async def _new_approver(session: AsyncSession, snap: EmployeeSnapshot) -> None:
    await session.execute(
        update(Enrollment)
        .where(col(Enrollment.nip) == snap.nip, col(Enrollment.status) == "requested")
        .values(approver_nip=snap.supervisor_nip, version=col(Enrollment.version) + 1)
    )
    await session.execute(
        update(LearningRecord)
        .where(col(LearningRecord.nip) == snap.nip, col(LearningRecord.status) == "pending")
        .values(verifier_nip=snap.supervisor_nip, version=col(LearningRecord.version) + 1)
    )

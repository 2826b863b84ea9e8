"""The employee and unit replica from `pegawai.events`, and what a mutasi or a new
supervisor does to an SKP in progress: it is cut at the TMT and a new draft, with the
same RHK and the new supervisor, runs for the rest of the year (the earlier part kept)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from asn_schemas.pegawai import (
    EmployeePositionChangedV1,
    EmployeeSnapshot,
    EmployeeTransferredV1,
    EmployeeUpdatedV1,
    UnitSnapshot,
)
from servicekit.consumer import ConsumedEvent
from servicekit.logging import get_logger
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja import store
from kinerja.domain.periods import wib_date
from kinerja.domain.skp import SkpStatus, split_at
from kinerja.models import Employee, Rhk, Skp, Unit

log = get_logger(__name__)


async def apply_unit(session: AsyncSession, unit: UnitSnapshot) -> None:
    values = {"id": unit.unit_id, "code": unit.code, "name": unit.name}
    statement = insert(Unit).values(**values, parent_id=unit.parent_unit_id)
    statement = statement.on_conflict_do_update(
        index_elements=["id"],
        set_={"code": unit.code, "name": unit.name, "parent_id": unit.parent_unit_id},
    )
    await session.execute(statement)


async def apply_employee(
    session: AsyncSession, event: ConsumedEvent, snap: EmployeeSnapshot
) -> None:
    """Upsert the replica row; an older snapshot than the one held is ignored."""
    sequence = event.envelope.sequence or 0
    emp = await store.locked(session, Employee, snap.nip)
    if emp is not None and sequence and sequence <= emp.source_sequence:
        log.info("older employee snapshot ignored", sequence=sequence)
        return
    before = (emp.unit_id, emp.supervisor_nip) if emp is not None else None
    if emp is None:
        emp = Employee(
            nip=snap.nip,
            name=snap.name,
            status=snap.status.value,
            unit_id=snap.unit_id,
            unit_code=snap.unit_code,
            position_name=snap.position.name,
            position_kind=snap.position.kind.value,
        )
        session.add(emp)
    emp.name = snap.name
    emp.status = snap.status.value
    emp.unit_id = snap.unit_id
    emp.unit_code = snap.unit_code
    emp.supervisor_nip = snap.supervisor_nip
    emp.position_name = snap.position.name
    emp.position_kind = snap.position.kind.value
    emp.source_sequence = max(sequence, emp.source_sequence or 0)
    emp.updated_at = datetime.now(UTC)
    if before is not None and before != (snap.unit_id, snap.supervisor_nip):
        await session.flush()
        await _reassign(session, event, snap)


def _tmt(event: ConsumedEvent) -> date:
    payload = event.payload
    if isinstance(payload, EmployeeTransferredV1 | EmployeePositionChangedV1):
        return payload.tmt
    # An update (e.g. a new supervisor) carries no TMT: it holds from the event's day.
    return wib_date(event.envelope.time)


async def _reassign(session: AsyncSession, event: ConsumedEvent, snap: EmployeeSnapshot) -> None:
    tmt = _tmt(event)
    reason = "mutasi" if isinstance(event.payload, EmployeeTransferredV1) else "atasan_baru"
    if isinstance(event.payload, EmployeeUpdatedV1) and (
        "supervisor_nip" not in event.payload.changed_fields
        and "unit_id" not in event.payload.changed_fields
    ):
        return
    query = (
        select(Skp)
        .where(col(Skp.nip) == snap.nip, col(Skp.closed_on).is_(None), col(Skp.end) >= tmt)
        .with_for_update()
    )
    for skp in (await session.execute(query)).scalars():
        cut = split_at(skp.start, skp.end, tmt)
        if cut is None:
            # Starts on or after the change: it simply belongs to the new setting.
            skp.unit_id, skp.unit_code = snap.unit_id, snap.unit_code
            skp.rater_nip = snap.supervisor_nip
            skp.version += 1
            continue
        new = Skp(
            id=uuid.uuid4(),
            nip=skp.nip,
            year=skp.year,
            start=cut.new_start,
            end=cut.new_end,
            status=SkpStatus.DRAFT.value,
            unit_id=snap.unit_id,
            unit_code=snap.unit_code,
            rater_nip=snap.supervisor_nip,
            supersedes_id=skp.id,
        )
        skp.end = cut.earlier_end
        skp.closed_on = tmt
        skp.closed_reason = reason
        skp.version += 1
        skp.updated_at = datetime.now(UTC)
        session.add(new)
        await session.flush()
        for rhk in await store.rhk_of(session, skp.id):
            session.add(
                Rhk(
                    id=uuid.uuid4(),
                    skp_id=new.id,
                    position=rhk.position,
                    kind=rhk.kind,
                    title=rhk.title,
                    indicators=rhk.indicators,
                    supervisor_rhk_id=None,  # the new supervisor's RHK are different
                )
            )
        log.info("skp split by a change of unit or supervisor", reason=reason)

"""Training needs from finalized appraisals, and the programs they recommend."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from asn_schemas.kinerja import AppraisalFinalizedV1
from asn_schemas.pelatihan import NeedIdentifiedV1
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from pelatihan import store
from pelatihan.domain.dates import today_wib
from pelatihan.domain.needs_rules import competencies_needed, matches
from pelatihan.domain.programs_rules import ProgramStatus
from pelatihan.models import Enrollment, Program, TrainingNeed


async def recommended(
    session: AsyncSession, nip: str, competencies: list[str]
) -> list[tuple[Program, list[str]]]:
    """Published programs not yet started whose tags match, and which needs each meets;
    programs the person is already enrolled in are left out."""
    if not competencies:
        return []
    query = select(Program).where(
        col(Program.status) == ProgramStatus.PUBLISHED.value, col(Program.start) > today_wib()
    )
    enrolled = select(col(Enrollment.program_id)).where(
        col(Enrollment.nip) == nip, col(Enrollment.status).not_in(("withdrawn", "rejected"))
    )
    taken = {row[0] for row in await session.execute(enrolled)}
    found = []
    for program in (await session.execute(query.order_by(col(Program.start)))).scalars():
        met = [c for c in competencies if matches(program.competencies, [c])]
        if met and program.id not in taken:
            found.append((program, met))
    return found


async def from_appraisal(uow: UnitOfWork, payload: AppraisalFinalizedV1) -> None:
    wanted = competencies_needed(
        payload.rating_hasil_kerja, ((p.value, p.rating) for p in payload.perilaku or ())
    )
    if not wanted:
        return
    session = uow.session
    emp = await store.employee(session, payload.nip)
    unit_id = payload.unit_id or (emp.unit_id if emp else None)
    unit_code = payload.unit_code or (emp.unit_code if emp else None)
    programs = await recommended(session, payload.nip, wanted)
    for competency in wanted:
        need_id = uuid.uuid4()
        inserted = await session.execute(
            insert(TrainingNeed)
            .values(
                id=need_id,
                nip=payload.nip,
                unit_id=unit_id,
                unit_code=unit_code,
                year=payload.period.year,
                predikat=payload.predikat.value,
                competency=competency,
                appraisal_id=payload.appraisal_id,
            )
            .on_conflict_do_nothing(constraint="uq_training_need_appraisal")
            .returning(col(TrainingNeed.id))
        )
        if inserted.first() is None:
            continue  # a keberatan re-finalized the same appraisal: the need is known
        uow.add_event(
            NeedIdentifiedV1(
                need_id=need_id,
                nip=payload.nip,
                year=payload.period.year,
                predikat=payload.predikat.value,
                competency=competency,
                appraisal_id=payload.appraisal_id,
                unit_code=unit_code,
                recommended_program_ids=tuple(p.id for p, met in programs if competency in met),
                identified_at=datetime.now(UTC),
            ),
            subject=payload.nip,
            sequence=await store.next_sequence(session, payload.nip),
        )

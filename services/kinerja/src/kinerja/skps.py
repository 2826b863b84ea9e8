"""SKP commands: draft, edit, submit (the employee); agree or send back (the rater)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from asn_schemas.kinerja import (
    RhkKind,
    RhkSummary,
    SkpApprovedV1,
    SkpReturnedV1,
    SkpSubmittedV1,
)
from servicekit.errors import ProblemError
from servicekit.identity import Identity
from servicekit.problems import check_if_match, conflict, forbidden, invalid, not_found
from servicekit.uow import UnitOfWork
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja import access, store
from kinerja.api.schemas import RhkIn, SkpCreate, SkpUpdate
from kinerja.domain.skp import SkpAction, SkpStatus, TransitionRefused, next_status
from kinerja.models import Employee, Rhk, Skp

ACTIVE = "aktif"


async def active_employee(session: AsyncSession, nip: str) -> Employee:
    emp = await store.employee(session, nip)
    if emp is None:
        raise conflict(
            "employee_unknown",
            f"Pegawai {nip} belum tercatat di layanan kinerja (data pegawai belum diterima).",
        )
    if emp.status != ACTIVE:
        raise conflict("employee_not_active", f"Pegawai berstatus {emp.status}.")
    return emp


async def load(session: AsyncSession, skp_id: uuid.UUID, if_match: str | None = None) -> Skp:
    skp = await store.locked(session, Skp, skp_id)
    if skp is None:
        raise not_found("skp", f"SKP {skp_id}")
    check_if_match(if_match, skp.version, required=False)
    return skp


def transition(skp: Skp, action: SkpAction) -> None:
    if skp.closed_on is not None and action is SkpAction.EDIT:
        raise conflict("skp_closed", "SKP ini sudah ditutup karena mutasi atau pergantian atasan.")
    try:
        skp.status = next_status(SkpStatus(skp.status), action).value
    except TransitionRefused as exc:
        raise conflict(
            "skp_state_conflict",
            f"SKP berstatus {skp.status}: tidak dapat {_VERB[action]}.",
        ) from exc
    skp.version += 1
    skp.updated_at = datetime.now(UTC)


_VERB = {
    SkpAction.EDIT: "diubah",
    SkpAction.SUBMIT: "diajukan",
    SkpAction.APPROVE: "disetujui",
    SkpAction.RETURN: "dikembalikan",
}


async def _check_rhk(session: AsyncSession, items: list[RhkIn], skp: Skp) -> None:
    """Intervensi must point at an RHK of the supervisor's own SKP for the same year."""
    for i, item in enumerate(items):
        if item.supervisor_rhk_id is None:
            continue
        found = await store.rhk_with_skp(session, item.supervisor_rhk_id)
        if found is None or found[1].nip != skp.rater_nip or found[1].year != skp.year:
            raise invalid(
                "rhk_not_of_supervisor",
                "RHK atasan yang diintervensi harus RHK dari SKP atasan langsung pada tahun "
                "yang sama.",
                field=f"rhk.{i}.supervisor_rhk_id",
            )


async def _replace_rhk(session: AsyncSession, skp: Skp, items: list[RhkIn]) -> list[Rhk]:
    await _check_rhk(session, items, skp)
    await session.execute(delete(Rhk).where(col(Rhk.skp_id) == skp.id))
    rows = [
        Rhk(
            id=uuid.uuid4(),
            skp_id=skp.id,
            position=i,
            kind=item.kind.value,
            title=item.title,
            indicators=[ind.model_dump() for ind in item.indicators],
            supervisor_rhk_id=item.supervisor_rhk_id,
        )
        for i, item in enumerate(items)
    ]
    session.add_all(rows)
    await session.flush()
    return rows


async def create(uow: UnitOfWork, who: Identity, body: SkpCreate) -> tuple[Skp, list[Rhk]]:
    session = uow.session
    emp = await active_employee(session, who.sub)
    start = body.start or date(body.year, 1, 1)
    if start.year != body.year:
        raise invalid("start_outside_year", "Tanggal mulai harus di tahun SKP.", field="start")
    open_ = select(col(Skp.id)).where(
        col(Skp.nip) == emp.nip, col(Skp.year) == body.year, col(Skp.closed_on).is_(None)
    )
    if (await session.execute(open_)).first() is not None:
        raise conflict("skp_exists", f"Sudah ada SKP tahun {body.year} yang berjalan.")
    if emp.supervisor_nip is None:
        raise conflict("no_supervisor", "Pegawai belum memiliki atasan langsung.")
    skp = Skp(
        id=uuid.uuid4(),
        nip=emp.nip,
        year=body.year,
        start=start,
        end=date(body.year, 12, 31),
        status=SkpStatus.DRAFT.value,
        unit_id=emp.unit_id,
        unit_code=emp.unit_code,
        rater_nip=emp.supervisor_nip,
        created_at=datetime.now(UTC),
    )
    session.add(skp)
    await session.flush()
    return skp, await _replace_rhk(session, skp, body.rhk)


async def update(uow: UnitOfWork, who: Identity, skp: Skp, body: SkpUpdate) -> list[Rhk]:
    access.require_self(who, skp.nip, "mengubah SKP")
    transition(skp, SkpAction.EDIT)
    return await _replace_rhk(uow.session, skp, body.rhk)


async def submit(uow: UnitOfWork, who: Identity, skp: Skp) -> None:
    access.require_self(who, skp.nip, "mengajukan SKP")
    rhk = await store.rhk_of(uow.session, skp.id)
    if not any(r.kind == RhkKind.UTAMA.value for r in rhk):
        raise invalid("skp_without_main_rhk", "SKP memerlukan setidaknya satu RHK utama.")
    transition(skp, SkpAction.SUBMIT)
    if skp.rater_nip is None:
        raise conflict("no_supervisor", "Pegawai belum memiliki atasan langsung.")
    payload = SkpSubmittedV1(
        skp_id=skp.id,
        nip=skp.nip,
        year=skp.year,
        start=skp.start,
        end=skp.end,
        unit_id=skp.unit_id,
        unit_code=skp.unit_code,
        approver_nip=skp.rater_nip,
        submitted_at=skp.updated_at or datetime.now(UTC),
    )
    uow.add_event(
        payload, subject=skp.nip, sequence=await store.next_sequence(uow.session, skp.nip)
    )


async def require_rater(session: AsyncSession, who: Identity, nip: str, direct: str | None) -> str:
    """The caller is the one who rates `nip` now: the direct supervisor, or the next one up
    when the direct one is absent. Nobody rates themselves."""
    if who.sub == nip:
        raise ProblemError(
            403, "self_rating", "Akses ditolak", "Pegawai tidak dapat menilai dirinya sendiri."
        )
    rater = await store.effective_rater(session, direct)
    if rater is None:
        raise conflict("no_rater_available", "Tidak ada pejabat penilai yang aktif.")
    if who.sub != rater:
        raise forbidden("Hanya atasan langsung (atau atasannya bila berhalangan) yang berwenang.")
    return rater


async def approve(uow: UnitOfWork, who: Identity, skp: Skp) -> list[Rhk]:
    await require_rater(uow.session, who, skp.nip, skp.rater_nip)
    transition(skp, SkpAction.APPROVE)
    skp.approver_nip = who.sub
    skp.approved_at = datetime.now(UTC)
    rhk = await store.rhk_of(uow.session, skp.id)
    payload = SkpApprovedV1(
        skp_id=skp.id,
        nip=skp.nip,
        year=skp.year,
        start=skp.start,
        end=skp.end,
        unit_id=skp.unit_id,
        unit_code=skp.unit_code,
        approver_nip=who.sub,
        approved_at=skp.approved_at,
        rhk=tuple(
            RhkSummary(
                rhk_id=r.id,
                kind=RhkKind(r.kind),
                title=r.title,
                supervisor_rhk_id=r.supervisor_rhk_id,
            )
            for r in rhk
        ),
        supersedes_skp_id=skp.supersedes_id,
    )
    uow.add_event(
        payload, subject=skp.nip, sequence=await store.next_sequence(uow.session, skp.nip)
    )
    return rhk


async def send_back(uow: UnitOfWork, who: Identity, skp: Skp, note: str) -> None:
    await require_rater(uow.session, who, skp.nip, skp.rater_nip)
    transition(skp, SkpAction.RETURN)
    skp.return_note = note
    payload = SkpReturnedV1(
        skp_id=skp.id,
        nip=skp.nip,
        year=skp.year,
        returned_by=who.sub,
        returned_at=skp.updated_at or datetime.now(UTC),
    )
    uow.add_event(
        payload, subject=skp.nip, sequence=await store.next_sequence(uow.session, skp.nip)
    )

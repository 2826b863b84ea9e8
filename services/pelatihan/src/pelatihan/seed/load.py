"""The demo, through the commands: BKPSDM records institutions, allocates budgets and runs
programs; employees enrol and record learning; supervisors and BKPSDM decide.

What it shows: this year's JP per unit (in a third of the OPDs everyone has ≥ 20 JP, in a
third about half, in the rest hardly anyone), a completed bimtek with certificates and
spent budget, an oversubscribed PKA with its ranking, open enrolments and learning records
in supervisors' and BKPSDM's inboxes. A second run finds the institutions and does nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from functools import partial
from typing import Any, TypeVar

from servicekit.db import Database
from servicekit.identity import Identity, Role
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlmodel import col

from pelatihan import budgets, enrollments, institutions, learning, programs, store
from pelatihan.api.schemas import (
    CompletionIn,
    DecisionIn,
    EnrollmentIn,
    InstitutionIn,
    LearningRecordIn,
    ProgramIn,
    VerifyIn,
)
from pelatihan.domain.programs_rules import Action
from pelatihan.models import Employee, Institution, Unit
from pelatihan.settings import PelatihanSettings

PARALLEL_OPDS = 4  # OPDs loaded at once: their rows never overlap
BKPSDM = Identity(sub="system:demo-seed", roles=frozenset({Role.BKPSDM.value}))
T = TypeVar("T")

INSTITUTIONS = (
    ("BPSDM Provinsi Sumatera Barat", "bpsdm_provinsi", "PKS-017/BPSDM-SB/2025"),
    ("Lembaga Administrasi Negara", "lan", "PKS-004/LAN/2025"),
    ("BPSDM Kementerian Dalam Negeri", "kementerian", "PKS-112/BPSDM-KDN/2025"),
    ("Universitas Andalas", "universitas", "PKS-031/UNAND/2025"),
    ("ASN Unggul (LAN)", "e_learning", "PKS-009/LAN-ELN/2025"),
    ("BKPSDM Kota Sawahlunto", "bkpsdm", "SK-800/BKPSDM-SWL/2025"),
)


class Seeder:
    def __init__(self, db: Database, settings: PelatihanSettings) -> None:
        self.db, self.settings = db, settings

    async def run(self, actor: Identity, command: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        async with UnitOfWork(
            self.db, actor=actor, source=self.settings.source, topic=self.settings.topic
        ) as uow:
            return await command(uow)


def person(nip: str) -> Identity:
    return Identity(sub=nip, roles=frozenset({Role.PEGAWAI.value}))


async def _people(db: Database) -> tuple[dict[str, list[Employee]], list[Unit]]:
    """Active employees by top-level unit (OPD), and the OPDs by code."""
    async with db.read_session() as session:
        units = list((await session.execute(select(Unit))).scalars())
        staff = list(
            (
                await session.execute(
                    select(Employee)
                    .where(col(Employee.status) == "aktif")
                    .order_by(col(Employee.nip))
                )
            ).scalars()
        )
        roots = {u.id: await store.budget_unit_code(session, u.id, u.code) for u in units}
    by_opd: dict[str, list[Employee]] = {}
    for e in staff:
        by_opd.setdefault(roots.get(e.unit_id, e.unit_code), []).append(e)
    opds = sorted((u for u in units if u.parent_id is None), key=lambda u: u.code)
    return by_opd, opds


async def load(db: Database, settings: PelatihanSettings, today: date) -> dict[str, Any]:
    async with db.read_session() as session:
        if (await session.execute(select(col(Institution.id)).limit(1))).first() is not None:
            return {"skipped": True}
    seed = Seeder(db, settings)
    by_opd, opds = await _people(db)
    insts = {}
    for name, kind, number in INSTITUTIONS:
        body = InstitutionIn(
            name=name,
            kind=kind,
            agreement_number=number,
            valid_from=date(today.year - 1, 1, 1),
            valid_until=date(today.year + 1, 12, 31),
        )
        insts[kind] = await seed.run(BKPSDM, partial(institutions.create, body=body))
    expired = InstitutionIn(
        name="Universitas Negeri Padang",
        kind="universitas",
        agreement_number="PKS-021/UNP/2022",
        valid_from=date(today.year - 4, 1, 1),
        valid_until=date(today.year - 1, 12, 31),
    )
    await seed.run(BKPSDM, partial(institutions.create, body=expired))

    for i, opd in enumerate(opds):
        amount = 6_000_000 if opd.code == "dinkes" else 20_000_000 + (i % 4) * 5_000_000
        await seed.run(
            BKPSDM,
            partial(budgets.allocate, unit_code=opd.code, year=today.year, allocated=amount),
        )

    counts = {"institutions": len(INSTITUTIONS) + 1, "budgets": len(opds)}
    counts["learning_records"] = await _learning(seed, by_opd, opds, today)
    counts["completed"] = await _bimtek(seed, insts, by_opd, opds, today)
    counts["pka_candidates"] = await _pka(seed, insts, by_opd, today)
    counts["seminar_requests"] = await _seminar(seed, insts, by_opd, opds, today)
    return counts


def _start(today: date, days: int) -> date:
    start = today + timedelta(days=days)
    return start if start.year == today.year or days > 20 else today + timedelta(days=1)


async def _program(seed: Seeder, body: ProgramIn) -> Any:
    created = await seed.run(BKPSDM, partial(programs.create, body=body))

    async def publish(uow: UnitOfWork) -> None:
        await programs.transition(uow, await programs.load(uow, created.id), Action.PUBLISH)

    await seed.run(BKPSDM, publish)
    return created


async def _enrol(seed: Seeder, program_id: Any, e: Employee) -> Any:
    body = EnrollmentIn(program_id=program_id)
    return await seed.run(person(e.nip), partial(enrollments.request, body=body))


async def _decide(seed: Seeder, actor: Identity, enrollment_id: Any) -> None:
    async def decide(uow: UnitOfWork) -> None:
        found = await enrollments.load(uow, enrollment_id, None)
        await enrollments.decide(uow, found, DecisionIn(decision="approve"))

    await seed.run(actor, decide)


async def _approved(seed: Seeder, program_id: Any, e: Employee) -> Any:
    enrolment = await _enrol(seed, program_id, e)
    if e.supervisor_nip:
        await _decide(seed, person(e.supervisor_nip), enrolment.id)
    await _decide(seed, BKPSDM, enrolment.id)
    return enrolment


async def _learning(
    seed: Seeder, by_opd: dict[str, list[Employee]], opds: list[Unit], today: date
) -> int:
    """MOOC certificates this year: everyone in a third of the OPDs reaches 20 JP, half
    of the staff in another third; some records still wait for the supervisor."""
    done = date(today.year, max(today.month - 2, 1), 3)
    gate = asyncio.Semaphore(PARALLEL_OPDS)

    async def opd_records(i: int, opd: Unit) -> int:
        count = 0
        async with gate:
            for j, e in enumerate(by_opd.get(opd.code, [])):
                mode = i % 3
                jp = 24 if mode == 0 or (mode == 1 and j % 2 == 0) else (8 if j % 5 == 0 else 0)
                if jp == 0 or not e.supervisor_nip:
                    continue
                body = LearningRecordIn(
                    title="MOOC Literasi Digital dan Pelayanan Publik"
                    if jp == 24
                    else "Coaching Penyusunan Laporan Kinerja",
                    kind="e_learning" if jp == 24 else "coaching",
                    provider="ASN Unggul (LAN)" if jp == 24 else None,
                    jp=jp,
                    start=done - timedelta(days=20),
                    end=done,
                    certificate_number=f"ELN-{today.year}-{opd.code}-{j + 1:04d}"
                    if jp == 24
                    else None,
                    competencies=["berorientasi_pelayanan", "adaptif"],
                )
                record = await seed.run(person(e.nip), partial(learning.submit, body=body))
                count += 1
                if mode == 2 and j % 10 == 0:
                    continue  # waits in the supervisor's inbox
                accept = partial(_verify, record_id=record.id)
                await seed.run(person(e.supervisor_nip), accept)
        return count

    done_counts = await asyncio.gather(*(opd_records(i, opd) for i, opd in enumerate(opds)))
    return sum(done_counts)


async def _verify(uow: UnitOfWork, record_id: Any) -> None:
    found = await learning.load(uow, record_id, None)
    await learning.verify(uow, found, VerifyIn(accept=True))


async def _bimtek(
    seed: Seeder,
    insts: dict[str, Any],
    by_opd: dict[str, list[Employee]],
    opds: list[Unit],
    today: date,
) -> int:
    """A bimtek that ran: participants from several OPDs, completed with their STTPP."""
    start = _start(today, 1)
    body = ProgramIn(
        title="Bimtek Penyusunan SKP dan Manajemen Kinerja",
        kind="bimtek",
        institution_id=insts["bkpsdm"].id,
        jp=24,
        start=start,
        end=start + timedelta(days=2) if (start + timedelta(days=2)).year == start.year else start,
        place="Gedung Pusat Kebudayaan Sawahlunto",
        quota=30,
        cost_per_participant=1_500_000,
        competencies=["hasil_kerja", "manajemen_kinerja", "akuntabel"],
    )
    program = await _program(seed, body)
    chosen = [e for opd in opds[2::3] for e in by_opd.get(opd.code, [])[:5] if e.supervisor_nip][
        :25
    ]
    seats = [await _approved(seed, program.id, e) for e in chosen]

    async def begin(uow: UnitOfWork) -> None:
        await programs.transition(uow, await programs.load(uow, program.id), Action.START)

    await seed.run(BKPSDM, begin)
    for n, seat in enumerate(seats):
        outcome = (
            CompletionIn(outcome="not_completed", reason="Kehadiran kurang dari 90%")
            if n % 12 == 11
            else CompletionIn(
                outcome="completed", certificate_number=f"STTPP-{n + 1:03d}/BIMTEK/{today.year}"
            )
        )

        async def finish(uow: UnitOfWork, sid: Any = seat.id, o: CompletionIn = outcome) -> None:
            await enrollments.complete(uow, await enrollments.load(uow, sid, None), o)

        await seed.run(BKPSDM, finish)
    return len(seats)


async def _pka(
    seed: Seeder, insts: dict[str, Any], by_opd: dict[str, list[Employee]], today: date
) -> int:
    """PKA next quarter, oversubscribed: 14 pengawas ask for 8 seats; BKPSDM has approved
    the first three of the ranking, the rest wait in order."""
    start = today + timedelta(days=45)
    body = ProgramIn(
        title="Pelatihan Kepemimpinan Administrator (PKA) Angkatan I",
        kind="pka",
        institution_id=insts["bpsdm_provinsi"].id,
        jp=240,
        start=start,
        end=start + timedelta(days=90),
        place="BPSDM Provinsi Sumatera Barat, Padang",
        quota=8,
        cost_per_participant=4_500_000,
        competencies=["kepemimpinan", "kolaboratif"],
    )
    program = await _program(seed, body)
    pengawas = [
        e
        for staff in by_opd.values()
        for e in staff
        if e.position_kind == "pengawas" and e.supervisor_nip
    ][:14]
    for n, e in enumerate(pengawas):
        enrolment = await _enrol(seed, program.id, e)
        if n % 3 != 2:
            assert e.supervisor_nip is not None
            await _decide(seed, person(e.supervisor_nip), enrolment.id)
    return len(pengawas)


async def _seminar(
    seed: Seeder,
    insts: dict[str, Any],
    by_opd: dict[str, list[Employee]],
    opds: list[Unit],
    today: date,
) -> int:
    """A seminar open for enrolment: requests waiting for supervisors in several OPDs."""
    start = today + timedelta(days=21)
    body = ProgramIn(
        title="Seminar Pelayanan Publik Prima",
        kind="seminar",
        institution_id=insts["kementerian"].id,
        jp=8,
        start=start,
        end=start,
        online=True,
        quota=100,
        cost_per_participant=250_000,
        competencies=["berorientasi_pelayanan", "hasil_kerja"],
    )
    program = await _program(seed, body)
    chosen = [e for opd in opds[1::4] for e in by_opd.get(opd.code, [])[5:8] if e.supervisor_nip]
    for e in chosen:
        await _enrol(seed, program.id, e)
    return len(chosen)

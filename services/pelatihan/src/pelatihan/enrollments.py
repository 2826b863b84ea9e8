"""Enrolment: request (self) or nomination (admin_opd, a supervisor); approval by the
direct supervisor, then BKPSDM (which commits the cost); withdrawal; completion."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from asn_schemas.pelatihan import (
    ApprovalStage,
    BudgetLine,
    CompletionSource,
    EnrollmentApprovedV1,
    EnrollmentNotCompletedV1,
    EnrollmentOrigin,
    EnrollmentRejectedV1,
    EnrollmentRequestedV1,
    ProgramKind,
    TrainingCompletedV1,
    WithdrawalReason,
)
from servicekit.errors import ProblemError
from servicekit.identity import Role
from servicekit.problems import check_if_match, conflict, forbidden, invalid, not_found
from servicekit.uow import UnitOfWork
from sqlalchemy import select, update
from sqlmodel import col

from pelatihan import access, budgets, programs, selection, store
from pelatihan.api.schemas import CompletionIn, DecisionIn, EnrollmentIn
from pelatihan.domain.dates import today_wib
from pelatihan.domain.eligibility import Person, failures
from pelatihan.domain.programs_rules import ProgramStatus, open_for_enrolment
from pelatihan.models import Credit, Employee, Enrollment, Institution, Program, TrainingNeed

REQUESTED, SUPERVISOR_APPROVED, APPROVED = "requested", "supervisor_approved", "approved"
FINISHED = ("completed", "not_completed")


@dataclass(frozen=True, slots=True)
class Training:
    """What a completion credits: a program, or a learning record described alike."""

    id: uuid.UUID
    title: str
    kind: str
    klasikal: bool
    jp: int
    start: date
    end: date
    competencies: list[str]

    @classmethod
    def of(cls, p: Program) -> Training:
        return cls(p.id, p.title, p.kind, p.klasikal, p.jp, p.start, p.end, p.competencies)


async def load(uow: UnitOfWork, enrollment_id: uuid.UUID, if_match: str | None) -> Enrollment:
    found = await store.locked(uow.session, Enrollment, enrollment_id)
    if found is None:
        raise not_found("enrollment", f"Pendaftaran {enrollment_id}")
    check_if_match(if_match, found.version, required=False)
    return found


def person_of(emp: Employee) -> Person:
    return Person(emp.asn_type, emp.golongan, emp.tmt_golongan, emp.birth_date, emp.position_kind)


async def _may_nominate(uow: UnitOfWork, emp: Employee) -> bool:
    who = uow.actor
    if who.has_role(Role.BKPSDM):
        return True
    if who.sub in await store.supervisor_chain(uow.session, emp.nip):
        return True
    return emp.unit_id in await access.admin_unit_ids(uow.session, who)


async def request(uow: UnitOfWork, body: EnrollmentIn) -> Enrollment:
    who, session = uow.actor, uow.session
    nip = body.nip or who.sub
    emp = await store.employee(session, nip)
    if emp is None:
        raise invalid("unknown_employee", f"Pegawai {nip} belum tercatat di layanan pelatihan.")
    nominated = nip != who.sub
    if nominated and not await _may_nominate(uow, emp):
        raise forbidden("Pegawai mendaftar untuk dirinya; usulan oleh atasan atau admin OPD-nya.")
    program = await store.locked(session, Program, body.program_id)
    if program is None:
        raise invalid(
            "unknown_program", f"Program {body.program_id} tidak ada.", field="program_id"
        )
    if emp.status != "aktif":
        raise conflict("employee_not_active", f"Pegawai berstatus {emp.status}.")
    if not open_for_enrolment(ProgramStatus(program.status), program.start, today_wib()):
        started = program.status == ProgramStatus.RUNNING or program.start <= today_wib()
        raise conflict(
            "program_started" if started else "program_not_open",
            "Program sudah dimulai."
            if started
            else f"Program berstatus {program.status}; "
            "pendaftaran hanya saat program diumumkan (published).",
        )
    existing = select(col(Enrollment.id)).where(
        col(Enrollment.program_id) == program.id,
        col(Enrollment.nip) == nip,
        col(Enrollment.status).not_in(("withdrawn", "rejected")),
    )
    if (await session.execute(existing)).first() is not None:
        raise conflict("already_enrolled", "Pegawai sudah terdaftar pada program ini.")
    broken = failures(program.eligibility, person_of(emp), program.start)
    if broken:
        raise invalid(
            "not_eligible",
            "Tidak memenuhi syarat: " + " ".join(f.detail for f in broken),
            rules=[{"rule": f.code, "detail": f.detail} for f in broken],
        )
    seats_taken = len(await store.active_enrollments(session, program.id))
    approver = emp.supervisor_nip
    decisions: list[dict[str, object]] = []
    status = REQUESTED
    if approver is None or approver == who.sub:
        # No supervisor, or the supervisor nominated them: that stage is already given.
        status = SUPERVISOR_APPROVED
        if approver is not None:
            decisions.append(
                _decision(ApprovalStage.SUPERVISOR, who.sub, "approve", "usulan atasan")
            )
    e = Enrollment(
        id=uuid.uuid4(),
        program_id=program.id,
        nip=nip,
        unit_id=emp.unit_id,
        unit_code=emp.unit_code,
        origin=(EnrollmentOrigin.NOMINATION if nominated else EnrollmentOrigin.SELF).value,
        requested_by=who.sub,
        requested_at=datetime.now(UTC),
        status=status,
        approver_nip=approver,
        decisions=decisions,
        cost=program.cost_per_participant,
        cost_state="none",
        budget_unit_code=await store.budget_unit_code(session, emp.unit_id, emp.unit_code),
        budget_year=program.start.year,
    )
    session.add(e)
    await session.flush()
    uow.add_event(
        EnrollmentRequestedV1(
            enrollment_id=e.id,
            program_id=program.id,
            program_title=program.title,
            kind=ProgramKind(program.kind),
            jp=program.jp,
            start=program.start,
            end=program.end,
            nip=nip,
            unit_code=emp.unit_code,
            origin=EnrollmentOrigin(e.origin),
            requested_by=who.sub,
            approver_nip=approver if status == REQUESTED else None,
            cost=e.cost,
            waitlisted=seats_taken >= program.quota,
        ),
        subject=nip,
        sequence=await store.next_sequence(session, nip),
    )
    return e


def _decision(stage: ApprovalStage, by: str, decision: str, note: str | None) -> dict[str, object]:
    return {
        "stage": stage.value,
        "by": by,
        "decision": decision,
        "note": note,
        "at": datetime.now(UTC).isoformat(),
    }


async def decide(uow: UnitOfWork, e: Enrollment, body: DecisionIn) -> None:
    who, session = uow.actor, uow.session
    if who.sub == e.nip:
        raise forbidden("Pegawai tidak memutus pendaftarannya sendiri.")
    if e.status == REQUESTED:
        stage = ApprovalStage.SUPERVISOR
        if who.sub != e.approver_nip:
            raise forbidden("Pendaftaran ini diputus lebih dahulu oleh atasan langsung pegawai.")
    elif e.status == SUPERVISOR_APPROVED:
        stage = ApprovalStage.BKPSDM
        access.require_bkpsdm(who, "memberi persetujuan akhir")
    else:
        raise conflict("enrollment_decided", f"Pendaftaran berstatus {e.status}.")
    e.decisions = [*e.decisions, _decision(stage, who.sub, body.decision, body.note)]
    sequence = await store.next_sequence(session, e.nip)
    if body.decision == "reject":
        e.status = "rejected"
        e.version += 1
        uow.add_event(
            EnrollmentRejectedV1(
                enrollment_id=e.id,
                program_id=e.program_id,
                nip=e.nip,
                stage=stage,
                rejected_by=who.sub,
            ),
            subject=e.nip,
            sequence=sequence,
        )
        return
    line = None
    if stage is ApprovalStage.BKPSDM:
        program = await store.locked(session, Program, e.program_id)
        assert program is not None
        if program.status not in (ProgramStatus.PUBLISHED, ProgramStatus.CLOSED):
            raise conflict("program_not_open", f"Program berstatus {program.status}.")
        ranked = await selection.ranking(session, program)
        standing = selection.standing_of(ranked, e.id)
        if standing is None or not standing["within_quota"]:
            position = standing["position"] if standing else None
            raise ProblemError(
                409,
                "waitlisted",
                "Di luar kuota",
                f"Pendaftaran berada di urutan {position} dari kuota {program.quota}; "
                "menunggu hingga ada yang mundur.",
                position=position,
                quota=program.quota,
            )
        line = await budgets.move(uow, e, "commit")
        e.status = APPROVED
    else:
        e.status = SUPERVISOR_APPROVED
    e.version += 1
    uow.add_event(
        EnrollmentApprovedV1(
            enrollment_id=e.id,
            program_id=e.program_id,
            nip=e.nip,
            stage=stage,
            approved_by=who.sub,
            final=stage is ApprovalStage.BKPSDM,
            budget=line,
        ),
        subject=e.nip,
        sequence=sequence,
    )


async def withdraw(uow: UnitOfWork, e: Enrollment) -> None:
    who = uow.actor
    if who.sub == e.nip:
        reason = WithdrawalReason.SELF
    elif (
        who.sub == e.requested_by
        or who.has_role(Role.BKPSDM)
        or e.unit_id in await access.admin_unit_ids(uow.session, who)
    ):
        reason = WithdrawalReason.NOMINATOR
    else:
        raise forbidden("Pengunduran diri oleh pegawai, pengusulnya, atau BKPSDM.")
    if e.status not in store.ACTIVE:
        raise conflict("enrollment_closed", f"Pendaftaran berstatus {e.status}.")
    await programs.release_seat(uow, e, "withdrawn", reason)


async def complete(uow: UnitOfWork, e: Enrollment, body: CompletionIn) -> None:
    access.require_bkpsdm(uow.actor, "mencatat kelulusan pelatihan")
    session = uow.session
    program = await session.get(Program, e.program_id)
    assert program is not None
    if program.status != ProgramStatus.RUNNING:
        raise conflict(
            "program_not_running",
            f"Program berstatus {program.status}; kelulusan dicatat saat program berjalan.",
        )
    if e.status != APPROVED:
        raise conflict("enrollment_not_approved", f"Pendaftaran berstatus {e.status}.")
    line = await budgets.move(uow, e, "spend")
    e.finished_at = datetime.now(UTC)
    e.version += 1
    sequence = await store.next_sequence(session, e.nip)
    if body.outcome == "not_completed":
        assert body.reason is not None
        e.status, e.outcome_reason = "not_completed", body.reason
        uow.add_event(
            EnrollmentNotCompletedV1(
                enrollment_id=e.id,
                program_id=e.program_id,
                nip=e.nip,
                reason=body.reason,
                budget=line,
            ),
            subject=e.nip,
            sequence=sequence,
        )
        return
    e.status, e.certificate_number = "completed", body.certificate_number
    inst = await session.get(Institution, program.institution_id)
    assert inst is not None
    await credit(
        uow,
        completion_id=e.id,
        source=CompletionSource.PROGRAM,
        nip=e.nip,
        unit_code=e.unit_code,
        program=Training.of(program),
        institution=inst.name,
        certificate_number=body.certificate_number,
        sequence=sequence,
        budget=line,
    )


async def credit(
    uow: UnitOfWork,
    *,
    completion_id: uuid.UUID,
    source: CompletionSource,
    nip: str,
    unit_code: str | None,
    program: Training,
    institution: str | None,
    certificate_number: str | None,
    sequence: int | None,
    budget: BudgetLine | None = None,
) -> None:
    """Credit the JP, address open needs the training matches, and publish the completion.
    `program` is the program's or the learning record's description."""
    session = uow.session
    session.add(
        Credit(
            id=completion_id,
            nip=nip,
            source=source.value,
            title=program.title,
            kind=program.kind,
            klasikal=program.klasikal,
            jp=program.jp,
            start=program.start,
            end=program.end,
            institution=institution,
            certificate_number=certificate_number,
            competencies=program.competencies,
        )
    )
    if program.competencies:
        await session.execute(
            update(TrainingNeed)
            .where(
                col(TrainingNeed.nip) == nip,
                col(TrainingNeed.addressed_by).is_(None),
                col(TrainingNeed.competency).in_([c.lower() for c in program.competencies]),
            )
            .values(addressed_by=completion_id)
        )
    uow.add_event(
        TrainingCompletedV1(
            completion_id=completion_id,
            source=source,
            nip=nip,
            unit_code=unit_code,
            program_id=program.id if source is CompletionSource.PROGRAM else None,
            title=program.title,
            kind=ProgramKind(program.kind),
            klasikal=program.klasikal,
            jp=program.jp,
            institution=institution,
            certificate_number=certificate_number,
            start=program.start,
            end=program.end,
            competencies=tuple(program.competencies),
            budget=budget,
        ),
        subject=nip,
        sequence=sequence,
    )

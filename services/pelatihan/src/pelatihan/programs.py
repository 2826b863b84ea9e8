"""Programs and their life cycle (BKPSDM's): create, publish, close, start, complete, cancel.
Cancelling withdraws every open enrolment and releases its committed cost."""

from __future__ import annotations

import uuid

from asn_schemas.pelatihan import (
    EnrollmentWithdrawnV1,
    ProgramCancelledV1,
    ProgramKind,
    ProgramPublishedV1,
    WithdrawalReason,
)
from servicekit.problems import check_if_match, conflict, invalid, not_found
from servicekit.uow import UnitOfWork

from pelatihan import access, budgets, store
from pelatihan.api.schemas import ProgramIn
from pelatihan.domain.eligibility import DEFAULT_RULES, validate_rules
from pelatihan.domain.programs_rules import Action, ProgramStatus, agreement_covers, next_status
from pelatihan.models import Enrollment, Institution, Program

_REFUSAL = {
    Action.PUBLISH: "program_not_draft",
    Action.CLOSE: "program_not_published",
    Action.START: "program_not_open",
    Action.COMPLETE: "program_not_running",
    Action.CANCEL: "program_finished",
}


async def load(uow: UnitOfWork, program_id: uuid.UUID, if_match: str | None = None) -> Program:
    found = await store.locked(uow.session, Program, program_id)
    if found is None:
        raise not_found("program", f"Program {program_id}")
    check_if_match(if_match, found.version, required=False)
    return found


async def _institution(uow: UnitOfWork, institution_id: uuid.UUID) -> Institution:
    found = await uow.session.get(Institution, institution_id)
    if found is None:
        raise invalid(
            "unknown_institution",
            f"Lembaga {institution_id} tidak tercatat.",
            field="institution_id",
        )
    return found


def _require_agreement(inst: Institution, p: Program) -> None:
    if not agreement_covers(inst.valid_from, inst.valid_until, p.start, p.end):
        raise invalid(
            "agreement_not_valid",
            f"Perjanjian kerja sama {inst.agreement_number} dengan {inst.name} berlaku "
            f"{inst.valid_from.isoformat()} s.d. {inst.valid_until.isoformat()}; tidak mencakup "
            f"tanggal program {p.start.isoformat()} s.d. {p.end.isoformat()}.",
            field="institution_id",
        )


async def create(uow: UnitOfWork, body: ProgramIn) -> Program:
    access.require_bkpsdm(uow.actor, "menyusun program pelatihan")
    rules = body.eligibility
    if rules is None:
        rules = [dict(r) for r in DEFAULT_RULES.get(body.kind, ())]
    problems = validate_rules(rules)
    if problems:
        raise invalid("invalid_eligibility", "; ".join(problems), field="eligibility")
    inst = await _institution(uow, body.institution_id)
    program = Program(
        id=uuid.uuid4(),
        title=body.title,
        kind=body.kind.value,
        klasikal=body.kind.klasikal,
        jp=body.jp,
        start=body.start,
        end=body.end,
        online=body.online,
        place=body.place,
        quota=body.quota,
        cost_per_participant=body.cost_per_participant,
        competencies=sorted(set(body.competencies)),
        eligibility=rules,
        institution_id=inst.id,
        status=ProgramStatus.DRAFT.value,
    )
    _require_agreement(inst, program)
    uow.session.add(program)
    await uow.session.flush()
    return program


async def transition(
    uow: UnitOfWork, p: Program, action: Action, reason: str | None = None
) -> None:
    access.require_bkpsdm(uow.actor, "mengubah status program")
    target = next_status(ProgramStatus(p.status), action)
    if target is None:
        raise conflict(
            _REFUSAL[action], f"Program berstatus {p.status}; tidak dapat {action.value}."
        )
    if action is Action.PUBLISH:
        inst = await _institution(uow, p.institution_id)
        _require_agreement(inst, p)
        uow.add_event(
            ProgramPublishedV1(
                program_id=p.id,
                title=p.title,
                kind=ProgramKind(p.kind),
                klasikal=p.klasikal,
                jp=p.jp,
                start=p.start,
                end=p.end,
                institution_id=inst.id,
                institution_name=inst.name,
                quota=p.quota,
                cost_per_participant=p.cost_per_participant,
                competencies=tuple(p.competencies),
                online=p.online,
                place=p.place,
            ),
            subject=str(p.id),
        )
    if action is Action.CANCEL:
        assert reason is not None
        released = 0
        for e in await store.active_enrollments(uow.session, p.id):
            await release_seat(uow, e, "withdrawn", WithdrawalReason.PROGRAM_CANCELLED)
            released += 1
        p.cancel_reason = reason
        uow.add_event(
            ProgramCancelledV1(program_id=p.id, reason=reason, released_enrollments=released),
            subject=str(p.id),
        )
    p.status = target.value
    p.version += 1


async def release_seat(
    uow: UnitOfWork, e: Enrollment, status: str, reason: WithdrawalReason
) -> None:
    """Withdraw an open enrolment, releasing its cost if committed, and say so."""
    line = None
    if e.cost_state == "committed":
        line = await budgets.move(uow, e, "release")
    e.status = status
    e.version += 1
    uow.add_event(
        EnrollmentWithdrawnV1(
            enrollment_id=e.id, program_id=e.program_id, nip=e.nip, reason=reason, budget=line
        ),
        subject=e.nip,
        sequence=await store.next_sequence(uow.session, e.nip),
    )

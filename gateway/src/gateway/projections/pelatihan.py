"""pelatihan.events → programs, enrolments, JP credits, training needs, learning records and
the units' training budgets.

A person's events share a key (the NIP), so an enrolment's events arrive in order; a
status update applies only to an enrolment still open. Budget lines come from events of
many keys (each person's, and the allocation's), so a line applies only over an older
version of itself.
"""

from __future__ import annotations

from asn_schemas.pelatihan import (
    BudgetAllocatedV1,
    BudgetLine,
    CompletionSource,
    EnrollmentApprovedV1,
    EnrollmentNotCompletedV1,
    EnrollmentRejectedV1,
    EnrollmentRequestedV1,
    EnrollmentWithdrawnV1,
    LearningRecordRejectedV1,
    LearningRecordSubmittedV1,
    NeedIdentifiedV1,
    ProgramCancelledV1,
    ProgramPublishedV1,
    TrainingCompletedV1,
)
from servicekit.consumer import ConsumedEvent
from sqlalchemy import ARRAY, DateTime, Executable, Text, any_, bindparam, or_, update
from sqlalchemy.dialects.postgresql import insert

from gateway.models import (
    learning_record,
    training_budget,
    training_credit,
    training_enrollment,
    training_need,
    training_program,
)
from gateway.projections.common import Projection, Write, payload

OPEN = ("requested", "supervisor_approved", "approved")


def _program_upsert() -> Executable:
    statement = insert(training_program)
    excluded = statement.excluded
    columns = ("title", "kind", "jp", "start", "end", "institution_name", "competencies")
    return statement.on_conflict_do_update(
        index_elements=["program_id"], set_={c: excluded[c] for c in columns}
    )


_UPSERT_PROGRAM = _program_upsert()
_CANCEL_PROGRAM = (
    update(training_program)
    .where(
        training_program.c.program_id == bindparam("p_id", type_=training_program.c.program_id.type)
    )
    .values(status="cancelled", updated_at=bindparam("p_at", type_=DateTime(timezone=True)))
)
_INSERT_ENROLLMENT = insert(training_enrollment).on_conflict_do_nothing(
    index_elements=["enrollment_id"]
)
_ENROLLMENT_STATUS = (
    update(training_enrollment)
    .where(
        training_enrollment.c.enrollment_id
        == bindparam("e_id", type_=training_enrollment.c.enrollment_id.type),
        training_enrollment.c.status.in_(OPEN),
    )
    .values(
        status=bindparam("e_status", type_=Text),
        updated_at=bindparam("e_at", type_=DateTime(timezone=True)),
    )
)
_INSERT_CREDIT = insert(training_credit).on_conflict_do_nothing(index_elements=["completion_id"])
_ADDRESS_NEEDS = (
    update(training_need)
    .where(
        training_need.c.nip == bindparam("n_nip", type_=Text),
        training_need.c.competency == any_(bindparam("n_competencies", type_=ARRAY(Text))),
    )
    .values(addressed=True)
)
_INSERT_NEED = insert(training_need).on_conflict_do_nothing(index_elements=["need_id"])
_INSERT_RECORD = insert(learning_record).on_conflict_do_nothing(index_elements=["record_id"])
_RECORD_STATE = (
    update(learning_record)
    .where(
        learning_record.c.record_id == bindparam("r_id", type_=learning_record.c.record_id.type),
        learning_record.c.state == "pending",
    )
    .values(
        state=bindparam("r_state", type_=Text),
        updated_at=bindparam("r_at", type_=DateTime(timezone=True)),
    )
)


def _budget_upsert() -> Executable:
    statement = insert(training_budget)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["unit_code", "year"],
        set_={c: excluded[c] for c in ("allocated", "committed", "spent", "version", "updated_at")},
        where=or_(
            training_budget.c.version.is_(None),
            excluded.version.is_(None),
            training_budget.c.version < excluded.version,
        ),
    )


_UPSERT_BUDGET = _budget_upsert()


def _budget(line: BudgetLine | None, event: ConsumedEvent) -> list[Write]:
    if line is None:
        return []
    values = {**line.model_dump(), "updated_at": event.envelope.time}
    return [Write(_UPSERT_BUDGET, values)]


def _status(event: ConsumedEvent, enrollment_id: object, status: str) -> Write:
    params = {"e_id": enrollment_id, "e_status": status, "e_at": event.envelope.time}
    return Write(_ENROLLMENT_STATUS, params)


def on_program_published(event: ConsumedEvent) -> list[Write]:
    data = payload(event, ProgramPublishedV1)
    values = {
        "program_id": data.program_id,
        "title": data.title,
        "kind": str(data.kind),
        "jp": data.jp,
        "start": data.start,
        "end": data.end,
        "institution_name": data.institution_name,
        "competencies": list(data.competencies),
        "status": "published",
        "updated_at": event.envelope.time,
    }
    return [Write(_UPSERT_PROGRAM, values)]


def on_program_cancelled(event: ConsumedEvent) -> list[Write]:
    data = payload(event, ProgramCancelledV1)
    return [Write(_CANCEL_PROGRAM, {"p_id": data.program_id, "p_at": event.envelope.time})]


def on_enrollment_requested(event: ConsumedEvent) -> list[Write]:
    data = payload(event, EnrollmentRequestedV1)
    values = {
        "enrollment_id": data.enrollment_id,
        "program_id": data.program_id,
        "nip": data.nip,
        "unit_code": data.unit_code,
        "title": data.program_title,
        "kind": str(data.kind),
        "jp": data.jp,
        "start": data.start,
        "end": data.end,
        "status": "requested" if data.approver_nip else "supervisor_approved",
        "approver_nip": data.approver_nip,
        "waitlisted": data.waitlisted,
        "requested_at": event.envelope.time,
        "updated_at": event.envelope.time,
    }
    return [Write(_INSERT_ENROLLMENT, values)]


def on_enrollment_approved(event: ConsumedEvent) -> list[Write]:
    data = payload(event, EnrollmentApprovedV1)
    status = "approved" if data.final else "supervisor_approved"
    return [_status(event, data.enrollment_id, status), *_budget(data.budget, event)]


def on_enrollment_rejected(event: ConsumedEvent) -> list[Write]:
    data = payload(event, EnrollmentRejectedV1)
    return [_status(event, data.enrollment_id, "rejected")]


def on_enrollment_withdrawn(event: ConsumedEvent) -> list[Write]:
    data = payload(event, EnrollmentWithdrawnV1)
    return [_status(event, data.enrollment_id, "withdrawn"), *_budget(data.budget, event)]


def on_enrollment_not_completed(event: ConsumedEvent) -> list[Write]:
    data = payload(event, EnrollmentNotCompletedV1)
    return [_status(event, data.enrollment_id, "not_completed"), *_budget(data.budget, event)]


def on_training_completed(event: ConsumedEvent) -> list[Write]:
    data = payload(event, TrainingCompletedV1)
    credit = {
        "completion_id": data.completion_id,
        "nip": data.nip,
        "unit_code": data.unit_code,
        "title": data.title,
        "kind": str(data.kind),
        "klasikal": data.klasikal,
        "jp": data.jp,
        "start": data.start,
        "end": data.end,
        "institution": data.institution,
        "certificate_number": data.certificate_number,
    }
    writes = [Write(_INSERT_CREDIT, credit)]
    if data.source is CompletionSource.PROGRAM:
        writes.append(_status(event, data.completion_id, "completed"))
    else:
        params = {"r_id": data.completion_id, "r_state": "verified", "r_at": event.envelope.time}
        writes.append(Write(_RECORD_STATE, params))
    if data.competencies:
        params = {"n_nip": data.nip, "n_competencies": list(data.competencies)}
        writes.append(Write(_ADDRESS_NEEDS, params))
    return writes + _budget(data.budget, event)


def on_learning_record_submitted(event: ConsumedEvent) -> list[Write]:
    data = payload(event, LearningRecordSubmittedV1)
    values = {
        "record_id": data.record_id,
        "nip": data.nip,
        "title": data.title,
        "kind": str(data.kind),
        "jp": data.jp,
        "verifier_nip": data.verifier_nip,
        "state": "pending",
        "updated_at": event.envelope.time,
    }
    return [Write(_INSERT_RECORD, values)]


def on_learning_record_rejected(event: ConsumedEvent) -> list[Write]:
    data = payload(event, LearningRecordRejectedV1)
    params = {"r_id": data.record_id, "r_state": "rejected", "r_at": event.envelope.time}
    return [Write(_RECORD_STATE, params)]


def on_need_identified(event: ConsumedEvent) -> list[Write]:
    data = payload(event, NeedIdentifiedV1)
    values = {
        "need_id": data.need_id,
        "nip": data.nip,
        "year": data.year,
        "competency": data.competency,
        "predikat": data.predikat,
        "addressed": False,
        "identified_at": data.identified_at,
    }
    return [Write(_INSERT_NEED, values)]


def on_budget_allocated(event: ConsumedEvent) -> list[Write]:
    data = payload(event, BudgetAllocatedV1)
    return _budget(data.budget, event)


PROJECTIONS: dict[str, Projection] = {
    ProgramPublishedV1.event_type: on_program_published,
    ProgramCancelledV1.event_type: on_program_cancelled,
    EnrollmentRequestedV1.event_type: on_enrollment_requested,
    EnrollmentApprovedV1.event_type: on_enrollment_approved,
    EnrollmentRejectedV1.event_type: on_enrollment_rejected,
    EnrollmentWithdrawnV1.event_type: on_enrollment_withdrawn,
    EnrollmentNotCompletedV1.event_type: on_enrollment_not_completed,
    TrainingCompletedV1.event_type: on_training_completed,
    LearningRecordSubmittedV1.event_type: on_learning_record_submitted,
    LearningRecordRejectedV1.event_type: on_learning_record_rejected,
    NeedIdentifiedV1.event_type: on_need_identified,
    BudgetAllocatedV1.event_type: on_budget_allocated,
}

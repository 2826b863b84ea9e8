"""kinerja.events → SKPs (submitted, returned, agreed), appraisals (submitted, then
finalized) and feedback.

Events of one employee share a key (the NIP), so they arrive in order; besides, an SKP
event applies only over an older one (kinerja's per-employee `sequence`, else the event's
own timestamps) and an agreed SKP never goes back to submitted or returned; a finalized
appraisal never goes back to submitted, and of two finalizations of the same appraisal
(a keberatan decided) the later `finalized_at` wins, whatever order they come in.
"""

from __future__ import annotations

from typing import Any

from asn_schemas.kinerja import (
    AppraisalFinalizedV1,
    AppraisalPeriod,
    AppraisalSubmittedV1,
    FeedbackGivenV1,
    PeriodKind,
    SkpApprovedV1,
    SkpReturnedV1,
    SkpSubmittedV1,
)
from servicekit.consumer import ConsumedEvent
from sqlalchemy import (
    ColumnElement,
    DateTime,
    Executable,
    Integer,
    and_,
    bindparam,
    func,
    or_,
    update,
)
from sqlalchemy.dialects.postgresql import insert

from gateway.models import appraisal, feedback, skp
from gateway.projections.common import Projection, Write, payload

APPROVED = "approved"


def _newer_skp_event(sequence: Any, at: Any) -> ColumnElement[bool]:
    """The stored SKP row is older than the event: by kinerja's per-employee sequence when
    both have one, else by the event's time against the row's latest submit/return.

    `sequence` and `at` are SQL (the upsert's EXCLUDED columns or bound parameters), so
    one statement serves events with and without a sequence."""
    by_time = or_(
        and_(skp.c.submitted_at.is_(None), skp.c.returned_at.is_(None)),
        and_(
            or_(skp.c.submitted_at.is_(None), skp.c.submitted_at <= at),
            or_(skp.c.returned_at.is_(None), skp.c.returned_at <= at),
        ),
    )
    return or_(
        and_(sequence.is_not(None), skp.c.sequence <= sequence),
        and_(or_(sequence.is_(None), skp.c.sequence.is_(None)), by_time),
    )


_SUBMITTED_COLUMNS = (
    "skp_id",
    "nip",
    "year",
    "start",
    "end",
    "unit_code",
    "status",
    "approver_nip",
    "submitted_at",
    "sequence",
    "updated_at",
)


def _submitted_upsert() -> Executable:
    statement = insert(skp)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["skp_id"],
        set_={k: excluded[k] for k in _SUBMITTED_COLUMNS if k != "skp_id"},
        where=and_(
            skp.c.status != APPROVED, _newer_skp_event(excluded.sequence, excluded.submitted_at)
        ),
    )


def _returned_update() -> Executable:
    sequence = bindparam("r_sequence", type_=Integer)
    returned_at = bindparam("r_returned_at", type_=DateTime(timezone=True))
    return (
        update(skp)
        .where(
            skp.c.skp_id == bindparam("r_skp_id", type_=skp.c.skp_id.type),
            skp.c.status != APPROVED,
            _newer_skp_event(sequence, returned_at),
        )
        .values(
            status="returned",
            returned_at=returned_at,
            sequence=sequence,
            updated_at=bindparam("r_updated_at", type_=DateTime(timezone=True)),
        )
    )


_APPROVED_COLUMNS = (
    "skp_id",
    "nip",
    "year",
    "start",
    "end",
    "unit_code",
    "status",
    "approver_nip",
    "approved_at",
    "rhk",
    "supersedes_skp_id",
    "sequence",
    "updated_at",
)


def _approved_upsert() -> Executable:
    statement = insert(skp)
    return statement.on_conflict_do_update(
        index_elements=["skp_id"],
        set_={k: statement.excluded[k] for k in _APPROVED_COLUMNS if k != "skp_id"},
        where=or_(
            skp.c.status != APPROVED,  # agreement ends the submit/return back and forth
            skp.c.sequence.is_(None),
            statement.excluded.sequence.is_(None),
            skp.c.sequence <= statement.excluded.sequence,
        ),
    )


# The earlier part of the year is kept, closed where the new one starts.
_MARK_SUPERSEDED = (
    update(skp)
    .where(skp.c.skp_id == bindparam("s_skp_id", type_=skp.c.skp_id.type))
    .values(superseded_by_skp_id=bindparam("s_by", type_=skp.c.skp_id.type))
)
_UPSERT_SUBMITTED = _submitted_upsert()
_UPDATE_RETURNED = _returned_update()
_UPSERT_APPROVED = _approved_upsert()


def on_skp_submitted(event: ConsumedEvent) -> list[Write]:
    """Submitted (again, after a return): waits for `approver_nip`'s agreement."""
    data = payload(event, SkpSubmittedV1)
    values = {
        "skp_id": data.skp_id,
        "nip": data.nip,
        "year": data.year,
        "start": data.start,
        "end": data.end,
        "unit_code": data.unit_code,
        "status": "submitted",
        "approver_nip": data.approver_nip,
        "submitted_at": data.submitted_at,
        "sequence": event.envelope.sequence,
        "updated_at": event.envelope.time,
    }
    return [Write(_UPSERT_SUBMITTED, values)]


def on_skp_returned(event: ConsumedEvent) -> list[Write]:
    """Sent back to the employee (the note stays in kinerja). Without the submission
    before it there is nothing to mark: kinerja returns only submitted SKPs."""
    data = payload(event, SkpReturnedV1)
    values = {
        "r_skp_id": data.skp_id,
        "r_returned_at": data.returned_at,
        "r_sequence": event.envelope.sequence,
        "r_updated_at": event.envelope.time,
    }
    return [Write(_UPDATE_RETURNED, values)]


def on_skp_approved(event: ConsumedEvent) -> list[Write]:
    data = payload(event, SkpApprovedV1)
    values = {
        "skp_id": data.skp_id,
        "nip": data.nip,
        "year": data.year,
        "start": data.start,
        "end": data.end,
        "unit_code": data.unit_code,
        "status": APPROVED,
        "approver_nip": data.approver_nip,
        "approved_at": data.approved_at,
        "rhk": [r.model_dump(mode="json") for r in data.rhk],
        "supersedes_skp_id": data.supersedes_skp_id,
        "sequence": event.envelope.sequence,
        "updated_at": event.envelope.time,
    }
    writes = [Write(_UPSERT_APPROVED, values)]
    if data.supersedes_skp_id is not None:
        writes.append(
            Write(_MARK_SUPERSEDED, {"s_skp_id": data.supersedes_skp_id, "s_by": data.skp_id})
        )
    return writes


def _period_values(period: AppraisalPeriod) -> dict[str, object]:
    return {
        "year": period.year,
        "period_kind": str(period.kind),
        "period_number": period.number,
        "start": period.start,
        "end": period.end,
        "annual": period.kind is PeriodKind.ANNUAL,
    }


_PERIOD_COLUMNS = ("year", "period_kind", "period_number", "start", "end", "annual")
_APPRAISAL_SUBMITTED_COLUMNS = (
    "appraisal_id",
    "nip",
    "skp_id",
    *_PERIOD_COLUMNS,
    "state",
    "rater_nip",
    "submitted_at",
    "updated_at",
)
_APPRAISAL_FINALIZED_COLUMNS = (
    "appraisal_id",
    "nip",
    *_PERIOD_COLUMNS,
    "state",
    "predikat",
    "rating_hasil_kerja",
    "rating_perilaku_kerja",
    "appraiser_nip",
    "revision",
    "finalized_at",
    "updated_at",
)
_OPTIONAL_FINALIZED_COLUMNS = ("skp_id", "unit_code")


def _appraisal_submitted_upsert() -> Executable:
    statement = insert(appraisal)
    return statement.on_conflict_do_update(
        index_elements=["appraisal_id"],
        set_={
            k: statement.excluded[k] for k in _APPRAISAL_SUBMITTED_COLUMNS if k != "appraisal_id"
        },
        where=appraisal.c.state != "finalized",
    )


def _appraisal_finalized_upsert() -> Executable:
    statement = insert(appraisal)
    excluded = statement.excluded
    set_: dict[str, Any] = {
        k: excluded[k] for k in _APPRAISAL_FINALIZED_COLUMNS if k != "appraisal_id"
    }
    # Optional fields: an event without them keeps what an earlier one said.
    set_.update(
        {k: func.coalesce(excluded[k], appraisal.c[k]) for k in _OPTIONAL_FINALIZED_COLUMNS}
    )
    return statement.on_conflict_do_update(
        index_elements=["appraisal_id"],
        set_=set_,
        where=or_(
            appraisal.c.finalized_at.is_(None), appraisal.c.finalized_at <= excluded.finalized_at
        ),
    )


_UPSERT_APPRAISAL_SUBMITTED = _appraisal_submitted_upsert()
_UPSERT_APPRAISAL_FINALIZED = _appraisal_finalized_upsert()
_INSERT_FEEDBACK = insert(feedback).on_conflict_do_nothing(index_elements=["feedback_id"])


def on_appraisal_submitted(event: ConsumedEvent) -> list[Write]:
    data = payload(event, AppraisalSubmittedV1)
    values = {
        "appraisal_id": data.appraisal_id,
        "nip": data.nip,
        "skp_id": data.skp_id,
        **_period_values(data.period),
        "state": "submitted",
        "rater_nip": data.rater_nip,
        "submitted_at": data.submitted_at,
        "updated_at": event.envelope.time,
    }
    return [Write(_UPSERT_APPRAISAL_SUBMITTED, values)]


def on_appraisal_finalized(event: ConsumedEvent) -> list[Write]:
    data = payload(event, AppraisalFinalizedV1)
    values = {
        "appraisal_id": data.appraisal_id,
        "nip": data.nip,
        **_period_values(data.period),
        "state": "finalized",
        "predikat": str(data.predikat),
        "rating_hasil_kerja": str(data.rating_hasil_kerja),
        "rating_perilaku_kerja": str(data.rating_perilaku_kerja),
        "appraiser_nip": data.appraiser_nip,
        "revision": data.revision or 1,
        "finalized_at": data.finalized_at,
        "updated_at": event.envelope.time,
        "skp_id": data.skp_id,
        "unit_code": data.unit_code,
    }
    return [Write(_UPSERT_APPRAISAL_FINALIZED, values)]


def on_feedback_given(event: ConsumedEvent) -> list[Write]:
    data = payload(event, FeedbackGivenV1)
    values = {
        "feedback_id": data.feedback_id,
        "nip": data.nip,
        "giver_nip": data.giver_nip,
        "skp_id": data.skp_id,
        "rhk_id": data.rhk_id,
        "value": str(data.value) if data.value else None,
        "given_at": data.given_at,
    }
    return [Write(_INSERT_FEEDBACK, values)]


PROJECTIONS: dict[str, Projection] = {
    SkpSubmittedV1.event_type: on_skp_submitted,
    SkpReturnedV1.event_type: on_skp_returned,
    SkpApprovedV1.event_type: on_skp_approved,
    AppraisalSubmittedV1.event_type: on_appraisal_submitted,
    AppraisalFinalizedV1.event_type: on_appraisal_finalized,
    FeedbackGivenV1.event_type: on_feedback_given,
}

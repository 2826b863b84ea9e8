"""kinerja.events → SKPs (submitted, returned, agreed), appraisals (submitted, then
finalized) and feedback.

Events of one employee share a key (the NIP), so they arrive in order; besides, an SKP
event applies only over an older one (kinerja's per-employee `sequence`, else the event's
own timestamps) and an agreed SKP never goes back to submitted or returned; a finalized
appraisal never goes back to submitted, and of two finalizations of the same appraisal
(a keberatan decided) the later `finalized_at` wins, whatever order they come in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

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
from sqlalchemy import ColumnElement, and_, or_, update
from sqlalchemy.dialects.postgresql import insert

from gateway.models import appraisal, feedback, skp
from gateway.projections.common import Executor, payload

APPROVED = "approved"


def _newer_skp_event(sequence: int | None, at: datetime) -> ColumnElement[bool]:
    """The stored SKP row is older than the event: by kinerja's per-employee sequence when
    both have one, else by the event's time against the row's latest submit/return."""
    by_time = or_(
        and_(skp.c.submitted_at.is_(None), skp.c.returned_at.is_(None)),
        and_(
            or_(skp.c.submitted_at.is_(None), skp.c.submitted_at <= at),
            or_(skp.c.returned_at.is_(None), skp.c.returned_at <= at),
        ),
    )
    if sequence is None:
        return by_time
    return or_(skp.c.sequence <= sequence, and_(skp.c.sequence.is_(None), by_time))


async def on_skp_submitted(executor: Executor, event: ConsumedEvent) -> None:
    """Submitted (again, after a return): waits for `approver_nip`'s agreement."""
    data = payload(event, SkpSubmittedV1)
    sequence = event.envelope.sequence
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
        "sequence": sequence,
        "updated_at": event.envelope.time,
    }
    statement = insert(skp).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["skp_id"],
        set_={k: statement.excluded[k] for k in values if k != "skp_id"},
        where=and_(skp.c.status != APPROVED, _newer_skp_event(sequence, data.submitted_at)),
    )
    await executor.execute(statement)


async def on_skp_returned(executor: Executor, event: ConsumedEvent) -> None:
    """Sent back to the employee (the note stays in kinerja). Without the submission
    before it there is nothing to mark: kinerja returns only submitted SKPs."""
    data = payload(event, SkpReturnedV1)
    sequence = event.envelope.sequence
    await executor.execute(
        update(skp)
        .where(
            skp.c.skp_id == data.skp_id,
            skp.c.status != APPROVED,
            _newer_skp_event(sequence, data.returned_at),
        )
        .values(
            status="returned",
            returned_at=data.returned_at,
            sequence=sequence,
            updated_at=event.envelope.time,
        )
    )


async def on_skp_approved(executor: Executor, event: ConsumedEvent) -> None:
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
    statement = insert(skp).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["skp_id"],
        set_={k: statement.excluded[k] for k in values if k != "skp_id"},
        where=or_(
            skp.c.status != APPROVED,  # agreement ends the submit/return back and forth
            skp.c.sequence.is_(None),
            statement.excluded.sequence.is_(None),
            skp.c.sequence <= statement.excluded.sequence,
        ),
    )
    await executor.execute(statement)
    if data.supersedes_skp_id is not None:
        # The earlier part of the year is kept, closed where the new one starts.
        await executor.execute(
            update(skp)
            .where(skp.c.skp_id == data.supersedes_skp_id)
            .values(superseded_by_skp_id=data.skp_id)
        )


def _period_values(period: AppraisalPeriod) -> dict[str, object]:
    return {
        "year": period.year,
        "period_kind": str(period.kind),
        "period_number": period.number,
        "start": period.start,
        "end": period.end,
        "annual": period.kind is PeriodKind.ANNUAL,
    }


async def on_appraisal_submitted(executor: Executor, event: ConsumedEvent) -> None:
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
    statement = insert(appraisal).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["appraisal_id"],
        set_={k: statement.excluded[k] for k in values if k != "appraisal_id"},
        where=appraisal.c.state != "finalized",
    )
    await executor.execute(statement)


async def on_appraisal_finalized(executor: Executor, event: ConsumedEvent) -> None:
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
    }
    # Optional fields: an event without them keeps what an earlier one said.
    optional = {"skp_id": data.skp_id, "unit_code": data.unit_code}
    statement = insert(appraisal).values(**values, **optional)
    excluded = statement.excluded
    set_ = {k: excluded[k] for k in values if k != "appraisal_id"}
    set_.update({k: excluded[k] if v is not None else appraisal.c[k] for k, v in optional.items()})
    statement = statement.on_conflict_do_update(
        index_elements=["appraisal_id"],
        set_=set_,
        where=or_(
            appraisal.c.finalized_at.is_(None), appraisal.c.finalized_at <= excluded.finalized_at
        ),
    )
    await executor.execute(statement)


async def on_feedback_given(executor: Executor, event: ConsumedEvent) -> None:
    data = payload(event, FeedbackGivenV1)
    statement = insert(feedback).values(
        feedback_id=data.feedback_id,
        nip=data.nip,
        giver_nip=data.giver_nip,
        skp_id=data.skp_id,
        rhk_id=data.rhk_id,
        value=str(data.value) if data.value else None,
        given_at=data.given_at,
    )
    await executor.execute(statement.on_conflict_do_nothing(index_elements=["feedback_id"]))


PROJECTIONS: dict[str, Callable[[Executor, ConsumedEvent], Awaitable[None]]] = {
    SkpSubmittedV1.event_type: on_skp_submitted,
    SkpReturnedV1.event_type: on_skp_returned,
    SkpApprovedV1.event_type: on_skp_approved,
    AppraisalSubmittedV1.event_type: on_appraisal_submitted,
    AppraisalFinalizedV1.event_type: on_appraisal_finalized,
    FeedbackGivenV1.event_type: on_feedback_given,
}

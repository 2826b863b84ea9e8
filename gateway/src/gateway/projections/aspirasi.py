"""aspirasi.events → tickets (for the inbox) and the units' complaint signals (dashboard).

A ticket's events share a key (its code) and carry aspirasi's per-ticket `sequence`: a
snapshot applies only over an older one. A `rahasia` ticket's events carry no title, so
the read model has none either.
"""

from __future__ import annotations

from typing import Any

from asn_schemas.aspirasi import (
    ASPIRASI_EVENTS,
    SlaBreachedV1,
    SubmissionReceivedV1,
    SubmissionReopenedV1,
    SubmissionReturnedV1,
    SubmissionRoutedV1,
    UnitSignalComputedV1,
)
from servicekit.consumer import ConsumedEvent
from sqlalchemy import Executable, Integer, bindparam, func, update
from sqlalchemy.dialects.postgresql import insert

from gateway.models import complaint_signal, ticket
from gateway.projections.common import Projection, Write, payload

_COLUMNS = (
    "code",
    "submission_id",
    "kind",
    "privacy",
    "status",
    "unit_code",
    "title",
    "escalated",
    "reopen_count",
    "received_at",
    "due_on",
    "sequence",
)


def _ticket_upsert() -> Executable:
    statement = insert(ticket)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["code"],
        set_={
            **{k: excluded[k] for k in _COLUMNS if k not in ("code", "due_on")},
            # A step that sets no new deadline (an answer, a hold) clears it.
            "due_on": excluded.due_on,
            "updated_at": func.now(),
        },
        where=ticket.c.sequence < excluded.sequence,
    )


_TICKET = _ticket_upsert()
_BREACHED = (
    update(ticket)
    .where(
        ticket.c.code == bindparam("b_code"),
        ticket.c.sequence < bindparam("b_sequence", type_=Integer),
    )
    .values(escalated=True, sequence=bindparam("b_sequence", type_=Integer), updated_at=func.now())
)
_SIGNAL = (
    lambda s: s.on_conflict_do_update(
        index_elements=["unit_code", "month"],
        set_={
            k: s.excluded[k]
            for k in (
                "received",
                "resolved",
                "sla_compliance",
                "reopen_rate",
                "average_rating",
                "computed_at",
            )
        },
        where=complaint_signal.c.computed_at <= s.excluded.computed_at,
    )
)(insert(complaint_signal))

_DUE: dict[type[Any], str] = {
    SubmissionReceivedV1: "verification_due",
    SubmissionReturnedV1: "verification_due",
    SubmissionRoutedV1: "follow_up_due",
    SubmissionReopenedV1: "follow_up_due",
}
# Every event that carries the ticket's snapshot (the catalogue's submission.* types).
_SUBMISSION_EVENTS: tuple[type[Any], ...] = tuple(
    model for model in ASPIRASI_EVENTS if "submission" in model.model_fields
)


def _submission(model: type[Any]) -> Projection:
    due_field = _DUE.get(model)

    def project(event: ConsumedEvent) -> list[Write]:
        data = payload(event, model)
        snap = data.submission
        return [
            Write(
                _TICKET,
                {
                    "code": snap.code,
                    "submission_id": snap.submission_id,
                    "kind": snap.kind.value,
                    "privacy": snap.privacy.value,
                    "status": snap.status.value,
                    "unit_code": snap.unit_code,
                    "title": snap.title,
                    "escalated": snap.escalated,
                    "reopen_count": snap.reopen_count,
                    "received_at": snap.received_at,
                    "due_on": getattr(data, due_field) if due_field else None,
                    "sequence": event.envelope.sequence or 0,
                },
            )
        ]

    return project


def _breached(event: ConsumedEvent) -> list[Write]:
    data = payload(event, SlaBreachedV1)
    return [Write(_BREACHED, {"b_code": data.code, "b_sequence": event.envelope.sequence or 0})]


def _signal(event: ConsumedEvent) -> list[Write]:
    data = payload(event, UnitSignalComputedV1)
    return [Write(_SIGNAL, data.model_dump())]


PROJECTIONS: dict[str, Projection] = {
    **{model.event_type: _submission(model) for model in _SUBMISSION_EVENTS},
    SlaBreachedV1.event_type: _breached,
    UnitSignalComputedV1.event_type: _signal,
}

"""What pegawai consumes: finalized appraisals from kinerja, for promotion eligibility."""

from __future__ import annotations

from asn_schemas.kinerja import AppraisalFinalizedV1
from servicekit.consumer import ConsumedEvent
from servicekit.runtime import ConsumerSpec
from servicekit.uow import UnitOfWork
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from pegawai.models import Appraisal
from pegawai.settings import PegawaiSettings


async def on_appraisal_finalized(event: ConsumedEvent, uow: UnitOfWork) -> None:
    """Keep the latest finalization of each appraisal: a keberatan re-finalizes the same id,
    and a redelivered older one must not undo it."""
    payload = event.payload
    if not isinstance(payload, AppraisalFinalizedV1):
        payload = AppraisalFinalizedV1.model_validate(payload, extra="ignore")
    values = {
        "appraisal_id": payload.appraisal_id,
        "nip": payload.nip,
        "year": payload.period.year,
        "period_kind": payload.period.kind.value,
        "predikat": payload.predikat.value,
        "finalized_at": payload.finalized_at,
        "event_id": event.envelope.id,
    }
    statement = insert(Appraisal).values(**values)
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=["appraisal_id"],
        set_={k: excluded[k] for k in values if k != "appraisal_id"},
        where=col(Appraisal.finalized_at) <= excluded.finalized_at,
    )
    await uow.session.execute(statement)


def consumer_specs(settings: PegawaiSettings) -> list[ConsumerSpec]:
    return [
        ConsumerSpec(
            group_id=settings.consumer_group,
            topics=[settings.kinerja_topic],
            handlers={AppraisalFinalizedV1.event_type: on_appraisal_finalized},
        )
    ]

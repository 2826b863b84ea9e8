"""What pegawai consumes: finalized appraisals from kinerja, for promotion eligibility, and
completed leadership training from pelatihan, the latihan jabatan key of the DUK."""

from __future__ import annotations

from asn_schemas.kinerja import AppraisalFinalizedV1
from asn_schemas.pelatihan import TrainingCompletedV1
from servicekit.consumer import ConsumedEvent
from servicekit.runtime import ConsumerSpec
from servicekit.uow import UnitOfWork
from sqlalchemy import or_, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from pegawai.models import Appraisal, Employee
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


async def on_training_completed(event: ConsumedEvent, uow: UnitOfWork) -> None:
    """A completed PKP, PKA or PKN is the DUK's latihan jabatan (DOMAIN 1.11). The latest
    one is kept: a higher leadership course comes later in a career and supersedes the
    earlier one, and a redelivered older completion must not undo a newer one."""
    payload = event.payload
    if not isinstance(payload, TrainingCompletedV1):
        payload = TrainingCompletedV1.model_validate(payload, extra="ignore")
    if not payload.kind.leadership:
        return
    await uow.session.execute(
        update(Employee)
        .where(
            col(Employee.nip) == payload.nip,
            or_(
                col(Employee.leadership_training).is_(None),
                col(Employee.leadership_training) < payload.end,
            ),
        )
        .values(leadership_training=payload.end, version=col(Employee.version) + 1)
    )


def consumer_specs(settings: PegawaiSettings) -> list[ConsumerSpec]:
    return [
        ConsumerSpec(
            group_id=settings.consumer_group,
            topics=[settings.kinerja_topic, settings.pelatihan_topic],
            handlers={
                AppraisalFinalizedV1.event_type: on_appraisal_finalized,
                TrainingCompletedV1.event_type: on_training_completed,
            },
        )
    ]

"""Non-klasikal learning the employee records (an e-learning certificate, a coaching log);
it counts once the direct supervisor verifies it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from asn_schemas.pelatihan import (
    CompletionSource,
    LearningRecordRejectedV1,
    LearningRecordSubmittedV1,
)
from servicekit.problems import check_if_match, conflict, forbidden, invalid, not_found
from servicekit.uow import UnitOfWork

from pelatihan import enrollments, store
from pelatihan.api.schemas import LearningRecordIn, VerifyIn
from pelatihan.models import LearningRecord

PENDING, VERIFIED, REJECTED = "pending", "verified", "rejected"


async def load(uow: UnitOfWork, record_id: uuid.UUID, if_match: str | None) -> LearningRecord:
    found = await store.locked(uow.session, LearningRecord, record_id)
    if found is None:
        raise not_found("learning_record", f"Catatan pembelajaran {record_id}")
    check_if_match(if_match, found.version, required=False)
    return found


async def submit(uow: UnitOfWork, body: LearningRecordIn) -> LearningRecord:
    who = uow.actor
    if body.kind.klasikal:
        raise invalid(
            "klasikal_not_self_recorded",
            "Pelatihan klasikal dicatat melalui program; catatan mandiri untuk non-klasikal.",
            field="kind",
        )
    emp = await store.employee(uow.session, who.sub)
    if emp is None:
        raise invalid("unknown_employee", f"Pegawai {who.sub} belum tercatat di layanan pelatihan.")
    record = LearningRecord(
        id=uuid.uuid4(),
        nip=who.sub,
        unit_id=emp.unit_id,
        kind=body.kind.value,
        title=body.title,
        provider=body.provider,
        jp=body.jp,
        start=body.start,
        end=body.end,
        certificate_number=body.certificate_number,
        evidence_url=str(body.evidence_url) if body.evidence_url else None,
        competencies=sorted(set(body.competencies)),
        status=PENDING,
        verifier_nip=emp.supervisor_nip,
    )
    uow.session.add(record)
    await uow.session.flush()
    uow.add_event(
        LearningRecordSubmittedV1(
            record_id=record.id,
            nip=who.sub,
            title=record.title,
            kind=body.kind,
            jp=record.jp,
            verifier_nip=record.verifier_nip,
        ),
        subject=who.sub,
        sequence=await store.next_sequence(uow.session, who.sub),
    )
    return record


async def verify(uow: UnitOfWork, r: LearningRecord, body: VerifyIn) -> None:
    who = uow.actor
    if who.sub == r.nip:
        raise forbidden("Pegawai tidak memverifikasi catatannya sendiri.")
    if r.verifier_nip is None or who.sub != r.verifier_nip:
        raise forbidden("Catatan pembelajaran diverifikasi oleh atasan langsung pegawai.")
    if r.status != PENDING:
        raise conflict("learning_record_decided", f"Catatan berstatus {r.status}.")
    r.status = VERIFIED if body.accept else REJECTED
    r.verified_by, r.verified_at, r.note = who.sub, datetime.now(UTC), body.note
    r.version += 1
    if not body.accept:
        uow.add_event(
            LearningRecordRejectedV1(record_id=r.id, nip=r.nip, rejected_by=who.sub),
            subject=r.nip,
            sequence=await store.next_sequence(uow.session, r.nip),
        )
        return
    emp = await store.employee(uow.session, r.nip)
    training = enrollments.Training(
        r.id, r.title, r.kind, False, r.jp, r.start, r.end, r.competencies
    )
    await enrollments.credit(
        uow,
        completion_id=r.id,
        source=CompletionSource.LEARNING_RECORD,
        nip=r.nip,
        unit_code=emp.unit_code if emp else None,
        program=training,
        institution=r.provider,
        certificate_number=r.certificate_number,
        sequence=await store.next_sequence(uow.session, r.nip),
    )

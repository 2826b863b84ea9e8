"""Appraisal commands: open a period, self-assess and submit (the employee); rate and
finalize (the rater); keberatan filed by the employee and decided by the rater's atasan."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from asn_schemas.kinerja import (
    AppraisalFinalizedV1,
    AppraisalPeriod,
    AppraisalSubmittedV1,
    CoreValue,
    PeriodKind,
    Predikat,
    Rating,
    ValueRating,
)
from servicekit.errors import ProblemError
from servicekit.identity import Identity
from servicekit.problems import check_if_match, conflict, forbidden, invalid, not_found
from servicekit.uow import UnitOfWork
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja import access, store
from kinerja.api.schemas import (
    AppraisalCreate,
    Finalize,
    ObjectionDecision,
    ObjectionIn,
    SelfAssessment,
)
from kinerja.domain.objection import ObjectionStatus, objection_deadline, within_deadline
from kinerja.domain.periods import clipped_period, today_wib, wib_date
from kinerja.domain.predikat import overall_rating, predikat_of
from kinerja.domain.raters import objection_decider
from kinerja.domain.skp import SkpStatus
from kinerja.models import Appraisal, Skp
from kinerja.settings import KinerjaSettings

DRAFT, SUBMITTED, FINALIZED = "draft", "submitted", "finalized"


async def load(
    session: AsyncSession, appraisal_id: uuid.UUID, if_match: str | None = None
) -> Appraisal:
    found = await store.locked(session, Appraisal, appraisal_id)
    if found is None:
        raise not_found("appraisal", f"Penilaian {appraisal_id}")
    check_if_match(if_match, found.version, required=False)
    return found


def _bump(a: Appraisal) -> None:
    a.version += 1
    a.updated_at = datetime.now(UTC)


def _not_finalized(a: Appraisal) -> None:
    if a.status == FINALIZED:
        raise conflict("appraisal_finalized", "Penilaian sudah final; tidak dapat diubah lagi.")


def period_of(a: Appraisal) -> AppraisalPeriod:
    return AppraisalPeriod(
        kind=PeriodKind(a.period_kind),
        year=a.year,
        number=a.period_number,
        start=a.start,
        end=a.end,
    )


async def create(
    uow: UnitOfWork, who: Identity, body: AppraisalCreate, settings: KinerjaSettings
) -> Appraisal:
    session = uow.session
    skp = await store.locked(session, Skp, body.skp_id)
    if skp is None:
        raise invalid("unknown_skp", f"SKP {body.skp_id} tidak ditemukan.", field="skp_id")
    if who.sub != skp.nip and who.sub != await store.effective_rater(session, skp.rater_nip):
        raise forbidden("Penilaian dibuka oleh pegawai atau pejabat penilainya.")
    if skp.status != SkpStatus.APPROVED.value:
        raise conflict("skp_not_approved", "Penilaian hanya untuk SKP yang sudah disetujui.")
    kind = body.period.kind
    if kind not in (PeriodKind.ANNUAL, PeriodKind(settings.appraisal_cadence)):
        raise invalid(
            "period_kind_not_allowed",
            f"Periode penilaian yang berlaku: annual atau {settings.appraisal_cadence}.",
            field="period.kind",
        )
    span = (skp.start, skp.end)
    if kind is PeriodKind.ANNUAL:
        if skp.closed_on is not None:
            raise conflict(
                "skp_closed",
                "Penilaian tahunan dibuat pada SKP terakhir tahun itu, bukan SKP yang ditutup.",
            )
        first = select(func.min(col(Skp.start))).where(
            col(Skp.nip) == skp.nip, col(Skp.year) == skp.year
        )
        span = ((await session.execute(first)).scalar_one(), skp.end)
    try:
        period = clipped_period(kind, skp.year, body.period.number, span)
    except ValueError as exc:
        raise invalid("invalid_period", str(exc), field="period.number") from exc
    if period is None:
        raise invalid("period_outside_skp", "Periode itu di luar masa SKP.", field="period")
    same = select(col(Appraisal.id)).where(
        col(Appraisal.skp_id) == skp.id,
        col(Appraisal.period_kind) == kind.value,
        func.coalesce(col(Appraisal.period_number), 0) == (body.period.number or 0),
    )
    if (await session.execute(same)).first() is not None:
        raise conflict("appraisal_exists", "Penilaian periode ini sudah ada.")
    appraisal = Appraisal(
        id=uuid.uuid4(),
        skp_id=skp.id,
        nip=skp.nip,
        year=skp.year,
        period_kind=kind.value,
        period_number=period.number,
        start=period.start,
        end=period.end,
        status=DRAFT,
        unit_id=skp.unit_id,
        unit_code=skp.unit_code,
    )
    session.add(appraisal)
    await session.flush()
    return appraisal


async def _rhk_ids(session: AsyncSession, skp_id: uuid.UUID) -> set[uuid.UUID]:
    return {r.id for r in await store.rhk_of(session, skp_id)}


def _check_rhk_refs(ids: list[uuid.UUID], allowed: set[uuid.UUID], field: str) -> None:
    for i, rhk_id in enumerate(ids):
        if rhk_id not in allowed:
            raise invalid(
                "rhk_not_in_skp",
                f"RHK {rhk_id} bukan bagian dari SKP penilaian ini.",
                field=f"{field}.{i}.rhk_id",
            )
    if len(set(ids)) != len(ids):
        raise invalid("duplicate_rhk", "Setiap RHK cukup disebut sekali.", field=field)


async def self_assess(uow: UnitOfWork, who: Identity, a: Appraisal, body: SelfAssessment) -> None:
    access.require_self(who, a.nip, "mengisi penilaian mandiri")
    _not_finalized(a)
    if a.status != DRAFT:
        raise conflict("appraisal_submitted", "Penilaian mandiri sudah diajukan ke penilai.")
    allowed = await _rhk_ids(uow.session, a.skp_id)
    _check_rhk_refs([r.rhk_id for r in body.results], allowed, "results")
    a.self_assessment = body.model_dump(mode="json")
    _bump(a)


async def submit(uow: UnitOfWork, who: Identity, a: Appraisal) -> None:
    access.require_self(who, a.nip, "mengajukan penilaian")
    _not_finalized(a)
    if a.status != DRAFT:
        raise conflict("appraisal_submitted", "Penilaian sudah diajukan.")
    if not a.self_assessment:
        raise invalid("self_assessment_missing", "Isi penilaian mandiri sebelum mengajukan.")
    skp = await uow.session.get(Skp, a.skp_id)
    assert skp is not None
    rater = await store.effective_rater(uow.session, skp.rater_nip)
    if rater is None or rater == a.nip:
        raise conflict("no_rater_available", "Tidak ada pejabat penilai yang aktif.")
    a.status = SUBMITTED
    a.rater_nip = rater
    a.submitted_at = datetime.now(UTC)
    _bump(a)
    payload = AppraisalSubmittedV1(
        appraisal_id=a.id,
        skp_id=a.skp_id,
        nip=a.nip,
        period=period_of(a),
        rater_nip=rater,
        submitted_at=a.submitted_at,
    )
    uow.add_event(payload, subject=a.nip, sequence=await store.next_sequence(uow.session, a.nip))


async def finalize(uow: UnitOfWork, who: Identity, a: Appraisal, body: Finalize) -> None:
    from kinerja.skps import require_rater

    _not_finalized(a)
    if a.status != SUBMITTED:
        raise conflict(
            "appraisal_not_submitted", "Penilaian belum diajukan pegawai; belum dapat difinalkan."
        )
    skp = await uow.session.get(Skp, a.skp_id)
    assert skp is not None
    await require_rater(uow.session, who, a.nip, skp.rater_nip)
    values = [p.value for p in body.perilaku]
    if set(values) != set(CoreValue) or len(values) != len(CoreValue):
        raise invalid(
            "perilaku_incomplete",
            "Nilai perilaku kerja untuk ketujuh nilai BerAKHLAK, masing-masing sekali.",
            field="perilaku",
        )
    allowed = await _rhk_ids(uow.session, a.skp_id)
    _check_rhk_refs([r.rhk_id for r in body.rhk_ratings], allowed, "rhk_ratings")
    perilaku = body.rating_perilaku_kerja or overall_rating(p.rating for p in body.perilaku)
    a.rating = body.model_dump(mode="json")
    a.rating_hasil_kerja = body.rating_hasil_kerja.value
    a.rating_perilaku_kerja = perilaku.value
    a.predikat = predikat_of(body.rating_hasil_kerja, perilaku).value
    a.rater_nip = who.sub
    a.status = FINALIZED
    a.revision = 1
    a.finalized_at = datetime.now(UTC)
    _bump(a)
    await _publish_finalized(uow, a)


async def _publish_finalized(uow: UnitOfWork, a: Appraisal, decided_by: str | None = None) -> None:
    assert a.rater_nip and a.predikat and a.finalized_at and a.rating
    assert a.rating_hasil_kerja and a.rating_perilaku_kerja
    perilaku = tuple(
        ValueRating(value=CoreValue(p["value"]), rating=Rating(p["rating"]))
        for p in a.rating.get("perilaku", [])
    )
    payload = AppraisalFinalizedV1(
        appraisal_id=a.id,
        nip=a.nip,
        period=period_of(a),
        predikat=Predikat(a.predikat),
        rating_hasil_kerja=Rating(a.rating_hasil_kerja),
        rating_perilaku_kerja=Rating(a.rating_perilaku_kerja),
        appraiser_nip=a.rater_nip,
        finalized_at=a.finalized_at,
        annual=a.period_kind == PeriodKind.ANNUAL.value,
        revision=a.revision,
        skp_id=a.skp_id,
        unit_id=a.unit_id,
        unit_code=a.unit_code,
        # Per-value ratings are the rater's; a keberatan decision changes the overall ones only.
        perilaku=(perilaku or None) if decided_by is None else None,
        decided_by_nip=decided_by,
    )
    uow.add_event(payload, subject=a.nip, sequence=await store.next_sequence(uow.session, a.nip))


async def file_objection(
    uow: UnitOfWork, who: Identity, a: Appraisal, body: ObjectionIn, days: int
) -> None:
    access.require_self(who, a.nip, "mengajukan keberatan")
    if a.period_kind != PeriodKind.ANNUAL.value:
        raise invalid("objection_annual_only", "Keberatan hanya atas predikat tahunan.")
    if a.status != FINALIZED or a.finalized_at is None:
        raise conflict("appraisal_not_finalized", "Penilaian belum final.")
    if a.objection is not None:
        raise conflict("objection_exists", "Keberatan atas penilaian ini sudah diajukan.")
    finalized_on = wib_date(a.finalized_at)
    if not within_deadline(finalized_on, today_wib(), days):
        deadline = objection_deadline(finalized_on, days).isoformat()
        raise invalid(
            "objection_deadline_passed", f"Batas waktu keberatan sudah lewat ({deadline})."
        )
    assert a.rater_nip is not None
    chain = await store.supervisor_chain(uow.session, a.rater_nip)
    decider = objection_decider(a.rater_nip, chain, await store.statuses(uow.session, chain))
    if decider is None or decider == a.nip:
        raise conflict("no_objection_decider", "Tidak ada atasan pejabat penilai yang aktif.")
    a.objection = {
        "reason": body.reason,
        "filed_at": datetime.now(UTC).isoformat(),
        "decider_nip": decider,
        "status": ObjectionStatus.PENDING.value,
    }
    a.objection_status = ObjectionStatus.PENDING.value
    _bump(a)


async def decide_objection(
    uow: UnitOfWork, who: Identity, a: Appraisal, body: ObjectionDecision
) -> None:
    if a.objection is None:
        raise conflict("no_objection", "Tidak ada keberatan atas penilaian ini.")
    if a.objection_status != ObjectionStatus.PENDING.value:
        raise conflict("objection_decided", "Keberatan ini sudah diputuskan.")
    if who.sub == a.nip:
        raise ProblemError(
            403, "self_rating", "Akses ditolak", "Pegawai tidak memutus keberatannya sendiri."
        )
    decider = await store.effective_rater(uow.session, a.objection["decider_nip"])
    if who.sub != decider:
        raise forbidden("Keberatan diputus oleh atasan pejabat penilai.")
    objection: dict[str, Any] = {
        **a.objection,
        "decided_by": who.sub,
        "decided_at": datetime.now(UTC).isoformat(),
        "note": body.note,
    }
    status = ObjectionStatus.ACCEPTED if body.accepted else ObjectionStatus.REJECTED
    objection["status"] = status.value
    a.objection_status = status.value
    if body.accepted:
        if body.rating_hasil_kerja is None or body.rating_perilaku_kerja is None:
            raise invalid(
                "ratings_required",
                "Keberatan yang diterima menetapkan nilai hasil kerja dan perilaku kerja baru.",
            )
        old = (a.rating_hasil_kerja, a.rating_perilaku_kerja, a.predikat)
        a.rating_hasil_kerja = body.rating_hasil_kerja.value
        a.rating_perilaku_kerja = body.rating_perilaku_kerja.value
        a.predikat = predikat_of(body.rating_hasil_kerja, body.rating_perilaku_kerja).value
        objection["previous"] = {
            "rating_hasil_kerja": old[0],
            "rating_perilaku_kerja": old[1],
            "predikat": old[2],
        }
        if old != (a.rating_hasil_kerja, a.rating_perilaku_kerja, a.predikat):
            a.revision += 1
            a.finalized_at = datetime.now(UTC)
            a.objection = objection
            _bump(a)
            await _publish_finalized(uow, a, decided_by=who.sub)
            return
    a.objection = objection
    _bump(a)

"""One employee's demo history as rows and events: what `kinerja.skps`,
`kinerja.appraisals` and `kinerja.feedback_notes` would have stored and published had the
employee and the supervisor taken each step — the same tables, the same payload models,
the same per-NIP `sequence`, each event's `actor` the one who took the step — written for
many employees in a few statements (`write`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from asn_schemas import EventPayload
from asn_schemas.kinerja import (
    AppraisalFinalizedV1,
    AppraisalSubmittedV1,
    CoreValue,
    FeedbackGivenV1,
    PeriodKind,
    Predikat,
    Rating,
    RhkKind,
    RhkSummary,
    SkpApprovedV1,
    SkpReturnedV1,
    SkpSubmittedV1,
    ValueRating,
)
from servicekit.identity import Identity, Role
from servicekit.uow import UnitOfWork
from sqlalchemy import insert, text

from kinerja.api.schemas import Finalize, ResultIn, RhkRatingIn, SelfAssessment, ValueRatingIn
from kinerja.domain.periods import WIB, clipped_period
from kinerja.domain.predikat import predikat_of
from kinerja.domain.skp import SkpStatus
from kinerja.models import Appraisal, Feedback, Rhk, Skp

RHK_TITLES = {
    "jpt": ("Meningkatnya kinerja perangkat daerah", "Terlaksananya reformasi birokrasi"),
    "administrator": ("Terlaksananya program bidang", "Tersusunnya laporan kinerja bidang"),
    "pengawas": ("Terlaksananya kegiatan subbagian", "Tertibnya administrasi subbagian"),
    "fungsional": ("Terlaksananya layanan sesuai standar", "Tersusunnya dokumen fungsional"),
    "pelaksana": ("Tersusunnya dokumen administrasi", "Terlayaninya permohonan tepat waktu"),
}
INDICATORS = [
    {"aspect": "kuantitas", "description": "Jumlah keluaran", "target": "12 dokumen"},
    {"aspect": "kualitas", "description": "Tanpa revisi", "target": "100%"},
    {"aspect": "waktu", "description": "Tepat waktu", "target": "12 bulan"},
]
VALUE_NOTES = {
    Rating.DI_ATAS_EKSPEKTASI: "Menjadi teladan bagi rekan kerja.",
    Rating.SESUAI_EKSPEKTASI: "Konsisten sesuai harapan.",
    Rating.DI_BAWAH_EKSPEKTASI: "Perlu pembinaan; sudah dibicarakan.",
}
RETURN_NOTE = "Indikator kuantitas RHK utama belum terukur; mohon diperbaiki."
FEEDBACK_ON_RHK = "Capaian bulan ini baik; lampirkan bukti dukung layanan agar terukur."
FEEDBACK_ON_VALUE = "Respons kepada warga di loket sudah cepat dan ramah, pertahankan."
_SEQUENCE = text("UPDATE employee SET event_sequence = :s WHERE nip = :n")


@dataclass(frozen=True)
class Person:
    nip: str
    supervisor: str
    position_kind: str
    unit_id: uuid.UUID
    unit_code: str
    event_sequence: int


@dataclass
class Built:
    """One person's rows per table and events (actor, payload) in the order of the steps."""

    person: Person
    skp: list[dict[str, Any]] = field(default_factory=list)
    rhk: list[dict[str, Any]] = field(default_factory=list)
    appraisal: list[dict[str, Any]] = field(default_factory=list)
    feedback: list[dict[str, Any]] = field(default_factory=list)
    events: list[tuple[str, EventPayload]] = field(default_factory=list)
    made: list[str] = field(default_factory=list)


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), WIB).astimezone(UTC)


class _Steps:
    def __init__(self, built: Built, now: datetime) -> None:
        self.b, self.p, self.now = built, built.person, now

    def when(self, day: date, hour: int = 9) -> datetime:
        """A step's instant: on its day, never after the run itself."""
        return min(_at(day, hour), self.now)

    def skp(self, year: int, status: SkpStatus, drafted: date) -> tuple[dict[str, Any], list[Any]]:
        main, extra = RHK_TITLES.get(self.p.position_kind, RHK_TITLES["pelaksana"])
        row: dict[str, Any] = {
            "id": uuid.uuid4(), "nip": self.p.nip, "year": year, "start": date(year, 1, 1),
            "end": date(year, 12, 31), "status": status.value, "unit_id": self.p.unit_id,
            "unit_code": self.p.unit_code, "rater_nip": self.p.supervisor, "approver_nip": None,
            "approved_at": None, "return_note": None, "version": 1,
            "created_at": self.when(drafted), "updated_at": self.when(drafted),
        }  # fmt: skip
        rhk = [
            {"id": uuid.uuid4(), "skp_id": row["id"], "position": 0, "kind": RhkKind.UTAMA.value,
             "title": main, "indicators": INDICATORS, "supervisor_rhk_id": None},
            {"id": uuid.uuid4(), "skp_id": row["id"], "position": 1,
             "kind": RhkKind.TAMBAHAN.value, "title": extra, "indicators": INDICATORS[:1],
             "supervisor_rhk_id": None},
        ]  # fmt: skip
        self.b.skp.append(row)
        self.b.rhk.extend(rhk)
        return row, rhk

    def _common(self, skp: dict[str, Any]) -> dict[str, Any]:
        return {k: skp[k] for k in ("nip", "year", "start", "end", "unit_id", "unit_code")}

    def submit_skp(self, skp: dict[str, Any], day: date) -> None:
        skp["version"] += 1
        skp["updated_at"] = at = self.when(day)
        payload = SkpSubmittedV1(skp_id=skp["id"], **self._common(skp),
                                 approver_nip=self.p.supervisor, submitted_at=at)  # fmt: skip
        self.b.events.append((self.p.nip, payload))

    def approve_skp(self, skp: dict[str, Any], rhk: list[dict[str, Any]], day: date) -> None:
        skp["version"] += 1
        skp["updated_at"] = skp["approved_at"] = at = self.when(day)
        skp["status"], skp["approver_nip"] = SkpStatus.APPROVED.value, self.p.supervisor
        summary = tuple(
            RhkSummary(rhk_id=r["id"], kind=RhkKind(r["kind"]), title=r["title"],
                       supervisor_rhk_id=None)
            for r in rhk
        )  # fmt: skip
        payload = SkpApprovedV1(skp_id=skp["id"], **self._common(skp),
                                approver_nip=self.p.supervisor, approved_at=at, rhk=summary,
                                supersedes_skp_id=None)  # fmt: skip
        self.b.events.append((self.p.supervisor, payload))

    def return_skp(self, skp: dict[str, Any], day: date) -> None:
        skp["version"] += 1
        skp["updated_at"] = at = self.when(day)
        skp["status"], skp["return_note"] = SkpStatus.RETURNED.value, RETURN_NOTE
        payload = SkpReturnedV1(skp_id=skp["id"], nip=self.p.nip, year=skp["year"],
                                returned_by=self.p.supervisor, returned_at=at)  # fmt: skip
        self.b.events.append((self.p.supervisor, payload))

    def appraisal(
        self,
        skp: dict[str, Any],
        rhk: list[dict[str, Any]],
        kind: PeriodKind,
        number: int | None,
        submitted: date,
        rated: tuple[date, Rating, Rating] | None,
    ) -> None:
        """Opened, self-assessed and submitted by the employee; rated when `rated`."""
        period = clipped_period(kind, skp["year"], number, (skp["start"], skp["end"]))
        assert period is not None, "a whole-year SKP covers every period of its year"
        results = [ResultIn(rhk_id=r["id"], realisasi="Tercapai sesuai target.") for r in rhk]
        at = self.when(submitted)
        row: dict[str, Any] = {
            "id": uuid.uuid4(), "skp_id": skp["id"], "nip": self.p.nip, "year": skp["year"],
            "period_kind": kind.value, "period_number": period.number, "start": period.start,
            "end": period.end, "status": "submitted", "unit_id": self.p.unit_id,
            "unit_code": self.p.unit_code,
            "self_assessment": SelfAssessment(results=results).model_dump(mode="json"),
            "submitted_at": at, "rater_nip": self.p.supervisor, "rating": None,
            "rating_hasil_kerja": None, "rating_perilaku_kerja": None, "predikat": None,
            "finalized_at": None, "revision": 0, "version": 3,  # opened, assessed, submitted
            "created_at": at, "updated_at": at,
        }  # fmt: skip
        self.b.appraisal.append(row)
        submitted_event = AppraisalSubmittedV1(
            appraisal_id=row["id"],
            skp_id=skp["id"],
            nip=self.p.nip,
            period=period,
            rater_nip=self.p.supervisor,
            submitted_at=at,
        )
        self.b.events.append((self.p.nip, submitted_event))
        if rated is None:
            return
        day, hasil, perilaku = rated
        rating = Finalize(
            rating_hasil_kerja=hasil,
            rhk_ratings=[RhkRatingIn(rhk_id=r["id"], rating=hasil) for r in rhk],
            perilaku=[ValueRatingIn(value=v, rating=perilaku, note=VALUE_NOTES[perilaku])
                      for v in CoreValue],
            rating_perilaku_kerja=perilaku,
        )  # fmt: skip
        predikat: Predikat = predikat_of(hasil, perilaku)
        final = self.when(day)
        row.update(status="finalized", rating=rating.model_dump(mode="json"),
                   rating_hasil_kerja=hasil.value, rating_perilaku_kerja=perilaku.value,
                   predikat=predikat.value, finalized_at=final, revision=1, version=4,
                   updated_at=final)  # fmt: skip
        payload = AppraisalFinalizedV1(
            appraisal_id=row["id"], nip=self.p.nip, period=period, predikat=predikat,
            rating_hasil_kerja=hasil, rating_perilaku_kerja=perilaku,
            appraiser_nip=self.p.supervisor, finalized_at=final,
            annual=kind is PeriodKind.ANNUAL, revision=1, skp_id=skp["id"],
            unit_id=self.p.unit_id, unit_code=self.p.unit_code,
            perilaku=tuple(ValueRating(value=v, rating=perilaku) for v in CoreValue),
            decided_by_nip=None,
        )  # fmt: skip
        self.b.events.append((self.p.supervisor, payload))

    def feedback(self, skp: dict[str, Any], rhk: dict[str, Any] | None, day: date) -> None:
        at = self.when(day, 14)
        value = None if rhk is not None else CoreValue.BERORIENTASI_PELAYANAN
        row = {
            "id": uuid.uuid4(), "nip": self.p.nip, "giver_nip": self.p.supervisor,
            "skp_id": skp["id"] if rhk is not None else None,
            "rhk_id": rhk["id"] if rhk is not None else None,
            "value": value.value if value else None,
            "text": FEEDBACK_ON_RHK if rhk is not None else FEEDBACK_ON_VALUE,
            "version": 1, "created_at": at,
        }  # fmt: skip
        self.b.feedback.append(row)
        payload = FeedbackGivenV1(feedback_id=row["id"], nip=self.p.nip,
                                  giver_nip=self.p.supervisor, skp_id=row["skp_id"],
                                  rhk_id=row["rhk_id"], value=value, given_at=at)  # fmt: skip
        self.b.events.append((self.p.supervisor, payload))


def build_person(
    p: Person, today: date, cadence: PeriodKind, now: datetime | None, *, plan: dict[str, Any]
) -> Built:
    """The rows and events of one person's plan (see `kinerja.seed.load`)."""
    built = Built(p)
    steps = _Steps(built, now or datetime.now(UTC))
    for year, (hasil, perilaku) in plan["history"].items():
        skp, rhk = steps.skp(year, SkpStatus.DRAFT, date(year, 1, 5))
        steps.submit_skp(skp, date(year, 1, 8))
        steps.approve_skp(skp, rhk, date(year, 1, 15))
        annual = (date(year + 1, 1, 20), hasil, perilaku)
        steps.appraisal(skp, rhk, PeriodKind.ANNUAL, None, date(year + 1, 1, 10), annual)
        built.made.append(f"predikat_{year}")
    state, year = plan["state"], today.year
    built.made.append(f"skp_{state}")
    skp, rhk = steps.skp(year, SkpStatus.DRAFT, date(year, 1, 5))
    if state in ("submitted", "returned", "approved"):
        steps.submit_skp(skp, date(year, 1, 8))
    if state == "returned":
        steps.return_skp(skp, date(year, 1, 15))
    if state == "submitted":
        skp["status"] = SkpStatus.SUBMITTED.value
    if state != "approved":
        return built
    steps.approve_skp(skp, rhk, date(year, 1, 15))
    number = _last_period(cadence, today)
    if number is not None and plan["periodic"] is not None:
        end = clipped_period(cadence, year, number, (skp["start"], skp["end"]))
        assert end is not None
        submitted = end.end + timedelta(days=7)
        rated: tuple[date, Rating, Rating] | None = None
        if plan["periodic"] == "final":
            rated = (submitted + timedelta(days=7), *plan["periodic_ratings"])
        steps.appraisal(skp, rhk, cadence, number, submitted, rated)
        built.made.append(f"periodic_{plan['periodic']}")
    if plan["feedback"]:
        steps.feedback(skp, None if plan["feedback_on_value"] else rhk[0], today - timedelta(10))
        built.made.append("feedback")
    return built


def _last_period(kind: PeriodKind, today: date) -> int | None:
    number = (today.month - 1) // 3 if kind is PeriodKind.QUARTERLY else today.month - 1
    return number if number >= 1 else None


def _person(nip: str) -> Identity:
    return Identity(sub=nip, roles=frozenset({Role.PEGAWAI.value}))


async def write(uow: UnitOfWork, people: list[Built]) -> None:
    """Insert everyone's rows (one statement per table), then their events in step order
    with each NIP's next `sequence`, as `kinerja.store.next_sequence` would number them."""
    session = uow.session
    for model, rows in (
        (Skp, [r for b in people for r in b.skp]),
        (Rhk, [r for b in people for r in b.rhk]),
        (Appraisal, [r for b in people for r in b.appraisal]),
        (Feedback, [r for b in people for r in b.feedback]),
    ):
        if rows:
            await session.execute(insert(model), rows)
    sequences = []
    for b in people:
        sequence = b.person.event_sequence
        for actor, payload in b.events:
            sequence += 1
            uow.actor = _person(actor)  # the event's `actor`: who took the step
            uow.add_event(payload, subject=b.person.nip, sequence=sequence)
        sequences.append({"n": b.person.nip, "s": sequence})
    await session.execute(_SEQUENCE, sequences)

"""Events published by the kinerja service on `kinerja.events` (DOMAIN 1.8)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Self
from uuid import UUID

from pydantic import Field, model_validator

from asn_schemas.base import ContractModel, EventPayload, Nip, UtcDatetime


class Predikat(StrEnum):
    """Predikat kinerja pegawai (PermenPANRB 6/2022).

    The values are stable codes for machines; `label` is the official wording for people,
    including "Kurang/Misconduct" in full (DOMAIN 4).
    """

    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG_MISCONDUCT = "kurang_misconduct"
    SANGAT_KURANG = "sangat_kurang"

    @property
    def label(self) -> str:
        return PREDIKAT_LABELS[self]


PREDIKAT_LABELS: dict[Predikat, str] = {
    Predikat.SANGAT_BAIK: "Sangat Baik",
    Predikat.BAIK: "Baik",
    Predikat.BUTUH_PERBAIKAN: "Butuh Perbaikan",
    Predikat.KURANG_MISCONDUCT: "Kurang/Misconduct",
    Predikat.SANGAT_KURANG: "Sangat Kurang",
}


class Rating(StrEnum):
    """Rating of hasil kerja or of perilaku kerja against the agreed expectation."""

    DI_ATAS_EKSPEKTASI = "di_atas_ekspektasi"
    SESUAI_EKSPEKTASI = "sesuai_ekspektasi"
    DI_BAWAH_EKSPEKTASI = "di_bawah_ekspektasi"


class CoreValue(StrEnum):
    """The BerAKHLAK core values against which perilaku kerja is rated (DOMAIN 1.8)."""

    BERORIENTASI_PELAYANAN = "berorientasi_pelayanan"
    AKUNTABEL = "akuntabel"
    KOMPETEN = "kompeten"
    HARMONIS = "harmonis"
    LOYAL = "loyal"
    ADAPTIF = "adaptif"
    KOLABORATIF = "kolaboratif"


class RhkKind(StrEnum):
    """Rencana Hasil Kerja: main (utama) or additional (tambahan)."""

    UTAMA = "utama"
    TAMBAHAN = "tambahan"


class PeriodKind(StrEnum):
    """Annual, or a periodic evaluation: quarterly by default, monthly where used (⚠)."""

    ANNUAL = "annual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"


_MAX_NUMBER = {PeriodKind.QUARTERLY: 4, PeriodKind.MONTHLY: 12}


class AppraisalPeriod(ContractModel):
    """The period appraised. `start`/`end` are explicit because service may cover part of
    it (a mid-year appointment), and angka kredit is pro-rated by months (DOMAIN 1.4)."""

    kind: PeriodKind
    year: int = Field(ge=2000, le=2100)
    number: int | None = Field(
        default=None, ge=1, le=12, description="Quarter 1–4 or month 1–12; null when annual."
    )
    start: date
    end: date

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        max_number = _MAX_NUMBER.get(self.kind)
        if max_number is None and self.number is not None:
            raise ValueError("an annual period has no number")
        if max_number is not None and (self.number is None or self.number > max_number):
            raise ValueError(f"a {self.kind} period is numbered 1–{max_number}")
        if not (self.start <= self.end and self.start.year == self.end.year == self.year):
            raise ValueError("start ≤ end, both within the period's year")
        return self


class ValueRating(ContractModel):
    """The rating of perilaku kerja on one BerAKHLAK value (the rater's note stays in kinerja)."""

    value: CoreValue
    rating: Rating


class AppraisalFinalizedV1(EventPayload):
    """An appraisal became final. A keberatan may later change it: the same
    `appraisal_id` is then finalized again with a higher `revision`, and the latest
    `finalized_at` wins.

    The predikat is not checked against the matrix of the two ratings, because the
    organisation's predikat may limit the distribution (DOMAIN 1.8).
    """

    event_type = "kinerja.appraisal.finalized.v1"

    appraisal_id: UUID
    nip: Nip
    period: AppraisalPeriod
    predikat: Predikat
    rating_hasil_kerja: Rating
    rating_perilaku_kerja: Rating
    appraiser_nip: Nip = Field(description="Pejabat penilai kinerja.")
    finalized_at: UtcDatetime
    annual: bool | None = Field(
        default=None, description="True for the annual appraisal that closes the year."
    )
    revision: int | None = Field(
        default=None, ge=1, description="1 when first finalized; +1 for each keberatan decision."
    )
    skp_id: UUID | None = None
    unit_id: UUID | None = Field(default=None, description="The employee's unit when appraised.")
    unit_code: str | None = Field(default=None, min_length=1)
    perilaku: tuple[ValueRating, ...] | None = Field(
        default=None, description="Perilaku kerja per BerAKHLAK value."
    )
    decided_by_nip: Nip | None = Field(
        default=None, description="Atasan pejabat penilai who decided the keberatan."
    )

    @model_validator(mode="after")
    def _not_self_appraised(self) -> Self:
        if self.appraiser_nip == self.nip:
            raise ValueError("nobody appraises themselves")
        if self.annual is not None and self.annual != (self.period.kind is PeriodKind.ANNUAL):
            raise ValueError("annual is true exactly when the period is annual")
        if self.decided_by_nip is not None and self.decided_by_nip == self.nip:
            raise ValueError("nobody decides their own keberatan")
        return self


class RhkSummary(ContractModel):
    """One planned result of an agreed SKP (indicators and targets stay in kinerja)."""

    rhk_id: UUID
    kind: RhkKind
    title: str = Field(min_length=1)
    supervisor_rhk_id: UUID | None = Field(
        default=None, description="The supervisor's RHK this one supports (intervensi)."
    )


class SkpApprovedV1(EventPayload):
    """The supervisor agreed an employee's SKP for (part of) a year."""

    event_type = "kinerja.skp.approved.v1"

    skp_id: UUID
    nip: Nip
    year: int = Field(ge=2000, le=2100)
    start: date
    end: date
    unit_id: UUID
    unit_code: str = Field(min_length=1)
    approver_nip: Nip = Field(description="Pejabat penilai who agreed the SKP.")
    approved_at: UtcDatetime
    rhk: tuple[RhkSummary, ...] = Field(min_length=1)
    supersedes_skp_id: UUID | None = Field(
        default=None, description="The SKP of the earlier part of the year (mutasi, new atasan)."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.approver_nip == self.nip:
            raise ValueError("nobody agrees their own SKP")
        if not (self.start <= self.end and self.start.year == self.end.year == self.year):
            raise ValueError("start ≤ end, both within the SKP's year")
        return self


class SkpSubmittedV1(EventPayload):
    """The employee submitted an SKP (or re-submitted a returned one) for the supervisor's
    agreement. The RHK are not carried: they are published once agreed (`skp.approved`)."""

    event_type = "kinerja.skp.submitted.v1"

    skp_id: UUID
    nip: Nip
    year: int = Field(ge=2000, le=2100)
    start: date
    end: date
    unit_id: UUID
    unit_code: str = Field(min_length=1)
    approver_nip: Nip = Field(description="The supervisor who must agree the SKP.")
    submitted_at: UtcDatetime

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.approver_nip == self.nip:
            raise ValueError("nobody agrees their own SKP")
        if not (self.start <= self.end and self.start.year == self.end.year == self.year):
            raise ValueError("start ≤ end, both within the SKP's year")
        return self


class SkpReturnedV1(EventPayload):
    """The supervisor sent a submitted SKP back to the employee. The note is not carried:
    it stays in kinerja, between the two of them."""

    event_type = "kinerja.skp.returned.v1"

    skp_id: UUID
    nip: Nip
    year: int = Field(ge=2000, le=2100)
    returned_by: Nip = Field(description="The supervisor who sent it back.")
    returned_at: UtcDatetime

    @model_validator(mode="after")
    def _not_self_returned(self) -> Self:
        if self.returned_by == self.nip:
            raise ValueError("nobody returns their own SKP")
        return self


class AppraisalSubmittedV1(EventPayload):
    """The employee submitted the self-assessment of a period; the rater's turn."""

    event_type = "kinerja.appraisal.submitted.v1"

    appraisal_id: UUID
    skp_id: UUID
    nip: Nip
    period: AppraisalPeriod
    rater_nip: Nip = Field(description="Who is expected to rate it.")
    submitted_at: UtcDatetime

    @model_validator(mode="after")
    def _not_self_rated(self) -> Self:
        if self.rater_nip == self.nip:
            raise ValueError("nobody rates themselves")
        return self


class FeedbackGivenV1(EventPayload):
    """A supervisor recorded feedback for an employee. The text is not carried: it stays
    in kinerja, readable by the two of them (and by BKPSDM)."""

    event_type = "kinerja.feedback.given.v1"

    feedback_id: UUID
    nip: Nip = Field(description="Who the feedback is for.")
    giver_nip: Nip
    skp_id: UUID | None = None
    rhk_id: UUID | None = None
    value: CoreValue | None = None
    given_at: UtcDatetime

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.giver_nip == self.nip:
            raise ValueError("feedback is given to someone else")
        if self.rhk_id is None and self.value is None:
            raise ValueError("feedback is tied to an RHK or a BerAKHLAK value")
        return self


KINERJA_EVENTS: tuple[type[EventPayload], ...] = (
    AppraisalFinalizedV1,
    SkpApprovedV1,
    AppraisalSubmittedV1,
    FeedbackGivenV1,
    SkpSubmittedV1,
    SkpReturnedV1,
)

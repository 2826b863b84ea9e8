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


class AppraisalFinalizedV1(EventPayload):
    """An appraisal became final. A keberatan may later change it: the same
    `appraisal_id` is then finalized again, and the latest `finalized_at` wins.

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

    @model_validator(mode="after")
    def _not_self_appraised(self) -> Self:
        if self.appraiser_nip == self.nip:
            raise ValueError("nobody appraises themselves")
        return self


KINERJA_EVENTS: tuple[type[EventPayload], ...] = (AppraisalFinalizedV1,)

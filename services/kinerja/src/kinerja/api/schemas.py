"""Request bodies: strict (unknown fields are refused) and bounded, so bad input fails early."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from asn_schemas.kinerja import CoreValue, PeriodKind, Rating, RhkKind
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints
from servicekit.answers import Answer, Timestamp
from servicekit.dates import BusinessDate
from servicekit.pagination import decode_cursor
from servicekit.problems import invalid

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
NipStr = Annotated[str, StringConstraints(pattern=r"^[0-9]{18}$")]
Year = Annotated[int, Field(ge=2000, le=2100)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Indicator(Body):
    """An indicator of an RHK with its target (e.g. quantity: 12 dokumen)."""

    aspect: Literal["kuantitas", "kualitas", "waktu", "biaya"]
    description: Title
    target: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class RhkIn(Body):
    kind: RhkKind
    title: Title
    indicators: list[Indicator] = Field(min_length=1, max_length=20)
    supervisor_rhk_id: uuid.UUID | None = Field(
        default=None, description="The supervisor's RHK this one supports (intervensi)."
    )


class SkpCreate(Body):
    """A draft SKP of the caller for a year (from `start`, 1 January unless given)."""

    year: Year
    start: BusinessDate | None = None
    rhk: list[RhkIn] = Field(min_length=1, max_length=50)


class SkpUpdate(Body):
    """Replace the RHK of a draft or returned SKP."""

    rhk: list[RhkIn] = Field(min_length=1, max_length=50)


class ReturnNote(Body):
    note: Text


class PeriodIn(Body):
    kind: PeriodKind
    number: int | None = Field(default=None, ge=1, le=12)


class AppraisalCreate(Body):
    skp_id: uuid.UUID
    period: PeriodIn


class ResultIn(Body):
    rhk_id: uuid.UUID
    realisasi: Text
    evidence_links: list[AnyHttpUrl] = Field(default_factory=list, max_length=20)
    self_rating: Rating | None = None


class SelfAssessment(Body):
    results: list[ResultIn] = Field(min_length=1, max_length=50)
    note: Text | None = None


class ValueRatingIn(Body):
    value: CoreValue
    rating: Rating
    note: Text


class RhkRatingIn(Body):
    rhk_id: uuid.UUID
    rating: Rating
    note: Text | None = None


class Finalize(Body):
    """The rater's judgement: hasil kerja overall (and per RHK, optionally), perilaku on
    each of the seven BerAKHLAK values with a note; the overall perilaku rating follows
    from them unless given."""

    rating_hasil_kerja: Rating
    rhk_ratings: list[RhkRatingIn] = Field(default_factory=list, max_length=50)
    perilaku: list[ValueRatingIn] = Field(min_length=1, max_length=7)
    rating_perilaku_kerja: Rating | None = None
    note: Text | None = None


class ObjectionIn(Body):
    reason: Text


class ObjectionDecision(Body):
    accepted: bool
    rating_hasil_kerja: Rating | None = None
    rating_perilaku_kerja: Rating | None = None
    note: Text


class FeedbackIn(Body):
    nip: NipStr
    rhk_id: uuid.UUID | None = None
    value: CoreValue | None = None
    text: Text


class ReplyIn(Body):
    text: Text


class OrganisationPredikatIn(Body):
    predikat: Literal["istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"]


def cursor_id(cursor: str | None) -> uuid.UUID | None:
    """The id a list cursor points after (lists are ordered by id)."""
    value = decode_cursor(cursor)
    if value is None:
        return None
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise invalid("invalid_cursor", "Cursor tidak dikenali.", field="cursor") from exc


# Answers: what each route returns, declared for the OpenAPI (the portal's types are
# generated from it). Routes that answer a Response (ETag, Location) only declare them;
# routes that answer a dict are validated through them. The fuzz tests and every
# integration test (`servicekit.testing.answers_as_declared`) hold the answers to them, and
# an undeclared key fails (`servicekit.answers.Answer`).
# The JSONB parts (indicators, self-assessment, rating, objection) are kept as stored.


class RhkView(Answer):
    id: uuid.UUID
    kind: RhkKind
    title: str
    indicators: list[dict[str, Any]]
    supervisor_rhk_id: uuid.UUID | None


class SkpView(Answer):
    id: uuid.UUID
    nip: str
    year: int
    start: date
    end: date
    status: str
    unit_id: uuid.UUID
    unit_code: str | None
    rater_nip: str | None
    approver_nip: str | None
    approved_at: Timestamp | None
    return_note: str | None
    supersedes_id: uuid.UUID | None
    closed_on: date | None
    closed_reason: str | None
    version: int
    rhk: list[RhkView]


class PeriodView(Answer):
    kind: PeriodKind
    year: int
    number: int | None
    start: date
    end: date


class DistributionWarning(Answer):
    code: str
    message: str


class AppraisalView(Answer):
    """An appraisal; finalising one also answers with the unit's `distribution_warnings`."""

    id: uuid.UUID
    skp_id: uuid.UUID
    nip: str
    period: PeriodView
    status: str
    unit_code: str | None
    self_assessment: dict[str, Any] | None
    submitted_at: Timestamp | None
    rater_nip: str | None
    rating: dict[str, Any] | None
    rating_hasil_kerja: Rating | None
    rating_perilaku_kerja: Rating | None
    predikat: str | None
    predikat_label: str | None
    finalized_at: Timestamp | None
    revision: int
    objection: dict[str, Any] | None
    version: int
    distribution_warnings: list[DistributionWarning] | None = None


class FeedbackView(Answer):
    id: uuid.UUID
    nip: str
    giver_nip: str
    skp_id: uuid.UUID | None
    rhk_id: uuid.UUID | None
    value: CoreValue | None
    text: str
    reply: str | None
    replied_at: Timestamp | None
    created_at: Timestamp | None
    version: int


class OrganisationPredikatView(Answer):
    unit_code: str
    year: int
    predikat: str


class SkpPage(Answer):
    items: list[SkpView]
    next_cursor: str | None


class AppraisalPage(Answer):
    items: list[AppraisalView]
    next_cursor: str | None


class FeedbackPage(Answer):
    items: list[FeedbackView]
    next_cursor: str | None


class Distribution(Answer):
    """Annual predikat counts of an organisation against its organisation predikat, with the
    citizens' signals on the unit by month as context (as aspirasi computed them)."""

    unit_code: str | None
    year: int
    organisation_predikat: str | None
    unit_signals: list[dict[str, Any]]
    counts: dict[str, int]
    labels: dict[str, str]
    warnings: list[DistributionWarning]

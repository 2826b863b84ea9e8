"""Request bodies: strict (unknown fields are refused) and bounded, so bad input fails early."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal, Self

from asn_schemas.pelatihan import ProgramKind
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from servicekit.answers import Answer, Timestamp
from servicekit.pagination import decode_cursor
from servicekit.problems import invalid

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Tag = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_:\-]{1,60}$")]
NipStr = Annotated[str, StringConstraints(pattern=r"^[0-9]{18}$")]
Year = Annotated[int, Field(ge=2000, le=2100)]
Rupiah = Annotated[int, Field(ge=0, le=100_000_000_000)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Dated(Body):
    @model_validator(mode="after")
    def _ordered(self) -> Self:
        first, last = self._span()
        if last < first:
            raise ValueError("the end date is on or after the start date")
        return self

    def _span(self) -> tuple[date, date]:
        raise NotImplementedError


class InstitutionIn(_Dated):
    name: Title
    kind: Literal[
        "bpsdm_provinsi", "lan", "kementerian", "universitas", "e_learning", "bkpsdm", "lainnya"
    ]
    agreement_number: Title = Field(description="Number of the cooperation agreement (PKS).")
    valid_from: date
    valid_until: date

    def _span(self) -> tuple[date, date]:
        return self.valid_from, self.valid_until


class ProgramIn(_Dated):
    title: Title
    kind: ProgramKind
    institution_id: uuid.UUID
    jp: int = Field(ge=1, le=2000, description="Jam pelajaran (1 JP = 45 minutes).")
    start: date
    end: date
    online: bool = False
    place: Title | None = None
    quota: int = Field(ge=1, le=10_000)
    cost_per_participant: Rupiah = 0
    competencies: list[Tag] = Field(default_factory=list, max_length=30)
    eligibility: list[dict[str, Any]] | None = Field(
        default=None,
        max_length=20,
        description="Rules as data (see the README); PKN II gets DOMAIN 1.9's rules if unset.",
    )

    def _span(self) -> tuple[date, date]:
        return self.start, self.end


class CancelIn(Body):
    reason: Text


class EnrollmentIn(Body):
    program_id: uuid.UUID
    nip: NipStr | None = Field(
        default=None, description="Whom to enrol; the caller when unset (a nomination otherwise)."
    )


class DecisionIn(Body):
    decision: Literal["approve", "reject"]
    note: Text | None = None


class CompletionIn(Body):
    outcome: Literal["completed", "not_completed"]
    certificate_number: Title | None = Field(default=None, description="STTPP number.")
    reason: Text | None = None

    @model_validator(mode="after")
    def _explained(self) -> Self:
        if self.outcome == "completed" and not self.certificate_number:
            raise ValueError("a completion carries the certificate (STTPP) number")
        if self.outcome == "not_completed" and not self.reason:
            raise ValueError("a participant who did not complete needs a reason")
        return self


class LearningRecordIn(_Dated):
    title: Title
    kind: ProgramKind
    provider: Title | None = None
    jp: int = Field(ge=1, le=500)
    start: date
    end: date
    certificate_number: Title | None = None
    evidence_url: AnyHttpUrl | None = None
    competencies: list[Tag] = Field(default_factory=list, max_length=30)

    def _span(self) -> tuple[date, date]:
        return self.start, self.end


class VerifyIn(Body):
    accept: bool
    note: Text | None = None


class BudgetIn(Body):
    allocated: Rupiah


def cursor_id(cursor: str | None) -> uuid.UUID | None:
    raw = decode_cursor(cursor)
    if raw is None:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise invalid("invalid_cursor", "Cursor tidak dikenali.", field="cursor") from exc


# Answers: what each route returns, declared for the OpenAPI (the portal's types are
# generated from it). Routes that answer a Response (ETag, Location) only declare them;
# routes that answer a dict are validated through them. The fuzz tests and every
# integration test (`servicekit.testing.answers_as_declared`) hold the answers to them, and
# an undeclared key fails (`servicekit.answers.Answer`).


class InstitutionView(Answer):
    id: uuid.UUID
    name: str
    kind: str
    agreement_number: str
    valid_from: date
    valid_until: date
    version: int


class ProgramView(Answer):
    """A program; read alone it also says how many `candidates` are in its ranking."""

    id: uuid.UUID
    title: str
    kind: ProgramKind
    klasikal: bool
    institution_id: uuid.UUID
    jp: int
    start: date
    end: date
    online: bool
    place: str | None
    quota: int
    cost_per_participant: int
    competencies: list[str]
    eligibility: list[dict[str, Any]]
    status: str
    cancel_reason: str | None
    version: int
    candidates: int | None = None


class StandingView(Answer):
    position: int
    within_quota: bool
    score: int


class BudgetLine(Answer):
    unit_code: str | None
    year: int | None


class EnrollmentView(Answer):
    """An enrolment; requested, decided or read alone it carries its `standing` in the
    program's ranking while it waits for a seat (null once it no longer does)."""

    id: uuid.UUID
    program_id: uuid.UUID
    nip: str
    unit_code: str | None
    origin: str | None
    requested_by: str | None
    requested_at: Timestamp | None
    status: str
    approver_nip: str | None
    decisions: list[dict[str, Any]]
    cost: int
    cost_state: str | None
    budget: BudgetLine
    certificate_number: str | None
    outcome_reason: str | None
    finished_at: Timestamp | None
    version: int
    standing: StandingView | None = None


class LearningRecordView(Answer):
    id: uuid.UUID
    nip: str
    kind: str
    title: str
    provider: str | None
    jp: int
    start: date
    end: date
    certificate_number: str | None
    evidence_url: str | None
    competencies: list[str]
    status: str
    verifier_nip: str | None
    verified_by: str | None
    verified_at: Timestamp | None
    note: str | None
    version: int


class BudgetView(Answer):
    unit_code: str
    year: int
    allocated: int
    committed: int
    spent: int
    remaining: int
    version: int


class ProgramPage(Answer):
    items: list[ProgramView]
    next_cursor: str | None


class EnrollmentPage(Answer):
    items: list[EnrollmentView]
    next_cursor: str | None


class LearningRecordPage(Answer):
    items: list[LearningRecordView]
    next_cursor: str | None


class InstitutionList(Answer):
    items: list[InstitutionView]


class NeedView(Answer):
    id: uuid.UUID
    nip: str
    unit_code: str | None
    year: int
    predikat: str | None
    competency: str
    appraisal_id: uuid.UUID
    open: bool
    identified_at: Timestamp | None


class NeedList(Answer):
    items: list[NeedView]


class CreditView(Answer):
    id: uuid.UUID
    source: str
    title: str
    kind: str
    klasikal: bool
    jp: int
    start: date
    end: date
    institution: str | None
    certificate_number: str | None


class PersonJp(Answer):
    """A person's JP in a year against the target, with the credits and every certificate."""

    nip: str
    year: int
    target: int
    jp: int
    klasikal: int
    non_klasikal: int
    shortfall: int
    compliant: bool
    flagged: bool
    credits: list[CreditView]
    certificates: list[CreditView]


class BelowTarget(Answer):
    nip: str
    jp: int
    shortfall: int
    flagged: bool


class UnitJp(Answer):
    """A unit's compliance: the share of its staff at the target, and those below it."""

    unit_code: str
    year: int
    target: int
    staff: int
    compliant: int
    compliance: float
    below: list[BelowTarget]


class RecommendedProgram(ProgramView):
    """A program, with the open needs (competencies) it `meets`."""

    meets: list[str]


class Recommendations(Answer):
    nip: str
    needs: list[str]
    programs: list[RecommendedProgram]
    note: str


class ScoreView(Answer):
    total: int
    jp_shortfall: int
    training_need: int
    years_since_training: int


class RankedCandidate(Answer):
    """A place in the ranking; who it is (enrolment, NIP, name) only for those who may see."""

    position: int
    within_quota: bool
    status: str
    score: ScoreView
    enrollment_id: uuid.UUID | None
    nip: str | None
    name: str | None
    unit_code: str | None
    mine: bool


class ProgramRanking(Answer):
    program_id: uuid.UUID
    quota: int
    criteria: dict[str, str]
    items: list[RankedCandidate]

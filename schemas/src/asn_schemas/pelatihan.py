"""Events published by the pelatihan service on `pelatihan.events` (DOMAIN 1.9).

Events about a person are keyed by the NIP; program events by the program id. Events that
move a unit's training budget carry the budget line after the change (`budget`), so a
read model keeps allocated / committed / spent from the events alone.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Self
from uuid import UUID

from pydantic import Field, model_validator

from asn_schemas.base import ContractModel, EventPayload, Nip, UtcDatetime


class ProgramKind(StrEnum):
    """Kinds of pelatihan (DOMAIN 1.9): klasikal first, then non-klasikal."""

    LATSAR = "latsar"
    PKP = "pkp"
    PKA = "pka"
    PKN_II = "pkn_ii"
    PKN_I = "pkn_i"
    TEKNIS = "teknis"
    FUNGSIONAL = "fungsional"
    SOSIAL_KULTURAL = "sosial_kultural"
    SEMINAR = "seminar"
    KURSUS = "kursus"
    BIMTEK = "bimtek"
    COACHING = "coaching"
    MENTORING = "mentoring"
    E_LEARNING = "e_learning"
    MAGANG = "magang"
    DETASERING = "detasering"
    BENCHMARKING = "benchmarking"
    SELF_LEARNING = "self_learning"
    LAINNYA = "lainnya"

    @property
    def klasikal(self) -> bool:
        return self in KLASIKAL_KINDS

    @property
    def leadership(self) -> bool:
        """PKP, PKA, PKN: the "latihan jabatan" key of the DUK (DOMAIN 1.11)."""
        return self in LEADERSHIP_KINDS


KLASIKAL_KINDS = frozenset(
    {
        ProgramKind.LATSAR,
        ProgramKind.PKP,
        ProgramKind.PKA,
        ProgramKind.PKN_II,
        ProgramKind.PKN_I,
        ProgramKind.TEKNIS,
        ProgramKind.FUNGSIONAL,
        ProgramKind.SOSIAL_KULTURAL,
        ProgramKind.SEMINAR,
        ProgramKind.KURSUS,
        ProgramKind.BIMTEK,
    }
)
LEADERSHIP_KINDS = frozenset(
    {ProgramKind.PKP, ProgramKind.PKA, ProgramKind.PKN_II, ProgramKind.PKN_I}
)


class BudgetLine(ContractModel):
    """A unit's (OPD's) training budget for a year after the change, in rupiah."""

    unit_code: str = Field(min_length=1)
    year: int = Field(ge=2000, le=2100)
    allocated: int = Field(ge=0)
    committed: int = Field(ge=0)
    spent: int = Field(ge=0)
    version: int | None = Field(
        default=None, ge=1, description="Increases with every change of the line: newest wins."
    )


class ProgramPublishedV1(EventPayload):
    """BKPSDM published a program: enrolment is open."""

    event_type = "pelatihan.program.published.v1"

    program_id: UUID
    title: str = Field(min_length=1)
    kind: ProgramKind
    klasikal: bool
    jp: int = Field(gt=0, description="Jam pelajaran (1 JP = 45 minutes).")
    start: date
    end: date
    institution_id: UUID
    institution_name: str = Field(min_length=1)
    quota: int = Field(gt=0)
    cost_per_participant: int = Field(ge=0, description="Rupiah.")
    competencies: tuple[str, ...] = Field(description="Tags: BerAKHLAK values, technical fields.")
    online: bool
    place: str | None = None

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.end < self.start:
            raise ValueError("a program ends on or after its start")
        return self


class ProgramCancelledV1(EventPayload):
    """A program was cancelled; its open enrolments are withdrawn (each has its own event)."""

    event_type = "pelatihan.program.cancelled.v1"

    program_id: UUID
    reason: str = Field(min_length=1)
    released_enrollments: int = Field(ge=0)


class EnrollmentOrigin(StrEnum):
    SELF = "self"
    NOMINATION = "nomination"


class EnrollmentRequestedV1(EventPayload):
    """Someone asked for a seat: the employee, or a nomination by admin_opd or a supervisor."""

    event_type = "pelatihan.enrollment.requested.v1"

    enrollment_id: UUID
    program_id: UUID
    program_title: str = Field(min_length=1)
    kind: ProgramKind
    jp: int = Field(gt=0)
    start: date
    end: date
    nip: Nip
    unit_code: str = Field(min_length=1)
    origin: EnrollmentOrigin
    requested_by: str = Field(min_length=1)
    approver_nip: Nip | None = Field(
        description="The direct supervisor who decides first; null when BKPSDM decides alone."
    )
    cost: int = Field(ge=0)
    waitlisted: bool = Field(description="Beyond the quota when requested: it waits in order.")


class ApprovalStage(StrEnum):
    SUPERVISOR = "supervisor"
    BKPSDM = "bkpsdm"


class EnrollmentApprovedV1(EventPayload):
    """One stage approved. `final` is BKPSDM's approval, which commits the cost."""

    event_type = "pelatihan.enrollment.approved.v1"

    enrollment_id: UUID
    program_id: UUID
    nip: Nip
    stage: ApprovalStage
    approved_by: str = Field(min_length=1)
    final: bool
    budget: BudgetLine | None = Field(default=None, description="After the commitment (final).")


class EnrollmentRejectedV1(EventPayload):
    """A stage refused the enrolment (the note stays in pelatihan)."""

    event_type = "pelatihan.enrollment.rejected.v1"

    enrollment_id: UUID
    program_id: UUID
    nip: Nip
    stage: ApprovalStage
    rejected_by: str = Field(min_length=1)


class WithdrawalReason(StrEnum):
    SELF = "self"
    NOMINATOR = "nominator"
    RETIRED = "retired"
    PROGRAM_CANCELLED = "program_cancelled"


class EnrollmentWithdrawnV1(EventPayload):
    """An enrolment left the program; a committed cost was released (then `budget` says so)."""

    event_type = "pelatihan.enrollment.withdrawn.v1"

    enrollment_id: UUID
    program_id: UUID
    nip: Nip
    reason: WithdrawalReason
    budget: BudgetLine | None = None


class EnrollmentNotCompletedV1(EventPayload):
    """A participant did not complete the program: no JP; the cost is spent all the same."""

    event_type = "pelatihan.enrollment.not_completed.v1"

    enrollment_id: UUID
    program_id: UUID
    nip: Nip
    reason: str = Field(min_length=1)
    budget: BudgetLine | None = None


class CompletionSource(StrEnum):
    PROGRAM = "program"
    LEARNING_RECORD = "learning_record"


class TrainingCompletedV1(EventPayload):
    """JP credited: a completed program (with its STTPP) or a verified learning record."""

    event_type = "pelatihan.training.completed.v1"

    completion_id: UUID = Field(description="The enrolment or the learning record.")
    source: CompletionSource
    nip: Nip
    unit_code: str | None = None
    program_id: UUID | None = None
    title: str = Field(min_length=1)
    kind: ProgramKind
    klasikal: bool
    jp: int = Field(gt=0)
    institution: str | None = None
    certificate_number: str | None = None
    start: date
    end: date
    competencies: tuple[str, ...] = ()
    budget: BudgetLine | None = None

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.end < self.start:
            raise ValueError("training ends on or after its start")
        return self


class LearningRecordSubmittedV1(EventPayload):
    """An employee recorded non-klasikal learning; it counts once the supervisor verifies."""

    event_type = "pelatihan.learning_record.submitted.v1"

    record_id: UUID
    nip: Nip
    title: str = Field(min_length=1)
    kind: ProgramKind
    jp: int = Field(gt=0)
    verifier_nip: Nip | None


class LearningRecordRejectedV1(EventPayload):
    """The supervisor did not accept a learning record (the note stays in pelatihan)."""

    event_type = "pelatihan.learning_record.rejected.v1"

    record_id: UUID
    nip: Nip
    rejected_by: Nip


class NeedIdentifiedV1(EventPayload):
    """A finalized appraisal showed a training need (a suggestion, never an enrolment)."""

    event_type = "pelatihan.need.identified.v1"

    need_id: UUID
    nip: Nip
    year: int = Field(ge=2000, le=2100)
    predikat: str = Field(min_length=1)
    competency: str = Field(
        min_length=1, description="`hasil_kerja` or the BerAKHLAK value rated below expectation."
    )
    appraisal_id: UUID
    unit_code: str | None = None
    recommended_program_ids: tuple[UUID, ...] = ()
    identified_at: UtcDatetime


class BudgetAllocatedV1(EventPayload):
    """BKPSDM set a unit's training budget for a year."""

    event_type = "pelatihan.budget.allocated.v1"

    unit_id: UUID | None = None
    budget: BudgetLine
    allocated_by: str = Field(min_length=1)


PELATIHAN_EVENTS: tuple[type[EventPayload], ...] = (
    ProgramPublishedV1,
    ProgramCancelledV1,
    EnrollmentRequestedV1,
    EnrollmentApprovedV1,
    EnrollmentRejectedV1,
    EnrollmentWithdrawnV1,
    EnrollmentNotCompletedV1,
    TrainingCompletedV1,
    LearningRecordSubmittedV1,
    LearningRecordRejectedV1,
    NeedIdentifiedV1,
    BudgetAllocatedV1,
)

"""Request bodies: strict (unknown fields are refused) and bounded, so bad input fails early."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from asn_schemas.golongan import GolonganPns, GolonganPppk
from asn_schemas.pegawai import (
    AsnType,
    EmployeeStatus,
    Position,
    PositionKind,
    PositionLevel,
    PromotionKind,
    RetirementReason,
    Sex,
    UnitKind,
)
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from servicekit.answers import Answer, Timestamp
from servicekit.dates import BusinessDate, HistoricDate

from pegawai.domain.golongan import Education

NipStr = Annotated[str, StringConstraints(min_length=1, max_length=32)]
"""Loose on purpose: the NIP's own checks give a precise reason (length, digits, dates)."""
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
UnitCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UnitCreate(Body):
    code: UnitCode
    name: Name
    kind: UnitKind
    parent_code: UnitCode | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    geofence_radius_m: int | None = Field(default=None, gt=0, le=100_000)
    active: bool = True


class UnitPatch(Body):
    """Only the fields sent change; `parent_code: null` makes the unit a root."""

    name: Name | None = None
    kind: UnitKind | None = None
    parent_code: UnitCode | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    geofence_radius_m: int | None = Field(default=None, gt=0, le=100_000)
    active: bool | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> UnitPatch:
        if not self.model_fields_set:
            raise ValueError("kirim setidaknya satu kolom yang diubah")
        return self


class PositionIn(Body):
    code: Annotated[str, StringConstraints(max_length=64)] | None = None
    name: Name
    kind: PositionKind
    level: PositionLevel | None = None

    def to_contract(self) -> Position:
        return Position(code=self.code, name=self.name, kind=self.kind, level=self.level)

    @model_validator(mode="after")
    def _level_fits_kind(self) -> PositionIn:
        # The contract's own rule, checked where every position enters (registration and
        # a position change alike), so it is a 422 here rather than a failure deep inside.
        self.to_contract()
        return self


class EmployeeCreate(Body):
    """A new employee. TMTs of position, unit and supervisor default to `tmt_golongan`."""

    nip: NipStr
    name: Name
    sex: Sex
    birth_date: HistoricDate
    asn_type: AsnType
    status: Literal[EmployeeStatus.AKTIF, EmployeeStatus.CLTN] = EmployeeStatus.AKTIF
    golongan: GolonganPns | GolonganPppk
    tmt_golongan: HistoricDate
    tmt_cpns: HistoricDate
    position: PositionIn
    tmt_position: HistoricDate | None = None
    unit_code: UnitCode
    tmt_unit: HistoricDate | None = None
    supervisor_nip: NipStr | None = None
    education: Education
    ujian_dinas: int = Field(default=0, ge=0, le=2)
    leadership_training: HistoricDate | None = None
    phone: Annotated[str, StringConstraints(max_length=32)] | None = None
    address: Annotated[str, StringConstraints(max_length=500)] | None = None

    @model_validator(mode="after")
    def _golongan_fits(self) -> EmployeeCreate:
        if self.asn_type is AsnType.PNS and not isinstance(self.golongan, GolonganPns):
            raise ValueError("golongan PNS ditulis seperti III/a")
        if self.asn_type is AsnType.PPPK and not isinstance(self.golongan, GolonganPppk):
            raise ValueError("golongan PPPK adalah I–XVII")
        return self


class EmployeePatch(Body):
    """Corrections and contact details. Golongan, position, unit, supervisor and leaving the
    service have commands of their own, with their TMT and event."""

    name: Name | None = None
    sex: Sex | None = None
    birth_date: HistoricDate | None = None
    tmt_cpns: HistoricDate | None = None
    education: Education | None = None
    ujian_dinas: int | None = Field(default=None, ge=0, le=2)
    leadership_training: HistoricDate | None = None
    status: Literal[EmployeeStatus.AKTIF, EmployeeStatus.CLTN] | None = None
    status_tmt: BusinessDate | None = None
    phone: Annotated[str, StringConstraints(max_length=32)] | None = None
    address: Annotated[str, StringConstraints(max_length=500)] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> EmployeePatch:
        if not self.model_fields_set:
            raise ValueError("kirim setidaknya satu kolom yang diubah")
        if (self.status is None) != (self.status_tmt is None):
            raise ValueError("status dan status_tmt dikirim bersama")
        return self


CONTACT_FIELDS = frozenset({"phone", "address"})


class PromotionRequest(Body):
    tmt: BusinessDate
    to_golongan: GolonganPns | None = Field(default=None, description="Must be one step up.")
    kind: PromotionKind = PromotionKind.REGULER
    sk_number: Annotated[str, StringConstraints(max_length=100)] | None = None
    override_justification: Text | None = Field(
        default=None,
        description="BKPSDM's written reason to promote although eligibility rules fail.",
    )


class TransferRequest(Body):
    """`supervisor_nip` sent (even null) sets the supervisor; left out, it is kept."""

    to_unit_code: UnitCode
    tmt: BusinessDate
    supervisor_nip: NipStr | None = None


class PositionChange(PositionIn):
    tmt: BusinessDate
    supervisor_nip: NipStr | None = None


class SupervisorChange(Body):
    supervisor_nip: NipStr | None
    tmt: BusinessDate


class RetirementRequest(Body):
    """`tmt` may be left out for `bup`: it is then computed from the BUP of the position."""

    reason: RetirementReason
    tmt: BusinessDate | None = None
    with_pension: bool = Field(
        default=False,
        description="For atas_permintaan_sendiri: leaves as `pensiun` (pensiun dini) "
        "rather than `berhenti`.",
    )


class PenaltyRequest(Body):
    level: Literal["ringan", "sedang", "berat"]
    start: BusinessDate
    end: BusinessDate | None = None
    decree_number: Annotated[str, StringConstraints(max_length=100)] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> PenaltyRequest:
        if self.end is not None and self.end <= self.start:
            raise ValueError("end harus setelah start")
        return self


# Answers: what each route returns, declared for the OpenAPI (the portal's types are
# generated from it). Routes that answer a Response (ETag, Location) only declare them;
# routes that answer a dict are validated through them. The fuzz tests and every
# integration test (`servicekit.testing.answers_as_declared`) hold the answers to them, and
# an undeclared key fails (`servicekit.answers.Answer`).


class PositionView(Answer):
    code: str | None
    name: str
    kind: PositionKind
    level: PositionLevel | None


class NipWarning(Answer):
    code: str
    field: str
    message: str


class EmployeeView(Answer):
    """An employee; `phone` and `address` only for BKPSDM and the employee. With `as_of`,
    the effective-dated fields are those of that date, `as_of` is set and `version` absent."""

    nip: str
    name: str
    sex: Sex
    birth_date: date
    asn_type: AsnType
    status: EmployeeStatus
    tmt_status: date
    golongan: str
    pangkat: str | None
    tmt_golongan: date
    tmt_cpns: date
    position: PositionView
    tmt_position: date
    unit_code: str
    unit_name: str | None
    tmt_unit: date
    supervisor_nip: str | None
    tmt_supervisor: date
    education: Education
    ujian_dinas: int
    leadership_training: date | None
    retirement_reason: RetirementReason | None
    bup_date: date
    nip_warnings: list[NipWarning]
    demo: bool
    version: int | None = None
    phone: str | None = None
    address: str | None = None
    as_of: date | None = None


class PenaltyView(Answer):
    id: int
    nip: str
    level: Literal["ringan", "sedang", "berat"]
    start: date
    end: date | None
    decree_number: str | None


class UnitView(Answer):
    unit_id: str
    code: str
    name: str
    kind: UnitKind
    parent_code: str | None
    latitude: float | None
    longitude: float | None
    geofence_radius_m: int | None
    active: bool
    demo: bool
    version: int


class UnitDetail(UnitView):
    """One unit with its ancestors' codes (nearest first) and its direct children's codes."""

    ancestors: list[str]
    children: list[str]


class EmployeePage(Answer):
    items: list[EmployeeView]
    next_cursor: str | None


class HistoryEntry(Answer):
    field: str
    value: Any
    tmt: date
    event_type: str
    actor: str
    note: dict[str, Any] | None  # as recorded with the change, e.g. {"reason": "bup"}
    recorded_at: Timestamp | None


class EmployeeHistoryView(Answer):
    nip: str
    items: list[HistoryEntry]


class Reason(Answer):
    code: str
    message: str


class PromotionEligibility(Answer):
    nip: str
    period: date
    eligible: bool
    reasons: list[Reason]


class UnitNode(UnitView):
    """A unit; in the tree (not with `flat=true`) with its child units nested."""

    children: list[UnitNode] | None = None


class UnitList(Answer):
    items: list[UnitNode]


class DukEntry(Answer):
    rank: int
    nip: str
    name: str
    golongan: str
    pangkat: str
    tmt_golongan: date
    position: dict[str, Any] | None
    unit_code: str | None
    tmt_cpns: date
    leadership_training: date | None
    education: Education
    birth_date: date


class Duk(Answer):
    as_of: date
    unit: str | None
    total: int
    items: list[DukEntry]


class PromotionCandidate(Answer):
    """Eligible at the period, or (in `not_yet`) near it, with the `reasons` it is not yet."""

    nip: str
    name: str
    unit_code: str
    golongan: str
    tmt_golongan: date
    eligible_from: date
    reasons: list[Reason] | None = None


class PromotionCandidates(Answer):
    period: date
    unit: str | None
    eligible: list[PromotionCandidate]
    not_yet: list[PromotionCandidate]


class RetirementPosition(Answer):
    name: str
    kind: PositionKind
    level: PositionLevel | None


class RetirementDue(Answer):
    nip: str
    name: str
    unit_code: str
    position: RetirementPosition
    birth_date: date
    retirement_date: date
    overdue: bool


class Retirements(Answer):
    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from")
    until: date
    items: list[RetirementDue]

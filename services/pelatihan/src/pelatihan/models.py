"""Tables of the pelatihan database (besides servicekit's outbox, inbox and idempotency keys).

Enumerations are text columns: vocabularies grow additively (DESIGN, Events). Money is
whole rupiah in BIGINT.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel


def _now() -> Column[datetime]:
    return Column(DateTime(timezone=True), nullable=False, server_default=func.now())


def _uuid(*args: Any, **kwargs: Any) -> Column[uuid.UUID]:
    return Column(UUID(as_uuid=True), *args, **kwargs)


class PelatihanTable(SQLModel, registry=registry()):
    """Base of pelatihan's tables: their own metadata (other services have `employee` too)."""


class Unit(PelatihanTable, table=True):
    """Replica of pegawai's units: admin_opd scope and the OPD that carries a budget."""

    __tablename__ = "unit"

    id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    code: str = Field(sa_column=Column(Text, nullable=False, index=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    parent_id: uuid.UUID | None = Field(default=None, sa_column=_uuid(nullable=True, index=True))


class Employee(PelatihanTable, table=True):
    """Replica of pegawai's employee: approvals, eligibility and budgets.

    `source_sequence` is the last pegawai `sequence` applied; `event_sequence` numbers
    pelatihan's own events about this employee."""

    __tablename__ = "employee"

    nip: str = Field(sa_column=Column(Text, primary_key=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(sa_column=Column(Text, nullable=False))
    asn_type: str = Field(sa_column=Column(Text, nullable=False))
    golongan: str = Field(sa_column=Column(Text, nullable=False))
    tmt_golongan: date = Field(sa_column=Column(Date, nullable=False))
    birth_date: date = Field(sa_column=Column(Date, nullable=False))
    position_kind: str = Field(sa_column=Column(Text, nullable=False))
    unit_id: uuid.UUID = Field(sa_column=_uuid(nullable=False, index=True))
    unit_code: str = Field(sa_column=Column(Text, nullable=False))
    supervisor_nip: str | None = Field(default=None, sa_column=Column(Text, index=True))
    source_sequence: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    event_sequence: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    updated_at: datetime | None = Field(default=None, sa_column=_now())


class Institution(PelatihanTable, table=True):
    """A training institution (lembaga) and its cooperation agreement."""

    __tablename__ = "institution"

    id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    name: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    kind: str = Field(sa_column=Column(Text, nullable=False))
    agreement_number: str = Field(sa_column=Column(Text, nullable=False))
    valid_from: date = Field(sa_column=Column(Date, nullable=False))
    valid_until: date = Field(sa_column=Column(Date, nullable=False))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_at: datetime | None = Field(default=None, sa_column=_now())


class Program(PelatihanTable, table=True):
    __tablename__ = "program"
    __table_args__ = (Index("ix_program_status_start", "status", "start"),)

    id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    title: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(sa_column=Column(Text, nullable=False))
    klasikal: bool = Field(sa_column=Column(Boolean, nullable=False))
    jp: int = Field(sa_column=Column(Integer, nullable=False))
    start: date = Field(sa_column=Column(Date, nullable=False))
    end: date = Field(sa_column=Column(Date, nullable=False))
    online: bool = Field(sa_column=Column(Boolean, nullable=False))
    place: str | None = Field(default=None, sa_column=Column(Text))
    quota: int = Field(sa_column=Column(Integer, nullable=False))
    cost_per_participant: int = Field(sa_column=Column(BigInteger, nullable=False))
    competencies: list[str] = Field(sa_column=Column(JSONB, nullable=False))
    eligibility: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    institution_id: uuid.UUID = Field(
        sa_column=_uuid(ForeignKey("institution.id"), nullable=False, index=True)
    )
    status: str = Field(sa_column=Column(Text, nullable=False))
    cancel_reason: str | None = Field(default=None, sa_column=Column(Text))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_at: datetime | None = Field(default=None, sa_column=_now())


class Enrollment(PelatihanTable, table=True):
    """One person in one program: request, the two approvals, and the outcome.

    `budget_unit_code` / `budget_year` is the budget line the cost goes to: the OPD of the
    person's unit and the program's year. `cost_state` follows the ledger: none →
    committed (BKPSDM approved) → released or spent."""

    __tablename__ = "enrollment"
    __table_args__ = (
        Index(
            "uq_enrollment_active",
            "program_id",
            "nip",
            unique=True,
            postgresql_where=text("status NOT IN ('withdrawn', 'rejected')"),
        ),
        Index("ix_enrollment_nip", "nip"),
        Index("ix_enrollment_approver", "approver_nip", "status"),
    )

    id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    program_id: uuid.UUID = Field(sa_column=_uuid(ForeignKey("program.id"), nullable=False))
    nip: str = Field(sa_column=Column(Text, nullable=False))
    unit_id: uuid.UUID = Field(sa_column=_uuid(nullable=False, index=True))
    unit_code: str = Field(sa_column=Column(Text, nullable=False))
    origin: str = Field(sa_column=Column(Text, nullable=False))
    requested_by: str = Field(sa_column=Column(Text, nullable=False))
    requested_at: datetime | None = Field(default=None, sa_column=_now())
    status: str = Field(sa_column=Column(Text, nullable=False))
    approver_nip: str | None = Field(default=None, sa_column=Column(Text))
    decisions: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    cost: int = Field(sa_column=Column(BigInteger, nullable=False))
    cost_state: str = Field(sa_column=Column(Text, nullable=False))
    budget_unit_code: str = Field(sa_column=Column(Text, nullable=False))
    budget_year: int = Field(sa_column=Column(Integer, nullable=False))
    certificate_number: str | None = Field(default=None, sa_column=Column(Text))
    outcome_reason: str | None = Field(default=None, sa_column=Column(Text))
    finished_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))


class LearningRecord(PelatihanTable, table=True):
    """Non-klasikal learning recorded by the employee; counts once the supervisor verifies."""

    __tablename__ = "learning_record"
    __table_args__ = (Index("ix_learning_record_verifier", "verifier_nip", "status"),)

    id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    nip: str = Field(sa_column=Column(Text, nullable=False, index=True))
    unit_id: uuid.UUID = Field(sa_column=_uuid(nullable=False))
    kind: str = Field(sa_column=Column(Text, nullable=False))
    title: str = Field(sa_column=Column(Text, nullable=False))
    provider: str | None = Field(default=None, sa_column=Column(Text))
    jp: int = Field(sa_column=Column(Integer, nullable=False))
    start: date = Field(sa_column=Column(Date, nullable=False))
    end: date = Field(sa_column=Column(Date, nullable=False))
    certificate_number: str | None = Field(default=None, sa_column=Column(Text))
    evidence_url: str | None = Field(default=None, sa_column=Column(Text))
    competencies: list[str] = Field(sa_column=Column(JSONB, nullable=False))
    status: str = Field(sa_column=Column(Text, nullable=False))
    verifier_nip: str | None = Field(default=None, sa_column=Column(Text))
    verified_by: str | None = Field(default=None, sa_column=Column(Text))
    verified_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    note: str | None = Field(default=None, sa_column=Column(Text))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_at: datetime | None = Field(default=None, sa_column=_now())


class Credit(PelatihanTable, table=True):
    """JP credited to a person: a completed enrolment or a verified learning record.
    One row per completion; JP counting and certificates read from here."""

    __tablename__ = "credit"
    __table_args__ = (Index("ix_credit_nip_end", "nip", "end"),)

    id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    nip: str = Field(sa_column=Column(Text, nullable=False))
    source: str = Field(sa_column=Column(Text, nullable=False))
    title: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(sa_column=Column(Text, nullable=False))
    klasikal: bool = Field(sa_column=Column(Boolean, nullable=False))
    jp: int = Field(sa_column=Column(Integer, nullable=False))
    start: date = Field(sa_column=Column(Date, nullable=False))
    end: date = Field(sa_column=Column(Date, nullable=False))
    institution: str | None = Field(default=None, sa_column=Column(Text))
    certificate_number: str | None = Field(default=None, sa_column=Column(Text))
    competencies: list[str] = Field(sa_column=Column(JSONB, nullable=False))


class TrainingBudget(PelatihanTable, table=True):
    """A unit's (OPD's) training budget for a year: the ledger's three figures."""

    __tablename__ = "training_budget"

    unit_code: str = Field(sa_column=Column(Text, primary_key=True))
    year: int = Field(sa_column=Column(Integer, primary_key=True))
    allocated: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    committed: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    spent: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))


class TrainingNeed(PelatihanTable, table=True):
    """A need read from a finalized appraisal; `addressed_by` once matching training is done."""

    __tablename__ = "training_need"
    __table_args__ = (
        UniqueConstraint("appraisal_id", "competency", name="uq_training_need_appraisal"),
        Index("ix_training_need_nip", "nip"),
    )

    id: uuid.UUID = Field(sa_column=_uuid(primary_key=True))
    nip: str = Field(sa_column=Column(Text, nullable=False))
    unit_id: uuid.UUID | None = Field(default=None, sa_column=_uuid(nullable=True, index=True))
    unit_code: str | None = Field(default=None, sa_column=Column(Text))
    year: int = Field(sa_column=Column(Integer, nullable=False))
    predikat: str = Field(sa_column=Column(Text, nullable=False))
    competency: str = Field(sa_column=Column(Text, nullable=False))
    appraisal_id: uuid.UUID = Field(sa_column=_uuid(nullable=False))
    addressed_by: uuid.UUID | None = Field(default=None, sa_column=_uuid(nullable=True))
    identified_at: datetime | None = Field(default=None, sa_column=_now())

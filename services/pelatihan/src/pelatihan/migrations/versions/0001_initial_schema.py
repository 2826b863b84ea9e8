"""Initial schema: employee and unit replica, institutions, programs, enrolments, learning
records, JP credits, budgets, training needs, and servicekit's outbox, inbox and
idempotency keys.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 15:27:30.688627
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "credit",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("klasikal", sa.Boolean(), nullable=False),
        sa.Column("jp", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("institution", sa.Text(), nullable=True),
        sa.Column("certificate_number", sa.Text(), nullable=True),
        sa.Column("competencies", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_credit_nip_end", "credit", ["nip", "end"], unique=False)
    op.create_table(
        "employee",
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("asn_type", sa.Text(), nullable=False),
        sa.Column("golongan", sa.Text(), nullable=False),
        sa.Column("tmt_golongan", sa.Date(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("position_kind", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.UUID(), nullable=False),
        sa.Column("unit_code", sa.Text(), nullable=False),
        sa.Column("supervisor_nip", sa.Text(), nullable=True),
        sa.Column("source_sequence", sa.Integer(), nullable=False),
        sa.Column("event_sequence", sa.Integer(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("nip"),
    )
    op.create_index(
        op.f("ix_employee_supervisor_nip"), "employee", ["supervisor_nip"], unique=False
    )
    op.create_index(op.f("ix_employee_unit_id"), "employee", ["unit_id"], unique=False)
    op.create_table(
        "institution",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("agreement_number", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "learning_record",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("provider", sa.Text(), nullable=True),
        sa.Column("jp", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("certificate_number", sa.Text(), nullable=True),
        sa.Column("evidence_url", sa.Text(), nullable=True),
        sa.Column("competencies", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("verifier_nip", sa.Text(), nullable=True),
        sa.Column("verified_by", sa.Text(), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_learning_record_nip"), "learning_record", ["nip"], unique=False)
    op.create_index(
        "ix_learning_record_verifier", "learning_record", ["verifier_nip", "status"], unique=False
    )
    op.create_table(
        "training_budget",
        sa.Column("unit_code", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("allocated", sa.BigInteger(), nullable=False),
        sa.Column("committed", sa.BigInteger(), nullable=False),
        sa.Column("spent", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("unit_code", "year"),
    )
    op.create_table(
        "training_need",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.UUID(), nullable=True),
        sa.Column("unit_code", sa.Text(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("predikat", sa.Text(), nullable=False),
        sa.Column("competency", sa.Text(), nullable=False),
        sa.Column("appraisal_id", sa.UUID(), nullable=False),
        sa.Column("addressed_by", sa.UUID(), nullable=True),
        sa.Column(
            "identified_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("appraisal_id", "competency", name="uq_training_need_appraisal"),
    )
    op.create_index("ix_training_need_nip", "training_need", ["nip"], unique=False)
    op.create_index(op.f("ix_training_need_unit_id"), "training_need", ["unit_id"], unique=False)
    op.create_table(
        "unit",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.UUID(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_unit_code"), "unit", ["code"], unique=False)
    op.create_index(op.f("ix_unit_parent_id"), "unit", ["parent_id"], unique=False)
    op.create_table(
        "program",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("klasikal", sa.Boolean(), nullable=False),
        sa.Column("jp", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("quota", sa.Integer(), nullable=False),
        sa.Column("cost_per_participant", sa.BigInteger(), nullable=False),
        sa.Column("competencies", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("eligibility", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("institution_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_program_institution_id"), "program", ["institution_id"], unique=False)
    op.create_index("ix_program_status_start", "program", ["status", "start"], unique=False)
    op.create_table(
        "enrollment",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("program_id", sa.UUID(), nullable=False),
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.UUID(), nullable=False),
        sa.Column("unit_code", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column(
            "requested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("approver_nip", sa.Text(), nullable=True),
        sa.Column("decisions", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("cost", sa.BigInteger(), nullable=False),
        sa.Column("cost_state", sa.Text(), nullable=False),
        sa.Column("budget_unit_code", sa.Text(), nullable=False),
        sa.Column("budget_year", sa.Integer(), nullable=False),
        sa.Column("certificate_number", sa.Text(), nullable=True),
        sa.Column("outcome_reason", sa.Text(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_enrollment_approver", "enrollment", ["approver_nip", "status"], unique=False
    )
    op.create_index("ix_enrollment_nip", "enrollment", ["nip"], unique=False)
    op.create_index(op.f("ix_enrollment_unit_id"), "enrollment", ["unit_id"], unique=False)
    op.create_index(
        "uq_enrollment_active",
        "enrollment",
        ["program_id", "nip"],
        unique=True,
        postgresql_where=sa.text("status NOT IN ('withdrawn', 'rejected')"),
    )
    op.create_table(
        "idempotency_key",
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("body", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("actor", "key"),
    )
    op.create_table(
        "inbox",
        sa.Column("consumer_group", sa.Text(), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column(
            "processed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("consumer_group", "event_id"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("traceparent", sa.Text(), nullable=True),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("published", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["id"],
        unique=False,
        postgresql_where=sa.text("NOT published"),
    )
    op.create_index(
        "ix_outbox_unpublished_key",
        "outbox",
        ["key", "id"],
        unique=False,
        postgresql_where=sa.text("NOT published"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_outbox_unpublished_key", table_name="outbox", postgresql_where=sa.text("NOT published")
    )
    op.drop_index(
        "ix_outbox_unpublished", table_name="outbox", postgresql_where=sa.text("NOT published")
    )
    op.drop_table("outbox")
    op.drop_table("inbox")
    op.drop_table("idempotency_key")
    op.drop_index(
        "uq_enrollment_active",
        table_name="enrollment",
        postgresql_where=sa.text("status NOT IN ('withdrawn', 'rejected')"),
    )
    op.drop_index(op.f("ix_enrollment_unit_id"), table_name="enrollment")
    op.drop_index("ix_enrollment_nip", table_name="enrollment")
    op.drop_index("ix_enrollment_approver", table_name="enrollment")
    op.drop_table("enrollment")
    op.drop_index("ix_program_status_start", table_name="program")
    op.drop_index(op.f("ix_program_institution_id"), table_name="program")
    op.drop_table("program")
    op.drop_index(op.f("ix_unit_parent_id"), table_name="unit")
    op.drop_index(op.f("ix_unit_code"), table_name="unit")
    op.drop_table("unit")
    op.drop_index(op.f("ix_training_need_unit_id"), table_name="training_need")
    op.drop_index("ix_training_need_nip", table_name="training_need")
    op.drop_table("training_need")
    op.drop_table("training_budget")
    op.drop_index("ix_learning_record_verifier", table_name="learning_record")
    op.drop_index(op.f("ix_learning_record_nip"), table_name="learning_record")
    op.drop_table("learning_record")
    op.drop_table("institution")
    op.drop_index(op.f("ix_employee_unit_id"), table_name="employee")
    op.drop_index(op.f("ix_employee_supervisor_nip"), table_name="employee")
    op.drop_table("employee")
    op.drop_index("ix_credit_nip_end", table_name="credit")
    op.drop_table("credit")

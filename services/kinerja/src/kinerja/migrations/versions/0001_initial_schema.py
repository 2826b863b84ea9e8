"""Initial schema: employee and unit replica, SKP with RHK, appraisals, feedback,
organisation predikat, idempotency keys, and servicekit's outbox and inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 17:29:50.878004
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
        "employee",
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.UUID(), nullable=False),
        sa.Column("unit_code", sa.Text(), nullable=False),
        sa.Column("supervisor_nip", sa.Text(), nullable=True),
        sa.Column("position_name", sa.Text(), nullable=False),
        sa.Column("position_kind", sa.Text(), nullable=False),
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
        "organisation_predikat",
        sa.Column("unit_id", sa.UUID(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("predikat", sa.Text(), nullable=False),
        sa.Column("set_by", sa.Text(), nullable=False),
        sa.Column(
            "set_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.PrimaryKeyConstraint("unit_id", "year"),
    )
    op.create_table(
        "skp",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.UUID(), nullable=False),
        sa.Column("unit_code", sa.Text(), nullable=False),
        sa.Column("rater_nip", sa.Text(), nullable=True),
        sa.Column("approver_nip", sa.Text(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("return_note", sa.Text(), nullable=True),
        sa.Column("supersedes_id", sa.UUID(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["skp.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_skp_nip_year", "skp", ["nip", "year"], unique=False)
    op.create_index("ix_skp_rater", "skp", ["rater_nip"], unique=False)
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
        "appraisal",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("skp_id", sa.UUID(), nullable=False),
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period_kind", sa.Text(), nullable=False),
        sa.Column("period_number", sa.SmallInteger(), nullable=True),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.UUID(), nullable=False),
        sa.Column("unit_code", sa.Text(), nullable=False),
        sa.Column("self_assessment", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rater_nip", sa.Text(), nullable=True),
        sa.Column("rating", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("rating_hasil_kerja", sa.Text(), nullable=True),
        sa.Column("rating_perilaku_kerja", sa.Text(), nullable=True),
        sa.Column("predikat", sa.Text(), nullable=True),
        sa.Column("finalized_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("objection", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("objection_status", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["skp_id"],
            ["skp.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_appraisal_nip_year", "appraisal", ["nip", "year"], unique=False)
    op.create_index("ix_appraisal_rater", "appraisal", ["rater_nip"], unique=False)
    op.create_index(
        "uq_appraisal_skp_period",
        "appraisal",
        ["skp_id", "period_kind", sa.literal_column("coalesce(period_number, 0)")],
        unique=True,
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("giver_nip", sa.Text(), nullable=False),
        sa.Column("skp_id", sa.UUID(), nullable=True),
        sa.Column("rhk_id", sa.UUID(), nullable=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["skp_id"],
            ["skp.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_feedback_giver_nip"), "feedback", ["giver_nip"], unique=False)
    op.create_index("ix_feedback_nip", "feedback", ["nip", "created_at"], unique=False)
    op.create_table(
        "rhk",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("skp_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("indicators", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("supervisor_rhk_id", sa.UUID(), nullable=True),
        sa.ForeignKeyConstraint(
            ["skp_id"],
            ["skp.id"],
        ),
        sa.ForeignKeyConstraint(["supervisor_rhk_id"], ["rhk.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_rhk_skp_id"), "rhk", ["skp_id"], unique=False)
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
    op.drop_index(op.f("ix_rhk_skp_id"), table_name="rhk")
    op.drop_table("rhk")
    op.drop_index("ix_feedback_nip", table_name="feedback")
    op.drop_index(op.f("ix_feedback_giver_nip"), table_name="feedback")
    op.drop_table("feedback")
    op.drop_index("uq_appraisal_skp_period", table_name="appraisal")
    op.drop_index("ix_appraisal_rater", table_name="appraisal")
    op.drop_index("ix_appraisal_nip_year", table_name="appraisal")
    op.drop_table("appraisal")
    op.drop_index(op.f("ix_unit_parent_id"), table_name="unit")
    op.drop_index(op.f("ix_unit_code"), table_name="unit")
    op.drop_table("unit")
    op.drop_index("ix_skp_rater", table_name="skp")
    op.drop_index("ix_skp_nip_year", table_name="skp")
    op.drop_table("skp")
    op.drop_table("organisation_predikat")
    op.drop_index(op.f("ix_employee_unit_id"), table_name="employee")
    op.drop_index(op.f("ix_employee_supervisor_nip"), table_name="employee")
    op.drop_table("employee")

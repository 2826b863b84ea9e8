"""Initial schema: units, employees with history, appraisal replica, penalties,
idempotency keys, and servicekit's outbox and inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 16:46:33.001690
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
        "appraisal",
        sa.Column("appraisal_id", sa.UUID(), nullable=False),
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period_kind", sa.Text(), nullable=False),
        sa.Column("predikat", sa.Text(), nullable=False),
        sa.Column("finalized_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.PrimaryKeyConstraint("appraisal_id"),
    )
    op.create_index("ix_appraisal_nip_year", "appraisal", ["nip", "year"], unique=False)
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
    op.create_table(
        "unit",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.UUID(), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("geofence_radius_m", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
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
            ["parent_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index(op.f("ix_unit_parent_id"), "unit", ["parent_id"], unique=False)
    op.create_table(
        "employee",
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("sex", sa.Text(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("asn_type", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("tmt_status", sa.Date(), nullable=False),
        sa.Column("golongan", sa.Text(), nullable=False),
        sa.Column("tmt_golongan", sa.Date(), nullable=False),
        sa.Column("tmt_cpns", sa.Date(), nullable=False),
        sa.Column("position_code", sa.Text(), nullable=True),
        sa.Column("position_name", sa.Text(), nullable=False),
        sa.Column("position_kind", sa.Text(), nullable=False),
        sa.Column("position_level", sa.Text(), nullable=True),
        sa.Column("tmt_position", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.UUID(), nullable=False),
        sa.Column("tmt_unit", sa.Date(), nullable=False),
        sa.Column("supervisor_nip", sa.Text(), nullable=True),
        sa.Column("tmt_supervisor", sa.Date(), nullable=False),
        sa.Column("education", sa.Text(), nullable=False),
        sa.Column("ujian_dinas", sa.SmallInteger(), nullable=False),
        sa.Column("leadership_training", sa.Date(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column(
            "nip_warnings",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("retirement_reason", sa.Text(), nullable=True),
        sa.Column("demo", sa.Boolean(), nullable=False),
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
            ["supervisor_nip"],
            ["employee.nip"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("nip"),
    )
    op.create_index("ix_employee_status_golongan", "employee", ["status", "golongan"], unique=False)
    op.create_index("ix_employee_supervisor", "employee", ["supervisor_nip"], unique=False)
    op.create_index("ix_employee_unit", "employee", ["unit_id"], unique=False)
    op.create_table(
        "employee_history",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("value", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("tmt", sa.Date(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("note", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["nip"],
            ["employee.nip"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_history_nip_field_tmt", "employee_history", ["nip", "field", "tmt"], unique=False
    )
    op.create_table(
        "penalty",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("decree_number", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["nip"],
            ["employee.nip"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_penalty_nip"), "penalty", ["nip"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_penalty_nip"), table_name="penalty")
    op.drop_table("penalty")
    op.drop_index("ix_history_nip_field_tmt", table_name="employee_history")
    op.drop_table("employee_history")
    op.drop_index("ix_employee_unit", table_name="employee")
    op.drop_index("ix_employee_supervisor", table_name="employee")
    op.drop_index("ix_employee_status_golongan", table_name="employee")
    op.drop_table("employee")
    op.drop_index(op.f("ix_unit_parent_id"), table_name="unit")
    op.drop_table("unit")
    op.drop_index(
        "ix_outbox_unpublished_key", table_name="outbox", postgresql_where=sa.text("NOT published")
    )
    op.drop_index(
        "ix_outbox_unpublished", table_name="outbox", postgresql_where=sa.text("NOT published")
    )
    op.drop_table("outbox")
    op.drop_table("inbox")
    op.drop_table("idempotency_key")
    op.drop_index("ix_appraisal_nip_year", table_name="appraisal")
    op.drop_table("appraisal")

"""Shift types, rosters (entries and kept changes), work policies, attendance
corrections, flexible work and fingerprint devices (issue 14).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _now(name: str = "created_at") -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "shift_type",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("unit_code", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("start_time", sa.Text(), nullable=False),
        sa.Column("end_time", sa.Text(), nullable=False),
        sa.Column("break_minutes", sa.Integer(), nullable=False),
        sa.Column("check_in_before_minutes", sa.Integer(), nullable=False),
        sa.Column("check_out_after_minutes", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        _now(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_code", "code", name="uq_shift_type_unit_code"),
    )
    op.create_table(
        "roster",
        sa.Column("unit_code", sa.Text(), nullable=False),
        sa.Column("month", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("published_by", sa.Text(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("unit_code", "month"),
    )
    op.create_table(
        "roster_entry",
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("unit_code", sa.Text(), nullable=False),
        sa.Column("month", sa.Text(), nullable=False),
        sa.Column("shift_type_id", sa.UUID(), nullable=True),
        sa.PrimaryKeyConstraint("nip", "date"),
    )
    op.create_index("ix_roster_entry_unit_month", "roster_entry", ["unit_code", "month"])
    op.create_table(
        "roster_change",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("unit_code", sa.Text(), nullable=False),
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("from_shift_type_id", sa.UUID(), nullable=True),
        sa.Column("to_shift_type_id", sa.UUID(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changed_by", sa.Text(), nullable=False),
        sa.Column(
            "changed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_roster_change_nip_date", "roster_change", ["nip", "date"])
    op.create_table(
        "work_policy",
        sa.Column("unit_code", sa.Text(), nullable=False),
        sa.Column("max_weekly_minutes", sa.Integer(), nullable=True),
        sa.Column("correction_monthly_limit", sa.Integer(), nullable=True),
        sa.Column("correction_deadline_day", sa.Integer(), nullable=True),
        sa.Column("flexible_days_per_month", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("unit_code"),
    )
    op.create_table(
        "attendance_correction",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("unit_code", sa.Text(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("check_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("check_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence_ref", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("approver_nip", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _now(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_correction_approver_status", "attendance_correction", ["approver_nip", "status"]
    )
    op.create_index("ix_correction_nip_date", "attendance_correction", ["nip", "date"])
    op.create_index(
        "uq_correction_pending_day",
        "attendance_correction",
        ["nip", "date"],
        unique=True,
        postgresql_where=sa.text("status = 'diajukan'"),
    )
    op.create_table(
        "flexible_work",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("nip", sa.Text(), nullable=False),
        sa.Column("unit_code", sa.Text(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("approver_nip", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _now(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_flexible_approver_status", "flexible_work", ["approver_nip", "status"])
    op.create_index(
        "uq_flexible_work_day",
        "flexible_work",
        ["nip", "date"],
        unique=True,
        postgresql_where=sa.text("status <> 'ditolak'"),
    )
    op.create_table(
        "device",
        sa.Column("serial", sa.Text(), nullable=False),
        sa.Column("unit_code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        _now(),
        sa.PrimaryKeyConstraint("serial"),
    )
    op.create_table(
        "device_pin",
        sa.Column("serial", sa.Text(), nullable=False),
        sa.Column("pin", sa.Text(), nullable=False),
        sa.Column("nip", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("serial", "pin"),
    )
    op.create_table(
        "device_punch",
        sa.Column("serial", sa.Text(), nullable=False),
        sa.Column("pin", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("nip", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        _now("received_at"),
        sa.PrimaryKeyConstraint("serial", "pin", "at"),
    )


def downgrade() -> None:
    op.drop_table("device_punch")
    op.drop_table("device_pin")
    op.drop_table("device")
    op.drop_table("flexible_work")
    op.drop_table("attendance_correction")
    op.drop_table("work_policy")
    op.drop_table("roster_change")
    op.drop_table("roster_entry")
    op.drop_table("roster")
    op.drop_table("shift_type")

"""The replica of aspirasi's unit signals, shown beside the organisation predikat.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unit_signal",
        sa.Column("unit_code", sa.Text(), nullable=False),
        sa.Column("month", sa.Text(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.Column("sla_compliance", sa.Float(), nullable=True),
        sa.Column("reopen_rate", sa.Float(), nullable=True),
        sa.Column("average_rating", sa.Float(), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("unit_code", "month"),
    )


def downgrade() -> None:
    op.drop_table("unit_signal")

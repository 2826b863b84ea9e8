"""Initial schema: servicekit's inbox and outbox, pg_trgm, and the read model.

The read model's tables are created from `gateway.models` so that a rebuild makes exactly
the same tables in a fresh schema; a later change to them needs a migration here *and*
the model change (the rebuild then creates the new shape).

Revision ID: 0001
Revises:
Create Date: 2026-11-29 10:00:00
"""

from collections.abc import Sequence

from alembic import op
from servicekit.tables import InboxRecord, OutboxRecord

from gateway import models

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    InboxRecord.__table__.create(bind)  # type: ignore[attr-defined]
    OutboxRecord.__table__.create(bind)  # type: ignore[attr-defined]
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    initial = (
        models.unit,
        models.employee,
        models.employee_history,
        models.attendance_day,
        models.leave_request,
        models.leave_balance,
        models.applied_offset,
    )
    models.create_tables(bind, tables=initial)  # later tables come with their migrations


def downgrade() -> None:
    op.execute("DROP SCHEMA IF EXISTS readmodel CASCADE")
    op.drop_table("outbox")
    op.drop_table("inbox")

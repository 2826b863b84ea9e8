"""BRIN indexes on the outbox's and inbox's timestamps, and on the read model's applied
event ids: the purges of servicekit.housekeeping find old rows by them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 16:00:00
"""

from collections.abc import Sequence

from alembic import op
from servicekit.migrations import create_purge_indexes, drop_purge_indexes

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_purge_indexes()
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_applied_event_applied_at "
        "ON readmodel.applied_event USING brin (applied_at)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS readmodel.ix_applied_event_applied_at")
    drop_purge_indexes()

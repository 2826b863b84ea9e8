"""BRIN indexes on the outbox's, inbox's and idempotency keys' timestamps: the purges of
servicekit.housekeeping find old rows by them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 16:00:00
"""

from collections.abc import Sequence

from servicekit.migrations import create_purge_indexes, drop_purge_indexes

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_purge_indexes()


def downgrade() -> None:
    drop_purge_indexes()

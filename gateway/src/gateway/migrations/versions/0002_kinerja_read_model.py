"""The read model adds kinerja: agreed SKPs, appraisals (submitted, finalized), feedback.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 18:00:00
"""

from collections.abc import Sequence

from alembic import op

from gateway import models

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    models.create_tables(op.get_bind(), tables=(models.skp, models.appraisal, models.feedback))


def downgrade() -> None:
    for table in ("feedback", "appraisal", "skp"):
        op.execute(f'DROP TABLE IF EXISTS readmodel."{table}"')

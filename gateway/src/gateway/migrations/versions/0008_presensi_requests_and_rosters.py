"""The read model adds presensi's corrections and flexible-work requests (for the
supervisor's inbox) and the published rosters' days (for the profile and the unit).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 17:00:00
"""

from collections.abc import Sequence

from alembic import op

from gateway import models

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    models.create_tables(op.get_bind(), tables=models.SHIFT_TABLES)


def downgrade() -> None:
    for table in reversed(models.SHIFT_TABLES):
        op.execute(f'DROP TABLE IF EXISTS readmodel."{table.name}"')

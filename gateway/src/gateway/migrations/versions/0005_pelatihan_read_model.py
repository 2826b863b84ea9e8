"""The read model adds pelatihan: programs, enrolments, JP credits, training needs, learning
records and budgets. Creating them is idempotent (0001 on a fresh database creates only its
own tables, but a rebuild creates every table).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 16:00:00
"""

from collections.abc import Sequence

from alembic import op

from gateway import models

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    models.create_tables(op.get_bind(), tables=models.PELATIHAN_TABLES)


def downgrade() -> None:
    for table in reversed(models.PELATIHAN_TABLES):
        op.execute(f'DROP TABLE IF EXISTS readmodel."{table.name}"')

"""The read model adds aspirasi: tickets for the inbox (to verify, follow up, answer;
escalations) and the units' monthly complaint signals for the dashboard.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 16:00:00
"""

from collections.abc import Sequence

from alembic import op

from gateway import models

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    models.create_tables(op.get_bind(), tables=(models.ticket, models.complaint_signal))


def downgrade() -> None:
    for table in ("complaint_signal", "ticket"):
        op.execute(f'DROP TABLE IF EXISTS readmodel."{table}"')

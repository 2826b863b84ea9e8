"""The read model applies each event once by its id (`applied_event`), keeps one history
row per event and field, and knows presensi's calendar (`holiday`).

0001 creates its tables from the current models, so on a fresh database the history key
exists already: every statement here is idempotent. History rows duplicated before this
(a relay re-send applied twice) are reduced to the first one.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 16:00:00
"""

from collections.abc import Sequence

from alembic import op

from gateway import models

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    models.create_tables(op.get_bind(), tables=(models.applied_event, models.holiday))
    op.execute(
        "DELETE FROM readmodel.employee_history h USING readmodel.employee_history k "
        "WHERE h.event_id = k.event_id AND h.field = k.field AND h.id > k.id"
    )
    op.execute(
        "CREATE UNIQUE INDEX IF NOT EXISTS ux_history_event_field "
        "ON readmodel.employee_history (event_id, field)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS readmodel.ux_history_event_field")
    op.execute("DROP TABLE IF EXISTS readmodel.holiday")
    op.execute("DROP TABLE IF EXISTS readmodel.applied_event")

"""The read model's SKPs get a status: submitted and returned SKPs come from kinerja's
`skp.submitted`/`skp.returned` events, so the inbox's SKPs to agree are read locally.

0002 creates the tables from the current models, so on a fresh database the columns and
the index exist already: every statement here is idempotent. Rows from before are agreed
SKPs (the only kind kinerja published), hence `approved`.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE readmodel.skp "
        "ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'approved', "
        "ADD COLUMN IF NOT EXISTS submitted_at timestamptz, "
        "ADD COLUMN IF NOT EXISTS returned_at timestamptz"
    )
    op.execute(
        "ALTER TABLE readmodel.skp ALTER COLUMN status DROP DEFAULT, "
        "ALTER COLUMN approved_at DROP NOT NULL, ALTER COLUMN rhk DROP NOT NULL"
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_skp_to_agree ON readmodel.skp (approver_nip) "
        "WHERE status = 'submitted'"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS readmodel.ix_skp_to_agree")
    op.execute("DELETE FROM readmodel.skp WHERE status <> 'approved'")
    op.execute(
        "ALTER TABLE readmodel.skp "
        "DROP COLUMN status, DROP COLUMN submitted_at, DROP COLUMN returned_at, "
        "ALTER COLUMN approved_at SET NOT NULL, ALTER COLUMN rhk SET NOT NULL"
    )

"""Alembic environment of the aspirasi database: its tables plus servicekit's outbox and inbox."""

from servicekit.migrations import run_env

from aspirasi.models import AspirasiTable

run_env(AspirasiTable.metadata)

"""Alembic environment of the presensi database: its tables plus servicekit's outbox and inbox."""

from servicekit.migrations import run_env

from presensi.models import PresensiTable

run_env(PresensiTable.metadata)

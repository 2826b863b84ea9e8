"""Alembic environment of the presensi database: its tables plus servicekit's outbox and inbox."""

from servicekit.migrations import run_env

import presensi.shift_tables  # noqa: F401 - registers the shift and correction tables
from presensi.models import PresensiTable

run_env(PresensiTable.metadata)

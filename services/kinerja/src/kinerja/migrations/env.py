"""Alembic environment of the kinerja database: its tables plus servicekit's outbox and inbox."""

from servicekit.migrations import run_env

from kinerja.models import KinerjaTable

run_env(KinerjaTable.metadata)

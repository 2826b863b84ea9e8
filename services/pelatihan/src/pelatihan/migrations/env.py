"""Alembic environment of the pelatihan database: its tables plus servicekit's outbox and inbox."""

from servicekit.migrations import run_env

from pelatihan.models import PelatihanTable

run_env(PelatihanTable.metadata)

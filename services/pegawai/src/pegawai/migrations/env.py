"""Alembic environment of the pegawai database: its tables plus servicekit's outbox and inbox."""

from servicekit.migrations import run_env

from pegawai.models import PegawaiTable

run_env(PegawaiTable.metadata)

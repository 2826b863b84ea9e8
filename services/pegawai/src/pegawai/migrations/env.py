"""Alembic environment of the pegawai database: its tables plus servicekit's outbox and inbox."""

import servicekit.tables  # noqa: F401 - registers outbox and inbox in the metadata
from servicekit.migrations import run_env
from sqlmodel import SQLModel

import pegawai.models  # noqa: F401 - registers this service's tables

run_env(SQLModel.metadata)

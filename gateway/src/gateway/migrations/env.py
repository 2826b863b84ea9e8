"""Alembic environment of the gateway database: servicekit's inbox/outbox and the read model
(schema `readmodel`, created by `gateway.models.create_tables`)."""

import servicekit.tables  # noqa: F401 - registers outbox and inbox in the metadata
from servicekit.migrations import run_env
from sqlmodel import SQLModel

run_env(SQLModel.metadata)

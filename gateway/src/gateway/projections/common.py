"""Small helpers the projections share.

A projection is a pure function from an event to the writes it makes: a statement built
once at import (so SQLAlchemy compiles it once and only binds values per event) and one
row of parameters. Keeping SQL construction out of the per-event path is what lets the
applier send a poll's writes of one statement as one executemany — pipelined by asyncpg
and executed in order, so the result is exactly that of one execute per event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from asn_schemas.base import EventPayload
from servicekit.consumer import ConsumedEvent
from sqlalchemy import Executable
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

Executor = AsyncSession | AsyncConnection
PayloadT = TypeVar("PayloadT", bound=EventPayload)


@dataclass(frozen=True, slots=True)
class Write:
    """One execution of a module-level statement with one row of parameters."""

    statement: Executable
    params: Mapping[str, Any]


Projection = Callable[[ConsumedEvent], list[Write]]


def payload(event: ConsumedEvent, model: type[PayloadT]) -> PayloadT:
    """The typed payload (the runner has usually parsed it already), unknown fields ignored."""
    if isinstance(event.payload, model):
        return event.payload
    data = event.payload if isinstance(event.payload, dict) else event.envelope.data
    return model.model_validate(data, extra="ignore")

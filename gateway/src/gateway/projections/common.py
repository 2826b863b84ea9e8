"""Small helpers the projections share."""

from __future__ import annotations

from typing import TypeVar

from asn_schemas.base import EventPayload
from servicekit.consumer import ConsumedEvent
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

Executor = AsyncSession | AsyncConnection
PayloadT = TypeVar("PayloadT", bound=EventPayload)


def payload(event: ConsumedEvent, model: type[PayloadT]) -> PayloadT:
    """The typed payload (the runner has usually parsed it already), unknown fields ignored."""
    if isinstance(event.payload, model):
        return event.payload
    data = event.payload if isinstance(event.payload, dict) else event.envelope.data
    return model.model_validate(data, extra="ignore")

"""Building blocks of answer models: what a route declares it returns.

A route that returns a `Response` (to set an ETag or Location) only declares its model: the
OpenAPI shows it, the fuzz tests and `servicekit.testing.answers_as_declared` hold the answers
to it. A route that returns a dict is validated and serialised through it by FastAPI; declare
those with `response_model_exclude_unset=True` so a key the dict leaves out stays out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainSerializer, WithJsonSchema


class Answer(BaseModel):
    """An undeclared key is an error, not something passed on unseen: the portal's types are
    generated from these models, so what is not declared does not exist for it."""

    model_config = ConfigDict(extra="forbid")


def _iso(value: datetime) -> str:
    return value.isoformat()


Timestamp = Annotated[
    datetime,
    # Written as the views write it (`isoformat()`, `+00:00`), not pydantic's `Z`, so that
    # declaring a dict route's model does not change the JSON it has always answered.
    PlainSerializer(_iso, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
"""An instant with its offset (RFC 3339)."""

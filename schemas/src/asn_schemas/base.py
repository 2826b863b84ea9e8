"""Building blocks shared by every contract model."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

EVENT_TYPE_PATTERN = r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.v[1-9][0-9]*$"
"""`<service>.<entity>.<past-tense fact>.v<N>` (DESIGN.md, Events)."""

_EVENT_TYPE_RE = re.compile(EVENT_TYPE_PATTERN)

Nip = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{18}$",
        description="NIP (PNS) or NI PPPK: 18 digits, no spaces.",
        examples=["198503152010011001"],
    ),
]
"""Only the length is checked: the NI PPPK digits 9–14 are disputed (DOMAIN 1.1)."""


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
"""An instant: a naive value is refused, any offset is normalised to UTC (DESIGN, API)."""


def _open_content(schema: dict[str, Any]) -> None:
    # Producers forbid unknown fields, but the published schema must stay open: consumers
    # are tolerant readers and an additive change has to validate against older schemas.
    schema.pop("additionalProperties", None)


class ContractModel(BaseModel):
    """Base of every model that travels in an event.

    Built strictly (unknown fields are an error, so a producer's typo fails loudly);
    consumers parse with `extra="ignore"` through `parse_envelope` / `parse_payload`.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra=_open_content,
    )


class EventPayload(ContractModel):
    """The `data` of one event type; subclasses set `event_type`."""

    event_type: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        event_type = cls.__dict__.get("event_type")
        if event_type is not None and not _EVENT_TYPE_RE.fullmatch(event_type):
            raise TypeError(f"{cls.__name__}.event_type {event_type!r} is not a valid type")

    @classmethod
    def service(cls) -> str:
        """The producing service, i.e. the first segment of the type."""
        return cls.event_type.split(".", 1)[0]

"""CloudEvents 1.0 envelope, structured mode (DESIGN.md, Events).

The Kafka value is the whole JSON event and the header `content-type` is `CONTENT_TYPE`.
Optional attributes are left out when unset, as the CloudEvents JSON format asks,
rather than sent as `null`.
"""

from __future__ import annotations

import builtins
import os
import re
import time as _time
import uuid
from datetime import UTC, datetime
from typing import Any, Final, Literal, TypeVar

from pydantic import Field, field_validator

from asn_schemas.base import EVENT_TYPE_PATTERN, ContractModel, EventPayload, UtcDatetime

CONTENT_TYPE: Final = "application/cloudevents+json; charset=UTF-8"
SPEC_VERSION: Final = "1.0"
DATA_CONTENT_TYPE: Final = "application/json"
SCHEMA_BASE_URI = "https://schemas.sawahlunto.go.id/events/"
ENVELOPE_SCHEMA_URI = f"{SCHEMA_BASE_URI}envelope.json"

SOURCE_PATTERN = r"^/sawahlunto/[a-z][a-z0-9-]*$"
ACTOR_PATTERN = r"^([0-9]{18}|[a-z][a-z0-9._:-]{0,63})$"
"""An 18-digit NIP, or a lower-case system name such as `pegawai-importer` or `system:bup`."""

# CloudEvents' Integer type is a signed 32-bit number.
_SEQUENCE_MAX = 2**31 - 1
TRACEPARENT_PATTERN = r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$"
_TRACEPARENT_RE = re.compile(TRACEPARENT_PATTERN)

PayloadT = TypeVar("PayloadT", bound=EventPayload)


def dataschema_uri(event_type: str) -> str:
    """The `dataschema` of an event type; the file is `schemas/json/<event_type>.json`."""
    return f"{SCHEMA_BASE_URI}{event_type}.json"


def source_for(service: str) -> str:
    """The `source` attribute of a producing service, e.g. `/sawahlunto/pegawai`."""
    return f"/sawahlunto/{service}"


def _check_traceparent(value: str) -> str:
    # Validated rather than dropped (unlike an incoming HTTP header): a producer that
    # writes a broken one has a bug worth failing on.
    match = _TRACEPARENT_RE.fullmatch(value)
    if match is None:
        raise ValueError("traceparent must be W3C trace context: 00-<32 hex>-<16 hex>-<2 hex>")
    version, trace_id, parent_id, _flags, rest = match.groups()
    if version == "ff":
        raise ValueError("traceparent version ff is invalid")
    if version == "00" and rest is not None:
        raise ValueError("traceparent version 00 has exactly four fields")
    if trace_id == "0" * 32 or parent_id == "0" * 16:
        raise ValueError("traceparent trace-id and parent-id must not be all zeros")
    return value


class Envelope(ContractModel):
    """One event as it travels on a topic: CloudEvents attributes plus `data`."""

    specversion: Literal["1.0"] = SPEC_VERSION
    id: uuid.UUID = Field(description="Unique per event; consumers deduplicate on it.")
    source: str = Field(pattern=SOURCE_PATTERN, description="`/sawahlunto/<service>`.")
    type: str = Field(pattern=EVENT_TYPE_PATTERN, description="`<service>.<entity>.<fact>.v<N>`.")
    subject: str = Field(
        min_length=1, description="The Kafka message key: the aggregate id (the NIP for employees)."
    )
    time: UtcDatetime = Field(description="When the fact happened, UTC, RFC 3339.")
    datacontenttype: Literal["application/json"] = DATA_CONTENT_TYPE
    dataschema: str = Field(
        pattern=r"^https://", description="URI of the JSON Schema of `data` for this `type`."
    )
    data: dict[str, Any]
    actor: str = Field(
        pattern=ACTOR_PATTERN,
        description="Who caused the event (NIP or system name): the audit trail.",
    )
    traceparent: str | None = Field(
        default=None, pattern=TRACEPARENT_PATTERN, description="W3C trace context."
    )
    sequence: int | None = Field(
        default=None,
        ge=0,
        le=_SEQUENCE_MAX,
        description="Per-aggregate, increasing; absent where it does not apply.",
    )

    @field_validator("traceparent")
    @classmethod
    def _valid_traceparent(cls, value: str | None) -> str | None:
        return None if value is None else _check_traceparent(value)

    def to_json_bytes(self) -> bytes:
        """The Kafka value: compact UTF-8 JSON, unset optional attributes left out."""
        unset = {name for name in ("traceparent", "sequence") if getattr(self, name) is None}
        return self.model_dump_json(exclude=unset).encode()

    def payload_as(self, model: builtins.type[PayloadT]) -> PayloadT:
        """`data` parsed as `model`, ignoring unknown fields; the type must match."""
        if self.type != model.event_type:
            raise ValueError(f"event is {self.type!r}, not {model.event_type!r}")
        return model.model_validate(self.data, extra="ignore")


def parse_envelope(raw: bytes | str) -> Envelope:
    """Parse a Kafka value; unknown attributes (newer extensions) are ignored."""
    return Envelope.model_validate_json(raw, extra="ignore")


def new_event(
    payload: EventPayload,
    *,
    subject: str,
    actor: str,
    source: str,
    traceparent: str | None = None,
    sequence: int | None = None,
    event_id: uuid.UUID | None = None,
    time: datetime | None = None,
) -> Envelope:
    """Wrap a payload in an envelope; the type and dataschema come from the payload class."""
    if source != source_for(payload.service()):
        raise ValueError(
            f"{payload.event_type} must be published from {source_for(payload.service())}"
        )
    return Envelope(
        id=event_id if event_id is not None else uuid7(),
        source=source,
        type=payload.event_type,
        subject=subject,
        time=time if time is not None else datetime.now(UTC),
        dataschema=dataschema_uri(payload.event_type),
        data=payload.model_dump(mode="json"),
        actor=actor,
        traceparent=traceparent,
        sequence=sequence,
    )


def uuid7() -> uuid.UUID:
    """A time-ordered UUID (RFC 9562 version 7).

    Event ids become primary keys in every consumer's inbox table; time order keeps those
    B-tree inserts local. Python 3.11 has no `uuid.uuid7`.
    """
    unix_ms = _time.time_ns() // 1_000_000
    value = (unix_ms & (2**48 - 1)) << 80 | int.from_bytes(os.urandom(10), "big")
    value = (value & ~(0xF << 76)) | (0x7 << 76)
    value = (value & ~(0x3 << 62)) | (0x2 << 62)
    return uuid.UUID(int=value)

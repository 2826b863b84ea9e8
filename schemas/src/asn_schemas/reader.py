"""The consumer SDK: one Kafka message in, the envelope and its typed payload out.

Works with any Kafka client (aiokafka, confluent-kafka, kafka-python): pass the record's
value, and its key and headers if you have them. Only this package and pydantic needed.

    event = read_event(record.value, key=record.key, headers=record.headers)
    if isinstance(event.payload, EmployeePromotedV1): ...

Reading is tolerant, as the contract asks of every consumer (DESIGN.md, Events):
- unknown fields, in the envelope or in `data`, are ignored;
- an unknown event type (newer than this package, or from a producer it does not know)
  never fails: it gives a `GenericEnvelope` with `data` as it came and `payload` None;
- an older version of a type the reader wants is upcast through registered adapters
  (`asn_schemas.upcasting`).
What still fails, with `UnreadableEvent`: a value that is not a CloudEvent at all, and a
known type whose `data` breaks its schema (a producer bug, for a dead-letter topic).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from asn_schemas.base import EventPayload
from asn_schemas.envelope import Envelope, dataschema_uri
from asn_schemas.registry import EVENT_TYPES
from asn_schemas.upcasting import UPCASTERS, Upcaster, Upcasters, apply

Headers = Mapping[str, str | bytes | None] | Sequence[tuple[str, str | bytes | None]]
"""What clients give: aiokafka and confluent-kafka a list of (name, bytes) pairs."""


class GenericEnvelope(BaseModel):
    """Any CloudEvent: the four required attributes, the rest as it came."""

    model_config = ConfigDict(frozen=True, extra="allow")

    specversion: str
    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    type: str = Field(min_length=1)
    subject: str | None = None
    time: str | None = None
    data: Any = None


class UnreadableEvent(ValueError):
    """The message is not an event this reader can give a consumer; dead-letter it."""

    def __init__(self, reason: str, value: bytes | str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value


@dataclass(frozen=True)
class Event:
    """One message as read: its envelope, typed payload (None for unknown types), key,
    headers, and the type it was upcast from (None if it came as it is)."""

    envelope: Envelope | GenericEnvelope
    payload: EventPayload | None
    key: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    upcast_from: str | None = None

    @property
    def type(self) -> str:
        return self.envelope.type

    @property
    def known(self) -> bool:
        return self.payload is not None

    @property
    def subject(self) -> str | None:
        return self.envelope.subject


def _text(raw: str | bytes | None) -> str | None:
    if raw is None or isinstance(raw, str):
        return raw
    return raw.decode("utf-8", errors="replace")


def _headers(headers: Headers | None) -> dict[str, str]:
    pairs = headers.items() if isinstance(headers, Mapping) else (headers or ())
    return {name.lower(): _text(value) or "" for name, value in pairs}


class EventReader:
    """Reads messages for a consumer; `wanted` are the payload models it was written for.

    A type in `wanted` is parsed into its model as it is. An older type with an upcaster
    path to a wanted one (without `wanted`: to the newest version in the registry) is
    carried up and parsed as that. Other known types are parsed as they are; unknown
    ones stay generic.
    """

    def __init__(
        self,
        wanted: Iterable[type[EventPayload]] = (),
        *,
        registry: Mapping[str, type[EventPayload]] = EVENT_TYPES,
        upcasters: Upcasters = UPCASTERS,
    ) -> None:
        self._wanted = {model.event_type: model for model in wanted}
        self._registry = {**registry, **self._wanted}
        self._upcasters = upcasters

    def read(
        self,
        value: bytes | str,
        *,
        key: bytes | str | None = None,
        headers: Headers | None = None,
    ) -> Event:
        try:
            generic = GenericEnvelope.model_validate_json(value)
        except ValidationError as exc:
            raise UnreadableEvent(f"not a CloudEvent: {_first_error(exc)}", value) from exc
        text_key, text_headers = _text(key), _headers(headers)
        steps = self._upcast_path(generic.type)
        target = steps[-1].to_type if steps else generic.type
        model = self._registry.get(target)
        if model is None:
            return Event(generic, None, text_key, text_headers)
        try:
            envelope = Envelope.model_validate_json(value, extra="ignore")
            data = apply(steps, envelope.data) if steps else envelope.data
            payload = model.model_validate(data, extra="ignore")
        except ValidationError as exc:
            raise UnreadableEvent(f"{generic.type}: {_first_error(exc)}", value) from exc
        if steps:
            envelope = envelope.model_copy(
                update={"type": target, "dataschema": dataschema_uri(target), "data": data}
            )
        upcast_from = generic.type if steps else None
        return Event(envelope, payload, text_key, text_headers, upcast_from)

    def _upcast_path(self, event_type: str) -> list[Upcaster] | None:
        if event_type in self._wanted or not self._upcasters.starts_at(event_type):
            return None
        # Without `wanted`, the newest version of the type this reader knows; looked up
        # per event so that adapters registered after the reader was made count too.
        targets = self._wanted.keys() or {
            t for t in self._registry if not self._upcasters.starts_at(t)
        }
        return self._upcasters.path(event_type, targets)


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "value"
    return f"{where}: {first['msg']}"


_DEFAULT = EventReader()


def read_event(
    value: bytes | str,
    *,
    key: bytes | str | None = None,
    headers: Headers | None = None,
) -> Event:
    """Read one message with every type this package knows and the suite's upcasters."""
    return _DEFAULT.read(value, key=key, headers=headers)


__all__ = [
    "Event",
    "EventReader",
    "GenericEnvelope",
    "Headers",
    "UnreadableEvent",
    "read_event",
]

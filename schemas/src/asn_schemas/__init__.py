"""Event contracts of the Sawahlunto ASN suite: the CloudEvents envelope and the payloads.

Producers build a payload model and wrap it with `new_event`. Consumers call `read_event`
on a Kafka message (tolerant reading, upcasting; `asn_schemas.reader`), or the lower-level
`parse_envelope` on the value and `parse_payload` (or `Envelope.payload_as`) on it.
"""

from asn_schemas.base import EventPayload, Nip
from asn_schemas.envelope import (
    CONTENT_TYPE,
    Envelope,
    dataschema_uri,
    new_event,
    parse_envelope,
    source_for,
)
from asn_schemas.reader import Event, EventReader, GenericEnvelope, UnreadableEvent, read_event
from asn_schemas.registry import EVENT_TYPES, parse_payload, payload_model

__all__ = [
    "CONTENT_TYPE",
    "EVENT_TYPES",
    "Envelope",
    "Event",
    "EventPayload",
    "EventReader",
    "GenericEnvelope",
    "Nip",
    "UnreadableEvent",
    "dataschema_uri",
    "new_event",
    "parse_envelope",
    "parse_payload",
    "payload_model",
    "read_event",
    "source_for",
]

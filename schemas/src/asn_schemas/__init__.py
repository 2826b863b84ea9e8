"""Event contracts of the Sawahlunto ASN suite: the CloudEvents envelope and the payloads.

Producers build a payload model and wrap it with `new_event`; consumers call
`parse_envelope` on the Kafka value and `parse_payload` (or `Envelope.payload_as`) on it.
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
from asn_schemas.registry import EVENT_TYPES, parse_payload, payload_model

__all__ = [
    "CONTENT_TYPE",
    "EVENT_TYPES",
    "Envelope",
    "EventPayload",
    "Nip",
    "dataschema_uri",
    "new_event",
    "parse_envelope",
    "parse_payload",
    "payload_model",
    "source_for",
]

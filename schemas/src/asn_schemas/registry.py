"""Every event type this package knows, by its `type` attribute."""

from __future__ import annotations

from asn_schemas.aspirasi import ASPIRASI_EVENTS
from asn_schemas.base import EventPayload
from asn_schemas.envelope import Envelope
from asn_schemas.kinerja import KINERJA_EVENTS
from asn_schemas.pegawai import PEGAWAI_EVENTS
from asn_schemas.pelatihan import PELATIHAN_EVENTS
from asn_schemas.presensi import PRESENSI_EVENTS


def _index(models: tuple[type[EventPayload], ...]) -> dict[str, type[EventPayload]]:
    index: dict[str, type[EventPayload]] = {}
    for model in models:
        if model.event_type in index:
            raise RuntimeError(f"{model.event_type} is registered twice")
        index[model.event_type] = model
    return index


EVENT_TYPES: dict[str, type[EventPayload]] = _index(
    PEGAWAI_EVENTS + KINERJA_EVENTS + PRESENSI_EVENTS + ASPIRASI_EVENTS + PELATIHAN_EVENTS
)


def payload_model(event_type: str) -> type[EventPayload] | None:
    """The payload model of a type, or None for a type this version does not know."""
    return EVENT_TYPES.get(event_type)


def parse_payload(envelope: Envelope) -> EventPayload | None:
    """The typed `data` of an envelope, ignoring unknown fields.

    None for an unknown type, so that a consumer can skip (or count) events newer than
    itself instead of failing; invalid data raises `pydantic.ValidationError`.
    """
    model = payload_model(envelope.type)
    if model is None:
        return None
    return model.model_validate(envelope.data, extra="ignore")

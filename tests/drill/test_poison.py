"""The drill's poison: each kind fails where it should, and every reader would dead-letter it."""

from __future__ import annotations

import pytest
from asn_schemas import parse_envelope, payload_model
from devstack.config import load_topics
from poison import CONTRACT_TYPES, KINDS, READERS, json_objects, poison_messages
from pydantic import ValidationError


def _specs() -> dict[str, object]:
    """The drill's consumer groups as their services define them (default settings)."""
    from gateway.projections.apply import consumer_specs as gateway_specs
    from gateway.settings import GatewaySettings
    from kinerja.consumers import consumer_specs as kinerja_specs
    from kinerja.settings import KinerjaSettings
    from pegawai.consumers import consumer_specs as pegawai_specs
    from pegawai.settings import PegawaiSettings
    from presensi.consumers import consumer_specs as presensi_specs
    from presensi.settings import PresensiSettings

    specs = [
        *gateway_specs(GatewaySettings.model_construct()),
        *pegawai_specs(PegawaiSettings.model_construct()),
        *presensi_specs(PresensiSettings.model_construct()),
        *kinerja_specs(KinerjaSettings.model_construct()),
    ]
    return {spec.group_id: spec for spec in specs}


def test_every_event_topic_gets_poison_and_the_readers_are_the_services_own():
    assert set(CONTRACT_TYPES) == set(load_topics())
    specs = _specs()
    assert set(READERS) == set(specs)
    for group, topics in READERS.items():
        spec = specs[group]
        assert set(topics) == set(spec.topics), group
        for topic in topics:
            # Only a handled type's payload is validated: else it would be skipped, not parked.
            assert CONTRACT_TYPES[topic] in spec.handlers, (group, topic)


@pytest.mark.parametrize("topic", sorted(CONTRACT_TYPES))
def test_each_poison_fails_where_a_consumer_decodes_it(topic: str):
    event_type = CONTRACT_TYPES[topic]
    not_json, not_an_event, bad_payload = poison_messages(topic, event_type, "drill-poison-x")
    assert len(KINDS) == 3
    for raw in (not_json, not_an_event):
        with pytest.raises(ValidationError):
            parse_envelope(raw)
    envelope = parse_envelope(bad_payload)  # a CloudEvent of this suite ...
    assert envelope.type == event_type
    model = payload_model(event_type)
    assert model is not None
    with pytest.raises(ValidationError):  # ... whose payload breaks its contract
        model.model_validate(envelope.data, extra="ignore")


def test_the_drills_own_reading_of_a_topic_leaves_the_poison_out():
    poisons = poison_messages("pegawai.events", CONTRACT_TYPES["pegawai.events"], "drill-poison-x")
    event = b'{"id": "e1", "type": "pegawai.employee.registered.v1"}'
    found = json_objects([*poisons, event, None, b"[1, 2]"])
    assert [o.get("id") for o in found][-1] == "e1"
    assert len(found) == 3, "the JSON poisons stay (they are objects); bytes and arrays go"

"""The consumer SDK: typed reading of a Kafka message, tolerant of what it does not know,
and upcasting older versions through registered adapters."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from asn_schemas import (
    CONTENT_TYPE,
    Envelope,
    EventPayload,
    EventReader,
    GenericEnvelope,
    UnreadableEvent,
    new_event,
    read_event,
)
from asn_schemas.envelope import dataschema_uri, source_for
from asn_schemas.pegawai import EmployeePromotedV1
from asn_schemas.streams import event_key
from asn_schemas.upcasting import Upcaster, Upcasters
from pydantic import Field

ACTOR = "197001011995031002"


def _value(payload: EventPayload) -> bytes:
    return new_event(
        payload, subject=event_key(payload), actor=ACTOR, source=source_for(payload.service())
    ).to_json_bytes()


def test_a_known_event_reads_into_its_envelope_and_typed_payload(
    samples: dict[str, EventPayload],
) -> None:
    for event_type, payload in samples.items():
        key = event_key(payload).encode()
        event = read_event(
            _value(payload), key=key, headers=[("content-type", CONTENT_TYPE.encode())]
        )
        assert isinstance(event.envelope, Envelope)
        assert event.type == event_type
        assert event.payload == payload
        assert event.known
        assert event.key == event.subject == event_key(payload)
        assert event.headers == {"content-type": CONTENT_TYPE}
        assert event.upcast_from is None


def test_unknown_fields_in_the_envelope_and_the_data_are_ignored(
    samples: dict[str, EventPayload],
) -> None:
    payload = samples["pegawai.employee.promoted.v1"]
    document = json.loads(_value(payload))
    document["partitionkey"] = "future extension"
    document["data"]["decree_pdf"] = "https://example/sk.pdf"
    document["data"]["employee"]["shoe_size"] = 42
    event = read_event(json.dumps(document))
    assert isinstance(event.payload, EmployeePromotedV1)
    assert event.payload == payload


def test_an_unknown_type_gives_a_generic_envelope_never_an_error() -> None:
    value = json.dumps(
        {
            "specversion": "1.0",
            "id": "not-a-uuid-but-fine",
            "source": "/province/sumbar/bkd",
            "type": "bkd.transfer.proposed.v3",
            "subject": "X-1",
            "data": {"anything": [1, 2, 3]},
            "someextension": True,
        }
    )
    event = read_event(value, key=b"X-1", headers={"content-type": CONTENT_TYPE})
    assert isinstance(event.envelope, GenericEnvelope)
    assert event.payload is None
    assert not event.known
    assert event.type == "bkd.transfer.proposed.v3"
    assert event.envelope.data == {"anything": [1, 2, 3]}
    assert event.subject == event.key == "X-1"


def test_a_newer_version_of_a_known_type_is_unknown_not_an_error(
    samples: dict[str, EventPayload],
) -> None:
    document = json.loads(_value(samples["pegawai.unit.created.v1"]))
    document["type"] = "pegawai.unit.created.v2"
    document["data"] = {"unit": {"restructured": True}}
    event = read_event(json.dumps(document))
    assert event.payload is None
    assert event.type == "pegawai.unit.created.v2"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"\x00\x01 not json", "not a CloudEvent"),
        (b'{"specversion": "1.0", "id": "1", "source": "/x"}', "not a CloudEvent: type"),
        (b"[1, 2]", "not a CloudEvent"),
    ],
)
def test_a_value_that_is_no_cloudevent_is_unreadable(value: bytes, reason: str) -> None:
    with pytest.raises(UnreadableEvent) as caught:
        read_event(value)
    assert caught.value.reason.startswith(reason)
    assert caught.value.value == value


def test_a_known_type_with_broken_data_is_unreadable_and_says_where(
    samples: dict[str, EventPayload],
) -> None:
    document = json.loads(_value(samples["pegawai.employee.promoted.v1"]))
    document["data"]["employee"]["nip"] = "123"
    with pytest.raises(UnreadableEvent, match=r"pegawai.employee.promoted.v1: employee.nip"):
        read_event(json.dumps(document))


# Test-only event versions: every real type is still at v1. v2 splits v1's "III/b" into
# the golongan group and the ruang letter, v3 adds a field with a default.
class DemoGradeV1(EventPayload):
    event_type = "demo.grade.recorded.v1"

    nip: str
    golongan: str = Field(pattern=r"^[IV]+/[a-e]$")


class DemoGradeV2(EventPayload):
    event_type = "demo.grade.recorded.v2"

    nip: str
    group: str
    ruang: str


class DemoGradeV3(EventPayload):
    event_type = "demo.grade.recorded.v3"

    nip: str
    group: str
    ruang: str
    source: str


def _v1_to_v2(data: Mapping[str, Any]) -> dict[str, Any]:
    group, ruang = data["golongan"].split("/")
    return {"nip": data["nip"], "group": group, "ruang": ruang}


def _v2_to_v3(data: Mapping[str, Any]) -> dict[str, Any]:
    return {**data, "source": "upcast"}


V1_TO_V2 = Upcaster("demo.grade.recorded.v1", "demo.grade.recorded.v2", _v1_to_v2)
V2_TO_V3 = Upcaster("demo.grade.recorded.v2", "demo.grade.recorded.v3", _v2_to_v3)
NIP = "198503152010011001"


def _demo_value(payload: EventPayload) -> bytes:
    return Envelope(
        id="0190c0a0-1111-7000-8000-0000000000aa",
        source=source_for("demo"),
        type=payload.event_type,
        subject=NIP,
        time="2025-03-03T01:30:00Z",
        dataschema=dataschema_uri(payload.event_type),
        data=payload.model_dump(mode="json"),
        actor=ACTOR,
    ).to_json_bytes()


def test_a_consumer_written_for_v2_reads_v1_events_through_the_adapter() -> None:
    reader = EventReader([DemoGradeV2], upcasters=Upcasters([V1_TO_V2]))
    event = reader.read(_demo_value(DemoGradeV1(nip=NIP, golongan="III/b")))
    assert event.payload == DemoGradeV2(nip=NIP, group="III", ruang="b")
    assert event.upcast_from == "demo.grade.recorded.v1"
    assert event.type == "demo.grade.recorded.v2"
    assert isinstance(event.envelope, Envelope)
    assert event.envelope.dataschema == dataschema_uri("demo.grade.recorded.v2")

    current = reader.read(_demo_value(DemoGradeV2(nip=NIP, group="IV", ruang="a")))
    assert current.payload == DemoGradeV2(nip=NIP, group="IV", ruang="a")
    assert current.upcast_from is None


def test_adapters_chain_up_to_the_wanted_version() -> None:
    reader = EventReader([DemoGradeV3], upcasters=Upcasters([V2_TO_V3, V1_TO_V2]))
    event = reader.read(_demo_value(DemoGradeV1(nip=NIP, golongan="II/c")))
    assert event.payload == DemoGradeV3(nip=NIP, group="II", ruang="c", source="upcast")
    assert event.upcast_from == "demo.grade.recorded.v1"


def test_without_wanted_types_a_reader_carries_old_events_to_the_newest_it_knows() -> None:
    registry = {m.event_type: m for m in (DemoGradeV1, DemoGradeV2, DemoGradeV3)}
    upcasters = Upcasters([V1_TO_V2])
    reader = EventReader(registry=registry, upcasters=upcasters)
    first = reader.read(_demo_value(DemoGradeV1(nip=NIP, golongan="III/b")))
    assert first.payload == DemoGradeV2(nip=NIP, group="III", ruang="b")

    upcasters.register(V2_TO_V3)  # a later version's adapter counts at once
    again = reader.read(_demo_value(DemoGradeV1(nip=NIP, golongan="III/b")))
    assert again.payload == DemoGradeV3(nip=NIP, group="III", ruang="b", source="upcast")
    assert again.upcast_from == "demo.grade.recorded.v1"


def test_a_consumer_that_wants_v1_reads_it_as_it_is() -> None:
    reader = EventReader([DemoGradeV1, DemoGradeV2], upcasters=Upcasters([V1_TO_V2]))
    event = reader.read(_demo_value(DemoGradeV1(nip=NIP, golongan="III/b")))
    assert event.payload == DemoGradeV1(nip=NIP, golongan="III/b")
    assert event.upcast_from is None


def test_without_an_adapter_an_old_version_the_reader_does_not_know_stays_generic() -> None:
    reader = EventReader([DemoGradeV2], upcasters=Upcasters())
    event = reader.read(_demo_value(DemoGradeV1(nip=NIP, golongan="III/b")))
    assert event.payload is None
    assert event.type == "demo.grade.recorded.v1"


def test_an_adapter_that_produces_invalid_data_is_unreadable_not_a_crash() -> None:
    broken = Upcaster("demo.grade.recorded.v1", "demo.grade.recorded.v2", lambda d: {**d})
    reader = EventReader([DemoGradeV2], upcasters=Upcasters([broken]))
    with pytest.raises(UnreadableEvent, match=r"demo\.grade\.recorded\.v1"):
        reader.read(_demo_value(DemoGradeV1(nip=NIP, golongan="III/b")))


def test_upcasters_go_one_version_up_within_one_type() -> None:
    with pytest.raises(ValueError, match="one version up"):
        Upcaster("demo.grade.recorded.v1", "demo.grade.recorded.v3", _v1_to_v2)
    with pytest.raises(ValueError, match="not one event type"):
        Upcaster("demo.grade.recorded.v1", "demo.rank.recorded.v2", _v1_to_v2)
    registry = Upcasters([V1_TO_V2])
    with pytest.raises(ValueError, match="registered already"):
        registry.register(V1_TO_V2)

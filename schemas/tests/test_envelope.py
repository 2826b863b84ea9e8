from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import pytest
from asn_schemas import CONTENT_TYPE, Envelope, new_event, parse_envelope
from asn_schemas.envelope import dataschema_uri, source_for, uuid7
from asn_schemas.pegawai import EmployeeRegisteredV1, EmployeeSnapshot, UnitCreatedV1
from pydantic import ValidationError

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
WHEN = datetime(2025, 6, 2, 1, 30, tzinfo=UTC)
EVENT_ID = uuid7()


def _event(employee: EmployeeSnapshot, **overrides: object) -> Envelope:
    arguments: dict[str, object] = {
        "subject": employee.nip,
        "actor": "197001011995031002",
        "source": "/sawahlunto/pegawai",
        "traceparent": TRACEPARENT,
        "sequence": 3,
        "time": WHEN,
        "event_id": EVENT_ID,
    }
    arguments.update(overrides)
    return new_event(EmployeeRegisteredV1(employee=employee), **arguments)  # type: ignore[arg-type]


def _wire(employee: EmployeeSnapshot) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(_event(employee).to_json_bytes())
    return loaded


def test_content_type_is_structured_mode() -> None:
    assert CONTENT_TYPE == "application/cloudevents+json; charset=UTF-8"


def test_round_trip_through_json_bytes(employee: EmployeeSnapshot) -> None:
    event = _event(employee)
    raw = event.to_json_bytes()
    assert isinstance(raw, bytes)
    assert parse_envelope(raw) == event
    wire = json.loads(raw)
    assert wire["specversion"] == "1.0"
    assert wire["type"] == "pegawai.employee.registered.v1"
    assert wire["source"] == "/sawahlunto/pegawai"
    assert wire["subject"] == employee.nip
    assert wire["time"] == "2025-06-02T01:30:00Z"
    assert wire["datacontenttype"] == "application/json"
    assert wire["dataschema"] == (
        "https://schemas.sawahlunto.go.id/events/pegawai.employee.registered.v1.json"
    )
    assert wire["traceparent"] == TRACEPARENT
    assert wire["sequence"] == 3
    assert wire["data"]["employee"]["golongan"] == "III/b"
    assert wire["data"]["employee"]["birth_date"] == "1985-03-15"
    assert UUID(wire["id"]) == EVENT_ID


def test_unset_optional_attributes_are_left_out(employee: EmployeeSnapshot) -> None:
    event = _event(employee, traceparent=None, sequence=None)
    wire = json.loads(event.to_json_bytes())
    assert "traceparent" not in wire
    assert "sequence" not in wire
    # Nulls inside the payload are meaningful and stay.
    assert parse_envelope(event.to_json_bytes()) == event


def test_defaults_fill_id_and_time(employee: EmployeeSnapshot) -> None:
    before = datetime.now(UTC)
    event = new_event(
        EmployeeRegisteredV1(employee=employee),
        subject=employee.nip,
        actor="pegawai-importer",
        source=source_for("pegawai"),
    )
    assert event.time >= before
    assert event.time.tzinfo is not None
    assert event.id.version == 7
    assert event.dataschema == dataschema_uri("pegawai.employee.registered.v1")


def test_refuses_a_naive_time(employee: EmployeeSnapshot) -> None:
    with pytest.raises(ValidationError, match="timezone"):
        _event(employee, time=datetime(2025, 6, 2, 8, 30))
    wire = _wire(employee)
    wire["time"] = "2025-06-02T08:30:00"
    with pytest.raises(ValidationError):
        parse_envelope(json.dumps(wire))


def test_other_offsets_are_normalised_to_utc(employee: EmployeeSnapshot) -> None:
    wib = timezone(timedelta(hours=7))
    event = _event(employee, time=datetime(2025, 6, 2, 8, 30, tzinfo=wib))
    assert event.time == WHEN
    assert event.time.utcoffset() == timedelta(0)
    assert json.loads(event.to_json_bytes())["time"] == "2025-06-02T01:30:00Z"


@pytest.mark.parametrize(
    "traceparent",
    [
        "not-a-trace",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
    ],
)
def test_refuses_a_malformed_traceparent(employee: EmployeeSnapshot, traceparent: str) -> None:
    with pytest.raises(ValidationError, match="traceparent"):
        _event(employee, traceparent=traceparent)


def test_accepts_a_future_traceparent_version(employee: EmployeeSnapshot) -> None:
    later = "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more"
    assert _event(employee, traceparent=later).traceparent == later


def test_refuses_a_missing_actor(employee: EmployeeSnapshot) -> None:
    wire = _wire(employee)
    del wire["actor"]
    with pytest.raises(ValidationError, match="actor"):
        parse_envelope(json.dumps(wire))


@pytest.mark.parametrize("actor", ["", "   ", "Budi", "12345"])
def test_refuses_an_actor_that_is_neither_nip_nor_system(
    employee: EmployeeSnapshot, actor: str
) -> None:
    with pytest.raises(ValidationError, match="actor"):
        _event(employee, actor=actor)


def test_consumers_ignore_unknown_envelope_attributes(employee: EmployeeSnapshot) -> None:
    wire = _wire(employee)
    wire["partitionkey"] = employee.nip
    wire["comexampleextension1"] = {"nested": True}
    assert parse_envelope(json.dumps(wire).encode()) == _event(employee)


def test_producers_cannot_add_unknown_attributes(employee: EmployeeSnapshot) -> None:
    fields = _event(employee).model_dump()
    with pytest.raises(ValidationError, match="Extra inputs"):
        Envelope(**fields, partitionkey="x")  # type: ignore[call-arg]


def test_refuses_a_source_that_does_not_own_the_type(employee: EmployeeSnapshot) -> None:
    with pytest.raises(ValueError, match="/sawahlunto/pegawai"):
        _event(employee, source="/sawahlunto/kinerja")


@pytest.mark.parametrize("sequence", [-1, 2**31])
def test_sequence_is_a_cloudevents_integer(employee: EmployeeSnapshot, sequence: int) -> None:
    with pytest.raises(ValidationError, match="sequence"):
        _event(employee, sequence=sequence)


def test_refuses_a_wrong_specversion(employee: EmployeeSnapshot) -> None:
    wire = _wire(employee)
    wire["specversion"] = "0.3"
    with pytest.raises(ValidationError, match="specversion"):
        parse_envelope(json.dumps(wire))


def test_payload_as_checks_the_type(employee: EmployeeSnapshot) -> None:
    event = _event(employee)
    assert event.payload_as(EmployeeRegisteredV1) == EmployeeRegisteredV1(employee=employee)
    with pytest.raises(ValueError, match=r"not 'pegawai\.unit\.created\.v1'"):
        event.payload_as(UnitCreatedV1)


def test_envelopes_are_frozen(employee: EmployeeSnapshot) -> None:
    event = _event(employee)
    with pytest.raises(ValidationError):
        event.subject = "x"  # type: ignore[misc]


def test_uuid7_is_time_ordered() -> None:
    ids = [uuid7() for _ in range(50)]
    assert all(i.version == 7 and i.variant == "specified in RFC 4122" for i in ids)
    timestamps = [i.int >> 80 for i in ids]
    assert timestamps == sorted(timestamps)
    assert len(set(ids)) == len(ids)

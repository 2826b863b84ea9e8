from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from asn_schemas import EVENT_TYPES, EventPayload, new_event, parse_envelope, parse_payload
from asn_schemas.envelope import source_for
from asn_schemas.golongan import PANGKAT_BY_GOLONGAN, GolonganPns, GolonganPppk, Pangkat
from asn_schemas.jsonschema import payload_json_schema
from asn_schemas.kinerja import PREDIKAT_LABELS, AppraisalPeriod, PeriodKind, Predikat
from asn_schemas.pegawai import (
    AsnType,
    EmployeePromotedV1,
    EmployeeRegisteredV1,
    EmployeeRetiredV1,
    EmployeeSnapshot,
    EmployeeStatus,
    Position,
    PositionKind,
    PositionLevel,
    PromotionKind,
    RetirementReason,
    UnitSnapshot,
)
from asn_schemas.registry import payload_model
from pydantic import BaseModel, ValidationError

# Field-name tokens that must never appear in an event (DESIGN.md, Events; UU PDP).
FORBIDDEN_TOKENS = frozenset(
    {
        "nik",
        "ktp",
        "address",
        "alamat",
        "phone",
        "telepon",
        "telp",
        "hp",
        "email",
        "diagnosis",
        "medical",
        "penyakit",
    }
)
FORBIDDEN_FRAGMENTS = ("address", "alamat", "phone", "telepon", "diagnos")


def _property_names(schema: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(schema, dict):
        names.update(schema.get("properties", {}))
        for value in schema.values():
            names |= _property_names(value)
    elif isinstance(schema, list):
        for value in schema:
            names |= _property_names(value)
    return names


def _personal_fields(schema: dict[str, Any]) -> list[str]:
    bad = []
    for name in _property_names(schema):
        lowered = name.lower()
        if set(lowered.split("_")) & FORBIDDEN_TOKENS or any(
            fragment in lowered for fragment in FORBIDDEN_FRAGMENTS
        ):
            bad.append(name)
    return sorted(bad)


def _all_subclasses(cls: type[EventPayload]) -> set[type[EventPayload]]:
    found = set()
    for sub in cls.__subclasses__():
        if sub.__module__.startswith("asn_schemas."):
            found.add(sub)
        found |= _all_subclasses(sub)
    return found


def _add_unknown_fields(value: Any) -> Any:
    if isinstance(value, dict):
        return {**{k: _add_unknown_fields(v) for k, v in value.items()}, "zz_future": [1, 2]}
    if isinstance(value, list):
        return [_add_unknown_fields(v) for v in value]
    return value


def test_every_payload_model_is_registered(samples: dict[str, EventPayload]) -> None:
    assert set(EVENT_TYPES.values()) == _all_subclasses(EventPayload)
    assert set(samples) == set(EVENT_TYPES)
    for event_type, model in EVENT_TYPES.items():
        assert model.event_type == event_type
        assert payload_model(event_type) is model
    assert payload_model("pegawai.employee.teleported.v1") is None


def test_an_event_type_must_follow_the_naming_rule() -> None:
    with pytest.raises(TypeError, match="not a valid type"):

        class _Bad(EventPayload):
            event_type = "pegawai.EmployeePromoted"


def test_every_payload_round_trips(samples: dict[str, EventPayload]) -> None:
    for event_type, payload in samples.items():
        event = new_event(
            payload,
            subject="198503152010011001",
            actor="system:test",
            source=source_for(payload.service()),
        )
        parsed = parse_envelope(event.to_json_bytes())
        assert parsed.type == event_type
        assert parse_payload(parsed) == payload


def test_consumers_ignore_unknown_payload_fields(samples: dict[str, EventPayload]) -> None:
    for payload in samples.values():
        event = new_event(
            payload, subject="x", actor="system:test", source=source_for(payload.service())
        )
        wire = json.loads(event.to_json_bytes())
        wire["data"] = _add_unknown_fields(wire["data"])
        assert parse_payload(parse_envelope(json.dumps(wire))) == payload


def test_unknown_types_parse_to_none(samples: dict[str, EventPayload]) -> None:
    payload = samples["pegawai.unit.created.v1"]
    event = new_event(payload, subject="x", actor="system:test", source="/sawahlunto/pegawai")
    wire = json.loads(event.to_json_bytes())
    wire["type"] = "pegawai.unit.merged.v1"
    assert parse_payload(parse_envelope(json.dumps(wire))) is None


def test_producers_cannot_add_unknown_fields(employee: EmployeeSnapshot) -> None:
    fields = employee.model_dump()
    with pytest.raises(ValidationError, match="Extra inputs"):
        EmployeeSnapshot(**fields, nik="1371010101850001")  # type: ignore[call-arg]


def test_payloads_are_frozen(employee: EmployeeSnapshot) -> None:
    with pytest.raises(ValidationError):
        employee.name = "x"  # type: ignore[misc]


def test_no_payload_carries_personal_data_fields() -> None:
    offenders = {
        event_type: bad
        for event_type in EVENT_TYPES
        if (bad := _personal_fields(payload_json_schema(event_type)))
    }
    assert offenders == {}


def test_personal_data_scan_would_catch_a_leak() -> None:
    class Leaky(BaseModel):
        nik: str
        home_address: str
        noTelepon: str
        diagnosis_code: str
        unit: str

    assert _personal_fields(Leaky.model_json_schema()) == [
        "diagnosis_code",
        "home_address",
        "nik",
        "noTelepon",
    ]


def test_predikat_codes_and_official_labels() -> None:
    assert [p.value for p in Predikat] == [
        "sangat_baik",
        "baik",
        "butuh_perbaikan",
        "kurang_misconduct",
        "sangat_kurang",
    ]
    assert [p.label for p in Predikat] == [
        "Sangat Baik",
        "Baik",
        "Butuh Perbaikan",
        "Kurang/Misconduct",
        "Sangat Kurang",
    ]
    assert set(PREDIKAT_LABELS) == set(Predikat)


def test_golongan_tables() -> None:
    assert len(GolonganPns) == len(GolonganPppk) == len(Pangkat) == 17
    assert PANGKAT_BY_GOLONGAN[GolonganPns.III_A] is Pangkat.PENATA_MUDA
    assert PANGKAT_BY_GOLONGAN[GolonganPns.IV_E] is Pangkat.PEMBINA_UTAMA
    assert GolonganPns.II_D.rank < GolonganPns.III_A.rank


def test_enums_are_visible_in_json_schema() -> None:
    defs = payload_json_schema("kinerja.appraisal.finalized.v1")["$defs"]
    assert defs["Predikat"]["enum"] == [p.value for p in Predikat]
    golongan = payload_json_schema("pegawai.employee.registered.v1")["$defs"]["EmployeeSnapshot"][
        "properties"
    ]["golongan"]
    assert golongan["anyOf"] == [
        {"$ref": "#/$defs/GolonganPns"},
        {"$ref": "#/$defs/GolonganPppk"},
    ]


def test_published_schemas_stay_open_for_tolerant_readers() -> None:
    for event_type in EVENT_TYPES:
        assert 'additionalProperties": false' not in json.dumps(payload_json_schema(event_type))


@pytest.mark.parametrize(
    ("update", "message"),
    [
        ({"pangkat": Pangkat.PENATA}, "goes with pangkat"),
        ({"golongan": GolonganPppk.IX, "pangkat": None}, "PNS golongan"),
        ({"asn_type": AsnType.PPPK, "golongan": GolonganPppk.IX}, "no pangkat"),
        ({"asn_type": AsnType.PPPK, "pangkat": None}, "PPPK golongan"),
        ({"supervisor_nip": "198503152010011001"}, "own supervisor"),
    ],
)
def test_snapshot_rules(employee: EmployeeSnapshot, update: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        EmployeeSnapshot(**{**employee.model_dump(), **update})


def test_a_pppk_snapshot(employee: EmployeeSnapshot) -> None:
    pppk = EmployeeSnapshot(
        **{
            **employee.model_dump(),
            "nip": "199001012022212001",
            "asn_type": AsnType.PPPK,
            "golongan": GolonganPppk.IX,
            "pangkat": None,
        }
    )
    assert isinstance(pppk.golongan, GolonganPppk)
    assert json.loads(pppk.model_dump_json())["golongan"] == "IX"


def test_the_snapshot_carries_pegawais_tmt_cpns_and_retirement_date_optionally(
    employee: EmployeeSnapshot,
) -> None:
    # A snapshot published before the fields existed still reads, with neither known.
    old = employee.model_dump(mode="json", exclude={"tmt_cpns", "retirement_date"})
    assert "tmt_cpns" not in old
    read = EmployeeSnapshot.model_validate(old)
    assert (read.tmt_cpns, read.retirement_date) == (None, None)
    dated = employee.model_copy(
        update={"tmt_cpns": date(2010, 1, 1), "retirement_date": date(2043, 4, 1)}
    )
    back = EmployeeSnapshot.model_validate_json(dated.model_dump_json())
    assert (back.tmt_cpns, back.retirement_date) == (date(2010, 1, 1), date(2043, 4, 1))
    required = payload_json_schema(EmployeeRegisteredV1.event_type)["$defs"]["EmployeeSnapshot"][
        "required"
    ]
    assert "tmt_cpns" not in required and "retirement_date" not in required


@pytest.mark.parametrize(
    ("kind", "level", "ok"),
    [
        (PositionKind.JPT, PositionLevel.PRATAMA, True),
        (PositionKind.JPT, None, False),
        (PositionKind.FUNGSIONAL, PositionLevel.TERAMPIL, True),
        (PositionKind.FUNGSIONAL, PositionLevel.MADYA, False),
        (PositionKind.PELAKSANA, None, True),
        (PositionKind.PENGAWAS, PositionLevel.AHLI_MUDA, False),
    ],
)
def test_position_level_fits_kind(
    kind: PositionKind, level: PositionLevel | None, ok: bool
) -> None:
    if ok:
        Position(name="x", kind=kind, level=level)
    else:
        with pytest.raises(ValidationError, match="level"):
            Position(name="x", kind=kind, level=level)


def test_a_promotion_goes_up_and_shows_in_the_snapshot(employee: EmployeeSnapshot) -> None:
    with pytest.raises(ValidationError, match="higher golongan"):
        EmployeePromotedV1(
            employee=employee,
            from_golongan=GolonganPns.III_C,
            to_golongan=GolonganPns.III_B,
            tmt=employee.tmt_golongan,
            kind=PromotionKind.REGULER,
        )
    with pytest.raises(ValidationError, match="snapshot"):
        EmployeePromotedV1(
            employee=employee,
            from_golongan=GolonganPns.III_B,
            to_golongan=GolonganPns.III_C,
            tmt=date(2025, 10, 1),
            kind=PromotionKind.REGULER,
        )


def test_retirement_matches_the_status(employee: EmployeeSnapshot) -> None:
    with pytest.raises(ValidationError, match="status"):
        EmployeeRetiredV1(employee=employee, reason=RetirementReason.BUP, tmt=date(2043, 4, 1))
    retired = employee.model_copy(update={"status": EmployeeStatus.PENSIUN})
    with pytest.raises(ValidationError, match="meninggal"):
        EmployeeRetiredV1(
            employee=retired, reason=RetirementReason.MENINGGAL_DUNIA, tmt=date(2030, 1, 1)
        )


@pytest.mark.parametrize(
    ("kind", "number", "start", "end", "ok"),
    [
        (PeriodKind.ANNUAL, None, date(2024, 7, 1), date(2024, 12, 31), True),
        (PeriodKind.ANNUAL, 1, date(2024, 1, 1), date(2024, 12, 31), False),
        (PeriodKind.QUARTERLY, 2, date(2024, 4, 1), date(2024, 6, 30), True),
        (PeriodKind.QUARTERLY, 5, date(2024, 4, 1), date(2024, 6, 30), False),
        (PeriodKind.QUARTERLY, None, date(2024, 4, 1), date(2024, 6, 30), False),
        (PeriodKind.MONTHLY, 12, date(2024, 12, 1), date(2024, 12, 31), True),
        (PeriodKind.ANNUAL, None, date(2024, 12, 31), date(2024, 1, 1), False),
        (PeriodKind.ANNUAL, None, date(2023, 1, 1), date(2023, 12, 31), False),
    ],
)
def test_appraisal_period(
    kind: PeriodKind, number: int | None, start: date, end: date, ok: bool
) -> None:
    def build() -> AppraisalPeriod:
        return AppraisalPeriod(kind=kind, year=2024, number=number, start=start, end=end)

    if ok:
        build()
    else:
        with pytest.raises(ValidationError):
            build()


def test_unit_location_comes_whole(unit: UnitSnapshot) -> None:
    with pytest.raises(ValidationError, match="latitude and longitude"):
        UnitSnapshot(**{**unit.model_dump(), "longitude": None})
    with pytest.raises(ValidationError, match="geofence"):
        UnitSnapshot(**{**unit.model_dump(), "longitude": None, "latitude": None})

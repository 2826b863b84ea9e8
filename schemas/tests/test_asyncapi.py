"""The AsyncAPI document: valid by the specification's own schema, complete, fresh, and
with an example of every event that the models and the document's schemas both accept."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from asn_schemas import parse_envelope, parse_payload
from asn_schemas.asyncapi import ASYNCAPI_FILE, CATALOGUE_DIR, PAGE_FILE, build_document
from asn_schemas.envelope import CONTENT_TYPE, dataschema_uri, source_for
from asn_schemas.examples import example_payloads
from asn_schemas.generate import main, stale_files
from asn_schemas.jsonschema import DEFAULT_JSON_DIR
from asn_schemas.registry import EVENT_TYPES
from asn_schemas.streams import CONSUMERS, event_key, key_spec, meaning_of, producer_of

TOOL = Path(__file__).resolve().parents[1] / "tools" / "fetch_asyncapi_spec.py"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return build_document()


@pytest.fixture(scope="module")
def asyncapi_spec() -> dict[str, Any]:
    """AsyncAPI 3.0.0's JSON Schema from the pinned `@asyncapi/specs` npm package."""
    spec = importlib.util.spec_from_file_location("fetch_asyncapi_spec", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    loaded: dict[str, Any] = json.loads(module.spec_path().read_text(encoding="utf-8"))
    return loaded


def test_the_document_is_valid_asyncapi_3(document, asyncapi_spec) -> None:
    assert asyncapi_spec["properties"]["asyncapi"]["const"] == "3.0.0"
    validator = jsonschema_rs.Draft7Validator(asyncapi_spec)
    errors = [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []


def test_the_validation_would_catch_a_broken_document(document, asyncapi_spec) -> None:
    broken = json.loads(json.dumps(document))
    broken["operations"]["pegawai.publishes"]["action"] = "publish"  # AsyncAPI 2's word
    del broken["info"]["version"]
    validator = jsonschema_rs.Draft7Validator(asyncapi_spec)
    assert not validator.is_valid(broken)


def test_the_committed_document_and_page_are_fresh() -> None:
    """Fails when a model changed without `make schemas`."""
    assert stale_files(DEFAULT_JSON_DIR) == []
    committed = json.loads((CATALOGUE_DIR / ASYNCAPI_FILE).read_text(encoding="utf-8"))
    assert committed == build_document()


def test_a_stale_document_or_page_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--dir", str(tmp_path / "json"), "--catalogue-dir", str(tmp_path / "cat")]
    assert main(args) == 0
    assert main(["--check", *args]) == 0
    (tmp_path / "cat" / ASYNCAPI_FILE).write_text("{}\n", encoding="utf-8")
    (tmp_path / "cat" / PAGE_FILE).unlink()
    capsys.readouterr()
    assert main(["--check", *args]) == 1
    err = capsys.readouterr().err
    assert f"differs: {tmp_path / 'cat' / ASYNCAPI_FILE}" in err
    assert f"missing: {tmp_path / 'cat' / PAGE_FILE}" in err


def test_every_event_type_is_a_message_on_its_producers_channel(document) -> None:
    messages = document["components"]["messages"]
    assert set(messages) == set(EVENT_TYPES)
    on_channels = {
        name: topic
        for topic, channel in document["channels"].items()
        for name in channel["messages"]
    }
    assert on_channels == {t: f"{producer_of(t)}.events" for t in EVENT_TYPES}
    for event_type, message in messages.items():
        assert message["x-producer"] == producer_of(event_type)
        assert message["summary"] == meaning_of(event_type) != ""
        assert message["contentType"] == CONTENT_TYPE
        assert message["x-key"] == key_spec(event_type).template
        assert message["bindings"]["kafka"]["key"]["type"] == "string"


def test_operations_say_who_sends_and_who_receives(document) -> None:
    operations = document["operations"]
    sent = {
        ref["$ref"].rsplit("/", 1)[-1]
        for op in operations.values()
        if op["action"] == "send"
        for ref in op["messages"]
    }
    assert sent == set(EVENT_TYPES)
    received: dict[str, set[str]] = {}
    for name, op in operations.items():
        if op["action"] == "receive":
            group = name.split(".consumes.", 1)[0]
            assert op["bindings"]["kafka"]["groupId"]["const"] == group
            received.setdefault(group, set()).update(
                ref["$ref"].rsplit("/", 1)[-1] for ref in op["messages"]
            )
    assert received == {group: set(types) for group, types in CONSUMERS.items()}
    for event_type, message in document["components"]["messages"].items():
        expected = sorted(g for g, types in CONSUMERS.items() if event_type in types)
        assert message["x-consumers"] == expected


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for item in node for r in _refs(item)]
    return []


def test_every_reference_resolves_inside_the_document(document) -> None:
    for ref in set(_refs(document)):
        assert ref.startswith("#/"), ref
        node: Any = document
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]


def _payload_validator(document: dict[str, Any], event_type: str) -> Any:
    # The message's payload schema, resolved against the whole document.
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": document["components"],
        "$ref": f"#/components/messages/{event_type}/payload",
    }
    return jsonschema_rs.Draft202012Validator(schema)


def test_each_example_is_valid_by_the_document_and_by_the_models(document) -> None:
    payloads = example_payloads()
    for event_type, message in document["components"]["messages"].items():
        (example,) = message["examples"]
        assert example["headers"] == {"content-type": CONTENT_TYPE}
        value = example["payload"]
        validator = _payload_validator(document, event_type)
        errors = [e.message for e in validator.iter_errors(value)]
        assert errors == [], event_type
        envelope = parse_envelope(json.dumps(value))
        assert envelope.type == event_type
        assert envelope.source == source_for(producer_of(event_type))
        assert envelope.dataschema == dataschema_uri(event_type)
        assert envelope.subject == event_key(payloads[event_type])
        assert parse_payload(envelope) == payloads[event_type]


def test_the_payload_schema_refuses_a_wrong_type_or_bad_data(document) -> None:
    message = document["components"]["messages"]["pegawai.employee.promoted.v1"]
    value = json.loads(json.dumps(message["examples"][0]["payload"]))
    validator = _payload_validator(document, "pegawai.employee.promoted.v1")
    assert validator.is_valid(value)
    assert not validator.is_valid({**value, "type": "pegawai.employee.retired.v1"})
    value["data"]["employee"]["nip"] = "1985"
    assert not validator.is_valid(value)


def test_the_key_of_each_example_is_its_aggregate() -> None:
    payloads = example_payloads()
    assert event_key(payloads["pegawai.employee.promoted.v1"]) == "198503152010011001"
    assert event_key(payloads["pegawai.unit.created.v1"]) == "BKPSDM"
    assert event_key(payloads["presensi.roster.published.v1"]) == "RSUD-MELATI/2025-03"
    assert event_key(payloads["aspirasi.submission.closed.v1"]) == "SWL-2026-000123"
    assert event_key(payloads["pelatihan.budget.allocated.v1"]) == "BKPSDM"


def test_every_event_type_has_a_meaning() -> None:
    missing = [t for t in EVENT_TYPES if not meaning_of(t)]
    assert missing == []

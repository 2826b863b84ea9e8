from __future__ import annotations

import json
import shutil
import subprocess
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from asn_schemas.compat import (
    check_directory,
    committed_versions,
    incompatible_changes,
    jsoncompat_verdict,
    main,
)
from asn_schemas.jsonschema import DEFAULT_JSON_DIR, expected_schemas, payload_json_schema, render
from pydantic import BaseModel

# --- the checker on hand-written schemas ------------------------------------------------

BASE: dict[str, Any] = {
    "$defs": {"Status": {"enum": ["aktif", "cltn", "pensiun"], "type": "string"}},
    "type": "object",
    "properties": {
        "nip": {"type": "string", "pattern": "^[0-9]{18}$"},
        "status": {"$ref": "#/$defs/Status"},
        "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["nip", "status"],
}


def _changed(**edits: Any) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(json.dumps(BASE))
    for path, value in edits.items():
        *parents, last = path.split("__")
        node = schema
        for part in parents:
            node = node[part]
        if value is ...:
            del node[last]
        else:
            node[last] = value
    return schema


def test_identical_schemas_are_compatible() -> None:
    assert incompatible_changes(BASE, json.loads(json.dumps(BASE))) == []


def test_adding_an_optional_field_is_compatible() -> None:
    new = _changed(properties__unit_code={"type": "string"})
    assert incompatible_changes(BASE, new) == []


def test_documentation_changes_are_compatible() -> None:
    new = _changed(title="Employee", properties__nip={**BASE["properties"]["nip"], "title": "NIP"})
    assert incompatible_changes(BASE, new) == []


def test_flags_removing_a_required_field() -> None:
    new = _changed(properties__nip=..., required=["status"])
    assert incompatible_changes(BASE, new) == ["$.nip: required property removed"]


def test_flags_removing_an_optional_field() -> None:
    assert incompatible_changes(BASE, _changed(properties__note=...)) == [
        "$.note: property removed"
    ]


def test_flags_adding_a_required_field() -> None:
    new = _changed(
        properties__unit_code={"type": "string"}, required=["nip", "status", "unit_code"]
    )
    assert incompatible_changes(BASE, new) == [
        "$.unit_code: required property added (only optional may be)"
    ]


def test_flags_making_a_field_required_or_optional() -> None:
    assert incompatible_changes(BASE, _changed(required=["nip", "status", "note"])) == [
        "$.note: became required"
    ]
    assert incompatible_changes(BASE, _changed(required=["nip"])) == [
        "$.status: no longer required"
    ]


def test_flags_changing_a_field_type() -> None:
    new = _changed(properties__nip={"type": "integer"})
    assert incompatible_changes(BASE, new) == ["$.nip: type changed from string to integer"]


def test_flags_a_field_becoming_nullable() -> None:
    new = _changed(properties__nip={"anyOf": [BASE["properties"]["nip"], {"type": "null"}]})
    assert incompatible_changes(BASE, new) == ["$.nip: type changed from string to null|string"]


def test_flags_changing_array_items() -> None:
    new = _changed(properties__tags={"type": "array", "items": {"type": "integer"}})
    assert incompatible_changes(BASE, new) == ["$.tags[]: type changed from string to integer"]


def test_flags_removing_an_enum_value() -> None:
    new = _changed(**{"$defs__Status__enum": ["aktif", "cltn"]})
    assert incompatible_changes(BASE, new) == ['$.status: enum value(s) removed: "pensiun"']


def test_flags_adding_an_enum_value() -> None:
    new = _changed(**{"$defs__Status__enum": ["aktif", "cltn", "pensiun", "meninggal"]})
    [problem] = incompatible_changes(BASE, new)
    assert problem.startswith('$.status: enum value(s) added: "meninggal"')


def test_flags_a_changed_constraint() -> None:
    new = _changed(properties__nip={"type": "string", "pattern": "^[0-9]{20}$"})
    [problem] = incompatible_changes(BASE, new)
    assert problem.startswith("$.nip: pattern changed")


def test_flags_closing_an_open_object() -> None:
    new = _changed(additionalProperties=False)
    assert incompatible_changes(BASE, new) == ["$: closed to unknown properties"]


# --- the checker on pydantic models, the way the schemas are really made -----------------


class _Status(StrEnum):
    AKTIF = "aktif"
    PENSIUN = "pensiun"


class _Unit(BaseModel):
    code: str


class _V1(BaseModel):
    nip: str
    status: _Status
    unit: _Unit
    note: str | None = None


class _AddOptional(BaseModel):
    nip: str
    status: _Status
    unit: _Unit
    note: str | None = None
    email_verified: bool | None = None


class _UnitWithName(BaseModel):
    code: str
    name: str


class _NestedRequired(BaseModel):
    nip: str
    status: _Status
    unit: _UnitWithName
    note: str | None = None


class _Status2(StrEnum):
    AKTIF = "aktif"


class _Narrowed(BaseModel):
    nip: int
    status: _Status2
    unit: _Unit


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    # Titles follow class names; the test classes' names must not count as changes.
    renamed: dict[str, Any] = json.loads(json.dumps(schema).replace(model.__name__, "Payload"))
    return renamed


def test_models_adding_an_optional_field() -> None:
    assert incompatible_changes(_schema(_V1), _schema(_AddOptional)) == []


def test_models_adding_a_required_nested_field() -> None:
    assert incompatible_changes(_schema(_V1), _schema(_NestedRequired)) == [
        "$.unit.name: required property added (only optional may be)"
    ]


def test_models_several_breaks_at_once() -> None:
    assert incompatible_changes(_schema(_V1), _schema(_Narrowed)) == [
        "$.nip: type changed from string to integer",
        "$.note: property removed",
        '$.status: enum value(s) removed: "pensiun"',
    ]


# --- jsoncompat 0.3.1 as the second opinion -----------------------------------------------


def test_jsoncompat_can_judge_every_committed_schema() -> None:
    pytest.importorskip("jsoncompat")
    for schema in expected_schemas().values():
        assert jsoncompat_verdict(schema, schema) is True


def test_jsoncompat_agrees_on_an_added_optional_field() -> None:
    pytest.importorskip("jsoncompat")
    assert jsoncompat_verdict(_schema(_V1), _schema(_AddOptional)) is True
    assert jsoncompat_verdict(_schema(_V1), _schema(_Narrowed)) is False


# --- the repository: current models against every committed version -----------------------


def test_current_models_are_compatible_with_every_committed_schema() -> None:
    """Walks `git log` of each `schemas/json/<type>.json` plus the working-tree file."""
    assert check_directory(DEFAULT_JSON_DIR) == []


def test_compat_cli_passes_on_the_repository() -> None:
    assert main(["--dir", str(DEFAULT_JSON_DIR)]) == 0


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    # No skip: the compatibility check reads committed schemas from git history.
    assert shutil.which("git") is not None, "git is needed to check schema history"
    _git(tmp_path, "init", "-q")
    (tmp_path / "json").mkdir()
    return tmp_path / "json"


def test_history_is_empty_before_the_first_commit(repo: Path) -> None:
    path = repo / "pegawai.employee.promoted.v1.json"
    path.write_text(render(payload_json_schema("pegawai.employee.promoted.v1")), encoding="utf-8")
    assert list(committed_versions(path)) == []
    assert check_directory(repo) == []


def test_an_older_commit_with_a_field_since_removed_is_refused(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event_type = "pegawai.employee.promoted.v1"
    path = repo / f"{event_type}.json"
    current = payload_json_schema(event_type)
    older = json.loads(json.dumps(current))
    older["properties"]["decree_date"] = {"format": "date", "type": "string"}
    older["required"].append("decree_date")
    path.write_text(render(older), encoding="utf-8")
    _git(repo.parent, "add", ".")
    _git(repo.parent, "commit", "-q", "-m", "v1 as first published")
    # The file is then regenerated from the changed model, as a careless change would be.
    path.write_text(render(current), encoding="utf-8")
    _git(repo.parent, "commit", "-q", "-am", "drop decree_date")

    assert [schema for _, schema in committed_versions(path)] == [current, older]
    problems = check_directory(repo)
    assert len(problems) == 1
    assert problems[0].startswith(f"{event_type} (vs commit ")
    assert problems[0].endswith("$.decree_date: required property removed")

    assert main(["--dir", str(repo)]) == 1
    assert "pegawai.employee.promoted.v1" in capsys.readouterr().err


def test_the_working_tree_file_counts_too(repo: Path) -> None:
    event_type = "kinerja.appraisal.finalized.v1"
    older = payload_json_schema(event_type)
    older["$defs"]["Predikat"]["enum"].append("istimewa")
    (repo / f"{event_type}.json").write_text(render(older), encoding="utf-8")
    [problem] = check_directory(repo)
    assert problem.startswith(f"{event_type} (vs working tree): $.predikat: enum value(s) removed")

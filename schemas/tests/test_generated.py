from __future__ import annotations

import json
from pathlib import Path

import pytest
from asn_schemas.generate import main, stale_files
from asn_schemas.jsonschema import DEFAULT_JSON_DIR, expected_schemas, render
from asn_schemas.registry import EVENT_TYPES


def test_committed_schemas_equal_the_models() -> None:
    """Fails when a model changed without `uv run python -m asn_schemas.generate`."""
    assert stale_files(DEFAULT_JSON_DIR) == []


def test_one_file_per_type_plus_the_envelope() -> None:
    names = {path.name for path in DEFAULT_JSON_DIR.glob("*.json")}
    assert names == {f"{t}.json" for t in EVENT_TYPES} | {"envelope.json"}


def test_each_schema_names_its_uri() -> None:
    for name, schema in expected_schemas().items():
        assert schema["$id"] == f"https://schemas.sawahlunto.go.id/events/{name}"
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_rendering_is_stable() -> None:
    text = render({"b": 1, "a": {"d": [], "c": "é"}})
    assert text == '{\n  "a": {\n    "c": "é",\n    "d": []\n  },\n  "b": 1\n}\n'


def test_check_lists_missing_differing_and_orphaned_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The catalogue goes to a folder of its own, so the test never rewrites the package's.
    out = ["--catalogue-dir", str(tmp_path / "catalogue")]
    assert main(["--dir", str(tmp_path), *out]) == 0
    assert main(["--check", "--dir", str(tmp_path), *out]) == 0

    (tmp_path / "envelope.json").unlink()
    promoted = tmp_path / "pegawai.employee.promoted.v1.json"
    promoted.write_text(json.dumps({"stale": True}), encoding="utf-8")
    (tmp_path / "pegawai.employee.vanished.v1.json").write_text("{}\n", encoding="utf-8")
    capsys.readouterr()

    assert main(["--check", "--dir", str(tmp_path), *out]) == 1
    err = capsys.readouterr().err
    assert "missing:" in err and "envelope.json" in err
    assert "differs:" in err and "pegawai.employee.promoted.v1.json" in err
    assert "orphaned:" in err and "pegawai.employee.vanished.v1.json" in err

    assert main(["--dir", str(tmp_path), *out]) == 0
    assert stale_files(tmp_path, tmp_path / "catalogue") == []

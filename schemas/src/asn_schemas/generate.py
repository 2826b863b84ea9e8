"""Write the JSON Schemas to `schemas/json/` and the AsyncAPI document and catalogue page
to the package's `catalogue/`, or check that they are up to date.

python -m asn_schemas.generate [--check] [--dir PATH] [--catalogue-dir PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from asn_schemas.asyncapi import CATALOGUE_DIR, catalogue_files
from asn_schemas.jsonschema import DEFAULT_JSON_DIR, expected_schemas, render


def _expected(json_dir: Path, catalogue_dir: Path) -> dict[Path, str]:
    files = {json_dir / name: render(schema) for name, schema in expected_schemas().items()}
    files.update({catalogue_dir / name: text for name, text in catalogue_files().items()})
    return files


def _orphans(json_dir: Path, expected: dict[Path, str]) -> list[Path]:
    # Only schemas/json is ours alone; the catalogue folder holds exactly its two files.
    return [path for path in sorted(json_dir.glob("*.json")) if path not in expected]


def stale_files(json_dir: Path, catalogue_dir: Path = CATALOGUE_DIR) -> list[str]:
    """Problems, one a line: files that differ from the models, are missing, or orphaned."""
    expected = _expected(json_dir, catalogue_dir)
    problems = []
    for path, text in expected.items():
        if not path.exists():
            problems.append(f"missing: {path}")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"differs: {path}")
    for path in _orphans(json_dir, expected):
        problems.append(f"orphaned: {path} (no model has this type)")
    return problems


def write_all(json_dir: Path, catalogue_dir: Path = CATALOGUE_DIR) -> list[Path]:
    """Write every file, remove orphaned schemas; returns the files that changed."""
    expected = _expected(json_dir, catalogue_dir)
    changed = []
    for path, text in expected.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    for path in _orphans(json_dir, expected):
        path.unlink()
        changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m asn_schemas.generate", description=__doc__)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    parser.add_argument("--dir", type=Path, default=DEFAULT_JSON_DIR, help="schema folder")
    parser.add_argument(
        "--catalogue-dir", type=Path, default=CATALOGUE_DIR, help="AsyncAPI and page folder"
    )
    args = parser.parse_args(argv)
    json_dir: Path = args.dir
    catalogue_dir: Path = args.catalogue_dir
    if args.check:
        problems = stale_files(json_dir, catalogue_dir)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run: make schemas", file=sys.stderr)
            return 1
        return 0
    for path in write_all(json_dir, catalogue_dir):
        print(f"wrote {path}" if path.exists() else f"removed {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

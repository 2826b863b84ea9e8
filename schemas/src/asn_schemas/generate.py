"""Write the JSON Schemas to `schemas/json/`, or check that they are up to date.

python -m asn_schemas.generate [--check] [--dir PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from asn_schemas.jsonschema import DEFAULT_JSON_DIR, expected_schemas, render


def stale_files(json_dir: Path) -> list[str]:
    """Problems, one a line: files that differ from the models, are missing, or orphaned."""
    expected = {name: render(schema) for name, schema in expected_schemas().items()}
    problems = []
    for name, text in expected.items():
        path = json_dir / name
        if not path.exists():
            problems.append(f"missing: {path}")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"differs: {path}")
    for path in sorted(json_dir.glob("*.json")):
        if path.name not in expected:
            problems.append(f"orphaned: {path} (no model has this type)")
    return problems


def write_all(json_dir: Path) -> list[Path]:
    """Write every schema, remove orphans; returns the files that changed."""
    json_dir.mkdir(parents=True, exist_ok=True)
    expected = {name: render(schema) for name, schema in expected_schemas().items()}
    changed = []
    for name, text in expected.items():
        path = json_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    for path in sorted(json_dir.glob("*.json")):
        if path.name not in expected:
            path.unlink()
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m asn_schemas.generate", description=__doc__)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    parser.add_argument("--dir", type=Path, default=DEFAULT_JSON_DIR, help="schema folder")
    args = parser.parse_args(argv)
    json_dir: Path = args.dir
    if args.check:
        problems = stale_files(json_dir)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run: uv run python -m asn_schemas.generate", file=sys.stderr)
            return 1
        return 0
    for path in write_all(json_dir):
        print(f"wrote {path}" if path.exists() else f"removed {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Refuse an incompatible change to an event type's schema within its version.

    python -m asn_schemas.compat [--dir PATH]

Each model's current schema is compared with every version of its file that git has
ever committed, and with the file in the working tree. A breaking change needs a new
event type version (`...v2`), published beside the old one.

jsoncompat 0.3.1 offers `check_compat(old_json, new_json, role) -> bool` only: no
reasons, and with role "deserializer" or "both" it rejects even an added optional
property, because our schemas are open (an old schema accepted *any* value under a
name that was not declared yet). So the rule is enforced by `schemadiff`, which says
what changed; jsoncompat's "serializer" role (every value the new schema accepts, the
old one accepts too) is a second opinion that catches constructs the diff does not
model. It is a dev dependency: without it, only the diff runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from asn_schemas.jsonschema import DEFAULT_JSON_DIR, expected_schemas
from asn_schemas.schemadiff import structural_changes


def _for_jsoncompat(schema: dict[str, Any]) -> str:
    # 0.3.1 resolves "#/$defs/..." against `$id` and then refuses the absolute URI.
    return json.dumps({k: v for k, v in schema.items() if k != "$id"})


def jsoncompat_verdict(old_schema: dict[str, Any], new_schema: dict[str, Any]) -> bool | None:
    """jsoncompat's "serializer" verdict; None when it is not installed or cannot judge."""
    try:
        import jsoncompat
    except ImportError:
        return None
    try:
        return jsoncompat.check_compat(
            _for_jsoncompat(old_schema), _for_jsoncompat(new_schema), jsoncompat.Role.SERIALIZER
        )
    except ValueError:
        # It refuses features it does not support; the structural diff has still run.
        return None


def incompatible_changes(old_schema: dict[str, Any], new_schema: dict[str, Any]) -> list[str]:
    """What makes `new_schema` an incompatible successor of `old_schema`; empty if none."""
    problems = structural_changes(old_schema, new_schema)
    if not problems and jsoncompat_verdict(old_schema, new_schema) is False:
        problems.append("$: jsoncompat finds values the new schema accepts but the old one rejects")
    return problems


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )


def committed_versions(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(commit, schema) for every commit that touched `path`, newest first.

    Nothing when git is missing, the folder is not in a repository, or the file was never
    committed. Commits that deleted the file are skipped.
    """
    try:
        top = _git(path.parent, "rev-parse", "--show-toplevel")
    except FileNotFoundError:
        return
    if top.returncode != 0:
        return
    repo = Path(top.stdout.strip())
    relative = path.resolve().relative_to(repo.resolve()).as_posix()
    log = _git(repo, "log", "--format=%H", "--", relative)
    for sha in log.stdout.split():
        shown = _git(repo, "show", f"{sha}:{relative}")
        if shown.returncode == 0:
            yield sha[:12], json.loads(shown.stdout)


def check_directory(json_dir: Path) -> list[str]:
    """Problems across every registered schema, each line naming the file and the source."""
    problems: list[str] = []
    for name, current in expected_schemas().items():
        path = json_dir / name
        earlier: dict[str, tuple[str, dict[str, Any]]] = {}
        for sha, schema in committed_versions(path):
            earlier.setdefault(json.dumps(schema, sort_keys=True), (f"commit {sha}", schema))
        if path.exists():
            schema = json.loads(path.read_text(encoding="utf-8"))
            earlier.setdefault(json.dumps(schema, sort_keys=True), ("working tree", schema))
        for source, schema in earlier.values():
            problems.extend(
                f"{name.removesuffix('.json')} (vs {source}): {problem}"
                for problem in incompatible_changes(schema, current)
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m asn_schemas.compat", description=__doc__)
    parser.add_argument("--dir", type=Path, default=DEFAULT_JSON_DIR, help="schema folder")
    args = parser.parse_args(argv)
    problems = check_directory(args.dir)
    if not problems:
        return 0
    print("Incompatible event schema changes (publish a new version instead):", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())

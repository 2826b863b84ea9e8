"""DESIGN.md, "Code layout": one name per role. No two modules of one service share a
name (routes are `api/<x>_routes.py`, pure rules `domain/<x>_rules.py` where a command
module is called `<x>.py`), so a name in a traceback or an import says which one it is."""

from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = sorted(p for p in (ROOT / "services").glob("*/src/*") if (p / "__init__.py").exists())


def test_every_service_package_is_checked() -> None:
    assert {p.name for p in PACKAGES} >= {"pegawai", "kinerja", "presensi", "pelatihan", "aspirasi"}


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_no_two_modules_of_a_service_share_a_name(package: Path) -> None:
    names = Counter(
        path.name
        for path in package.rglob("*.py")
        if "migrations" not in path.parts and not path.name.startswith("__")
    )
    assert [name for name, n in names.items() if n > 1] == []

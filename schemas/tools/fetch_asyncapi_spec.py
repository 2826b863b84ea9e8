"""Fetch the AsyncAPI 3.0.0 specification's own JSON Schema, pinned, and print its path.

    uv run python schemas/tools/fetch_asyncapi_spec.py

The schema comes from the npm package `@asyncapi/specs` (the one the AsyncAPI parser and
CLI validate with), at a pinned version whose tarball is checked against its registry
integrity before use. We take `schemas/3.0.0-without-$id.json`: the same schema with
every reference local, so a validator needs nothing from the network. It is cached
outside the work tree, beside the Kafka jars (`ASN_CACHE_DIR`, else
`$XDG_CACHE_HOME/sawahlunto-asn`, else `~/.cache/sawahlunto-asn`); npm needs to reach the
registry once.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@asyncapi/specs"
VERSION = "6.11.1"
# `npm view @asyncapi/specs@6.11.1 dist.integrity`
INTEGRITY = (
    "sha512-A3WBLqAKGoJ2+6FWFtpjBlCQ1oFCcs4GxF7zsIGvNqp/"
    "klGUHjlA3aAcZ9XMMpLGE8zPeYDz2x9FmO6DSuKraQ=="
)
MEMBER = "package/schemas/3.0.0-without-$id.json"


def cache_dir() -> Path:
    explicit = os.environ.get("ASN_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "sawahlunto-asn"


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def spec_path() -> Path:
    """The cached schema file, fetched first if missing."""
    target = cache_dir() / f"asyncapi-specs-{VERSION}" / "3.0.0-without-id.json"
    if target.is_file():
        return target
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", tmp, "--silent"],
            check=True,
            capture_output=True,
        )
        (tarball,) = Path(tmp).glob("*.tgz")
        data = tarball.read_bytes()
        if _integrity(data) != INTEGRITY:
            raise RuntimeError(f"{tarball.name} does not match the pinned integrity")
        with tarfile.open(tarball) as archive:
            member = archive.extractfile(MEMBER)
            if member is None:
                raise RuntimeError(f"{MEMBER} missing from {tarball.name}")
            content = member.read()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{os.getpid()}.part")
    partial.write_bytes(content)
    partial.replace(target)  # atomic: a parallel run never reads half a file
    return target


if __name__ == "__main__":
    print(spec_path())
    sys.exit(0)

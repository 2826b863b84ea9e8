"""Java, Maven, and Kafka's jars resolved from Maven Central into a cache outside git."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

from devstack.config import KAFKA_DIR
from devstack.processes import StackError, file_lock

log = logging.getLogger("devstack")

MISSING_JAVA = "Java 17 not found: install openjdk-17-jre-headless"
MISSING_MAVEN = "Maven not found: install maven"

POM = KAFKA_DIR / "pom.xml"


@cache
def _java_major(java: str) -> int | None:
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not match:
        return None
    major = int(match.group(1))
    # Java 8 and older call themselves "1.8".
    return int(match.group(2) or 0) if major == 1 else major


def find_java(path: str | None = None) -> str:
    """The `java` to run Kafka with: $JAVA_HOME's, else the one on PATH; 17 or newer."""
    candidates: list[str] = []
    java_home = os.environ.get("JAVA_HOME") if path is None else None
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        candidates.append(str(Path(java_home) / "bin" / "java"))
    on_path = shutil.which("java", path=path)
    if on_path:
        candidates.append(on_path)
    found: list[str] = []
    for java in candidates:
        major = _java_major(java)
        if major is not None and major >= 17:
            return java
        found.append(f"Java {major} at {java}" if major else java)
    detail = f" (found {', '.join(found)})" if found else ""
    raise StackError(MISSING_JAVA + detail)


def find_maven(path: str | None = None) -> str:
    mvn = shutil.which("mvn", path=path)
    if not mvn:
        raise StackError(MISSING_MAVEN)
    return mvn


def kafka_version(pom: Path = POM) -> str:
    try:
        root = ET.parse(pom).getroot()  # noqa: S314 -- the repo's own pom
    except (OSError, ET.ParseError) as exc:
        raise StackError(f"cannot read {pom}: {exc}") from None
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == "kafka.version" and element.text:
            return element.text.strip()
    raise StackError(f"{pom} has no <kafka.version> property")


def libs_dir(cache_dir: Path, pom: Path = POM) -> Path:
    return cache_dir / f"kafka-{kafka_version(pom)}" / "libs"


def fetch_jars(cache_dir: Path, pom: Path = POM, *, path: str | None = None) -> Path:
    """Resolve the pom's jars into the cache once; again only when the pom changes."""
    libs = libs_dir(cache_dir, pom)
    home = libs.parent
    marker = home / "fetched.sha256"
    digest = hashlib.sha256(pom.read_bytes()).hexdigest()

    def fresh() -> bool:
        return libs.is_dir() and marker.is_file() and marker.read_text().strip() == digest

    if fresh():
        return libs
    find_java(path)  # Maven needs it too; say "Java" rather than a Maven stack trace
    mvn = find_maven(path)
    with file_lock(home / ".lock"):
        if fresh():
            return libs
        partial = home / "libs.partial"
        shutil.rmtree(partial, ignore_errors=True)
        started = time.monotonic()
        result = subprocess.run(
            [
                mvn,
                "-q",
                "-B",
                "-f",
                str(pom),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={partial}",
                "-DincludeScope=runtime",
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            (home / "fetch.log").write_text(result.stdout + result.stderr)
            lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
            last = lines[-1] if lines else f"exit code {result.returncode}"
            raise StackError(f"Maven could not fetch Kafka's jars ({home / 'fetch.log'}): {last}")
        shutil.rmtree(libs, ignore_errors=True)
        partial.rename(libs)
        marker.write_text(digest + "\n")
        log.info("fetched Kafka jars into %s in %.1f s", libs, time.monotonic() - started)
    return libs

"""What a machine without Java, Maven or PostgreSQL 15 is told."""

import os
import stat
from pathlib import Path

import pytest
from devstack import StackConfig, StackError, cli, postgres
from devstack.jars import MISSING_JAVA, MISSING_MAVEN, find_java, find_maven
from devstack.postgres import MISSING_POSTGRES, find_pg_bindir


@pytest.fixture
def empty_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(folder))
    return str(folder)


def _script(folder: str, name: str, body: str) -> None:
    path = Path(folder) / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def test_missing_java(empty_path: str):
    with pytest.raises(StackError) as caught:
        find_java(empty_path)
    assert str(caught.value) == MISSING_JAVA
    assert MISSING_JAVA == "Java 17 not found: install openjdk-17-jre-headless"


def test_too_old_java_counts_as_missing(empty_path: str):
    _script(empty_path, "java", "echo 'openjdk version \"11.0.2\" 2019-01-15' >&2")
    with pytest.raises(StackError, match=r"^Java 17 not found: .*\(found Java 11 at "):
        find_java(empty_path)


def test_missing_maven(empty_path: str):
    with pytest.raises(StackError) as caught:
        find_maven(empty_path)
    assert str(caught.value) == MISSING_MAVEN == "Maven not found: install maven"


def test_missing_postgres(empty_path: str, tmp_path: Path):
    with pytest.raises(StackError) as caught:
        find_pg_bindir(empty_path, candidates=[tmp_path / "nowhere"])
    assert str(caught.value) == MISSING_POSTGRES
    assert "apt-get install postgresql-15" in MISSING_POSTGRES


def test_postgres_of_another_major_is_not_taken(empty_path: str, tmp_path: Path):
    fake = tmp_path / "pg16"
    fake.mkdir()
    for tool in ("initdb", "pg_ctl", "psql", "pg_isready"):
        _script(str(fake), tool, "exit 0")
    _script(str(fake), "postgres", "echo 'postgres (PostgreSQL) 16.4'")
    with pytest.raises(StackError, match="PostgreSQL 15 server binaries not found"):
        find_pg_bindir(empty_path, candidates=[fake])


def test_cli_prints_one_line_and_exits_1(
    empty_path: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    monkeypatch.setenv("ASN_CACHE_DIR", str(tmp_path / "cache"))
    assert cli.main(["fetch"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"devstack: {MISSING_JAVA}\n"


def test_cli_start_without_postgres(
    empty_path: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    monkeypatch.setattr(postgres, "PG_BINDIRS", ())
    cfg = StackConfig.for_tests(tmp_path / "state")
    monkeypatch.setenv("ASN_STACK_DIR", str(cfg.state_dir))
    monkeypatch.setenv("ASN_KAFKA_PORT", str(cfg.kafka_port))
    monkeypatch.setenv("ASN_KAFKA_CONTROLLER_PORT", str(cfg.controller_port))
    monkeypatch.setenv("ASN_PG_PORT", str(cfg.pg_port))
    assert cli.main(["start"]) == 1
    assert capsys.readouterr().err == f"devstack: {MISSING_POSTGRES}\n"


def test_docker_missing_means_local_stack(
    empty_path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from devstack import Stack, docker_available, make_stack

    monkeypatch.delenv("ASN_TEST_BACKEND", raising=False)
    assert docker_available() is False
    assert isinstance(make_stack(tmp_path), Stack)
    monkeypatch.setenv("ASN_TEST_BACKEND", "local")
    assert isinstance(make_stack(tmp_path), Stack)
    monkeypatch.setenv("ASN_TEST_BACKEND", "podman")
    with pytest.raises(StackError, match="ASN_TEST_BACKEND"):
        make_stack(tmp_path)
    assert os.environ["PATH"] == empty_path

"""A department's settings: an external broker and server, and a subset of the services."""

from pathlib import Path

import pytest
from devstack import cli
from devstack.config import StackConfig
from devstack.processes import StackError
from devstack.services import ServiceSpec, load_services, select, service_env
from devstack.stack import Stack

CITY_KAFKA = "kafka-1.sawahlunto.go.id:9093,kafka-2.sawahlunto.go.id:9093"
DEPT_PG = "postgresql://presensi:rahasia@db.dinkes.local:5432"


def _external(monkeypatch: pytest.MonkeyPatch, state: Path) -> StackConfig:
    monkeypatch.setenv("ASN_STACK_DIR", str(state))
    monkeypatch.setenv("ASN_KAFKA_BOOTSTRAP", CITY_KAFKA)
    monkeypatch.setenv("ASN_POSTGRES_URL", DEPT_PG)
    return StackConfig.from_env()


def test_services_connect_to_the_external_broker_and_server(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    config = _external(monkeypatch, tmp_path)
    spec = ServiceSpec("presensi", "presensi", 8004, "presensi_dinkes")

    env = service_env(spec, config, tmp_path / "public.pem", {})

    assert env["ASN_KAFKA_BOOTSTRAP"] == CITY_KAFKA
    assert env["ASN_DATABASE_URL"] == (
        "postgresql+asyncpg://presensi:rahasia@db.dinkes.local:5432/presensi_dinkes"
    )


def test_without_external_settings_the_local_stack_is_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.delenv("ASN_KAFKA_BOOTSTRAP", raising=False)
    monkeypatch.delenv("ASN_POSTGRES_URL", raising=False)
    monkeypatch.setenv("ASN_PG_PORT", "25432")
    config = StackConfig.from_env()

    env = service_env(ServiceSpec("pegawai", "pegawai", 8001, "pegawai"), config, tmp_path, {})

    assert env["ASN_KAFKA_BOOTSTRAP"] == "127.0.0.1:19092"
    assert env["ASN_DATABASE_URL"] == "postgresql+asyncpg://postgres@127.0.0.1:25432/pegawai"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://u@host:5432/presensi", "give the server only"),
        ("mysql://u@host:3306", "expected postgresql://"),
        ("host:5432", "expected postgresql://"),
    ],
)
def test_a_postgres_url_that_is_not_a_server_is_refused(
    monkeypatch: pytest.MonkeyPatch, url: str, message: str
):
    monkeypatch.setenv("ASN_POSTGRES_URL", url)
    with pytest.raises(StackError, match=message):
        StackConfig.from_env()


def test_the_stack_neither_starts_nor_stops_external_parts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    state = tmp_path / "state"
    _external(monkeypatch, state)

    assert cli.main(["start"]) == 0
    Stack(StackConfig.from_env()).stop()

    out = capsys.readouterr().out
    assert "kafka      external" in out
    assert "postgres   external               postgresql://presensi:***@db.dinkes.local:5432" in out
    assert "rahasia" not in out
    assert f"bootstrap  {CITY_KAFKA}" in out
    assert sorted(p.name for p in state.iterdir()) == []  # no broker, no cluster made


def test_only_selects_services_in_their_order_and_names_the_unknown():
    specs = load_services()
    assert [s.name for s in select(specs, {"presensi", "gateway"})] == ["gateway", "presensi"]
    with pytest.raises(StackError, match=r"no service named absensi; the services: gateway, "):
        select(specs, {"absensi"})


def test_a_database_name_can_be_set_per_service(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ASN_PRESENSI_DATABASE", "presensi_dinkes")
    by_name = {s.name: s for s in load_services()}
    assert by_name["presensi"].database == "presensi_dinkes"
    assert by_name["pegawai"].database == "pegawai"

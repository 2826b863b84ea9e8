"""Configuration and rendering, no processes started."""

from pathlib import Path

import pytest
from devstack import StackConfig, StackError, free_port
from devstack.config import REPO_ROOT, configs_for_topic, load_topic_configs, load_topics
from devstack.jars import kafka_version
from devstack.kafka import check_topic_names, render_server_properties
from devstack.postgres import create_databases_sql, render_postgres_conf

SERVICES = ("pegawai", "kinerja", "pelatihan", "presensi", "aspirasi")


def test_default_topics_come_from_topics_toml():
    topics = load_topics()
    assert set(topics) == {f"{s}.events" for s in SERVICES}
    assert all(p >= 1 for p in topics.values())


def test_event_topics_are_kept_for_ever_and_dead_letters_a_year():
    configs = load_topic_configs()
    for name in load_topics():
        assert configs_for_topic(name, configs) == {"retention.ms": "-1", "retention.bytes": "-1"}
    assert configs_for_topic("presensi-consumer.dlq", configs) == {
        "retention.ms": str(365 * 24 * 3600 * 1000),
        "retention.bytes": "-1",
    }
    assert configs_for_topic("anchor.latency", configs) == {}


def test_topics_toml_and_servicekit_state_the_same_retention():
    """Services create dead-letter (and test) topics themselves, with servicekit's values."""
    from servicekit.kafka import topic_config

    configs = load_topic_configs()
    for name in ("pegawai.events", "pegawai.e2e1a2b.events", "gateway.dlq", "bench.other"):
        assert configs_for_topic(name, configs) == topic_config(name), name


def test_topics_file_errors_are_one_line(tmp_path: Path):
    bad = tmp_path / "topics.toml"
    bad.write_text('[topics."x"]\npartitions = 0\n')
    with pytest.raises(StackError, match="positive integer"):
        load_topics(bad)
    with pytest.raises(StackError, match="not found"):
        load_topics(tmp_path / "missing.toml")
    bad.write_text('[configs."*.events"]\n"retention.ms" = true\n')
    with pytest.raises(StackError, match="must be a number or a string"):
        load_topic_configs(bad)


def test_defaults_avoid_the_common_ports(monkeypatch: pytest.MonkeyPatch):
    for name in ("ASN_STACK_DIR", "ASN_KAFKA_PORT", "ASN_KAFKA_CONTROLLER_PORT", "ASN_PG_PORT"):
        monkeypatch.delenv(name, raising=False)
    cfg = StackConfig.from_env()
    assert cfg.state_dir == REPO_ROOT / ".stack"
    assert (cfg.kafka_port, cfg.controller_port, cfg.pg_port) == (19092, 19093, 15432)
    assert cfg.databases == (*SERVICES, "gateway")
    assert StackConfig.default() == cfg


def test_from_env_reads_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("ASN_STACK_DIR", str(tmp_path / "s"))
    monkeypatch.setenv("ASN_KAFKA_PORT", "29092")
    monkeypatch.setenv("ASN_KAFKA_CONTROLLER_PORT", "29093")
    monkeypatch.setenv("ASN_PG_PORT", "25432")
    monkeypatch.setenv("ASN_CACHE_DIR", str(tmp_path / "cache"))
    cfg = StackConfig.from_env()
    assert cfg.state_dir == tmp_path / "s"
    assert (cfg.kafka_port, cfg.controller_port, cfg.pg_port) == (29092, 29093, 25432)
    assert cfg.cache_dir == tmp_path / "cache"


def test_bad_port_in_env_is_reported(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ASN_PG_PORT", "five")
    with pytest.raises(StackError, match="ASN_PG_PORT"):
        StackConfig.from_env()


def test_for_tests_picks_distinct_free_ports(tmp_path: Path):
    cfg = StackConfig.for_tests(tmp_path)
    ports = {cfg.kafka_port, cfg.controller_port, cfg.pg_port}
    assert len(ports) == 3
    assert 19092 not in ports
    assert free_port(exclude=ports) not in ports


def test_same_port_twice_is_refused(tmp_path: Path):
    with pytest.raises(StackError, match="must differ"):
        StackConfig(state_dir=tmp_path, kafka_port=1234, controller_port=1234)


def test_server_properties_rendering(tmp_path: Path):
    cfg = StackConfig(state_dir=tmp_path, kafka_port=31092, controller_port=31093, pg_port=31432)
    text = render_server_properties(cfg, tmp_path / "kafka" / "data")
    props = dict(
        line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#")
    )
    assert props["process.roles"] == "broker,controller"
    assert props["node.id"] == "1"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:31093"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:31092,CONTROLLER://127.0.0.1:31093"
    assert props["advertised.listeners"] == "PLAINTEXT://127.0.0.1:31092"
    assert props["log.dirs"] == str(tmp_path / "kafka" / "data")
    assert props["auto.create.topics.enable"] == "false"
    assert props["group.initial.rebalance.delay.ms"] == "0"
    for key in (
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
        "transaction.state.log.min.isr",
        "min.insync.replicas",
    ):
        assert props[key] == "1", key
    assert int(props["offsets.topic.num.partitions"]) <= 8
    assert "controller.quorum.bootstrap.servers" not in props


def test_pom_pins_a_kafka_4_release():
    assert kafka_version().split(".")[0] == "4"


def test_a_proxied_listener_advertises_the_proxy_and_the_services_connect_there(tmp_path: Path):
    cfg = StackConfig(
        state_dir=tmp_path,
        kafka_port=31092,
        controller_port=31093,
        pg_port=31432,
        kafka_proxied_port=31094,
        kafka_proxy_port=31095,
    )
    text = render_server_properties(cfg, tmp_path / "kafka" / "data")
    props = dict(
        line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#")
    )
    assert props["listeners"] == (
        "PLAINTEXT://127.0.0.1:31092,CONTROLLER://127.0.0.1:31093,PROXIED://127.0.0.1:31094"
    )
    # Clients reconnect to the advertised address: the proxy's, so none goes around it.
    assert props["advertised.listeners"] == "PLAINTEXT://127.0.0.1:31092,PROXIED://127.0.0.1:31095"
    assert "PROXIED:PLAINTEXT" in props["listener.security.protocol.map"]
    assert props["inter.broker.listener.name"] == "PLAINTEXT"
    assert cfg.kafka_bootstrap == "127.0.0.1:31095", "the services are given the proxy"
    assert 31094 in cfg.kafka_listen_ports
    with pytest.raises(StackError, match="go together"):
        StackConfig(state_dir=tmp_path, kafka_proxied_port=31094)
    with pytest.raises(StackError, match="must differ"):
        StackConfig(state_dir=tmp_path, kafka_proxied_port=31094, kafka_proxy_port=31094)


def test_postgres_conf_rendering(tmp_path: Path):
    text = render_postgres_conf(31432, tmp_path / "run")
    assert "port = 31432" in text
    assert "listen_addresses = '127.0.0.1'" in text
    assert f"unix_socket_directories = '{tmp_path / 'run'}'" in text
    assert "max_connections = 200" in text
    assert "shared_buffers = 128MB" in text
    assert "fsync = on" in text
    assert "unix_socket_directories = ''" in render_postgres_conf(31432, None)


def test_database_script_creates_only_missing_ones():
    sql = create_databases_sql(["pegawai", "test_db-1"])
    assert "ARRAY['pegawai', 'test_db-1']" in sql
    assert "NOT EXISTS" in sql
    assert sql.rstrip().endswith("\\gexec")
    with pytest.raises(StackError, match="invalid database name"):
        create_databases_sql(["x'; DROP DATABASE postgres; --"])


def test_topic_names_are_checked():
    check_topic_names(["pegawai.events", "presensi-consumer.dlq", "a_b"])
    for bad in ("", "has space", "..", "ümlaut", "x" * 250):
        with pytest.raises(StackError, match="invalid Kafka topic name"):
            check_topic_names([bad])

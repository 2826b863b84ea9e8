"""The same small surface on Docker containers, for machines that have a Docker engine.

Not exercised where this was written (no engine there): keep it small. testcontainers is
imported only when a container stack is made (`devstack[containers]`).

testcontainers' `KafkaContainer` drives Confluent's start scripts (/etc/confluent/docker/...),
which the apache/kafka image lacks, so Kafka runs as a generic container configured through
the image's KAFKA_* variables. Its host port is fixed at creation, so stop()/start() keeps
the bootstrap address that clients were given.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devstack import kafkawire
from devstack.config import (
    DEFAULT_DATABASES,
    StackConfig,
    TopicConfigs,
    configs_for_topic,
    free_port,
    load_topic_configs,
    load_topics,
)
from devstack.kafka import apply_topic_configs
from devstack.postgres import check_database_names
from devstack.processes import StackError
from devstack.stack import Stack

if TYPE_CHECKING:
    from testcontainers.core.container import DockerContainer
    from testcontainers.postgres import PostgresContainer

KAFKA_IMAGE = "apache/kafka:4.1.0"
POSTGRES_IMAGE = "postgres:15"


def docker_available(timeout: float = 5.0) -> bool:
    """True when a Docker engine answers `docker info` in time (a client alone is not enough)."""
    docker = shutil.which("docker")
    if docker is None:
        return False
    try:
        result = subprocess.run([docker, "info"], capture_output=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def make_stack(state_dir: Path) -> Stack | ContainerStack:
    """Containers when ASN_TEST_BACKEND=containers, or when unset and Docker answers."""
    backend = os.environ.get("ASN_TEST_BACKEND", "").strip().lower()
    if backend not in ("", "local", "containers"):
        raise StackError(f"ASN_TEST_BACKEND={backend!r}: use 'local' or 'containers'")
    if backend == "containers" or (backend == "" and docker_available()):
        return ContainerStack()
    return Stack(StackConfig.for_tests(state_dir))


class ContainerKafka:
    def __init__(self, image: str) -> None:
        from testcontainers.core.container import DockerContainer

        self.port = free_port()
        self.container: DockerContainer = DockerContainer(image).with_bind_ports(9092, self.port)
        settings = {
            "NODE_ID": "1",
            "PROCESS_ROLES": "broker,controller",
            "LISTENERS": "PLAINTEXT://:9092,CONTROLLER://:9093",
            "ADVERTISED_LISTENERS": f"PLAINTEXT://127.0.0.1:{self.port}",
            "CONTROLLER_LISTENER_NAMES": "CONTROLLER",
            "LISTENER_SECURITY_PROTOCOL_MAP": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "CONTROLLER_QUORUM_VOTERS": "1@localhost:9093",
            "OFFSETS_TOPIC_REPLICATION_FACTOR": "1",
            "OFFSETS_TOPIC_NUM_PARTITIONS": "4",
            "TRANSACTION_STATE_LOG_REPLICATION_FACTOR": "1",
            "TRANSACTION_STATE_LOG_MIN_ISR": "1",
            "SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR": "1",
            "SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR": "1",
            "GROUP_INITIAL_REBALANCE_DELAY_MS": "0",
            "AUTO_CREATE_TOPICS_ENABLE": "false",
            # As kafka/server.properties.template: a retention test waits on the check.
            "LOG_RETENTION_CHECK_INTERVAL_MS": "5000",
            # As the template: committed offsets outlive a year-long absence of a group.
            "OFFSETS_RETENTION_MINUTES": "525600",
        }
        for key, value in settings.items():
            self.container.with_env(f"KAFKA_{key}", value)
        self.started = False

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 120.0) -> None:
        if not self.started:
            self.container.start()
            self.started = True
        else:
            self.container.get_wrapped_container().start()
        deadline = time.monotonic() + timeout
        while True:
            try:
                if kafkawire.metadata(("127.0.0.1", self.port), []).broker_ids:
                    return
            except kafkawire.KafkaWireError:
                pass
            if time.monotonic() > deadline:
                raise StackError(f"the Kafka container did not answer within {timeout:.0f} s")
            time.sleep(0.5)

    def stop(self) -> None:
        if self.started:
            self.container.get_wrapped_container().stop(timeout=30)

    def remove(self) -> None:
        if self.started:
            self.container.stop()
            self.started = False

    def create_topics(
        self,
        topics: Mapping[str, int],
        *,
        configs: Mapping[str, Mapping[str, str]] | None = None,
        kinds: TopicConfigs | None = None,
    ) -> None:
        """As `Kafka.create_topics`: the configs of each topic's kind, `configs[name]` over them."""
        kinds = load_topic_configs() if kinds is None else kinds
        wanted = {
            name: {**configs_for_topic(name, kinds), **(configs or {}).get(name, {})}
            for name in topics
        }
        address = ("127.0.0.1", self.port)
        results = kafkawire.create_topics(address, topics, configs=wanted)
        for name, (code, message) in results.items():
            if code not in (kafkawire.NONE, kafkawire.TOPIC_ALREADY_EXISTS):
                raise StackError(f"creating topic {name}: error {code}: {message}")
        apply_topic_configs(address, wanted)


class ContainerPostgres:
    def __init__(self, image: str) -> None:
        from testcontainers.postgres import PostgresContainer

        self.container: PostgresContainer = PostgresContainer(
            # A throwaway container on loopback: the password guards nothing.
            image,
            username="postgres",
            password="postgres",  # noqa: S106
            dbname="postgres",
        ).with_command("postgres -c max_connections=200 -c shared_buffers=128MB")
        self.started = False

    def start(self) -> None:
        if not self.started:
            self.container.start()
            self.started = True

    def stop(self) -> None:
        if self.started:
            self.container.stop()
            self.started = False

    def dsn(self, db: str = "postgres") -> str:
        host = self.container.get_container_host_ip()
        port = self.container.get_exposed_port(5432)
        return f"postgresql://postgres:postgres@{host}:{port}/{db}"

    def create_databases(self, names: Iterable[str]) -> None:
        names = list(names)
        check_database_names(names)
        for name in names:
            created = self.container.exec(["createdb", "-U", "postgres", name])
            if created.exit_code != 0 and b"already exists" not in created.output:
                raise StackError(f"createdb {name}: {created.output.decode().strip()}")


class ContainerStack:
    """Kafka (apache/kafka, KRaft) and PostgreSQL 15 in throwaway containers."""

    def __init__(
        self,
        databases: tuple[str, ...] = DEFAULT_DATABASES,
        topics: Mapping[str, int] | None = None,
    ) -> None:
        self.databases = databases
        self.topics = dict(topics) if topics is not None else load_topics()
        self.topic_configs = load_topic_configs()
        self.kafka = ContainerKafka(KAFKA_IMAGE)
        self.postgres = ContainerPostgres(POSTGRES_IMAGE)

    def start(self) -> None:
        self.postgres.start()
        self.kafka.start()
        self.postgres.create_databases(self.databases)
        self.kafka.create_topics(self.topics, kinds=self.topic_configs)

    def stop(self) -> None:
        self.kafka.remove()
        self.postgres.stop()

    def status(self) -> dict[str, Any]:
        return {
            "kafka": {"running": self.kafka.started, "bootstrap": self.kafka.bootstrap},
            "postgres": {"running": self.postgres.started},
        }

    def destroy(self) -> None:
        """Containers keep no state outside themselves: removing them is the whole of it."""
        self.stop()

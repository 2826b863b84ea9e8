"""Apache Kafka as a plain local process: jars from Maven Central, one KRaft node."""

from __future__ import annotations

import logging
import re
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from string import Template
from typing import Any

from devstack import kafkawire
from devstack.config import KAFKA_DIR, StackConfig
from devstack.jars import fetch_jars, find_java, kafka_version, libs_dir
from devstack.processes import (
    StackError,
    cmdline,
    file_lock,
    kill_now,
    pid_alive,
    port_in_use,
    read_pid,
    spawn_detached,
    tail,
    terminate,
)

log = logging.getLogger("devstack")

BROKER_LOG4J = KAFKA_DIR / "log4j2.xml"
TOOLS_LOG4J = KAFKA_DIR / "log4j2-tools.xml"
PROPERTIES_TEMPLATE = KAFKA_DIR / "server.properties.template"

BROKER_MAIN = "kafka.Kafka"
STORAGE_TOOL = "kafka.tools.StorageTool"
# The JVM flags of Kafka's own start script, with the heap cut down for a 2-core dev box.
BROKER_JVM_OPTS = (
    "-Xms256m",
    "-Xmx512m",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-Djava.awt.headless=true",
)
TOPIC_NAME = re.compile(r"[A-Za-z0-9._-]{1,249}")


def render_server_properties(config: StackConfig, log_dir: Path) -> str:
    proxied_listener = proxied_advertised = ""
    if config.kafka_proxied_port is not None:
        # Listens on its own port, advertises the proxy's (StackConfig.kafka_proxied_port).
        proxied_listener = f",PROXIED://127.0.0.1:{config.kafka_proxied_port}"
        proxied_advertised = f",PROXIED://127.0.0.1:{config.kafka_proxy_port}"
    return Template(PROPERTIES_TEMPLATE.read_text()).substitute(
        kafka_port=config.kafka_port,
        controller_port=config.controller_port,
        proxied_listener=proxied_listener,
        proxied_advertised=proxied_advertised,
        log_dir=str(log_dir),
    )


def check_topic_names(names: Sequence[str]) -> None:
    for name in names:
        if not TOPIC_NAME.fullmatch(name) or name in (".", ".."):
            raise StackError(f"invalid Kafka topic name: {name!r}")


ConfigChanges = dict[str, dict[str, tuple[str | None, str]]]
"""Topic → config key → (value before, value now)."""


def apply_topic_configs(
    address: tuple[str, int], wanted: Mapping[str, Mapping[str, str]]
) -> ConfigChanges:
    """Set the configs of existing topics that differ from `wanted`; the rest stay as they are.

    Only what differs is written, so a start of an up-to-date stack changes nothing.
    """
    wanted = {name: values for name, values in wanted.items() if values}
    if not wanted:
        return {}
    try:
        described = kafkawire.describe_topic_configs(address, list(wanted))
    except kafkawire.KafkaWireError as exc:
        raise StackError(f"reading topic configs: {exc}") from None
    changes: ConfigChanges = {}
    for name, values in wanted.items():
        code, current = described.get(name, (kafkawire.UNKNOWN_TOPIC_OR_PARTITION, {}))
        if code != kafkawire.NONE:
            raise StackError(f"reading the configs of topic {name}: error {code}")
        differ = {key: (current.get(key), value) for key, value in values.items()}
        differ = {key: change for key, change in differ.items() if change[0] != change[1]}
        if differ:
            changes[name] = differ
    if not changes:
        return {}
    try:
        results = kafkawire.incremental_alter_configs(
            address,
            {name: {k: new for k, (_, new) in diff.items()} for name, diff in changes.items()},
        )
    except kafkawire.KafkaWireError as exc:
        raise StackError(f"setting topic configs: {exc}") from None
    for name, (code, message) in results.items():
        if code != kafkawire.NONE:
            raise StackError(f"setting the configs of topic {name}: error {code}: {message}")
    for name, diff in changes.items():
        for key, (old, new) in diff.items():
            # Seen once, when a stack made before a retention change is started again.
            log.warning("topic %s: %s was %s, now %s", name, key, old, new)
    return changes


class Kafka:
    """One combined broker+controller under `<state>/kafka`."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.dir = config.state_dir / "kafka"
        self.data_dir = self.dir / "data"
        self.logs_dir = self.dir / "logs"
        self.server_log = self.logs_dir / "server.log"
        self.properties = self.dir / "server.properties"
        self.pid_file = self.dir / "kafka.pid"
        self.output = self.dir / "kafka.out"
        self.version = kafka_version()
        self.libs = libs_dir(config.cache_dir)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.config.kafka_port}"

    @property
    def java_classpath(self) -> str:
        """`-cp` value for Kafka's classes (perf tools etc.); call `fetch()` first."""
        return str(self.libs / "*")

    @property
    def _address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.config.kafka_port)

    def fetch(self) -> Path:
        return fetch_jars(self.config.cache_dir)

    def pid(self) -> int | None:
        pid = read_pid(self.pid_file)
        if pid is None or not pid_alive(pid):
            return None
        command = cmdline(pid)
        # A recycled pid belongs to someone else; an unreadable cmdline is given the benefit.
        if command and str(self.properties) not in command:
            return None
        return pid

    def is_running(self) -> bool:
        return self.pid() is not None

    def start(self, timeout: float = 120.0) -> None:
        """Start the broker unless it runs, wait until it answers, create the configured topics."""
        with file_lock(self.dir / ".lock"):
            wanted = render_server_properties(self.config, self.data_dir)
            pid = self.pid()
            if pid is not None and self._read_properties() != wanted:
                # Started earlier with other ports (e.g. a test session's stale stack).
                self._stop_pid(pid)
                pid = None
            if pid is None:
                pid = self._launch(wanted)
            self._wait_ready(pid, timeout)
        self.create_topics(self.config.topics)
        # Topics made earlier (by an older checkout, or a consumer group's dead-letter topic)
        # take today's configs too: this is how a running stack gets a new retention.
        self.apply_topic_configs(self.topics())

    def _read_properties(self) -> str | None:
        try:
            return self.properties.read_text()
        except OSError:
            return None

    def _launch(self, properties: str) -> int:
        for port in self.config.kafka_listen_ports:
            if port_in_use(port):
                raise StackError(
                    f"port {port} is taken by another process: choose others with "
                    "ASN_KAFKA_PORT / ASN_KAFKA_CONTROLLER_PORT"
                )
        java = find_java()
        self.fetch()
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        self.properties.write_text(properties)
        self._format()
        argv = [
            java,
            *BROKER_JVM_OPTS,
            f"-Dlog4j2.configurationFile={BROKER_LOG4J}",
            f"-Dkafka.logs.dir={self.logs_dir}",
            "-cp",
            self.java_classpath,
            BROKER_MAIN,
            str(self.properties),
        ]
        pid = spawn_detached(argv, output=self.output, cwd=self.dir)
        self.pid_file.write_text(f"{pid}\n")
        return pid

    def _format(self) -> None:
        """Format the KRaft log once: an unformatted node refuses to start."""
        if (self.data_dir / "meta.properties").exists():
            return
        cluster_file = self.dir / "cluster.id"
        if not cluster_file.exists():
            uuid = self.run_tool(STORAGE_TOOL, ["random-uuid"]).stdout.strip()
            cluster_file.write_text(uuid + "\n")
        cluster_id = cluster_file.read_text().strip()
        self.run_tool(STORAGE_TOOL, ["format", "-t", cluster_id, "-c", str(self.properties)])

    def _wait_ready(self, pid: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if not pid_alive(pid):
                detail = tail(self.server_log, 1) or tail(self.output, 1)
                raise StackError(f"Kafka exited while starting ({self.server_log}): {detail}")
            try:
                if 1 in kafkawire.metadata(self._address, [], timeout=2.0).broker_ids:
                    return
            except kafkawire.KafkaWireError:
                pass
            if time.monotonic() > deadline:
                raise StackError(f"Kafka did not answer within {timeout:.0f} s: {self.server_log}")
            time.sleep(0.2)

    def stop(self, grace: float = 30.0) -> None:
        """SIGTERM (a clean shutdown), SIGKILL after `grace` seconds; no-op when stopped."""
        pid = self.pid()
        if pid is not None:
            self._stop_pid(pid, grace)
        self.pid_file.unlink(missing_ok=True)

    def _stop_pid(self, pid: int, grace: float = 30.0) -> None:
        terminate(pid, grace=grace)
        self.pid_file.unlink(missing_ok=True)

    def kill(self) -> None:
        """SIGKILL, as a crash would; `start()` recovers the same data afterwards."""
        pid = self.pid()
        if pid is not None:
            kill_now(pid)
        self.pid_file.unlink(missing_ok=True)

    def create_topics(
        self,
        topics: Mapping[str, int],
        timeout: float = 60.0,
        *,
        configs: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        """Create missing topics with their configs and wait for leaders.

        Each topic gets the configs of its kind (topics.toml `configs`), then `configs[name]`
        over them. A topic that exists keeps its partitions but is set to those configs.
        """
        check_topic_names(list(topics))
        wanted = {
            name: {**self.config.configs_for_topic(name), **(configs or {}).get(name, {})}
            for name in topics
        }
        deadline = time.monotonic() + timeout
        pending = dict(topics)
        while pending:
            try:
                results = kafkawire.create_topics(self._address, pending, configs=wanted)
            except kafkawire.KafkaWireError as exc:
                raise StackError(f"creating topics on {self.bootstrap}: {exc}") from None
            for name, (code, message) in results.items():
                if code in (kafkawire.NONE, kafkawire.TOPIC_ALREADY_EXISTS):
                    pending.pop(name, None)
                elif code not in kafkawire.RETRIABLE:
                    raise StackError(f"creating topic {name}: error {code}: {message}")
            if pending:
                if time.monotonic() > deadline:
                    raise StackError(f"creating topics {sorted(pending)} timed out")
                time.sleep(0.2)
        self._wait_for_leaders(topics, deadline)
        apply_topic_configs(self._address, wanted)

    def apply_topic_configs(self, names: Sequence[str] | Mapping[str, int]) -> ConfigChanges:
        """Set each named topic to the configs of its kind (topics.toml `configs`)."""
        return apply_topic_configs(
            self._address, {name: self.config.configs_for_topic(name) for name in names}
        )

    def _wait_for_leaders(self, topics: Mapping[str, int], deadline: float) -> None:
        while True:
            try:
                found = kafkawire.metadata(self._address, list(topics)).topics
            except kafkawire.KafkaWireError:
                found = {}
            ready = [
                name
                for name in topics
                if name in found and found[name].error == 0 and found[name].leaderless == 0
            ]
            if len(ready) == len(topics):
                for name, wanted in topics.items():
                    if found[name].partitions != wanted:
                        log.warning(
                            "topic %s has %d partitions, not %d: left as it is",
                            name,
                            found[name].partitions,
                            wanted,
                        )
                return
            if time.monotonic() > deadline:
                missing = sorted(set(topics) - set(ready))
                raise StackError(f"topics without leaders: {missing}")
            time.sleep(0.1)

    def topics(self) -> dict[str, int]:
        """Topic → partition count, internal topics left out."""
        try:
            found = kafkawire.metadata(self._address).topics
        except kafkawire.KafkaWireError as exc:
            raise StackError(f"listing topics on {self.bootstrap}: {exc}") from None
        return {t.name: t.partitions for t in found.values() if not t.internal}

    def tool_command(self, main_class: str, args: Sequence[str] = ()) -> list[str]:
        """The java command line for a Kafka tool class, e.g. for a benchmark's Popen."""
        return [
            find_java(),
            f"-Dlog4j2.configurationFile={TOOLS_LOG4J}",
            "-Djava.awt.headless=true",
            "-cp",
            self.java_classpath,
            main_class,
            *args,
        ]

    def run_tool(
        self,
        main_class: str,
        args: Sequence[str] = (),
        *,
        timeout: float | None = None,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        """Run a Kafka tool (TopicCommand, ProducerPerformance, ...) on the broker's classpath."""
        self.fetch()
        result = subprocess.run(
            self.tool_command(main_class, args), capture_output=True, text=True, timeout=timeout
        )
        if check and result.returncode != 0:
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            detail = lines[-1] if lines else f"exit code {result.returncode}"
            raise StackError(f"{main_class.rsplit('.', 1)[-1]} failed: {detail}")
        return result

    def status(self) -> dict[str, Any]:
        return {
            "running": self.is_running(),
            "pid": self.pid(),
            "version": self.version,
            "bootstrap": self.bootstrap,
            "controller_port": self.config.controller_port,
            "log": str(self.server_log),
        }

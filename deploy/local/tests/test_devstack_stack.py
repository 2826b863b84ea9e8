"""The real thing: a Kafka broker and a PostgreSQL cluster started on free ports.

The tests run in file order and share one stack; the last one stops it.
"""

import dataclasses
import re
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from devstack import Stack, StackConfig, kafkawire
from devstack.processes import pid_alive, port_in_use
from servicekit.testing import read_topic_config

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    test_stack = Stack(StackConfig.for_tests(tmp_path_factory.mktemp("devstack")))
    test_stack.start()
    try:
        yield test_stack
    finally:
        test_stack.destroy()


def _described_partitions(stack: Stack) -> dict[str, int]:
    """Topic → partition count as Kafka's own TopicCommand reports it."""
    out = stack.kafka.run_tool(
        "org.apache.kafka.tools.TopicCommand",
        ["--bootstrap-server", stack.kafka.bootstrap, "--describe"],
        timeout=60,
    ).stdout
    found = re.findall(r"^Topic: (\S+)\s.*PartitionCount: (\d+)", out, flags=re.MULTILINE)
    return {name: int(count) for name, count in found}


def _stack_processes(stack: Stack) -> list[int]:
    """Every process whose command line names this stack's folders."""
    marks = (str(stack.config.state_dir), str(stack.postgres.real_root()))
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if any(mark in command for mark in marks) and pid_alive(int(proc.name)):
            pids.append(int(proc.name))
    return pids


def test_configured_topics_exist_with_their_partitions(stack: Stack):
    described = _described_partitions(stack)
    for name, partitions in stack.config.topics.items():
        assert described.get(name) == partitions, name
    assert {n: p for n, p in stack.kafka.topics().items() if n in described} == described


FOR_EVER = {"retention.ms": "-1", "retention.bytes": "-1"}
A_YEAR = {"retention.ms": str(365 * 24 * 3600 * 1000), "retention.bytes": "-1"}
BROKER_DEFAULT = {"retention.ms": "604800000", "retention.bytes": "-1"}  # 7 days


async def _retention(stack: Stack, topic: str) -> dict[str, str | None]:
    """Read back with another client than the one devstack writes with."""
    config = await read_topic_config(stack.kafka.bootstrap, topic)
    return {key: config[key] for key in ("retention.ms", "retention.bytes")}


async def test_event_topics_keep_everything(stack: Stack):
    for name in stack.config.topics:
        assert await _retention(stack, name) == FOR_EVER, name


async def test_a_start_sets_the_retention_of_topics_made_before(stack: Stack):
    """An upgrade of a running stack: its topics were made with the broker's 7 days."""
    old = {"before.events": 2, "before-group.dlq": 1, "before.other": 1}
    assert set(kafkawire.create_topics(("127.0.0.1", stack.config.kafka_port), old).values()) == {
        (kafkawire.NONE, None)
    }
    for name in old:
        assert await _retention(stack, name) == BROKER_DEFAULT, name
    producer = AIOKafkaProducer(bootstrap_servers=stack.kafka.bootstrap, acks="all")
    await producer.start()
    try:
        sent = await producer.send_and_wait("before.events", b"written before", partition=0)
    finally:
        await producer.stop()

    stack.start()

    assert await _retention(stack, "before.events") == FOR_EVER
    assert await _retention(stack, "before-group.dlq") == A_YEAR
    assert await _retention(stack, "before.other") == BROKER_DEFAULT
    assert stack.kafka.topics()["before.events"] == 2
    consumer = AIOKafkaConsumer(bootstrap_servers=stack.kafka.bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        tp = TopicPartition("before.events", 0)
        consumer.assign([tp])
        consumer.seek(tp, sent.offset)
        assert (await consumer.getone()).value == b"written before"
    finally:
        await consumer.stop()


def test_second_start_is_a_fast_no_op(stack: Stack):
    pids = (stack.kafka.pid(), stack.postgres.pid())
    started = time.monotonic()
    stack.start()
    assert time.monotonic() - started < 2.0
    assert (stack.kafka.pid(), stack.postgres.pid()) == pids


async def test_databases_exist(stack: Stack):
    for db in stack.config.databases:
        conn = await asyncpg.connect(stack.postgres.dsn(db))
        try:
            assert await conn.fetchval("SELECT current_database()") == db
            assert await conn.fetchval("SHOW max_connections") == "200"
        finally:
            await conn.close()


async def test_extra_topics_and_databases(stack: Stack):
    stack.kafka.create_topics({"devstack-test.dlq": 3, "devstack-test.events": 2})
    stack.kafka.create_topics({"devstack-test.dlq": 3})  # again: nothing happens
    topics = stack.kafka.topics()
    assert topics["devstack-test.dlq"] == 3
    assert topics["devstack-test.events"] == 2
    # A bench's or the e2e tests' topics are made as the suite's: by the kind of their name.
    assert await _retention(stack, "devstack-test.events") == FOR_EVER
    assert await _retention(stack, "devstack-test.dlq") == A_YEAR
    stack.postgres.create_databases(["devstack_extra", "devstack_extra"])
    assert "devstack_extra" in stack.postgres.databases()


async def test_killed_broker_restarts_with_its_data(stack: Stack):
    topic = "devstack-test.events"
    producer = AIOKafkaProducer(bootstrap_servers=stack.kafka.bootstrap, acks="all")
    await producer.start()
    try:
        sent = await producer.send_and_wait(topic, b"before the crash", partition=1)
    finally:
        await producer.stop()

    old_pid = stack.kafka.pid()
    assert old_pid is not None
    stack.kafka.kill()
    assert not stack.kafka.is_running()
    assert not pid_alive(old_pid)
    assert not port_in_use(stack.config.kafka_port)

    stack.kafka.start()
    assert stack.kafka.pid() not in (None, old_pid)
    described = _described_partitions(stack)
    for name, partitions in stack.config.topics.items():
        assert described[name] == partitions
    assert described[topic] == 2

    consumer = AIOKafkaConsumer(bootstrap_servers=stack.kafka.bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        tp = TopicPartition(topic, 1)
        consumer.assign([tp])
        consumer.seek(tp, sent.offset)
        record = await consumer.getone()
        assert record.value == b"before the crash"
    finally:
        await consumer.stop()


def test_stop_leaves_nothing_and_start_comes_back(stack: Stack):
    assert _stack_processes(stack)
    stack.stop()
    assert _stack_processes(stack) == []
    assert not stack.kafka.is_running()
    assert not stack.postgres.is_running()
    for port in (stack.config.kafka_port, stack.config.controller_port, stack.config.pg_port):
        assert not port_in_use(port)
    stack.stop()  # stopping a stopped stack does nothing

    # Same data, other ports (a new test session on the same state dir does this).
    moved = StackConfig.for_tests(stack.config.state_dir)
    again = Stack(dataclasses.replace(stack.config, **_ports(moved)))
    again.start()
    try:
        assert again.kafka.topics()["devstack-test.dlq"] == 3
        assert "devstack_extra" in again.postgres.databases()
        assert again.status()["kafka"]["running"]
    finally:
        again.stop()
    assert _stack_processes(again) == []


def _ports(cfg: StackConfig) -> dict[str, int]:
    return {
        "kafka_port": cfg.kafka_port,
        "controller_port": cfg.controller_port,
        "pg_port": cfg.pg_port,
    }

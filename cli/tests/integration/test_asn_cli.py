"""The `asn` command line against the real broker and database, run as an operator runs it.

Each test starts `python -m asn_cli` as a process: what is checked is what a person sees —
its output, its exit code, and what it changed on the topics or in the read model.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import jwt
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import ConsumerRecord
from gateway.main import migrate
from gateway.settings import GatewaySettings
from gateway_testkit import new_group, publish, registered, unit_created
from servicekit.db import Database
from servicekit.deadletter import DeadLetterWriter, dlq_topic
from servicekit.testing import read_topic_records
from sqlalchemy import text
from tests_cli_support import asn

pytestmark = pytest.mark.integration
STAFF, BOSS = "199001012015031001", "198001012005011002"


async def test_tail_prints_each_event_and_filters_by_type_and_nip(kafka_bootstrap, new_topic):
    topic = await new_topic("pegawai", partitions=1)
    await publish(
        kafka_bootstrap,
        (topic, unit_created("dinkes")),
        (topic, registered(STAFF, "dinkes", None)),
        (topic, registered(BOSS, "dinkes", None)),
        (topic, b"\x00 not json"),
    )

    everything = await asn("tail", topic, "-b", "--no-follow", "--bootstrap", kafka_bootstrap)
    assert everything.returncode == 0, everything.stderr
    lines = everything.stdout.splitlines()
    assert len(lines) == 4
    assert f"{topic}/0@0" in lines[0] and "pegawai.unit.created.v1  dinkes" in lines[0]
    assert "pegawai.employee.registered.v1" in lines[1] and STAFF in lines[1]
    assert "<not an event: 10 bytes>" in lines[3]

    by_type = await asn(
        "tail", topic, "-b", "--no-follow", "--type", "pegawai.employee.registered.v1",
        "--bootstrap", kafka_bootstrap,
    )  # fmt: skip
    by_nip = await asn(
        "tail", topic, "-b", "--no-follow", "--nip", BOSS, "--bootstrap", kafka_bootstrap
    )
    as_json = await asn(
        "tail", topic, "-b", "--limit", "1", "--json", "--bootstrap", kafka_bootstrap
    )
    assert [BOSS in line for line in by_nip.stdout.splitlines()] == [True]
    assert len(by_type.stdout.splitlines()) == 2, by_type.stdout + by_type.stderr
    assert '"specversion"' in as_json.stdout and len(as_json.stdout.splitlines()) == 1


async def test_an_unknown_topic_or_an_unreachable_broker_is_one_line_and_exit_1(
    kafka_bootstrap,
):
    missing = await asn("tail", "nothing.here", "--no-follow", "--bootstrap", kafka_bootstrap)
    assert missing.returncode == 1
    assert missing.stderr.startswith("asn: no topic 'nothing.here'")
    assert len(missing.stderr.strip().splitlines()) == 1

    # A port nothing listens on: the operator sees where it looked, not a traceback.
    down = await asn("lag", env={"ASN_KAFKA_BOOTSTRAP": "127.0.0.1:9"})
    assert down.returncode == 1
    assert down.stderr.strip() == (
        "asn: cannot reach Kafka at 127.0.0.1:9 (is the stack up? `make up`, or give --bootstrap)"
    )


async def test_lag_shows_each_partition_and_the_group_total(kafka_bootstrap, new_topic):
    topic = await new_topic("presensi", partitions=2)
    await publish(kafka_bootstrap, *[(topic, registered(STAFF, "dinkes", None))] * 5)
    group = new_group()
    consumer = AIOKafkaConsumer(
        bootstrap_servers=kafka_bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        # One key: all five on one partition. Commit 2 of them, and 0 on the other.
        both = [TopicPartition(topic, 0), TopicPartition(topic, 1)]
        consumer.assign(both)
        ends = await consumer.end_offsets(both)
        full = next(tp for tp, end in ends.items() if end == 5)
        empty = next(tp for tp in ends if tp != full)
        await consumer.commit({full: 2, empty: 0})
    finally:
        await consumer.stop()

    result = await asn("lag", "--group", group, env={"ASN_KAFKA_BOOTSTRAP": kafka_bootstrap})
    assert result.returncode == 0, result.stderr
    assert f"{group}: 3 event(s) behind" in result.stdout
    # Piped, the table is tab-separated lines under a header.
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == ["group", "topic", "partition", "committed", "end", "behind"]
    cells = sorted(line.split("\t") for line in lines if topic in line)
    assert cells == sorted(
        [
            [group, topic, str(full.partition), "2", "5", "3"],
            [group, topic, str(empty.partition), "0", "0", "0"],
        ]
    )


async def _records(bootstrap: str, topic: str) -> list[ConsumerRecord[bytes, bytes]]:
    return await read_topic_records(bootstrap, topic)


async def test_dlq_list_show_and_replay_each_letter_once(kafka_bootstrap, new_topic):
    topic = await new_topic("kinerja", partitions=1)
    await publish(kafka_bootstrap, (topic, registered(STAFF, "dinkes", None)), (topic, b"garbage!"))
    originals = await _records(kafka_bootstrap, topic)
    group = f"cli-{uuid.uuid4().hex[:8]}"
    writer = DeadLetterWriter(kafka_bootstrap, group)
    await writer.ensure_topic()
    try:
        await writer.send(originals[0], ValueError("unit dinkes unknown"), attempts=5)
        await writer.send(originals[1], ValueError("not JSON"), attempts=1)
    finally:
        await writer.close()
    env = {"ASN_KAFKA_BOOTSTRAP": kafka_bootstrap}

    listed = await asn("dlq", "list", env=env)
    assert listed.returncode == 0, listed.stderr
    row = next(line for line in listed.stdout.splitlines() if dlq_topic(group) in line)
    assert row.split("\t") == [group, dlq_topic(group), "2"]

    shown = await asn("dlq", "show", group, env=env)
    assert shown.returncode == 0, shown.stderr
    assert "ValueError: unit dinkes unknown" in shown.stdout
    assert f"{topic}/0@0" in shown.stdout and f"{topic}/0@1" in shown.stdout
    assert "pegawai.employee.registered.v1" in shown.stdout
    assert "2 dead letter(s) shown" in shown.stdout

    dry = await asn("dlq", "replay", group, "--dry-run", env=env)
    assert "would replay 2 dead letter(s)" in dry.stdout
    assert len(await _records(kafka_bootstrap, topic)) == 2

    replayed = await asn("dlq", "replay", group, env=env)
    again = await asn("dlq", "replay", group, env=env)
    assert "replayed 2 dead letter(s)" in replayed.stdout
    assert f"2 → {topic}" in replayed.stdout
    assert "replayed 0 dead letter(s)" in again.stdout
    back = await _records(kafka_bootstrap, topic)
    assert [r.value for r in back[2:]] == [originals[0].value, originals[1].value]


async def test_token_is_a_verifiable_dev_token_and_refused_in_production(tmp_path: Path):
    minted = await asn(
        "token", "--nip", STAFF, "--roles", "pegawai,admin_opd", "--unit", "dinkes",
        "--keys", str(tmp_path),
    )  # fmt: skip
    assert minted.returncode == 0, minted.stderr
    public = (tmp_path / "jwt-public.pem").read_bytes()
    claims: dict[str, Any] = jwt.decode(
        minted.stdout.strip(), public, algorithms=["RS256"], audience="asn-suite"
    )
    assert (claims["sub"], claims["roles"], claims["unit_id"]) == (
        STAFF,
        ["pegawai", "admin_opd"],
        "dinkes",
    )

    refused = await asn(
        "token", "--nip", STAFF, "--keys", str(tmp_path), env={"ASN_ENVIRONMENT": "production"}
    )
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert "refused" in refused.stderr


async def test_rebuild_gateway_replays_the_topics_into_the_read_model(
    kafka_bootstrap, new_topic, new_database
):
    topics = {name: await new_topic(name) for name in ("pegawai", "presensi", "kinerja")}
    topics |= {name: await new_topic(name) for name in ("aspirasi", "pelatihan")}
    database = await new_database("gateway")
    settings = GatewaySettings(
        database_url=database,  # type: ignore[arg-type]
        kafka_bootstrap=kafka_bootstrap,
        jwt_public_key_file=Path("unused.pem"),
        **{f"{name}_topic": topic for name, topic in topics.items()},
    )
    await asyncio.to_thread(migrate, settings)
    await publish(
        kafka_bootstrap,
        (topics["pegawai"], unit_created("dinkes")),
        (topics["pegawai"], registered(BOSS, "dinkes", None)),
        (topics["pegawai"], registered(STAFF, "dinkes", BOSS)),
    )
    # No JWT key setting at all: a rebuild verifies no tokens (it used to stop on it).
    env = {f"ASN_{name.upper()}_TOPIC": topic for name, topic in topics.items()}
    env["ASN_CONSUMER_GROUP"] = new_group()
    result = await asn(
        "rebuild", "gateway", "--database-url", database, "--bootstrap", kafka_bootstrap, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "read model rebuilt: 3 events applied" in result.stdout

    db = Database(database, pool_size=1)
    try:
        async with db.engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT nip, supervisor_nip FROM readmodel.employee ORDER BY nip")
            )
            assert [tuple(r) for r in rows] == [(BOSS, None), (STAFF, BOSS)]
    finally:
        await db.dispose()

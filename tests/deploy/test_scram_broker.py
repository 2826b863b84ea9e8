"""A service's Kafka clients over TLS with SCRAM-SHA-512, as in a cluster, on a real broker.

The local stack's broker speaks plaintext, so this starts a second one from the same jars:
a KRaft node whose client listener is SASL_SSL with SCRAM-SHA-512 (the user made when its
storage is formatted, as Strimzi's user operator would), its certificate signed by a CA of
the test's own, and Kafka's StandardAuthorizer holding exactly the ACLs of the service's
generated KafkaUser (deploy/k8s/base/kafka/users.yaml). The settings are read from the
environment a Kubernetes pod gets, and the outbox relay, a consumer group with its
dead-letter topic, the admin client and the readiness probe all work through them, with
those ACLs and no more.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiokafka.conn import create_conn
from aiokafka.errors import SaslAuthenticationFailed, TopicAuthorizationFailedError
from asn_schemas import new_event
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from devstack.jars import find_java
from servicekit.connections import kafka_client_args
from servicekit.consumer import ConsumerRunner
from servicekit.identity import Identity
from servicekit.kafka import KafkaProbe, ensure_topics, idempotent_producer
from servicekit.relay import OutboxRelay
from servicekit.settings import ServiceSettings
from servicekit.testing import eventually, read_topic_records
from servicekit.uow import UnitOfWork
from servicekit_testdomain import (
    SOURCE,
    Effect,
    Note,
    NoteWritten,
    count,
    produce_raw,
    record_effect,
)

pytestmark = pytest.mark.integration

USER, PASSWORD = "presensi", "s3cret-scram-password"
ROOT = Path(__file__).resolve().parents[2]
OWN_TOPIC, CONSUMED, GROUP = "presensi.events", "pegawai.events", "presensi"
ACTOR = Identity("198503152010011001", frozenset({"bkpsdm"}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def make_certificates(folder: Path) -> tuple[Path, Path]:
    """A CA (what Strimzi's cluster CA secret holds) and the broker's key and certificate
    for `localhost`, signed by it: (ca.crt, broker.pem with key and certificate)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("asn-test-cluster-ca"))
        .issuer_name(_name("asn-test-cluster-ca"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    broker = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_file = folder / "ca.crt"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    keystore = folder / "broker.pem"
    keystore.write_bytes(_pem_key(key) + broker.public_bytes(serialization.Encoding.PEM))
    return ca_file, keystore


def server_properties(folder: Path, keystore: Path, ports: dict[str, int]) -> str:
    return "\n".join(
        [
            "process.roles=broker,controller",
            "node.id=1",
            f"controller.quorum.voters=1@127.0.0.1:{ports['controller']}",
            "controller.listener.names=CONTROLLER",
            f"listeners=INTERNAL://127.0.0.1:{ports['internal']},"
            f"CONTROLLER://127.0.0.1:{ports['controller']},CLIENTS://127.0.0.1:{ports['clients']}",
            f"advertised.listeners=INTERNAL://127.0.0.1:{ports['internal']},"
            f"CLIENTS://localhost:{ports['clients']}",
            "inter.broker.listener.name=INTERNAL",
            "listener.security.protocol.map=INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,"
            "CLIENTS:SASL_SSL",
            "listener.name.clients.sasl.enabled.mechanisms=SCRAM-SHA-512",
            "listener.name.clients.scram-sha-512.sasl.jaas.config="
            "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "ssl.keystore.type=PEM",
            f"ssl.keystore.location={keystore}",
            f"log.dirs={folder / 'data'}",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=false",
            # ACLs as Strimzi's `authorization: simple`; the plaintext listeners inside the
            # node (and the test, as the operator that creates topics and ACLs) are ANONYMOUS.
            "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "super.users=User:ANONYMOUS",
            "",
        ]
    )


@pytest.fixture(scope="module")
def scram_broker(stack: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("scram-kafka")
    ca_file, keystore = make_certificates(folder)
    ports = {"internal": _free_port(), "controller": _free_port(), "clients": _free_port()}
    properties = folder / "server.properties"
    properties.write_text(server_properties(folder, keystore, ports))
    java = find_java()
    classpath = str(stack.kafka.libs / "*")
    log4j = Path(__file__).resolve().parents[2] / "deploy" / "local" / "kafka" / "log4j2-tools.xml"
    tool = [java, f"-Dlog4j2.configurationFile={log4j}", "-cp", classpath]
    subprocess.run(
        [
            *tool,
            "kafka.tools.StorageTool",
            "format",
            "-t",
            "c2NyYW0tdGVzdC1jbHVzdGVy",
            "-c",
            str(properties),
            "--add-scram",
            f"SCRAM-SHA-512=[name={USER},password={PASSWORD}]",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    output = (folder / "kafka.out").open("wb")
    broker = subprocess.Popen(
        [
            java,
            "-Xms128m",
            "-Xmx384m",
            f"-Dlog4j2.configurationFile={log4j}",
            f"-Dkafka.logs.dir={folder / 'logs'}",
            "-cp",
            classpath,
            "kafka.Kafka",
            str(properties),
        ],
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    try:
        yield {
            "bootstrap": f"localhost:{ports['clients']}",
            "operator": f"127.0.0.1:{ports['internal']}",
            "ca": ca_file,
            "tool": tool,
        }
    finally:
        # A throwaway node: no controlled shutdown to wait for (a minute on a busy box).
        broker.kill()
        broker.wait()
        output.close()


@pytest.fixture
def cluster_settings(scram_broker, monkeypatch, tmp_path) -> ServiceSettings:
    """A service's settings from the environment deploy/k8s gives its pods."""
    password = tmp_path / "password"
    password.write_text(PASSWORD)
    key = tmp_path / "pub.pem"
    key.write_text("x")
    for name, value in {
        "ASN_SERVICE_NAME": "presensi",
        "ASN_DATABASE_URL": "postgresql://unused@127.0.0.1:1/unused",
        "ASN_JWT_PUBLIC_KEY_FILE": str(key),
        "ASN_KAFKA_BOOTSTRAP": scram_broker["bootstrap"],
        "ASN_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "ASN_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
        "ASN_KAFKA_SASL_USERNAME": USER,
        "ASN_KAFKA_SASL_PASSWORD_FILE": str(password),
        "ASN_KAFKA_SSL_CAFILE": str(scram_broker["ca"]),
    }.items():
        monkeypatch.setenv(name, value)
    return ServiceSettings()  # type: ignore[call-arg]


async def _reachable(probe: KafkaProbe) -> bool:
    try:
        await probe.check()
    except Exception:
        await probe.close()
        return False
    return True


def grant_generated_acls(scram_broker: dict[str, Any]) -> list[list[str]]:
    """Give the user exactly its KafkaUser's ACLs (Kafka's AclCommand, one call per set of
    operations), as Strimzi's user operator would."""
    users = yaml.safe_load_all((ROOT / "deploy/k8s/base/kafka/users.yaml").read_text())
    user = next(u for u in users if u and u["metadata"]["name"] == USER)
    by_operations: dict[tuple[str, ...], list[str]] = {}
    for acl in user["spec"]["authorization"]["acls"]:
        resource = acl["resource"]
        assert resource["patternType"] == "literal"
        by_operations.setdefault(tuple(acl["operations"]), []).extend(
            [f"--{resource['type']}", resource["name"]]
        )
    calls = []
    for operations, resources in by_operations.items():
        argv = [
            *scram_broker["tool"],
            "org.apache.kafka.tools.AclCommand",
            "--bootstrap-server",
            scram_broker["operator"],
            "--add",
            "--allow-principal",
            f"User:{USER}",
            *[arg for op in operations for arg in ("--operation", op)],
            *resources,
        ]
        subprocess.run(argv, check=True, capture_output=True, timeout=300)
        calls.append(argv)
    return calls


def foreign_event(body: str) -> bytes:
    envelope = new_event(
        NoteWritten(note_id="e1", body=body), subject="e1", actor="system:test", source=SOURCE
    )
    return envelope.model_dump_json(exclude_none=True).encode()


async def test_a_service_works_over_tls_with_scram_within_its_acls(
    cluster_settings, scram_broker, service_db
):
    kafka = cluster_settings.kafka
    probe = KafkaProbe(kafka, timeout_s=5)
    try:
        await eventually(lambda: _reachable(probe), what="the broker answering", timeout_s=180)
    finally:
        await probe.close()
    # The operator's part (KafkaTopic and KafkaUser resources): topics, then the ACLs.
    operator = scram_broker["operator"]
    await ensure_topics(operator, {OWN_TOPIC: 1, CONSUMED: 1, f"{GROUP}.dlq": 1})
    assert grant_generated_acls(scram_broker)
    await produce_raw(operator, CONSUMED, [(b"e1", foreign_event("from pegawai"))])

    relay = OutboxRelay(service_db.asyncpg_dsn, kafka, poll_interval_s=1)
    reader = ConsumerRunner(
        db=service_db,
        bootstrap=kafka,
        group_id=GROUP,
        topics=[CONSUMED],
        handlers={NoteWritten.event_type: record_effect},
        source=SOURCE,
        own_topic=OWN_TOPIC,
    )
    tasks = [asyncio.create_task(relay.run()), asyncio.create_task(reader.run())]
    try:
        async with UnitOfWork(service_db, actor=ACTOR, source=SOURCE, topic=OWN_TOPIC) as uow:
            uow.session.add(Note(note_id="n1", body="over TLS"))
            uow.add_event(NoteWritten(note_id="n1", body="over TLS"), subject="n1")

        async def applied() -> bool:
            return await count(service_db, Effect) == 1

        async def published() -> bool:
            return [r.key for r in await read_topic_records(operator, OWN_TOPIC)] == [b"n1"]

        await eventually(applied, what="pegawai's event consumed by the group", timeout_s=120)
        await eventually(published, what="its own event relayed to its topic", timeout_s=120)
    finally:
        relay.stop()
        reader.stop()
        await reader.close()
        await asyncio.gather(*tasks, return_exceptions=True)
        await relay.close()

    # Its ACLs hold: writing another service's topic is refused.
    producer = idempotent_producer(kafka, client_id="presensi-rogue")
    await producer.start()
    try:
        with pytest.raises(TopicAuthorizationFailedError):
            await producer.send_and_wait(CONSUMED, b"not mine", key=b"x")
    finally:
        await producer.stop()


async def test_a_wrong_password_is_refused(cluster_settings, scram_broker, monkeypatch):
    good = KafkaProbe(cluster_settings.kafka, timeout_s=5)
    try:
        await eventually(lambda: _reachable(good), what="the broker answering", timeout_s=180)
    finally:
        await good.close()
    host, port = scram_broker["bootstrap"].split(":")
    args = kafka_client_args(cluster_settings.kafka)
    del args["bootstrap_servers"]
    connection = await create_conn(host, int(port), **args)  # the right password: accepted
    connection.close()
    monkeypatch.delenv("ASN_KAFKA_SASL_PASSWORD_FILE")
    monkeypatch.setenv("ASN_KAFKA_SASL_PASSWORD", "not-the-password")
    wrong = kafka_client_args(ServiceSettings().kafka)  # type: ignore[call-arg]
    del wrong["bootstrap_servers"]
    with pytest.raises(SaslAuthenticationFailed):
        await create_conn(host, int(port), **wrong)

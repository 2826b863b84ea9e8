"""A service's Kafka clients over TLS with SCRAM-SHA-512, as in a cluster, on a real broker.

The local stack's broker speaks plaintext, so this starts a second one from the same jars:
a KRaft node whose client listener is SASL_SSL with SCRAM-SHA-512 (the user made when its
storage is formatted, as Strimzi's user operator would), its certificate signed by a CA of
the test's own. The settings are read from the environment a Kubernetes pod gets
(deploy/k8s), and the outbox relay, a consumer group with its dead-letter topic, the admin
client and the readiness probe all work through them.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiokafka.errors import KafkaConnectionError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from devstack.jars import find_java
from servicekit.consumer import ConsumerRunner
from servicekit.identity import Identity
from servicekit.kafka import KafkaProbe, ensure_topics
from servicekit.relay import OutboxRelay
from servicekit.settings import ServiceSettings
from servicekit.testing import eventually
from servicekit.uow import UnitOfWork
from servicekit_testdomain import SOURCE, Effect, Note, NoteWritten, count, record_effect

pytestmark = pytest.mark.integration

USER, PASSWORD = "presensi", "s3cret-scram-password"
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
        yield {"bootstrap": f"localhost:{ports['clients']}", "ca": ca_file, "folder": folder}
    finally:
        broker.terminate()
        try:
            broker.wait(timeout=60)
        except subprocess.TimeoutExpired:
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


async def test_relay_and_consumer_work_over_tls_with_scram(cluster_settings, service_db):
    kafka = cluster_settings.kafka
    probe = KafkaProbe(kafka, timeout_s=5)
    try:
        await eventually(
            lambda: _reachable(probe), what="the SCRAM broker answering", timeout_s=180
        )
    finally:
        await probe.close()
    topic = f"presensi-{uuid.uuid4().hex[:8]}.events"
    await ensure_topics(kafka, {topic: 1})

    relay = OutboxRelay(service_db.asyncpg_dsn, kafka, poll_interval_s=1)
    reader = ConsumerRunner(
        db=service_db,
        bootstrap=kafka,
        group_id=f"scram-reader-{uuid.uuid4().hex[:6]}",
        topics=[topic],
        handlers={NoteWritten.event_type: record_effect},
        source=SOURCE,
        own_topic=topic,
    )
    tasks = [asyncio.create_task(relay.run()), asyncio.create_task(reader.run())]
    try:
        async with UnitOfWork(service_db, actor=ACTOR, source=SOURCE, topic=topic) as uow:
            uow.session.add(Note(note_id="n1", body="over TLS"))
            uow.add_event(NoteWritten(note_id="n1", body="over TLS"), subject="n1")

        async def applied() -> bool:
            return await count(service_db, Effect) == 1

        await eventually(
            applied, what="the event relayed and consumed over SASL_SSL", timeout_s=120
        )
    finally:
        relay.stop()
        reader.stop()
        await reader.close()
        await asyncio.gather(*tasks, return_exceptions=True)
        await relay.close()


async def test_a_wrong_password_is_refused(cluster_settings, scram_broker, monkeypatch, caplog):
    good = KafkaProbe(cluster_settings.kafka, timeout_s=5)
    try:
        await eventually(lambda: _reachable(good), what="the broker answering", timeout_s=180)
    finally:
        await good.close()
    monkeypatch.delenv("ASN_KAFKA_SASL_PASSWORD_FILE")
    monkeypatch.setenv("ASN_KAFKA_SASL_PASSWORD", "not-the-password")
    wrong = KafkaProbe(ServiceSettings().kafka, timeout_s=5)  # type: ignore[call-arg]
    try:
        with pytest.raises(KafkaConnectionError):
            await wrong.check()
        assert "SaslAuthenticationFailed" in caplog.text, "refused for its password"
    finally:
        await wrong.close()

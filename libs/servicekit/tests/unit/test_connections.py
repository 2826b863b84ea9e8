"""Kafka over TLS with SCRAM-SHA-512 and PostgreSQL over TLS, by settings: what a cluster's
services are given (Strimzi KafkaUser secrets, CloudNativePG's CA) reaches every client."""

import datetime
import ssl
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import ValidationError
from servicekit import consumer as consumer_module
from servicekit.connections import KafkaConnection, kafka_client_args, pg_engine_args
from servicekit.deadletter import DeadLetterWriter
from servicekit.kafka import idempotent_producer
from servicekit.runtime import ConsumerSpec, ServiceRuntime
from servicekit.settings import ServiceSettings

CA_NAME = "asn-cluster-ca"


def _write_ca(path: Path) -> Path:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def _ca_names(context: ssl.SSLContext) -> list[str]:
    return [
        value
        for cert in context.get_ca_certs()
        for rdn in cert["subject"]
        for key, value in rdn
        if key == "commonName"
    ]


@pytest.fixture
def cluster_env(monkeypatch, tmp_path):
    """The environment a Kubernetes Deployment gives a service (deploy/k8s)."""
    key = tmp_path / "pub.pem"
    key.write_text("x")
    ca = _write_ca(tmp_path / "ca.crt")
    password = tmp_path / "password"
    password.write_text("s3cret-from-strimzi\n")
    pg_ca = _write_ca(tmp_path / "pg-ca.crt")
    env = {
        "ASN_SERVICE_NAME": "presensi",
        "ASN_DATABASE_URL": "postgresql://app:pw@presensi-db-rw:5432/app",
        "ASN_DATABASE_SSLMODE": "verify-full",
        "ASN_DATABASE_SSLROOTCERT": str(pg_ca),
        "ASN_JWT_PUBLIC_KEY_FILE": str(key),
        "ASN_KAFKA_BOOTSTRAP": "asn-kafka-bootstrap:9093",
        "ASN_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "ASN_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
        "ASN_KAFKA_SASL_USERNAME": "presensi",
        "ASN_KAFKA_SASL_PASSWORD_FILE": str(password),
        "ASN_KAFKA_SSL_CAFILE": str(ca),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def test_scram_over_tls_is_read_from_the_environment_and_files(cluster_env):
    settings = ServiceSettings()  # type: ignore[call-arg]
    kafka = settings.kafka
    assert kafka.bootstrap == "asn-kafka-bootstrap:9093"
    assert kafka.security_protocol == "SASL_SSL"
    assert kafka.sasl_mechanism == "SCRAM-SHA-512"
    assert kafka.username == "presensi"
    assert kafka.password == "s3cret-from-strimzi", "the file's trailing newline is not part of it"
    assert "s3cret" not in repr(settings) and "s3cret" not in repr(kafka)


def test_the_database_url_carries_libpq_tls_parameters(cluster_env):
    url = ServiceSettings().database_url.get_secret_value()  # type: ignore[call-arg]
    assert url.startswith("postgresql://app:pw@presensi-db-rw:5432/app?")
    assert "sslmode=verify-full" in url
    assert f"sslrootcert={cluster_env['ASN_DATABASE_SSLROOTCERT']}".replace("/", "%2F") in url


def test_the_local_stack_stays_plaintext(monkeypatch, tmp_path):
    key = tmp_path / "pub.pem"
    key.write_text("x")
    monkeypatch.setenv("ASN_SERVICE_NAME", "pegawai")
    monkeypatch.setenv("ASN_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5/pegawai")
    monkeypatch.setenv("ASN_JWT_PUBLIC_KEY_FILE", str(key))
    settings = ServiceSettings()  # type: ignore[call-arg]
    assert kafka_client_args(settings.kafka) == {
        "bootstrap_servers": "127.0.0.1:19092",
        "security_protocol": "PLAINTEXT",
    }
    assert settings.database_url.get_secret_value().endswith("/pegawai")


@pytest.mark.parametrize(
    ("drop", "add", "message"),
    [
        ("ASN_KAFKA_SASL_PASSWORD_FILE", {}, "needs a SASL mechanism, a username and a password"),
        ("ASN_KAFKA_SASL_USERNAME", {}, "needs a SASL mechanism, a username and a password"),
        (None, {"ASN_KAFKA_SECURITY_PROTOCOL": "SSL"}, "a SASL mechanism needs SASL_SSL"),
        (None, {"ASN_KAFKA_SASL_PASSWORD": "x"}, "not both"),
        (None, {"ASN_KAFKA_SSL_CAFILE": "/nowhere/ca.crt"}, "no such file"),
        (None, {"ASN_DATABASE_SSLMODE": "verify-everything"}, "database_sslmode"),
    ],
)
def test_incomplete_or_wrong_connection_settings_refuse_to_start(
    cluster_env, monkeypatch, drop, add, message
):
    if drop:
        monkeypatch.delenv(drop)
    for name, value in add.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=message):
        ServiceSettings()  # type: ignore[call-arg]


def _assert_scram_over_tls(client: object) -> None:
    """aiokafka's clients keep their connection settings on their AIOKafkaClient."""
    assert client._security_protocol == "SASL_SSL"  # type: ignore[attr-defined]
    assert client._sasl_mechanism == "SCRAM-SHA-512"  # type: ignore[attr-defined]
    assert client._sasl_plain_username == "presensi"  # type: ignore[attr-defined]
    assert client._sasl_plain_password == "s3cret-from-strimzi"  # type: ignore[attr-defined]
    context = client._ssl_context  # type: ignore[attr-defined]
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert CA_NAME in _ca_names(context), "the cluster CA is trusted"


async def test_producer_consumer_and_admin_receive_the_settings(cluster_env):
    kafka = ServiceSettings().kafka  # type: ignore[call-arg]
    producer = idempotent_producer(kafka, client_id="presensi-relay")
    _assert_scram_over_tls(producer.client)
    consumer = AIOKafkaConsumer(**kafka_client_args(kafka), group_id="g")
    _assert_scram_over_tls(consumer._client)
    admin = AIOKafkaAdminClient(**kafka_client_args(kafka))
    _assert_scram_over_tls(admin._client)
    await producer.stop()
    await consumer.stop()
    await admin.close()


async def test_a_service_runtime_hands_the_settings_to_every_kafka_client(cluster_env, monkeypatch):
    settings = ServiceSettings()  # type: ignore[call-arg]
    runtime = ServiceRuntime(settings, [ConsumerSpec("presensi-pegawai", ["pegawai.events"])])
    try:
        producer = runtime.relay._producer_factory()
        _assert_scram_over_tls(producer.client)
        await producer.stop()
        assert runtime.kafka_probe._bootstrap == settings.kafka

        # The consumer group's client, built as `run()` builds it, and its dead-letter writer.
        built: list[AIOKafkaConsumer] = []

        class Stop(Exception):
            pass

        def capture(*args, **kwargs):
            built.append(AIOKafkaConsumer(*args, **kwargs))
            raise Stop

        async def no_topic(self: DeadLetterWriter) -> None:
            assert self._bootstrap == settings.kafka

        monkeypatch.setattr(consumer_module, "AIOKafkaConsumer", capture)
        monkeypatch.setattr(DeadLetterWriter, "ensure_topic", no_topic)
        with pytest.raises(Stop):
            await runtime.consumers[0].run()
        _assert_scram_over_tls(built[0]._client)
        await built[0].stop()

        # The database engine keeps libpq's parameters out of asyncpg's keywords.
        assert runtime.db.engine.url.query == {}
    finally:
        await runtime.db.dispose()


def test_engine_args_turn_libpq_tls_into_an_ssl_context(tmp_path):
    ca = _write_ca(tmp_path / "ca.crt")
    url, args = pg_engine_args(
        f"postgresql+asyncpg://app@db:5432/app?sslmode=verify-full&sslrootcert={ca}&x=1"
    )
    assert url == "postgresql+asyncpg://app@db:5432/app?x=1"
    context = args["ssl"]
    assert isinstance(context, ssl.SSLContext)
    assert context.check_hostname and context.verify_mode == ssl.CERT_REQUIRED
    assert CA_NAME in _ca_names(context)

    _, verify_ca = pg_engine_args(f"postgresql+asyncpg://db/app?sslmode=verify-ca&sslrootcert={ca}")
    assert not verify_ca["ssl"].check_hostname
    assert verify_ca["ssl"].verify_mode == ssl.CERT_REQUIRED

    assert pg_engine_args("postgresql+asyncpg://db/app?sslmode=require") == (
        "postgresql+asyncpg://db/app",
        {"ssl": "require"},
    )
    assert pg_engine_args("postgresql+asyncpg://db/app") == ("postgresql+asyncpg://db/app", {})


def test_a_kafka_connection_never_shows_its_password():
    connection = KafkaConnection(
        "k:9093", "SASL_SSL", "SCRAM-SHA-512", username="u", password="hunter2"
    )
    assert "hunter2" not in repr(connection)

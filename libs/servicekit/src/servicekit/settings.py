"""Service settings, read from the environment when a service starts (never at import)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from servicekit.connections import (
    KafkaConnection,
    KafkaSaslMechanism,
    KafkaSecurityProtocol,
    PgSslMode,
    with_pg_tls,
)


class KafkaSettings(BaseSettings):
    """How to reach the broker (`ASN_KAFKA_*`): a service's settings, and on their own for
    a tool that only reads topics (the `asn` command line)."""

    model_config = SettingsConfigDict(env_prefix="ASN_", extra="ignore", frozen=True)

    kafka_bootstrap: str = "127.0.0.1:19092"
    # Strimzi's TLS listener with SCRAM-SHA-512: the username is the KafkaUser's name, the
    # password its secret's `password` key (as env or a mounted file), the CA the cluster's.
    kafka_security_protocol: KafkaSecurityProtocol = "PLAINTEXT"
    kafka_sasl_mechanism: KafkaSaslMechanism | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_sasl_password_file: Path | None = Field(
        default=None, description="a file holding the password (a mounted secret's key)"
    )
    kafka_ssl_cafile: Path | None = None

    @model_validator(mode="after")
    def _kafka_connection(self) -> Self:
        if self.kafka_sasl_password is not None and self.kafka_sasl_password_file is not None:
            raise ValueError(
                "set ASN_KAFKA_SASL_PASSWORD or ASN_KAFKA_SASL_PASSWORD_FILE, not both"
            )
        for name in ("kafka_sasl_password_file", "kafka_ssl_cafile"):
            path: Path | None = getattr(self, name)
            if path is not None and not path.is_file():
                raise ValueError(f"ASN_{name.upper()}: no such file: {path}")
        self.kafka  # noqa: B018 - a protocol without its credentials fails here, at start
        return self

    @property
    def kafka(self) -> KafkaConnection:
        """The broker and how to authenticate: what every Kafka client of the service gets."""
        password = self.kafka_sasl_password
        if self.kafka_sasl_password_file is not None:
            password = SecretStr(self.kafka_sasl_password_file.read_text().strip())
        return KafkaConnection(
            bootstrap=self.kafka_bootstrap,
            security_protocol=self.kafka_security_protocol,
            sasl_mechanism=self.kafka_sasl_mechanism,
            username=self.kafka_sasl_username,
            password=password.get_secret_value() if password is not None else None,
            cafile=self.kafka_ssl_cafile,
        )


class ServiceSettings(KafkaSettings):
    """What every service needs; a service subclasses it for its own knobs.

    Every variable is prefixed `ASN_` (e.g. `ASN_DATABASE_URL`): one process runs one
    service, so the prefix does not need the service's name.
    """

    model_config = SettingsConfigDict(env_prefix="ASN_", extra="ignore", frozen=True)

    service_name: str
    environment: Literal["dev", "test", "production"] = "dev"
    database_url: SecretStr = Field(
        description="postgresql+asyncpg://user:password@host:port/db of this service's own database"
    )
    database_sslmode: PgSslMode | None = Field(
        default=None,
        description="libpq's sslmode (verify-full in a cluster); also accepted in the URL",
    )
    database_sslrootcert: Path | None = Field(
        default=None, description="CA of the database server (CloudNativePG: <cluster>-ca, ca.crt)"
    )
    events_topic: str | None = Field(
        default=None, description="Where this service publishes; `<service>.events` if unset"
    )
    host: str = Field(default="127.0.0.1", description="0.0.0.0 in a container")
    port: int = Field(default=8000, ge=1, le=65535)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024, description="larger bodies get 413")
    workers: int = Field(
        default=1,
        ge=1,
        le=32,
        description="uvicorn worker processes; each runs the relay and consumers as well "
        "(the relay's lock lets one publish at a time, the consumer group shares partitions)",
    )
    log_level: str = "INFO"
    log_json: bool = True

    jwt_issuer: str = "https://sso.sawahlunto.go.id"
    jwt_audience: str = "asn-suite"
    jwt_algorithms: tuple[str, ...] = ("EdDSA", "RS256")
    jwt_public_key_file: Path | None = None
    jwt_jwks_url: str | None = None
    # Where the identity provider puts who someone is. The defaults are the suite's own
    # contract (DESIGN: `sub` is the NIP); an IdP that keeps the NIP in an attribute of its
    # own, or roles under a nested claim (Keycloak: `realm_access.roles`), is mapped here.
    jwt_nip_claim: str = Field(default="sub", description="claim holding the NIP (dots: nested)")
    jwt_roles_claim: str = Field(default="roles", description="claim holding the list of roles")
    jwt_unit_claim: str = Field(default="unit_id", description="claim holding the unit code")

    relay_enabled: bool = True
    relay_batch_size: int = Field(default=500, ge=1, le=10_000)
    relay_poll_interval_s: float = Field(default=2.0, gt=0)
    relay_linger_s: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="wait after a NOTIFY so a burst shares a batch: less broker CPU per "
        "event at high rates, at that much commit-to-visible latency",
    )

    # Drill-only failpoints (servicekit.failpoints): off unless set, refused in production.
    failpoint_relay_crash_after_send: int | None = Field(
        default=None,
        ge=1,
        description="drill only: exit after the n-th batch Kafka acknowledged, before the mark",
    )
    failpoint_relay_crash_file: Path | None = Field(
        default=None,
        description="drill only: the relay failpoint is armed while this file exists, and "
        "deletes it as it fires",
    )

    # servicekit.housekeeping says why each retention is what it is.
    outbox_retention_days: int = Field(default=7, ge=1)
    idempotency_retention_days: int = Field(default=7, ge=1)
    inbox_retention_days: int = Field(default=400, ge=1)
    purge_interval_s: float = Field(default=600.0, gt=0)

    consumer_max_attempts: int = Field(default=5, ge=1)
    consumer_backoff_initial_s: float = Field(default=0.2, ge=0)
    consumer_backoff_max_s: float = Field(default=5.0, ge=0)

    @model_validator(mode="after")
    def _key_source(self) -> ServiceSettings:
        if self.jwt_public_key_file is None and self.jwt_jwks_url is None:
            raise ValueError("set ASN_JWT_PUBLIC_KEY_FILE or ASN_JWT_JWKS_URL")
        return self

    @model_validator(mode="after")
    def _no_failpoints_in_production(self) -> ServiceSettings:
        if self.environment == "production" and self.failpoint_relay_crash_after_send is not None:
            raise ValueError("ASN_FAILPOINT_* crash the process on purpose: drills only")
        return self

    @model_validator(mode="after")
    def _connections(self) -> ServiceSettings:
        root = self.database_sslrootcert
        if root is not None and not root.is_file():
            raise ValueError(f"ASN_DATABASE_SSLROOTCERT: no such file: {root}")
        # The TLS parameters travel inside the one URL every database client is given
        # (servicekit.connections); frozen, so the folded URL is written once, here.
        url = with_pg_tls(
            self.database_url.get_secret_value(), self.database_sslmode, self.database_sslrootcert
        )
        self.__dict__["database_url"] = SecretStr(url)
        return self

    @property
    def topic(self) -> str:
        """The one topic this service publishes to (DESIGN: `<service>.events`)."""
        return self.events_topic or f"{self.service_name}.events"

    @property
    def source(self) -> str:
        """CloudEvents `source` of this service's events."""
        return f"/sawahlunto/{self.service_name}"

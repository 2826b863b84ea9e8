"""How the clients reach Kafka and PostgreSQL: plaintext locally, TLS (and SCRAM) in a cluster.

The local stack speaks plaintext. In Kubernetes, Strimzi's TLS listener asks for
SCRAM-SHA-512 (the password from the service's `KafkaUser` secret, the broker certificate
signed by the cluster CA) and CloudNativePG serves TLS only. Every aiokafka client
(producer, consumers, admin, probe) takes its connection arguments from `kafka_client_args`,
and every SQLAlchemy engine from `pg_engine_args`, so one setting reaches them all.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal, TypeAlias
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

KafkaSecurityProtocol: TypeAlias = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
KafkaSaslMechanism: TypeAlias = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
PgSslMode: TypeAlias = Literal["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]


@dataclass(frozen=True)
class KafkaConnection:
    """A broker address and how to authenticate to it."""

    bootstrap: str
    security_protocol: KafkaSecurityProtocol = "PLAINTEXT"
    sasl_mechanism: KafkaSaslMechanism | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    cafile: Path | None = None
    """The CA that signed the brokers' certificates (Strimzi: `<cluster>-cluster-ca-cert`,
    key `ca.crt`); None trusts the system's CAs."""

    def __post_init__(self) -> None:
        sasl = self.security_protocol.startswith("SASL_")
        if sasl and (self.sasl_mechanism is None or not self.username or not self.password):
            raise ValueError(
                f"{self.security_protocol} needs a SASL mechanism, a username and a password"
            )
        if not sasl and self.sasl_mechanism is not None:
            raise ValueError(f"a SASL mechanism needs SASL_SSL or SASL_PLAINTEXT, not "
                             f"{self.security_protocol}")  # fmt: skip

    @property
    def uses_tls(self) -> bool:
        return self.security_protocol in ("SSL", "SASL_SSL")

    def client_args(self) -> dict[str, Any]:
        """Keyword arguments for any aiokafka client (AIOKafkaProducer, AIOKafkaConsumer,
        AIOKafkaAdminClient, AIOKafkaClient)."""
        args: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap,
            "security_protocol": self.security_protocol,
        }
        if self.uses_tls:
            # Verifies the broker's certificate and host name, as a cluster needs.
            args["ssl_context"] = ssl.create_default_context(
                cafile=str(self.cafile) if self.cafile is not None else None
            )
        if self.sasl_mechanism is not None:
            args["sasl_mechanism"] = self.sasl_mechanism
            args["sasl_plain_username"] = self.username
            args["sasl_plain_password"] = self.password
        return args


KafkaTarget: TypeAlias = str | KafkaConnection
"""Where a Kafka client connects: a plaintext bootstrap string (the local stack, tests) or a
`KafkaConnection` with its security settings."""


def kafka_client_args(target: KafkaTarget) -> dict[str, Any]:
    """The connection arguments of an aiokafka client for `target`."""
    if isinstance(target, str):
        return {"bootstrap_servers": target}
    return target.client_args()


# libpq's TLS parameters in a database URL. asyncpg reads them from a DSN itself; SQLAlchemy
# would hand them to asyncpg.connect() as keywords it does not take, so engines get them as
# one `ssl` argument instead (`pg_engine_args`).
_PG_TLS_PARAMS: Final = ("sslmode", "sslrootcert")
_PG_VERIFYING: Final = ("verify-ca", "verify-full")


def with_pg_tls(url: str, sslmode: PgSslMode | None, sslrootcert: Path | None) -> str:
    """`url` with libpq's `sslmode` and `sslrootcert` set in its query (unchanged if both are
    None): the one URL then carries TLS to asyncpg, SQLAlchemy and alembic alike."""
    if sslmode is None and sslrootcert is None:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in _PG_TLS_PARAMS]
    if sslmode is not None:
        query.append(("sslmode", sslmode))
    if sslrootcert is not None:
        query.append(("sslrootcert", str(sslrootcert)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def pg_engine_args(url: str) -> tuple[str, dict[str, Any]]:
    """A SQLAlchemy asyncpg URL without libpq's TLS parameters, and the `connect_args` that
    carry them (`{"ssl": ...}`), as `create_async_engine(url, connect_args=...)` needs."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query)
    tls = {k: v for k, v in pairs if k in _PG_TLS_PARAMS}
    if not tls:
        return url, {}
    rest = urlunsplit(parts._replace(query=urlencode([p for p in pairs if p[0] not in tls])))
    mode = tls.get("sslmode", "prefer")
    rootcert = tls.get("sslrootcert")
    if rootcert is None:
        # asyncpg applies libpq's meaning of the mode (~/.postgresql/root.crt, PGSSLROOTCERT).
        return rest, {"ssl": mode}
    if mode in ("disable", "allow", "prefer"):
        return rest, {"ssl": mode}
    # libpq: with a root certificate, `require` verifies the CA as `verify-ca` does.
    context = ssl.create_default_context(cafile=rootcert)
    context.check_hostname = mode == "verify-full"
    return rest, {"ssl": context}

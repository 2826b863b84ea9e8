"""Where the stack lives, which ports it takes, and which databases and topics it makes."""

from __future__ import annotations

import fnmatch
import os
import socket
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devstack.processes import StackError

# deploy/local/src/devstack/config.py → deploy/local
LOCAL_DIR = Path(__file__).resolve().parents[2]
REPO_ROOT = LOCAL_DIR.parents[1]
KAFKA_DIR = LOCAL_DIR / "kafka"
TOPICS_FILE = LOCAL_DIR / "topics.toml"

DEFAULT_DATABASES = ("pegawai", "kinerja", "pelatihan", "presensi", "aspirasi", "gateway")
# Not the usual 9092/5432: a system PostgreSQL or another Kafka may hold those.
DEFAULT_KAFKA_PORT = 19092
DEFAULT_CONTROLLER_PORT = 19093
DEFAULT_PG_PORT = 15432


TopicConfigs = Mapping[str, Mapping[str, str]]
"""Topic-name pattern → topic configs, e.g. `{"*.events": {"retention.ms": "-1"}}`."""


def _read_topics_file(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StackError(f"topic list not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise StackError(f"{path}: {exc}") from None


def load_topics(path: Path = TOPICS_FILE) -> dict[str, int]:
    """Topic name → partition count, from a file of `[topics."<name>"] partitions = N` tables."""
    data = _read_topics_file(path)
    topics: dict[str, int] = {}
    for name, spec in data.get("topics", {}).items():
        partitions = spec.get("partitions") if isinstance(spec, dict) else None
        if not isinstance(partitions, int) or isinstance(partitions, bool) or partitions < 1:
            raise StackError(f"{path}: topic {name!r} needs a positive integer `partitions`")
        topics[name] = partitions
    return topics


def load_topic_configs(path: Path = TOPICS_FILE) -> dict[str, dict[str, str]]:
    """Name pattern → topic configs, from `[configs."<pattern>"] "<key>" = <value>` tables.

    Values are given to Kafka as text; TOML integers are allowed for readability.
    """
    kinds = _read_topics_file(path).get("configs", {})
    if not isinstance(kinds, dict):
        raise StackError(f"{path}: `configs` must be a table of tables")
    configs: dict[str, dict[str, str]] = {}
    for pattern, values in kinds.items():
        if not isinstance(values, dict):
            raise StackError(f"{path}: configs {pattern!r} must be a table")
        for key, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise StackError(f"{path}: {pattern!r} {key!r} must be a number or a string")
        configs[pattern] = {key: str(value) for key, value in values.items()}
    return configs


def configs_for_topic(name: str, configs: TopicConfigs) -> dict[str, str]:
    """The configs a topic named `name` should have: every matching pattern, in order."""
    wanted: dict[str, str] = {}
    for pattern, values in configs.items():
        if fnmatch.fnmatchcase(name, pattern):
            wanted.update(values)
    return wanted


def default_cache_dir() -> Path:
    """Downloaded jars live outside the work tree, shared by every checkout on the machine."""
    explicit = os.environ.get("ASN_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "sawahlunto-asn"


def free_port(exclude: frozenset[int] | set[int] = frozenset()) -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port: int = sock.getsockname()[1]
        if port not in exclude:
            return port
    raise StackError("no free TCP port found on 127.0.0.1")


def _env_port(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        port = int(raw)
    except ValueError:
        raise StackError(f"{name}={raw!r} is not a port number") from None
    if not 0 < port < 65536:
        raise StackError(f"{name}={raw!r} is not a port number")
    return port


def _external_postgres(raw: str | None) -> str | None:
    """ASN_POSTGRES_URL: a PostgreSQL server (no database) the services use instead of ours."""
    if not raw:
        return None
    scheme, sep, rest = raw.partition("://")
    if not sep or scheme not in ("postgresql", "postgres", "postgresql+asyncpg"):
        raise StackError(f"ASN_POSTGRES_URL={raw!r}: expected postgresql://user:password@host:port")
    server, _, database = rest.partition("/")
    if database.split("?")[0]:
        raise StackError(
            f"ASN_POSTGRES_URL names a database ({database!r}): give the server only, "
            "each service uses its own database on it (services.toml `database`)"
        )
    return f"postgresql://{server}"


@dataclass(frozen=True)
class StackConfig:
    state_dir: Path
    kafka_port: int = DEFAULT_KAFKA_PORT
    controller_port: int = DEFAULT_CONTROLLER_PORT
    pg_port: int = DEFAULT_PG_PORT
    databases: tuple[str, ...] = DEFAULT_DATABASES
    topics: Mapping[str, int] = field(default_factory=load_topics)
    topic_configs: TopicConfigs = field(default_factory=load_topic_configs)
    cache_dir: Path = field(default_factory=default_cache_dir)
    external_kafka: str | None = None
    """A broker that runs elsewhere (ASN_KAFKA_BOOTSTRAP, e.g. the city's): devstack then
    neither starts nor stops the local one, and the services connect there."""
    external_postgres: str | None = None
    """A PostgreSQL server that runs elsewhere (ASN_POSTGRES_URL, without a database)."""
    kafka_proxied_port: int | None = None
    """A second listener of the broker (PROXIED) for the services, reached through a TCP
    proxy on `kafka_proxy_port` that forwards here (`make drill`'s latency and resets).
    Kafka clients connect to what the broker advertises, not to what they were given, so
    this listener advertises the proxy's port: every connection of a service then passes
    the proxy. The devstack tools and tests keep `kafka_port`, which advertises itself."""
    kafka_proxy_port: int | None = None
    """Where that proxy listens: the PROXIED listener's advertised port, and the services'
    bootstrap. Given together with `kafka_proxied_port`; the proxy is the caller's."""

    @property
    def kafka_bootstrap(self) -> str:
        """Where the services connect: the external broker, the proxy, or ours."""
        if self.external_kafka:
            return self.external_kafka
        return f"127.0.0.1:{self.kafka_proxy_port or self.kafka_port}"

    @property
    def kafka_listen_ports(self) -> tuple[int, ...]:
        """Every port the local broker listens on."""
        extra = (self.kafka_proxied_port,) if self.kafka_proxied_port else ()
        return (self.kafka_port, self.controller_port, *extra)

    def database_url(self, database: str) -> str:
        """A service's SQLAlchemy URL on the external server, or on the local cluster."""
        server = self.external_postgres or f"postgresql://postgres@127.0.0.1:{self.pg_port}"
        return f"postgresql+asyncpg://{server.partition('://')[2]}/{database}"

    def __post_init__(self) -> None:
        # Relative paths would change meaning when a child process runs in another folder.
        object.__setattr__(self, "state_dir", Path(self.state_dir).expanduser().absolute())
        object.__setattr__(self, "databases", tuple(self.databases))
        ports = (self.kafka_port, self.controller_port, self.pg_port)
        if len(set(ports)) != len(ports):
            raise StackError(f"the Kafka, controller and PostgreSQL ports must differ: {ports}")
        proxied = (self.kafka_proxied_port, self.kafka_proxy_port)
        if (proxied[0] is None) != (proxied[1] is None):
            raise StackError("kafka_proxied_port and kafka_proxy_port go together")
        if proxied[0] is not None and len({*ports, *proxied}) != len(ports) + 2:
            raise StackError(f"the proxied Kafka ports must differ from the others: {proxied}")

    def configs_for_topic(self, name: str) -> dict[str, str]:
        return configs_for_topic(name, self.topic_configs)

    @classmethod
    def default(cls) -> StackConfig:
        return cls(state_dir=REPO_ROOT / ".stack")

    @classmethod
    def from_env(cls) -> StackConfig:
        state_dir = os.environ.get("ASN_STACK_DIR")
        return cls(
            state_dir=Path(state_dir) if state_dir else REPO_ROOT / ".stack",
            kafka_port=_env_port("ASN_KAFKA_PORT", DEFAULT_KAFKA_PORT),
            controller_port=_env_port("ASN_KAFKA_CONTROLLER_PORT", DEFAULT_CONTROLLER_PORT),
            pg_port=_env_port("ASN_PG_PORT", DEFAULT_PG_PORT),
            external_kafka=os.environ.get("ASN_KAFKA_BOOTSTRAP") or None,
            external_postgres=_external_postgres(os.environ.get("ASN_POSTGRES_URL")),
        )

    @classmethod
    def for_tests(cls, state_dir: Path) -> StackConfig:
        """Fresh free ports, so a test stack never meets `make run`'s stack or another test's."""
        taken: set[int] = set()
        ports = []
        for _ in range(3):
            port = free_port(taken)
            taken.add(port)
            ports.append(port)
        return cls(
            state_dir=state_dir,
            kafka_port=ports[0],
            controller_port=ports[1],
            pg_port=ports[2],
        )

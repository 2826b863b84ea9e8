"""Where the stack lives, which ports it takes, and which databases and topics it makes."""

from __future__ import annotations

import os
import socket
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

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


def load_topics(path: Path = TOPICS_FILE) -> dict[str, int]:
    """Topic name → partition count, from a file of `[topics."<name>"] partitions = N` tables."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StackError(f"topic list not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise StackError(f"{path}: {exc}") from None
    topics: dict[str, int] = {}
    for name, spec in data.get("topics", {}).items():
        partitions = spec.get("partitions") if isinstance(spec, dict) else None
        if not isinstance(partitions, int) or isinstance(partitions, bool) or partitions < 1:
            raise StackError(f"{path}: topic {name!r} needs a positive integer `partitions`")
        topics[name] = partitions
    return topics


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


@dataclass(frozen=True)
class StackConfig:
    state_dir: Path
    kafka_port: int = DEFAULT_KAFKA_PORT
    controller_port: int = DEFAULT_CONTROLLER_PORT
    pg_port: int = DEFAULT_PG_PORT
    databases: tuple[str, ...] = DEFAULT_DATABASES
    topics: Mapping[str, int] = field(default_factory=load_topics)
    cache_dir: Path = field(default_factory=default_cache_dir)

    def __post_init__(self) -> None:
        # Relative paths would change meaning when a child process runs in another folder.
        object.__setattr__(self, "state_dir", Path(self.state_dir).expanduser().absolute())
        object.__setattr__(self, "databases", tuple(self.databases))
        ports = (self.kafka_port, self.controller_port, self.pg_port)
        if len(set(ports)) != len(ports):
            raise StackError(f"the Kafka, controller and PostgreSQL ports must differ: {ports}")

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

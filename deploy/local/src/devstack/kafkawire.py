"""Just enough of the Kafka wire protocol to check a broker, create topics and set their configs.

A JVM tool takes one to two seconds to start on two cores and TopicCommand creates one topic
per run; these requests take milliseconds, which matters for fixtures that make a topic per
test. Only non-flexible versions that Kafka 4.x serves are spoken: Metadata v4, CreateTopics v4,
DescribeConfigs v1, IncrementalAlterConfigs v0.
"""

from __future__ import annotations

import itertools
import socket
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

_METADATA = (3, 4)
_CREATE_TOPICS = (19, 4)
_DESCRIBE_CONFIGS = (32, 1)
_INCREMENTAL_ALTER_CONFIGS = (44, 0)

_TOPIC_RESOURCE = 2
_SET = 0

NONE = 0
UNKNOWN_TOPIC_OR_PARTITION = 3
TOPIC_ALREADY_EXISTS = 36
# Errors a just-started controller or broker gives before it settles.
RETRIABLE = frozenset({3, 5, 6, 7, 8, 13, 14, 15, 41})

_correlation = itertools.count(1)


class KafkaWireError(Exception):
    """The broker could not be reached or answered something unexpected."""


@dataclass(frozen=True)
class TopicInfo:
    name: str
    error: int
    internal: bool
    partitions: int
    leaderless: int


@dataclass(frozen=True)
class ClusterMetadata:
    broker_ids: tuple[int, ...]
    controller_id: int
    topics: dict[str, TopicInfo]


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def _take(self, fmt: str) -> int:
        (value,) = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return int(value)

    def int8(self) -> int:
        return self._take(">b")

    def int16(self) -> int:
        return self._take(">h")

    def int32(self) -> int:
        return self._take(">i")

    def string(self) -> str | None:
        size = self.int16()
        if size < 0:
            return None
        value = self.data[self.pos : self.pos + size].decode()
        self.pos += size
        return value

    def array(self, item: Callable[[], T]) -> list[T]:
        count = self.int32()
        return [item() for _ in range(max(count, 0))]


def _string(value: str) -> bytes:
    raw = value.encode()
    return struct.pack(">h", len(raw)) + raw


def _nullable_string(value: str | None) -> bytes:
    return struct.pack(">h", -1) if value is None else _string(value)


def _array(items: Sequence[bytes]) -> bytes:
    return struct.pack(">i", len(items)) + b"".join(items)


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            raise KafkaWireError("the broker closed the connection")
        chunks += chunk
    return bytes(chunks)


def _call(address: tuple[str, int], api: tuple[int, int], body: bytes, timeout: float) -> _Reader:
    correlation = next(_correlation) & 0x7FFFFFFF
    header = struct.pack(">hhi", api[0], api[1], correlation) + _string("devstack")
    request = header + body
    try:
        with socket.create_connection(address, timeout=timeout) as sock:
            sock.sendall(struct.pack(">i", len(request)) + request)
            (size,) = struct.unpack(">i", _recv_exactly(sock, 4))
            reply = _Reader(_recv_exactly(sock, size))
    except OSError as exc:
        raise KafkaWireError(f"{address[0]}:{address[1]}: {exc}") from exc
    if reply.int32() != correlation:
        raise KafkaWireError("the broker answered another request")
    return reply


def metadata(
    address: tuple[str, int], topics: Sequence[str] | None = None, *, timeout: float = 5.0
) -> ClusterMetadata:
    """Brokers and topics; `topics=None` asks for every topic."""
    if topics is None:
        body = struct.pack(">i", -1)
    else:
        body = struct.pack(">i", len(topics)) + b"".join(_string(t) for t in topics)
    body += struct.pack(">b", 0)  # never auto-create
    r = _call(address, _METADATA, body, timeout)
    r.int32()  # throttle_time_ms

    def broker() -> int:
        node_id = r.int32()
        r.string()  # host
        r.int32()  # port
        r.string()  # rack
        return node_id

    brokers = r.array(broker)
    r.string()  # cluster_id
    controller_id = r.int32()

    def partition() -> int:
        r.int16()  # error_code
        r.int32()  # partition_index
        leader = r.int32()
        r.array(r.int32)  # replica_nodes
        r.array(r.int32)  # isr_nodes
        return leader

    def topic() -> TopicInfo:
        error = r.int16()
        name = r.string() or ""
        internal = r.int8() != 0
        leaders = r.array(partition)
        return TopicInfo(name, error, internal, len(leaders), sum(1 for x in leaders if x < 0))

    found = r.array(topic)
    return ClusterMetadata(tuple(brokers), controller_id, {t.name: t for t in found})


def create_topics(
    address: tuple[str, int],
    topics: Mapping[str, int],
    *,
    configs: Mapping[str, Mapping[str, str]] | None = None,
    replication_factor: int = 1,
    timeout: float = 15.0,
) -> dict[str, tuple[int, str | None]]:
    """Topic → (error code, message); TOPIC_ALREADY_EXISTS means nothing was changed.

    `configs` gives topic configs (e.g. `retention.ms`) by topic name; a topic that
    already exists keeps its own (see `incremental_alter_configs`).
    """
    configs = configs or {}
    body = struct.pack(">i", len(topics))
    for name, partitions in topics.items():
        body += _string(name) + struct.pack(">ihi", partitions, replication_factor, 0)
        body += _array(
            [_string(key) + _nullable_string(value) for key, value in configs.get(name, {}).items()]
        )
    body += struct.pack(">ib", int(timeout * 1000), 0)
    r = _call(address, _CREATE_TOPICS, body, timeout + 5.0)
    r.int32()  # throttle_time_ms

    def result() -> tuple[str, int, str | None]:
        return r.string() or "", r.int16(), r.string()

    return {name: (code, message) for name, code, message in r.array(result)}


def describe_topic_configs(
    address: tuple[str, int], topics: Sequence[str], *, timeout: float = 5.0
) -> dict[str, tuple[int, dict[str, str | None]]]:
    """Topic → (error code, every config's current value, defaults included)."""
    body = _array(
        [struct.pack(">b", _TOPIC_RESOURCE) + _string(t) + struct.pack(">i", -1) for t in topics]
    )
    body += struct.pack(">b", 0)  # include_synonyms
    r = _call(address, _DESCRIBE_CONFIGS, body, timeout)
    r.int32()  # throttle_time_ms

    def synonym() -> None:
        r.string()  # name
        r.string()  # value
        r.int8()  # source

    def entry() -> tuple[str, str | None]:
        name = r.string() or ""
        value = r.string()
        r.int8()  # read_only
        r.int8()  # config_source
        r.int8()  # is_sensitive
        r.array(synonym)
        return name, value

    def result() -> tuple[str, int, dict[str, str | None]]:
        code = r.int16()
        r.string()  # error_message
        r.int8()  # resource_type
        name = r.string() or ""
        return name, code, dict(r.array(entry))

    return {name: (code, values) for name, code, values in r.array(result)}


def incremental_alter_configs(
    address: tuple[str, int],
    configs: Mapping[str, Mapping[str, str]],
    *,
    timeout: float = 15.0,
) -> dict[str, tuple[int, str | None]]:
    """Set the given configs of existing topics, leaving their other configs as they are.

    Topic → (error code, message). This is how a running stack takes a new retention
    without recreating (and emptying) its topics.
    """
    body = _array(
        [
            struct.pack(">b", _TOPIC_RESOURCE)
            + _string(topic)
            + _array(
                [
                    _string(key) + struct.pack(">b", _SET) + _nullable_string(value)
                    for key, value in values.items()
                ]
            )
            for topic, values in configs.items()
        ]
    )
    body += struct.pack(">b", 0)  # validate_only
    r = _call(address, _INCREMENTAL_ALTER_CONFIGS, body, timeout)
    r.int32()  # throttle_time_ms

    def result() -> tuple[str, int, str | None]:
        code = r.int16()
        message = r.string()
        r.int8()  # resource_type
        return r.string() or "", code, message

    return {name: (code, message) for name, code, message in r.array(result)}

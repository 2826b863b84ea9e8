"""Kafka client construction, in one place so every producer is idempotent with acks=all."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any, Final

from aiokafka import AIOKafkaProducer
from aiokafka.errors import (
    InvalidProducerEpoch,
    OutOfOrderSequenceNumber,
    ProducerClosed,
    ProducerFenced,
    UnknownProducerId,
)

from servicekit.connections import KafkaTarget, kafka_client_args

CONTENT_TYPE_HEADER = "content-type"
TRACEPARENT_HEADER = "traceparent"

FATAL_PRODUCER_ERRORS: tuple[type[BaseException], ...] = (
    OutOfOrderSequenceNumber,
    UnknownProducerId,
    InvalidProducerEpoch,
    ProducerFenced,
    ProducerClosed,
)
"""After these the idempotent producer's sequence state is unusable: build a new one.

aiokafka issue 1017: after a broker outage a producer can stay stuck on
OutOfOrderSequenceNumber; a fresh producer id clears it, and the outbox re-sends.
"""


EVENTS_SUFFIX: Final = ".events"
DEAD_LETTER_SUFFIX: Final = ".dlq"

EVENT_TOPIC_CONFIG: Final[Mapping[str, str]] = {"retention.ms": "-1", "retention.bytes": "-1"}
"""Event topics are the suite's history, read from the beginning by every new consumer group
(a new service, an analytics consumer, gateway.rebuild): never deleted, by age or by size."""

DEAD_LETTER_RETENTION: Final = timedelta(days=365)
"""A dead letter waits for a person to fix the cause and replay it: a year covers an appraisal
cycle and long leave; its original stays in the event topic for ever in any case."""

DEAD_LETTER_TOPIC_CONFIG: Final[Mapping[str, str]] = {
    "retention.ms": str(int(DEAD_LETTER_RETENTION.total_seconds() * 1000)),
    "retention.bytes": "-1",
}
# deploy/local/topics.toml states the same for the local stack (a test keeps them equal);
# the Kubernetes KafkaTopic resources carry them too.


def topic_config(name: str) -> dict[str, str]:
    """The configs a topic is created with, by the kind its name says (`<svc>.events`,
    `<group>.dlq`); other topics get the broker's defaults."""
    if name.endswith(EVENTS_SUFFIX):
        return dict(EVENT_TOPIC_CONFIG)
    if name.endswith(DEAD_LETTER_SUFFIX):
        return dict(DEAD_LETTER_TOPIC_CONFIG)
    return {}


def idempotent_producer(bootstrap: KafkaTarget, *, client_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        **kafka_client_args(bootstrap),
        client_id=client_id,
        enable_idempotence=True,  # implies acks="all"
        acks="all",
        # No linger: the relay hands a whole claimed batch over before the sender runs, so
        # batches fill anyway, and a lone event would only wait (commit-to-visible).
        linger_ms=0,
        max_batch_size=256 * 1024,
        request_timeout_ms=15_000,
        retry_backoff_ms=200,
    )


async def ensure_topics(
    bootstrap: KafkaTarget,
    partitions_by_topic: Mapping[str, int],
    *,
    config_overrides: Mapping[str, str] | None = None,
) -> None:
    """Create topics that don't exist yet (auto-creation is off on our brokers).

    Each gets `topic_config(name)` with `config_overrides` over it (a test's small segments,
    say); a topic that exists is left as it is.
    """
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    admin = AIOKafkaAdminClient(**kafka_client_args(bootstrap), request_timeout_ms=15_000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(
                name=name,
                num_partitions=count,
                replication_factor=1,
                topic_configs={**topic_config(name), **(config_overrides or {})},
            )
            for name, count in partitions_by_topic.items()
            if name not in existing
        ]
        if missing:
            # A concurrent creator may win the race; the topic then exists, which is all we want.
            response = await admin.create_topics(missing)
            for name, code, *_ in getattr(response, "topic_errors", ()):
                if code not in (0, 36):  # 36: TOPIC_ALREADY_EXISTS
                    raise RuntimeError(f"could not create topic {name}: error code {code}")
    finally:
        await admin.close()


class KafkaProbe:
    """Answers "can we reach the broker now?" for /health/ready, with one long-lived client."""

    def __init__(self, bootstrap: KafkaTarget, *, timeout_s: float = 2.0) -> None:
        self._bootstrap = bootstrap
        self._timeout_s = timeout_s
        self._client: Any = None

    async def check(self) -> None:
        import asyncio

        from aiokafka.client import AIOKafkaClient

        if self._client is None:
            self._client = AIOKafkaClient(
                **kafka_client_args(self._bootstrap),
                request_timeout_ms=int(self._timeout_s * 1000),
            )
            await asyncio.wait_for(self._client.bootstrap(), self._timeout_s)
        await asyncio.wait_for(self._client.fetch_all_metadata(), self._timeout_s)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None


async def topic_partitions(bootstrap: KafkaTarget, topic: str) -> list[int]:
    """The partition numbers of a topic as the broker knows them now ([] if it doesn't exist)."""
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(**kafka_client_args(bootstrap), request_timeout_ms=15_000)
    await admin.start()
    try:
        described = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return sorted(
        partition["partition"]
        for entry in described
        if entry["topic"] == topic and entry["error_code"] == 0
        for partition in entry["partitions"]
    )

"""`asn dlq`: the dead-letter topics, what each letter holds, and replaying them."""

from __future__ import annotations

from dataclasses import dataclass

from aiokafka import TopicPartition
from aiokafka.structs import ConsumerRecord
from asn_schemas import parse_envelope
from pydantic import ValidationError
from servicekit.connections import KafkaTarget
from servicekit.deadletter import DLQ_PREFIX, dlq_topic
from servicekit.kafka import topic_partitions

from asn_cli import clients
from asn_cli.failures import CliError

DLQ_SUFFIX = ".dlq"


@dataclass(frozen=True, slots=True)
class DeadLetterTopic:
    group: str
    topic: str
    letters: int


@dataclass(frozen=True, slots=True)
class DeadLetter:
    partition: int
    offset: int
    event_type: str
    original: str
    error: str
    attempts: str
    failed_at: str


async def dead_letter_topics(bootstrap: KafkaTarget) -> list[DeadLetterTopic]:
    """Every `<group>.dlq` topic with the letters it holds (all kept: 365 days)."""
    async with clients.reader(bootstrap, "asn-dlq") as consumer:
        topics = sorted(t for t in await consumer.topics() if t.endswith(DLQ_SUFFIX))
        out = []
        for topic in topics:
            tps = [TopicPartition(topic, p) for p in await topic_partitions(bootstrap, topic)]
            begin = await consumer.beginning_offsets(tps)
            end = await consumer.end_offsets(tps)
            letters = sum(end[tp] - begin[tp] for tp in tps)
            out.append(DeadLetterTopic(topic.removesuffix(DLQ_SUFFIX), topic, letters))
        return out


def _headers(record: ConsumerRecord[bytes, bytes]) -> dict[str, str]:
    return {
        key.removeprefix(DLQ_PREFIX): bytes(value).decode(errors="replace")
        for key, value in record.headers or ()
        if key.startswith(DLQ_PREFIX)
    }


def describe(record: ConsumerRecord[bytes, bytes]) -> DeadLetter:
    headers = _headers(record)
    try:
        event_type = parse_envelope(record.value or b"").type
    except (ValidationError, ValueError):
        event_type = f"<not an event: {len(record.value or b'')} bytes>"
    original = "{}/{}@{}".format(
        headers.get("original.topic", "?"),
        headers.get("original.partition", "?"),
        headers.get("original.offset", "?"),
    )
    # The writer's message already starts with the exception's type.
    error = headers.get("error.message") or headers.get("error.type", "?")
    return DeadLetter(
        record.partition,
        record.offset,
        event_type,
        original,
        error,
        headers.get("attempts", "?"),
        headers.get("failed_at", "?"),
    )


async def dead_letters(bootstrap: KafkaTarget, group: str, *, limit: int) -> list[DeadLetter]:
    """The first `limit` letters of a group's dead-letter topic, oldest first."""
    topic = dlq_topic(group)
    partitions = await topic_partitions(bootstrap, topic)
    async with clients.reader(bootstrap, "asn-dlq") as consumer:
        if not partitions:
            raise CliError(f"no dead-letter topic {topic!r} (see `asn dlq list`)")
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        end = await consumer.end_offsets(tps)
        found: list[DeadLetter] = []
        while len(found) < limit and any([await consumer.position(tp) < end[tp] for tp in tps]):
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                found += [
                    describe(r)
                    for r in records
                    if r.offset < end[TopicPartition(topic, r.partition)]
                ]
        return sorted(found, key=lambda d: (d.failed_at, d.partition, d.offset))[:limit]

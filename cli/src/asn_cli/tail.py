"""`asn tail`: a topic's events as one line each, filtered by type or NIP."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from aiokafka import TopicPartition
from aiokafka.structs import ConsumerRecord
from asn_schemas import parse_envelope
from pydantic import ValidationError
from servicekit.connections import KafkaTarget
from servicekit.kafka import topic_partitions

from asn_cli import clients
from asn_cli.failures import CliError

WIB = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True, slots=True)
class TailFilter:
    event_type: str | None = None
    nip: str | None = None

    def matches(self, record: ConsumerRecord[bytes, bytes]) -> bool:
        if self.event_type is None and self.nip is None:
            return True
        try:
            envelope = parse_envelope(record.value or b"")
        except (ValidationError, ValueError):
            return False
        if self.event_type is not None and envelope.type != self.event_type:
            return False
        if self.nip is None:
            return True
        key = (record.key or b"").decode(errors="replace")
        return self.nip in (key, envelope.subject, str(envelope.data.get("nip", "")))


def format_line(record: ConsumerRecord[bytes, bytes], *, as_json: bool = False) -> str:
    """`<WIB time>  <topic>/<partition>@<offset>  <type>  <subject>`, or the raw value."""
    if as_json:
        return (record.value or b"").decode(errors="replace")
    at = datetime.fromtimestamp(record.timestamp / 1000, UTC).astimezone(WIB)
    where = f"{record.topic}/{record.partition}@{record.offset}"
    try:
        envelope = parse_envelope(record.value or b"")
    except (ValidationError, ValueError):
        size = len(record.value or b"")
        return f"{at:%Y-%m-%d %H:%M:%S}  {where}  <not an event: {size} bytes>"
    return f"{at:%Y-%m-%d %H:%M:%S}  {where}  {envelope.type}  {envelope.subject}"


async def tail(
    bootstrap: KafkaTarget,
    topic: str,
    *,
    where: TailFilter,
    from_beginning: bool,
    follow: bool,
    limit: int | None,
    emit: Callable[[ConsumerRecord[bytes, bytes]], None],
) -> int:
    """Print matching records; without `follow`, stop at the end the topic had at the start."""
    shown = 0
    partitions = await topic_partitions(bootstrap, topic)
    async with clients.reader(bootstrap, "asn-tail") as consumer:
        if not partitions:
            known = sorted(t for t in await consumer.topics() if not t.startswith("__"))
            raise CliError(f"no topic {topic!r}; there are: {', '.join(known) or 'none'}")
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        if from_beginning:
            await consumer.seek_to_beginning(*tps)
        else:
            await consumer.seek_to_end(*tps)
        end = await consumer.end_offsets(tps)
        while limit is None or shown < limit:
            if not follow and all([await consumer.position(tp) >= end[tp] for tp in tps]):
                break
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                for record in records:
                    if where.matches(record):
                        emit(record)
                        shown += 1
                        if limit is not None and shown >= limit:
                            return shown
    return shown

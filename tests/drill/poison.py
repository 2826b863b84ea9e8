"""The drill's fault 7: poison on every event topic the drill's consumers read.

Three kinds per topic, as a broken or foreign producer could write them: bytes that are
not JSON, JSON that is not a CloudEvent, and a CloudEvent of a type every reader of that
topic handles whose payload breaks the type's contract. Each consumer group must park
each of them in `<group>.dlq` (once) and go on: the check counts them there per group and
topic, waits for every group's lag to return to zero, and the workload around the poison
is tallied like every other drill (lost and duplicated 0).
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaProducer
from asn_cli.lag import group_lag, totals
from asn_schemas.envelope import dataschema_uri, source_for
from devstack.config import load_topics
from drill_suite import DrillSuite
from servicekit.deadletter import dlq_topic
from servicekit.testing import read_topic_records

CHECK_TIMEOUT_S = 300.0

CONTRACT_TYPES: Mapping[str, str] = {
    "pegawai.events": "pegawai.employee.registered.v1",
    "kinerja.events": "kinerja.appraisal.finalized.v1",
    "pelatihan.events": "pelatihan.training.completed.v1",
    "presensi.events": "presensi.attendance.checked_in.v1",
    "aspirasi.events": "aspirasi.unit.signal_computed.v1",  # the one kinerja reads too
}
"""Per topic, a type that each of its readers below handles: only a handled type's payload
is validated (a consumer skips the types it does not handle, whatever their data)."""

READERS: Mapping[str, Sequence[str]] = {
    "gateway": tuple(CONTRACT_TYPES),  # the projector reads every topic for the read model
    "presensi": ("pegawai.events",),
    "pegawai": ("kinerja.events", "pelatihan.events"),
    "kinerja": ("pegawai.events", "aspirasi.events"),
}
"""The drill's consumer groups and what each reads (their ConsumerSpecs)."""

KINDS = ("not-json", "not-a-cloudevent", "payload-breaks-contract")


def poison_messages(topic: str, event_type: str, marker: str) -> list[bytes]:
    """The three poisons for one topic, in KINDS' order."""
    service = topic.removesuffix(".events")
    event: dict[str, Any] = {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": source_for(service),
        "type": event_type,
        "subject": marker,
        "time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "datacontenttype": "application/json",
        "dataschema": dataschema_uri(event_type),
        "actor": "system:drill",
        "data": {"poison": marker},  # none of the type's required fields
    }
    return [
        b"\xff\xfe drill poison " + marker.encode() + b" \x00",
        json.dumps({"poison": marker, "hello": "not an event"}).encode(),
        json.dumps(event).encode(),
    ]


async def topic_events(bootstrap: str, topic: str) -> list[dict[str, Any]]:
    """Every JSON object on a topic, decoded; what is not one (the poison) is left out, as
    the consumers leave it (servicekit.testing.read_topic_events expects events only)."""
    return json_objects(record.value for record in await read_topic_records(bootstrap, topic))


def json_objects(values: Iterable[bytes | None]) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for value in values:
        try:
            decoded = json.loads(value or b"")
        except ValueError:  # JSONDecodeError, or bytes that are no text at all
            continue
        if isinstance(decoded, dict):
            objects.append(decoded)
    return objects


@dataclass
class PoisonFault:
    suite: DrillSuite
    marker: str = field(default_factory=lambda: f"drill-poison-{uuid.uuid4().hex[:8]}")
    topics: list[str] = field(default_factory=list)

    async def inject(self) -> float:
        """The fault: every poison on every topic the drill's consumers read."""
        self.topics = [topic for topic in load_topics() if topic in CONTRACT_TYPES]
        producer = AIOKafkaProducer(bootstrap_servers=self.suite.stack.kafka.bootstrap, acks="all")
        await producer.start()
        try:
            for topic in self.topics:
                for value in poison_messages(topic, CONTRACT_TYPES[topic], self.marker):
                    await producer.send_and_wait(topic, value=value, key=self.marker.encode())
        finally:
            await producer.stop()
        print(
            f"[drill] fault: {len(KINDS)} poison messages on each of {len(self.topics)} topics "
            f"(key {self.marker})",
            flush=True,
        )
        return time.monotonic()

    def expected(self) -> dict[tuple[str, str], int]:
        """(group, topic) → dead letters the poison must leave there."""
        return {
            (group, topic): len(KINDS)
            for group, topics in READERS.items()
            for topic in topics
            if topic in self.topics
        }

    async def dead_letters(self) -> dict[tuple[str, str], int]:
        bootstrap = self.suite.stack.kafka.bootstrap
        found: dict[tuple[str, str], int] = {}
        for group in READERS:
            for record in await read_topic_records(bootstrap, dlq_topic(group)):
                if record.key != self.marker.encode():
                    continue
                headers = {k: bytes(v).decode() for k, v in record.headers or ()}
                key = (group, headers.get("dlq.original.topic", "?"))
                found[key] = found.get(key, 0) + 1
        return found

    async def verify(self) -> bool:
        """Every poison in every reader's DLQ (once), and every group's lag back to zero."""
        expected = self.expected()
        deadline = time.monotonic() + CHECK_TIMEOUT_S
        while True:
            found = await self.dead_letters()
            if found == expected or time.monotonic() > deadline:
                break
            await asyncio.sleep(1.0)
        lag: dict[str, int] = {}
        while time.monotonic() < deadline:
            rows = await group_lag(self.suite.stack.kafka.bootstrap)
            lag = {g: n for g, n in totals(rows).items() if g in READERS}
            if set(lag) == set(READERS) and not any(lag.values()):
                break
            await asyncio.sleep(1.0)
        for (group, topic), want in sorted(expected.items()):
            got = found.get((group, topic), 0)
            print(f"[drill] poison: {topic} -> {dlq_topic(group)}: {got} of {want}", flush=True)
        for key in sorted(set(found) - set(expected)):
            print(f"[drill] poison: unexpected dead letters {key}: {found[key]}", flush=True)
        print(f"[drill] poison: consumer lag after: {lag}", flush=True)
        return found == expected and set(lag) == set(READERS) and not any(lag.values())

"""Rebuild the read model from the beginning of the topics, then swap it in.

    uv run asn rebuild gateway                (the local stack, or flags / ASN_* settings)
    uv run python -m gateway.rebuild          (an alias: ASN_DATABASE_URL, ASN_KAFKA_BOOTSTRAP)

Replays every event of the source topics (pegawai, presensi, kinerja) into fresh tables
in schema `readmodel_new` while the gateway keeps serving from `readmodel`, then — in one
transaction holding the swap lock that the live consumer's batches hold shared — applies
what the live consumer applied meanwhile and renames the schemas. Readers never wait for
more than that rename; the live consumer goes on afterwards into the new tables, whose
per-partition offsets skip what they already hold.

It ends where the live tables are: a re-sent event (same id at a later offset) is applied
once, as the live consumer does (`applied_event`). An event that cannot be applied goes
to the gateway group's dead-letter topic (`<group>.dlq`, replayed as any other) and the
rebuild goes on; garbage and broken payloads are skipped (the live consumer has parked
them). The result counts each.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import ConsumerRecord
from asn_schemas import parse_envelope, payload_model
from pydantic import BaseModel, ValidationError, model_validator
from servicekit.connections import kafka_client_args
from servicekit.consumer import ConsumedEvent
from servicekit.db import Database, database_unavailable
from servicekit.deadletter import DeadLetterWriter, dlq_topic
from servicekit.logging import configure_logging, get_logger
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from gateway.models import SCHEMA, applied_offset, create_tables
from gateway.projections import HANDLED_TYPES, apply_events
from gateway.projections.apply import SWAP_LOCK_KEY
from gateway.settings import GatewaySettings

log = get_logger(__name__)
NEW_SCHEMA = f"{SCHEMA}_new"
OLD_SCHEMA = f"{SCHEMA}_old"
Decoded = tuple[ConsumerRecord[bytes, bytes], ConsumedEvent]
_OFFSETS = select(applied_offset.c.topic, applied_offset.c.partition, applied_offset.c.offset)


class RebuildSettings(GatewaySettings):
    """The gateway's settings without the token-verification key: a rebuild serves no requests.

    Asking an operator for ASN_JWT_PUBLIC_KEY_FILE to replay topics into tables was a
    pydantic traceback about a setting the rebuild never reads.
    """

    @model_validator(mode="after")
    def _key_source(self) -> RebuildSettings:
        return self


@dataclass
class RebuildResult:
    applied: int = 0
    skipped: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    caught_up_in_swap: int = 0
    offsets: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _decode(record: ConsumerRecord[bytes, bytes]) -> ConsumedEvent | None:
    try:
        envelope = parse_envelope(record.value or b"")
    except (ValidationError, ValueError):
        return None
    if envelope.type not in HANDLED_TYPES:
        return None
    model = payload_model(envelope.type)
    data: BaseModel | dict[str, object] = envelope.data
    if model is not None:
        try:
            data = model.model_validate(envelope.data, extra="ignore")
        except ValidationError:
            return None  # the live consumer dead-lettered it as well
    return ConsumedEvent(envelope, data, record.topic, record.partition, record.offset)


Progress = Callable[[int, int], None]
"""Called after each batch with (records read, records the topics held when it began)."""


class Rebuild:
    def __init__(
        self, settings: GatewaySettings, *, batch: int = 2000, progress: Progress | None = None
    ) -> None:
        self.settings = settings
        self.progress = progress
        self._read, self._total = 0, 0
        self.db = Database(settings.database_url.get_secret_value(), pool_size=2)
        self.topics = list(settings.source_topics.values())
        self.batch = batch
        self.result = RebuildResult()
        self.dead_letters = DeadLetterWriter(settings.kafka, settings.consumer_group)

    async def run(self) -> RebuildResult:
        started = time.perf_counter()
        consumer = AIOKafkaConsumer(
            **kafka_client_args(self.settings.kafka),
            enable_auto_commit=False,
            client_id=f"{self.settings.consumer_group}-rebuild",
            max_poll_records=self.batch,
        )
        await consumer.start()
        try:
            await self.dead_letters.ensure_topic()
            await self._fresh_schema()
            partitions = await self._partitions(consumer)
            consumer.assign(partitions)
            await consumer.seek_to_beginning(*partitions)
            end = await consumer.end_offsets(partitions) if partitions else {}
            begin = await consumer.beginning_offsets(partitions) if partitions else {}
            self._total = sum(end[tp] - begin[tp] for tp in partitions)
            await self._replay(consumer, {tp: end[tp] - 1 for tp in partitions}, None)
            await self._swap(consumer, partitions)
        finally:
            await consumer.stop()
            await self.dead_letters.close()
            await self.db.dispose()
        self.result.seconds = round(time.perf_counter() - started, 3)
        return self.result

    async def _fresh_schema(self) -> None:
        async with self.db.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{NEW_SCHEMA}" CASCADE'))
            await conn.run_sync(create_tables, NEW_SCHEMA)

    async def _partitions(self, consumer: AIOKafkaConsumer) -> list[TopicPartition]:
        await consumer._client.force_metadata_update()
        return [
            TopicPartition(topic, p)
            for topic in self.topics
            for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]

    async def _replay(
        self,
        consumer: AIOKafkaConsumer,
        last: dict[TopicPartition, int],
        conn: AsyncConnection | None,
    ) -> int:
        """Apply every record up to `last[tp]` (inclusive) of each partition into the new
        schema; in `conn` when given (the swap transaction), else a transaction per batch."""
        pending = {tp for tp, offset in last.items() if offset >= await consumer.position(tp)}
        applied = 0
        while pending:
            batches = await consumer.getmany(*pending, timeout_ms=1000)
            events: list[Decoded] = []
            for tp, records in batches.items():
                for record in records:
                    if record.offset > last[tp]:
                        continue
                    self._read += 1
                    event = _decode(record)
                    if event is None:
                        self.result.skipped += 1
                    else:
                        events.append((record, event))
            if events:
                applied += await self._apply(events, conn)
            if self.progress is not None and conn is None:
                self.progress(self._read, self._total)
            for tp in list(pending):
                if await consumer.position(tp) > last[tp]:
                    pending.discard(tp)
        return applied

    async def _apply(self, events: list[Decoded], conn: AsyncConnection | None) -> int:
        if conn is not None:
            return await self._apply_or_park(conn, events)
        async with self.db.engine.begin() as own:
            return await self._apply_or_park(own, events)

    async def _apply_or_park(self, conn: AsyncConnection, events: list[Decoded]) -> int:
        """The batch in a savepoint; if it fails, each event in its own, and one that still
        fails is dead-lettered, so one bad event costs itself, not the rebuild. A lost
        database is no fault of an event: it ends the rebuild (run it again)."""
        try:
            async with conn.begin_nested():
                return await self._apply_in(conn, [event for _, event in events])
        except Exception as exc:
            if database_unavailable(exc):
                raise
            log.info("rebuild batch failed; applying its events one by one", error=repr(exc))
        applied = 0
        for record, event in events:
            try:
                async with conn.begin_nested():
                    applied += await self._apply_in(conn, [event])
            except Exception as exc:
                if database_unavailable(exc):
                    raise
                await self.dead_letters.send(record, exc, attempts=1)
                self.result.dead_lettered += 1
        return applied

    async def _apply_in(self, conn: AsyncConnection, events: list[ConsumedEvent]) -> int:
        target = await conn.execution_options(schema_translate_map={SCHEMA: NEW_SCHEMA})
        count = await apply_events(target, events, lock=False)
        self.result.applied += count
        self.result.duplicates += len(events) - count
        return count

    async def _swap(self, consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> None:
        async with self.db.engine.begin() as conn:
            await conn.execute(text(f"SELECT pg_advisory_xact_lock({SWAP_LOCK_KEY})"))
            live = {
                TopicPartition(topic, partition): offset
                for topic, partition, offset in await conn.execute(_OFFSETS)
            }
            behind = {tp: off for tp, off in live.items() if tp in partitions}
            for tp in behind:
                consumer.seek(tp, max(await consumer.position(tp), 0))
            self.result.caught_up_in_swap = await self._replay(consumer, behind, conn)
            await conn.execute(text(f'ALTER SCHEMA "{SCHEMA}" RENAME TO "{OLD_SCHEMA}"'))
            await conn.execute(text(f'ALTER SCHEMA "{NEW_SCHEMA}" RENAME TO "{SCHEMA}"'))
            await conn.execute(text(f'DROP SCHEMA "{OLD_SCHEMA}" CASCADE'))
            rows = await conn.execute(_OFFSETS)
            self.result.offsets = {f"{t}/{p}": o for t, p, o in rows}


async def rebuild(settings: GatewaySettings, progress: Progress | None = None) -> RebuildResult:
    return await Rebuild(settings, progress=progress).run()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gateway.rebuild", description=__doc__.split("\n")[0])
    parser.parse_args(argv)
    settings = RebuildSettings()
    configure_logging("gateway-rebuild", settings.log_level, json=settings.log_json)
    result = asyncio.run(rebuild(settings))
    print(
        f"read model rebuilt: {result.applied} events applied "
        f"({result.caught_up_in_swap} during the swap), {result.duplicates} duplicates, "
        f"{result.skipped} skipped, {result.dead_lettered} dead-lettered "
        f"(to {dlq_topic(settings.consumer_group)}), {result.seconds} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Pytest fixtures on the real broker and database (a pytest plugin, loaded by the root conftest).

The session starts its own stack on free ports in `.stack-test/`, so a test run never
collides with `make run`; where a Docker engine answers, devstack picks testcontainers
instead (ASN_TEST_BACKEND=local|containers forces one).
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import ConsumerRecord
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import TypeAdapter
from sqlmodel import SQLModel
from starlette.routing import compile_path

from servicekit.db import Database
from servicekit.devkeys import ensure_dev_keys, mint_token
from servicekit.kafka import ensure_topics, topic_partitions

REPO_ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture(scope="session")
def stack() -> Iterator[Any]:
    """Kafka and PostgreSQL for this test session, on free ports; removed at its end.

    Each session gets its own state folder, so two test runs at once (or a test run
    beside `make run`) never share a broker or a cluster.
    """
    from devstack import make_stack  # only sessions with integration tests start a stack

    base = Path(os.environ.get("ASN_TEST_STACK_DIR", REPO_ROOT / ".stack-test"))
    base.mkdir(parents=True, exist_ok=True)
    test_stack = make_stack(Path(tempfile.mkdtemp(prefix="session-", dir=base)))
    test_stack.start()
    try:
        yield test_stack
    finally:
        test_stack.destroy()


@pytest.fixture(scope="session")
def kafka_bootstrap(stack: Any) -> str:
    bootstrap: str = stack.kafka.bootstrap
    return bootstrap


@pytest.fixture
def new_database(stack: Any) -> Callable[[str], Awaitable[str]]:
    """Create an empty database named after the test; returns its asyncpg DSN."""

    async def create(prefix: str = "t") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        admin = await asyncpg.connect(stack.postgres.dsn("postgres"))
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        dsn: str = stack.postgres.dsn(name)
        return dsn

    return create


@pytest.fixture
async def service_db(new_database: Callable[[str], Awaitable[str]]) -> AsyncIterator[Database]:
    """A fresh database holding every SQLModel table imported so far (outbox and inbox too)."""
    dsn = await new_database("svc")
    db = Database(dsn, pool_size=5)
    async with db.engine.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all)
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture
def new_topic(kafka_bootstrap: str) -> Callable[..., Awaitable[str]]:
    """Create a uniquely named event topic, so tests never read each other's events.

    It is made as the suite's event topics are (kept for ever); `config` adds or overrides
    topic configs, e.g. small segments.
    """

    async def create(
        prefix: str = "test", partitions: int = 3, config: dict[str, str] | None = None
    ) -> str:
        name = f"{prefix}.{uuid.uuid4().hex[:8]}.events"
        await ensure_topics(kafka_bootstrap, {name: partitions}, config_overrides=config)
        return name

    return create


@pytest.fixture(scope="session")
def dev_keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return ensure_dev_keys(tmp_path_factory.mktemp("dev-keys"))


@pytest.fixture(scope="session")
def token_for(dev_keys: tuple[Path, Path]) -> Callable[..., str]:
    """Mint a token as the city's IdP would: `token_for("1985...", "bkpsdm", unit="bkpsdm")`."""
    private = dev_keys[0].read_bytes()

    def mint(sub: str, *roles: str, unit: str | None = None, ttl_s: int = 3600) -> str:
        return mint_token(private, sub=sub, roles=roles or ("pegawai",), unit_id=unit, ttl_s=ttl_s)

    return mint


async def eventually(
    check: Callable[[], Awaitable[bool]], *, timeout_s: float = 120.0, what: str = "condition"
) -> None:
    """Wait for an asynchronous outcome; the generous limit only guards against a hang."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout_s:.0f} s")
        await asyncio.sleep(0.1)


async def read_topic_records(bootstrap: str, topic: str) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record now in the topic, partition by partition (no group, no commits)."""
    tps = [TopicPartition(topic, p) for p in await topic_partitions(bootstrap, topic)]
    if not tps:
        return []
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        end = await consumer.end_offsets(tps)
        records: list[ConsumerRecord[bytes, bytes]] = []
        while [tp for tp in tps if await consumer.position(tp) < end[tp]]:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                records.extend(batch)
        return records
    finally:
        await consumer.stop()


async def read_topic_events(bootstrap: str, topic: str) -> list[dict[str, Any]]:
    """Every event now in the topic, decoded, with its Kafka key (`_key`) and `_headers`."""
    events: list[dict[str, Any]] = []
    for record in await read_topic_records(bootstrap, topic):
        event: dict[str, Any] = json.loads(record.value or b"{}")
        event["_key"] = record.key.decode() if record.key else None
        event["_headers"] = {k: bytes(v).decode() for k, v in record.headers or ()}
        events.append(event)
    return events


async def read_topic_config(bootstrap: str, topic: str) -> dict[str, str | None]:
    """Every config of a topic as the broker reports it now (its defaults included).

    A topic created a moment ago may not have reached the broker's metadata yet
    (UNKNOWN_TOPIC_OR_PARTITION): that is waited out.
    """
    from aiokafka.admin import AIOKafkaAdminClient
    from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

    found: dict[str, str | None] = {}

    async def described() -> bool:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=15_000)
        await admin.start()
        try:
            resource = ConfigResource(ConfigResourceType.TOPIC, topic)
            responses = await admin.describe_configs([resource])
        finally:
            await admin.close()
        for response in responses:
            for error_code, _message, _type, name, entries in response.resources:
                if name != topic or error_code == 3:
                    continue
                if error_code != 0:
                    raise AssertionError(f"describing {topic}: error {error_code}")
                found.update((entry[0], entry[1]) for entry in entries)
                return True
        return False

    await eventually(described, timeout_s=30, what=f"the broker describing {topic}")
    return found


def answers_as_declared(app: FastAPI) -> Callable[[httpx.Response], Awaitable[None]]:
    """A response hook for a service's test client: every 2xx JSON answer must validate
    against the response model its route declares (an undeclared key fails too, the answer
    models forbid extras), so each integration test also proves the OpenAPI's declarations
    true on the answers real flows produce, not only on what a fuzzer happens to reach."""
    # `iter_route_contexts`, not `app.routes`: since FastAPI 0.165 an included router is one
    # `_IncludedRouter` entry there, and its routes (every service's and the gateway's views)
    # would go unchecked.
    routes = [
        (context.methods or set(), compile_path(context.path)[0], TypeAdapter(model))
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        and (model := getattr(context, "response_model", None)) is not None
        and context.path is not None
    ]

    async def check(response: httpx.Response) -> None:
        if not 200 <= response.status_code < 300:
            return
        if not response.headers.get("content-type", "").startswith("application/json"):
            return
        request = response.request
        for methods, path_regex, model in routes:
            if request.method in methods and path_regex.match(request.url.path):
                await response.aread()
                # Raises pydantic's ValidationError naming the field: the test fails there.
                model.validate_json(response.content)
                return

    return check

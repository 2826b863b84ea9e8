"""The presensi app on a fresh migrated database and its own Kafka topics, driven over HTTP;
its replica is fed by pegawai events published on the test's own pegawai topic."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from asn_schemas.pegawai import EmployeeRegisteredV1, UnitCreatedV1
from presensi.main import create_app, migrate
from presensi.settings import PresensiSettings
from presensi_testkit import HEAD, MID, OTHER, PPPK, STAFF, Clock, Service, snapshot, unit
from servicekit.testing import answers_as_declared


@pytest.fixture
async def service(
    new_database, new_topic, kafka_bootstrap, dev_keys, token_for
) -> AsyncIterator[Service]:
    dsn = await new_database("presensi")
    settings = PresensiSettings(
        database_url=dsn,
        kafka_bootstrap=kafka_bootstrap,
        jwt_public_key_file=dev_keys[1],
        environment="test",
        events_topic=await new_topic("presensi"),
        pegawai_topic=await new_topic("pegawai"),
        consumer_group=f"presensi-{uuid.uuid4().hex[:8]}",
        relay_poll_interval_s=0.2,
        log_json=False,
    )
    await asyncio.to_thread(migrate, settings)
    clock = Clock()
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://presensi",
            event_hooks={"response": [answers_as_declared(app)]},
        ) as client:
            yield Service(client, app.state.runtime.db, settings, kafka_bootstrap, token_for, clock)


@pytest.fixture
async def city(service: Service) -> Service:
    """Two units and five employees (HEAD ← MID ← STAFF, PPPK; OTHER elsewhere), from events."""
    await service.publish(UnitCreatedV1(unit=unit("dinkes")), "dinkes")
    await service.publish(UnitCreatedV1(unit=unit("disdik")), "disdik")
    for nip, code, sup in (
        (HEAD, "dinkes", None),
        (MID, "dinkes", HEAD),
        (STAFF, "dinkes", MID),
        (PPPK, "dinkes", MID),
        (OTHER, "disdik", None),
    ):
        await service.publish(EmployeeRegisteredV1(employee=snapshot(nip, code, sup)), nip)
    await service.consumed(7)
    return service

"""The pegawai app on a fresh migrated database and its own Kafka topics, driven over HTTP."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from pegawai.main import create_app, migrate
from pegawai.settings import PegawaiSettings
from pegawai_testkit import HEAD, MID, OTHER, STAFF, Service, employee_body, unit_body
from servicekit.testing import answers_as_declared


@pytest.fixture
async def service(
    new_database, new_topic, kafka_bootstrap, dev_keys, token_for
) -> AsyncIterator[Service]:
    dsn = await new_database("pegawai")
    settings = PegawaiSettings(
        database_url=dsn,
        kafka_bootstrap=kafka_bootstrap,
        jwt_public_key_file=dev_keys[1],
        environment="test",
        events_topic=await new_topic("pegawai"),
        kinerja_topic=await new_topic("kinerja"),
        pelatihan_topic=await new_topic("pelatihan"),
        consumer_group=f"pegawai-{uuid.uuid4().hex[:8]}",
        relay_poll_interval_s=0.2,
        log_json=False,
    )
    await asyncio.to_thread(migrate, settings)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://pegawai",
            event_hooks={"response": [answers_as_declared(app)]},
        ) as client:
            yield Service(client, app.state.runtime.db, settings, kafka_bootstrap, token_for)


@pytest.fixture
async def city(service: Service) -> Service:
    """Two dinas (one with a bidang) and four employees in a supervisor chain."""
    for body in (
        unit_body("dinkes"),
        unit_body("dinkes-p2p", parent="dinkes", kind="bidang"),
        unit_body("disdik"),
    ):
        assert (await service.call("POST", "/units", body)).status_code == 201
    for body in (
        employee_body(HEAD, "dinkes", golongan="IV/b", education="s2"),
        employee_body(MID, "dinkes-p2p", HEAD),
        employee_body(STAFF, "dinkes-p2p", MID),
        employee_body(OTHER, "disdik"),
    ):
        response = await service.call("POST", "/employees", body)
        assert response.status_code == 201, response.text
    return service

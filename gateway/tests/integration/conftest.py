"""The gateway app on a fresh migrated database and its own topics, driven over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from gateway.main import create_app, migrate
from gateway.settings import GatewaySettings
from gateway_testkit import Gateway, StubServer, new_group, today_wib
from servicekit.testing import answers_as_declared


@pytest.fixture
async def stub() -> AsyncIterator[StubServer]:
    async with StubServer() as server:
        yield server


@pytest.fixture
def gateway_settings(new_database, new_topic, kafka_bootstrap, dev_keys) -> Callable[..., Any]:
    async def make(**overrides: Any) -> GatewaySettings:
        values: dict[str, Any] = {
            "database_url": await new_database("gateway"),
            "kafka_bootstrap": kafka_bootstrap,
            "jwt_public_key_file": dev_keys[1],
            "dev_keys_dir": dev_keys[0].parent,
            "environment": "test",
            "pegawai_topic": await new_topic("pegawai"),
            "presensi_topic": await new_topic("presensi"),
            "kinerja_topic": await new_topic("kinerja"),
            "aspirasi_topic": await new_topic("aspirasi"),
            "pelatihan_topic": await new_topic("pelatihan"),
            "consumer_group": new_group(),
            "lag_poll_interval_s": 0.3,
            "health_poll_interval_s": 0.3,
            "log_json": False,
        }
        values.update(overrides)
        if "pegawai_url" in overrides and "pelatihan_url" not in overrides:
            # Tests written before pelatihan joined name the others' places: pelatihan is up
            # (where pegawai is) unless a test says otherwise.
            values["pelatihan_url"] = overrides["pegawai_url"]
        return GatewaySettings(**values)

    return make


@pytest.fixture
async def gateway(gateway_settings, stub, token_for, kafka_bootstrap) -> AsyncIterator[Gateway]:
    settings = await gateway_settings(
        pegawai_url=stub.url, presensi_url=stub.url, kinerja_url=stub.url, aspirasi_url=stub.url
    )
    await asyncio.to_thread(migrate, settings)
    app = create_app(settings)
    pinned = today_wib()
    app.state.gateway.today = lambda: pinned
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://gateway",
            # Every answer of the gateway's own views is held to the model its route declares.
            event_hooks={"response": [answers_as_declared(app)]},
        ) as client:
            yield Gateway(client, settings, kafka_bootstrap, token_for, app)

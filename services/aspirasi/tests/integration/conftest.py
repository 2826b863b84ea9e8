"""The aspirasi app on a fresh migrated database and its own Kafka topics, driven over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aspirasi_testkit import Clock, Service, aspirasi_settings, running


@pytest.fixture
async def service(
    new_database, new_topic, kafka_bootstrap, dev_keys, token_for
) -> AsyncIterator[Service]:
    settings = await aspirasi_settings(new_database, new_topic, kafka_bootstrap, dev_keys)
    async for svc in running(settings, token_for, Clock()):
        yield svc


@pytest.fixture
async def city(service: Service) -> Service:
    """Two active units and an inactive one in the replica, from pegawai events."""
    await service.add_unit("dinkes")
    await service.add_unit("disdik")
    await service.add_unit("lama", active=False)
    return service

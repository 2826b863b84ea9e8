"""The pelatihan app on a fresh migrated database and its own Kafka topics, driven over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pelatihan_testkit import Service, pelatihan_settings, running, seed_people


@pytest.fixture
async def service(
    new_database, new_topic, kafka_bootstrap, dev_keys, token_for
) -> AsyncIterator[Service]:
    settings = await pelatihan_settings(new_database, new_topic, kafka_bootstrap, dev_keys)
    async for svc in running(settings, token_for):
        yield svc


@pytest.fixture
async def office(service: Service) -> Service:
    """Two dinas (one with a bidang) and four employees in a chain, in the replica."""
    await seed_people(service)
    return service

"""One running suite per test session: the same processes `make run` starts, on free ports."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from e2e_testkit import Portal, Suite


@pytest.fixture(scope="session")
def suite(stack, tmp_path_factory) -> Iterator[Suite]:
    running = Suite(stack, tmp_path_factory.mktemp("e2e-suite"))
    try:
        running.start()
        yield running
    except Exception:
        if running.processes is not None:
            print(running.logs())
        raise
    finally:
        running.stop()


@pytest.fixture
async def portal(suite: Suite) -> AsyncIterator[Portal]:
    async with httpx.AsyncClient(base_url=suite.gateway_url, timeout=30) as client:
        yield Portal(suite, client)

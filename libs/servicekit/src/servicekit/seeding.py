"""What the demo seeds (`python -m <service>.seed`, run by `make run`) share.

A seed that works on other services' data runs while its replica is still being filled
from their topics: it waits until the replica stops growing before it starts.
"""

from __future__ import annotations

import asyncio

from sqlalchemy.sql import Executable

from servicekit.db import Database


async def replica_settled(
    db: Database, query: Executable, *, settled_s: float = 3.0, limit_s: float = 300.0
) -> int:
    """Wait until `query` (one of one number, e.g. the replica's rows) is above zero
    and has not changed for `settled_s`; returns it (whatever it is after `limit_s`)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit_s
    last, since = -1, loop.time()
    while loop.time() < deadline:
        async with db.read_session() as session:
            count = int((await session.execute(query)).scalar_one())
        if count != last:
            last, since = count, loop.time()
        elif count > 0 and loop.time() - since >= settled_s:
            return count
        await asyncio.sleep(0.5)
    return last

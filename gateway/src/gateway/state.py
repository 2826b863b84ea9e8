"""What the gateway's routes share: the read pool, the upstreams, the lag monitor."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request
from servicekit.ratelimit import RateLimiter

from gateway.lag import LagMonitor
from gateway.settings import GatewaySettings
from gateway.upstream import READ_MODEL_SOURCES, Upstreams
from gateway.workdays import today_wib


async def init_connection(conn: asyncpg.Connection) -> None:
    for name in ("json", "jsonb"):
        await conn.set_type_codec(name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def _keep_session(connection: asyncpg.Connection) -> None:
    """Skip asyncpg's reset round trip on release (bench/gateway: ~8 % of a profile read).

    Safe because read handlers leave no session state behind: no SET, LISTEN, advisory
    lock or open cursor is ever used on this pool.
    """


async def create_read_pool(dsn: str, size: int) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(
        dsn, min_size=1, max_size=size, init=init_connection, reset=_keep_session
    )
    assert pool is not None
    return pool


@dataclass
class GatewayState:
    settings: GatewaySettings
    upstreams: Upstreams
    lag: LagMonitor
    pool: asyncpg.Pool | None = None
    today: Callable[[], date] = today_wib  # the views' business date; tests pin it
    public_limiter: RateLimiter = field(init=False)
    public_submission_limiter: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        s = self.settings
        self.public_limiter = RateLimiter(s.public_limit, s.public_window_s)
        self.public_submission_limiter = RateLimiter(
            s.public_submission_limit, s.public_submission_window_s
        )

    @property
    def read_pool(self) -> asyncpg.Pool:
        if self.pool is None:
            raise RuntimeError("the read pool opens in the app's lifespan")
        return self.pool

    def freshness(self, sources: Sequence[str] = READ_MODEL_SOURCES) -> dict[str, Any]:
        """The staleness indicator every read carries."""
        settings = self.settings
        topics = settings.source_topics
        lag = self.lag.as_dict()
        down = sorted(s for s in self.upstreams.down() if s in sources)
        wanted = {topics[s] for s in sources if s in topics}
        reasons = [f"{s}_unavailable" for s in down]
        if lag is None:
            reasons.append("lag_unknown")
        elif any(
            v["seconds_behind"] > settings.stale_after_s for t, v in lag.items() if t in wanted
        ):
            reasons.append("read_model_lagging")
        return {
            "stale": bool(reasons),
            "reasons": reasons,
            "services_down": down,
            "lag": None if lag is None else {t: v for t, v in lag.items() if t in wanted},
            "checked_at": (
                None
                if self.lag.checked_at is None
                else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.lag.checked_at))
            ),
        }


async def get_state(request: Request) -> GatewayState:
    # async: FastAPI runs a plain `def` dependency in its thread pool, a hop per request.
    state: GatewayState = request.app.state.gateway
    return state


State = Annotated[GatewayState, Depends(get_state)]

"""Async engine and sessions (SQLModel on SQLAlchemy + asyncpg). Nothing connects at import."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import asyncpg
import sqlalchemy.exc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from servicekit.connections import pg_engine_args

RawConnection = asyncpg.Connection | asyncpg.pool.PoolConnectionProxy
"""An asyncpg connection, alone or lent by a pool (`Database.raw_pool`)."""


class Database:
    """One service's database: the engine, and sessions for reads and units of work."""

    def __init__(
        self, url: str, *, pool_size: int = 10, raw_pool_size: int = 4, echo: bool = False
    ) -> None:
        if url.startswith("postgresql://"):
            url = url.replace("postgresql://", "postgresql+asyncpg://", 1)
        self.url = url
        # No pre-ping: it is a round trip before every transaction to guard against the rare
        # connection a database restart killed. Without it that one transaction fails as a
        # disconnect, SQLAlchemy drops the whole pool, the request gets a 503 to retry
        # (servicekit.errors) and a consumer waits the outage out (servicekit.consumer).
        engine_url, connect_args = pg_engine_args(url)
        self.engine: AsyncEngine = create_async_engine(
            engine_url,
            connect_args=connect_args,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=False,
            echo=echo,
        )
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        self._raw_pool: asyncpg.Pool | None = None
        self._raw_pool_lock = asyncio.Lock()
        self.raw_pool_size = raw_pool_size

    @property
    def asyncpg_dsn(self) -> str:
        """The same database as a libpq URL, for asyncpg's own connections (relay, LISTEN)."""
        return self.url.replace("postgresql+asyncpg://", "postgresql://", 1)

    def read_session(self) -> AsyncSession:
        """A session for queries; it never commits, so whatever it might change is dropped."""
        return self.sessionmaker()

    async def raw_pool(self) -> asyncpg.Pool:
        """asyncpg without SQLAlchemy, for the few hot paths measured to need it.

        Made on first use. Its release skips asyncpg's reset query (a round trip per
        use): whoever takes a connection from it must leave no session state behind
        (no SET, LISTEN, session advisory lock or open cursor).
        """
        if self._raw_pool is None:
            async with self._raw_pool_lock:
                if self._raw_pool is None:
                    self._raw_pool = await asyncpg.create_pool(
                        self.asyncpg_dsn,
                        min_size=1,
                        max_size=self.raw_pool_size,
                        reset=_leave_as_is,
                    )
        return self._raw_pool

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        if self._raw_pool is not None:
            await self._raw_pool.close()
            self._raw_pool = None
        await self.engine.dispose()


async def _leave_as_is(_conn: asyncpg.Connection) -> None:
    """The raw pool's reset: nothing (see `Database.raw_pool`)."""


# The database is down, restarting, out of connections, or the network to it failed: the
# work changed nothing and a retry in a moment may succeed (an HTTP 503 with Retry-After;
# a consumer waits the outage out instead of dead-lettering the event).
_UNAVAILABLE: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.AdminShutdownError,
    sqlalchemy.exc.TimeoutError,
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
)


def causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and everything it wraps (SQLAlchemy's `orig`, a cause or a context), each once:
    what a driver error looks like depends on which layer wrapped it."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        pending += [
            e
            for e in (orig, current.__cause__, current.__context__)
            if isinstance(e, BaseException)
        ]


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc`, or what it wraps, is a lost database rather than a failure of the work
    itself."""
    return any(
        isinstance(current, _UNAVAILABLE)
        or (isinstance(current, sqlalchemy.exc.DBAPIError) and current.connection_invalidated)
        for current in causes(exc)
    )

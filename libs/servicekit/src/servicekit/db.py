"""Async engine and sessions (SQLModel on SQLAlchemy + asyncpg). Nothing connects at import."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


class Database:
    """One service's database: the engine, and sessions for reads and units of work."""

    def __init__(self, url: str, *, pool_size: int = 10, echo: bool = False) -> None:
        if url.startswith("postgresql://"):
            url = url.replace("postgresql://", "postgresql+asyncpg://", 1)
        self.url = url
        self.engine: AsyncEngine = create_async_engine(
            url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True, echo=echo
        )
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def asyncpg_dsn(self) -> str:
        """The same database as a libpq URL, for asyncpg's own connections (relay, LISTEN)."""
        return self.url.replace("postgresql+asyncpg://", "postgresql://", 1)

    def read_session(self) -> AsyncSession:
        """A session for queries; it never commits, so whatever it might change is dropped."""
        return self.sessionmaker()

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()

"""Purges of the tables that every service's database holds beside its state.

Each table keeps rows only as long as something may still need them:

- `outbox`: published rows, 7 days. They are only read by someone investigating what
  was sent; Kafka keeps the events themselves forever.
- `idempotency_key`: 7 days. A client retries a command within minutes (the portal) or
  within the working day (a phone that queued a check-in while offline); after a week a
  retry is a new request. Stripe keeps keys 24 hours; we keep more for the offline phone.
- `inbox`: 400 days. An event id must be remembered as long as the same event may be
  delivered again, and the longest such window is a dead letter replayed after its cause
  was fixed (dead-letter topics keep a year, deploy/local/topics.toml) or a consumer group
  whose committed offsets the broker kept (offsets.retention: a year). A redelivery
  older than that is a replay from the beginning, which handlers survive because they
  write state keyed by the aggregate, not increments.

The purges run by wall-clock time since the last one (not by the relay's busy time, which
a quiet service hardly accumulates), in batches so no purge holds locks for long, and under
a transaction-level advisory lock so one process of a service does it at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

import asyncpg

from servicekit.logging import get_logger

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Retention:
    outbox_days: int = 7
    idempotency_days: int = 7
    inbox_days: int = 400


# (table, the timestamp that ages a row, a condition a purgeable row also meets)
_PURGES: dict[str, tuple[str, str]] = {
    "outbox": ("published_at", "published"),
    "idempotency_key": ("created_at", "true"),
    "inbox": ("processed_at", "true"),
}
_LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('servicekit.housekeeping'))"
BATCH = 5000


def _purge_sql(table: str, stamp: str, condition: str = "true") -> str:
    # ctid batches: a bounded delete per statement, found through the BRIN index on the
    # timestamp (rows arrive in time order, so the index is tiny and cheap to keep).
    return (
        f"DELETE FROM {table} WHERE ctid = ANY(ARRAY("  # noqa: S608 - names are constants
        f"SELECT ctid FROM {table} WHERE {condition} "
        f"AND {stamp} < now() - make_interval(days => $1) LIMIT {BATCH}))"
    )


class Housekeeper:
    """Purges the outbox, inbox and idempotency keys of one database, now and then."""

    def __init__(
        self,
        dsn: str,
        *,
        retention: Retention | None = None,
        interval_s: float = 600.0,
    ) -> None:
        self._dsn = dsn
        self.retention = retention or Retention()
        self._interval_s = interval_s
        self._extra: dict[str, tuple[str, int]] = {}
        self._stopping = asyncio.Event()
        self.rounds = 0
        """Purge rounds finished (for health views and tests)."""

    async def run(self) -> None:
        """Purge now, then every `interval_s` of wall-clock time, until `stop()`."""
        while not self._stopping.is_set():
            try:
                await self.purge()
            except Exception as exc:
                log.warning("purge failed; trying again later", error=repr(exc))
            self.rounds += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._interval_s)

    def stop(self) -> None:
        self._stopping.set()

    def also_purge(self, table: str, stamp: str, *, days: int) -> None:
        """Purge a table of the service's own too: rows whose `stamp` is `days` old."""
        self._extra[table] = (stamp, days)

    async def purge(self) -> dict[str, int]:
        """One purge of every table; how many rows each lost (empty if another process of
        the service holds the purge)."""
        days = {
            "outbox": self.retention.outbox_days,
            "idempotency_key": self.retention.idempotency_days,
            "inbox": self.retention.inbox_days,
        } | {table: keep for table, (_, keep) in self._extra.items()}
        statements = {table: _purge_sql(table, *_PURGES[table]) for table in _PURGES} | {
            table: _purge_sql(table, stamp) for table, (stamp, _) in self._extra.items()
        }
        conn = await asyncpg.connect(self._dsn)
        try:
            # Not every database has every table (the gateway keeps no idempotency keys).
            present = {
                table for table in days if await conn.fetchval("SELECT to_regclass($1)", table)
            }
            deleted = dict.fromkeys(present, 0)
            for table, keep in days.items():
                if table not in present:
                    continue
                while True:
                    async with conn.transaction():
                        if not await conn.fetchval(_LOCK):
                            return {}
                        status = await conn.execute(statements[table], keep)
                    count = int(status.split()[-1])
                    deleted[table] += count
                    if count < BATCH:
                        break
        finally:
            await conn.close()
        if any(deleted.values()):
            log.info("purged", **deleted)
        return deleted

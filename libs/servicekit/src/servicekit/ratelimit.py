"""Per-client rate limits for public routes (no token): a sliding window kept in the process.

Used by aspirasi's `/public/…` routes and by the gateway in front of them. Each worker
process counts on its own: with ASN_WORKERS=n a client gets at most n times the limit,
which still stops a flood.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from fastapi import Request

from servicekit.errors import ProblemError

_MAX_KEYS = 100_000


class RateLimiter:
    def __init__(
        self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}

    def retry_after(self, key: str) -> float | None:
        """Count a hit for `key`; the seconds to wait if it is over the limit (not counted)."""
        now = self._clock()
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= _MAX_KEYS:
                self._prune(now)
            hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        if len(hits) >= self.limit:
            return hits[0] + self.window_s - now
        hits.append(now)
        return None

    def peek(self, key: str) -> float | None:
        """Like `retry_after`, without counting a hit."""
        now = self._clock()
        hits = self._hits.get(key, deque())
        live = [t for t in hits if t > now - self.window_s]
        return live[0] + self.window_s - now if len(live) >= self.limit else None

    def _prune(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window_s]:
            del self._hits[key]


def too_many(seconds: float) -> ProblemError:
    wait = max(1, math.ceil(seconds))
    return ProblemError(
        429,
        "rate_limited",
        "Terlalu banyak permintaan",
        f"Coba lagi dalam {wait} detik.",
        headers={"Retry-After": str(wait)},
    )


def enforce(limiter: RateLimiter, key: str) -> None:
    wait = limiter.retry_after(key)
    if wait is not None:
        raise too_many(wait)


def client_key(request: Request, trusted_proxies: tuple[str, ...]) -> str:
    """The client's address; behind a trusted proxy (the gateway), the one it forwarded."""
    peer = request.client.host if request.client else "unknown"
    if peer in trusted_proxies:
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded:
            return forwarded.split(",")[-1].strip() or peer
    return peer

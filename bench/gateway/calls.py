"""Requests to the services and their figures, on bench.checkin's load generator.

The loadgen (pre-built HTTP/1.1 requests on keep-alive loopback connections, closed loop
to saturate, open loop to pace) is the check-in benchmark's, imported, not copied; here
only the gateway's requests and the summary of a run.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from bench.checkin.loadgen import BODY, RunResult, check_in_request, percentile

HOST = "127.0.0.1"


def _request(method: str, path: str, token: str, body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", f"Authorization: Bearer {token}"]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def profile_request(nip: str, token: str) -> bytes:
    """An employee reading their own profile (no access query: the common case)."""
    return _request("GET", f"/api/profiles/{nip}", token)


def gateway_check_in(token: str) -> bytes:
    """The mobile app's check-in, through the gateway (no Idempotency-Key)."""
    return _request("POST", "/api/attendance/check-in", token, BODY)


def direct_check_in(token: str) -> bytes:
    """The same check-in straight to presensi (bench.checkin's request)."""
    return check_in_request(HOST, token, idempotency_key=False)


def profile_reads(people: Sequence[tuple[str, str]], seed: int = 5) -> Iterator[bytes]:
    """Endless profile reads of random people among `people` (nip, token)."""
    rng = random.Random(seed)
    prepared = [profile_request(nip, token) for nip, token in people]
    while True:
        yield rng.choice(prepared)


@dataclass(frozen=True)
class HttpFigures:
    connections: int
    window_s: float
    requests: int
    ok: int
    rate_per_s: float
    """Successful (2xx) answers per second in the window."""
    p50_ms: float
    p99_ms: float
    statuses: dict[str, int]
    exhausted: bool
    offered_per_s: float | None = None
    """The paced schedule's rate (open loop); None when saturating."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def summarize(
    result: RunResult, connections: int, offered_per_s: float | None = None
) -> HttpFigures:
    window = result.in_window() if offered_per_s is None else result.samples
    ok = [s for s in window if 200 <= s.status < 300]
    latencies = [s.latency_s * 1000 for s in window]
    return HttpFigures(
        connections=connections,
        window_s=round(result.window_s, 3),
        requests=len(window),
        ok=len(ok),
        rate_per_s=round(len(ok) / result.window_s, 1) if result.window_s else 0.0,
        p50_ms=round(percentile(latencies, 50), 2),
        p99_ms=round(percentile(latencies, 99), 2),
        statuses=result.statuses(),
        exhausted=result.exhausted,
        offered_per_s=offered_per_s,
    )

"""The measures through a running service: saturated rate, then latency at a paced rate."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from bench.checkin.cpu import CpuSample, Pids, cpu_ms_per_request
from bench.checkin.loadgen import RunResult, check_in_request, paced, percentile, saturate

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Summary:
    mode: str
    idempotency_key: bool
    connections: int
    answered: int
    """201s in the window."""
    errors: int
    """Anything but 201 in the whole run (each employee checks in once: there should be none)."""
    window_s: float
    rate_per_s: float
    target_rate_per_s: float | None
    p50_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[str, int]
    exhausted: bool
    cpu_ms_per_request: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Requests:
    """Prepared check-ins, one per employee and never reused across measures."""

    def __init__(self, port: int, tokens: Iterator[str]) -> None:
        """`tokens` is shared by every measure of a run: each employee checks in once."""
        self._host = f"{HOST}:{port}"
        self._tokens = tokens
        self.port = port

    def stream(self, *, idempotency_key: bool) -> Iterator[bytes]:
        for token in self._tokens:
            yield check_in_request(self._host, token, idempotency_key=idempotency_key)


def _summarize(
    result: RunResult,
    *,
    mode: str,
    idempotency_key: bool,
    connections: int,
    target: float | None,
    cpu: dict[str, float],
) -> Summary:
    window = result.in_window() if mode == "saturated" else result.samples
    ok = [s for s in window if s.status == 201]
    latencies = [s.latency_s * 1000 for s in ok]
    return Summary(
        mode=mode,
        idempotency_key=idempotency_key,
        connections=connections,
        answered=len(ok),
        errors=sum(1 for s in result.samples if s.status != 201),
        window_s=round(result.window_s, 2),
        rate_per_s=round(len(ok) / result.window_s, 1) if result.window_s else 0.0,
        target_rate_per_s=target,
        p50_ms=round(percentile(latencies, 50), 2),
        p99_ms=round(percentile(latencies, 99), 2),
        max_ms=round(max(latencies, default=float("nan")), 2),
        statuses=result.statuses(),
        exhausted=result.exhausted,
        cpu_ms_per_request=cpu,
    )


async def measure_saturated(
    requests: Requests,
    pids: Pids,
    *,
    idempotency_key: bool,
    connections: int,
    duration_s: float,
    warm_up_s: float,
) -> Summary:
    before = CpuSample.take(pids)
    result = await saturate(
        HOST,
        requests.port,
        requests.stream(idempotency_key=idempotency_key),
        connections=connections,
        duration_s=duration_s,
        warm_up_s=warm_up_s,
    )
    cpu = cpu_ms_per_request(before, CpuSample.take(pids), len(result.samples))
    return _summarize(
        result,
        mode="saturated",
        idempotency_key=idempotency_key,
        connections=connections,
        target=None,
        cpu=cpu,
    )


async def measure_paced(
    requests: Requests,
    pids: Pids,
    *,
    rate_per_s: float,
    idempotency_key: bool,
    connections: int,
    duration_s: float,
) -> Summary:
    before = CpuSample.take(pids)
    result = await paced(
        HOST,
        requests.port,
        requests.stream(idempotency_key=idempotency_key),
        rate_per_s=rate_per_s,
        duration_s=duration_s,
        connections=connections,
    )
    cpu = cpu_ms_per_request(before, CpuSample.take(pids), len(result.samples))
    return _summarize(
        result,
        mode="paced",
        idempotency_key=idempotency_key,
        connections=connections,
        target=round(rate_per_s, 1),
        cpu=cpu,
    )

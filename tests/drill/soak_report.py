"""`make soak`'s figures and verdict, apart from any process: percentiles, 10 s windows,
per-route and per-process rows, lag recovery after each burst, the table, the CSV of raw
samples and the goals (no error, flat memory, lag back to zero after each burst)."""

from __future__ import annotations

import csv
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

MEMORY_GROWTH_LIMIT = 0.25
"""The most a suite process may grow between the end of the warm-up and the end (25 %)."""
LAG_ZERO_WITHIN_S = 60.0
"""Every consumer group's lag must be back to 0 this long after a burst ends."""
RATE_SHORTFALL_LIMIT = 0.95
"""The driver must have sent at least this share of the commands its schedule asked for:
below it, the machine did not sustain the rate and the other figures mean little."""


@dataclass(frozen=True)
class Request:
    """One command through the gateway, as the client saw it."""

    t: float
    """Seconds since the soak started, when the request was sent."""
    route: str
    """The route template, e.g. "POST /api/skp/{id}/submit"."""
    status: int | None
    """None: no answer in time (a timeout or a broken connection)."""
    latency_s: float
    outcome: str
    """"ok", "not-yet" (an expected 4xx: the service's replica had not yet received the
    employee; the step is tried again), or "error"."""


@dataclass(frozen=True)
class Memory:
    t: float
    process: str
    rss_bytes: int
    pid: int | None = None


@dataclass(frozen=True)
class Lag:
    t: float
    group: str
    behind: int


@dataclass(frozen=True)
class Burst:
    start: float
    end: float


@dataclass(frozen=True)
class Plan:
    """What was asked of the run: its length, warm-up, steady rate and bursts."""

    duration_s: float
    rate: float
    warmup_s: float
    bursts: tuple[Burst, ...]
    burst_factor: float
    checked_processes: frozenset[str]
    """The suite's own processes, held to the memory goal; the broker's JVM and PostgreSQL
    size their caches and heaps themselves, so their growth is shown, not judged."""

    def scheduled(self) -> float:
        """The commands the schedule asks for: the steady rate plus the bursts' extra."""
        extra = sum(b.end - b.start for b in self.bursts) * (self.burst_factor - 1)
        return self.rate * (self.duration_s + extra)


def burst_schedule(
    duration_s: float, every_s: float = 120.0, length_s: float = 15.0
) -> tuple[Burst, ...]:
    """Bursts half a period in, then every period, each ending at least `length_s` before
    the steady load stops (the lag is followed after the load ends, so the last one's
    recovery is still seen): 10 min gives 1:00, 3:00, 5:00, 7:00, 9:00; 2 min gives 1:00."""
    out = []
    start = every_s / 2
    while start + 2 * length_s <= duration_s:
        out.append(Burst(start, start + length_s))
        start += every_s
    return tuple(out)


def rate_at(t: float, plan: Plan) -> float:
    if any(b.start <= t < b.end for b in plan.bursts):
        return plan.rate * plan.burst_factor
    return plan.rate


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest rank (the smallest value with at least q % at or below it), so p99 of 100
    values is the 99th, not an interpolation between two that were seen."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Window:
    start: float
    count: int
    p50: float
    p99: float


def windows(requests: Iterable[Request], width_s: float = 10.0) -> list[Window]:
    """p50 and p99 of the answered requests per `width_s` window (by send time); a window
    without any is left out rather than drawn as 0."""
    buckets: dict[int, list[float]] = defaultdict(list)
    for r in requests:
        if r.status is not None:
            buckets[int(r.t // width_s)].append(r.latency_s)
    return [
        Window(i * width_s, len(v), percentile(v, 50), percentile(v, 99))
        for i, v in sorted(buckets.items())
    ]


@dataclass(frozen=True)
class RouteRow:
    route: str
    count: int
    not_yet: int
    errors: int
    p50_s: float
    p99_s: float


def route_rows(requests: Iterable[Request]) -> list[RouteRow]:
    by_route: dict[str, list[Request]] = defaultdict(list)
    for r in requests:
        by_route[r.route].append(r)
    rows = []
    for route, rs in sorted(by_route.items()):
        answered = [r.latency_s for r in rs if r.status is not None]
        rows.append(
            RouteRow(
                route,
                len(rs),
                sum(r.outcome == "not-yet" for r in rs),
                sum(r.outcome == "error" for r in rs),
                percentile(answered, 50),
                percentile(answered, 99),
            )
        )
    return rows


@dataclass(frozen=True)
class ProcessRow:
    process: str
    start: int
    warm: int
    """At the end of the warm-up: the baseline of the growth."""
    end: int
    checked: bool
    restarts: int

    @property
    def growth(self) -> float:
        return (self.end - self.warm) / self.warm if self.warm else math.nan

    @property
    def passed(self) -> bool:
        return not self.checked or (self.restarts == 0 and self.growth <= MEMORY_GROWTH_LIMIT)


def process_rows(samples: Iterable[Memory], plan: Plan) -> list[ProcessRow]:
    """Start, warm-up baseline (the first sample at or after the warm-up) and end per
    process; a change of pid between samples is a restart."""
    by_process: dict[str, list[Memory]] = defaultdict(list)
    for m in samples:
        by_process[m.process].append(m)
    rows = []
    for name, ms in sorted(by_process.items()):
        ms.sort(key=lambda m: m.t)
        warm = next((m for m in ms if m.t >= plan.warmup_s), ms[-1])
        pids = [m.pid for m in ms if m.pid is not None]
        restarts = sum(a != b for a, b in itertools.pairwise(pids))
        rows.append(
            ProcessRow(
                name,
                ms[0].rss_bytes,
                warm.rss_bytes,
                ms[-1].rss_bytes,
                name in plan.checked_processes,
                restarts,
            )
        )
    return rows


def total_lag(samples: Iterable[Lag]) -> list[tuple[float, int]]:
    """Every group's lag summed per sampling instant, in time order."""
    sums: dict[float, int] = defaultdict(int)
    for s in samples:
        sums[s.t] += s.behind
    return sorted(sums.items())


@dataclass(frozen=True)
class Behind:
    """One partition some consumer group had not caught up on, at one lag reading."""

    t: float
    group: str
    topic: str
    partition: int
    committed: int
    end: int

    def __str__(self) -> str:
        return f"{self.group} {self.topic}[{self.partition}]: {self.committed}/{self.end}"


@dataclass(frozen=True)
class Recovery:
    burst: Burst
    max_behind: int
    """The most events behind (all groups) from the burst's start to its recovery."""
    drained_after_s: float | None
    """Seconds from the burst's end to the first reading at which every group had consumed
    every event that was on its partitions at the first reading after the burst; None when
    none came before the next burst (or the end of sampling)."""
    zero_after_s: float | None
    """Seconds from the burst's end to the first reading at which every group was at 0.
    Under the steady load after a burst that is chance: a group's offset commit trails its
    processing by one poll, so a reading usually finds a busy group 1-3 events behind."""

    @property
    def passed(self) -> bool:
        after = [s for s in (self.drained_after_s, self.zero_after_s) if s is not None]
        return bool(after) and min(after) <= LAG_ZERO_WITHIN_S


def recoveries(
    samples: Iterable[Lag], bursts: Sequence[Burst], behind: Iterable[Behind] = ()
) -> list[Recovery]:
    totals = total_lag(samples)
    by_reading: dict[float, list[Behind]] = defaultdict(list)
    for b in behind:
        by_reading[b.t].append(b)
    out = []
    for i, burst in enumerate(bursts):
        until = bursts[i + 1].start if i + 1 < len(bursts) else math.inf
        readings = [(t, n) for t, n in totals if burst.end <= t < until]
        zero = next((t for t, n in readings if n == 0), None)
        drained = None
        if readings:
            # The events behind at the first reading after the burst: drained once every
            # one of those partitions is committed up to where its end was then.
            backlog = {(b.group, b.topic, b.partition): b.end for b in by_reading[readings[0][0]]}
            for t, _ in readings:
                if all(
                    b.committed >= backlog[(b.group, b.topic, b.partition)]
                    for b in by_reading[t]
                    if (b.group, b.topic, b.partition) in backlog
                ) and (t > readings[0][0] or not backlog):
                    drained = t
                    break
        done = [t for t in (zero, drained) if t is not None]
        upto = min(done) if done else until
        seen = [n for t, n in totals if burst.start <= t <= upto]
        out.append(
            Recovery(
                burst,
                max(seen, default=0),
                None if drained is None else drained - burst.end,
                None if zero is None else zero - burst.end,
            )
        )
    return out


@dataclass
class Report:
    plan: Plan
    requests: list[Request] = field(default_factory=list)
    memory: list[Memory] = field(default_factory=list)
    lag: list[Lag] = field(default_factory=list)
    dead_letters: dict[str, int] = field(default_factory=dict)
    """Dead-letter topic → letters at the end: events a consumer gave up on."""
    partitions_behind: list[Behind] = field(default_factory=list)
    """At each lag reading, each partition behind."""
    behind_at_end: list[str] = field(default_factory=list)
    """The partitions still behind at the last lag reading, for the one who looks why."""

    def routes(self) -> list[RouteRow]:
        return route_rows(self.requests)

    def processes(self) -> list[ProcessRow]:
        return process_rows(self.memory, self.plan)

    def recoveries(self) -> list[Recovery]:
        return recoveries(self.lag, self.plan.bursts, self.partitions_behind)

    def max_lag(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for s in self.lag:
            out[s.group] = max(out.get(s.group, 0), s.behind)
        return dict(sorted(out.items()))

    def sent_share(self) -> float:
        """Requests sent over those the schedule asked for (a not-yet step tried again
        takes a tick of the schedule like any other)."""
        scheduled = self.plan.scheduled()
        return len(self.requests) / scheduled if scheduled else math.nan

    def failures(self) -> list[str]:
        """Each goal that failed, in words; empty when the soak passed."""
        out = []
        errors = [r for r in self.requests if r.outcome == "error"]
        if errors:
            kinds: dict[str, int] = defaultdict(int)
            for r in errors:
                kinds[f"{r.route} -> {r.status or 'no answer'}"] += 1
            listed = ", ".join(f"{k} ×{n}" for k, n in sorted(kinds.items()))
            out.append(f"{len(errors)} error(s): {listed}")
        for p in self.processes():
            if p.checked and p.restarts:
                out.append(f"{p.process} restarted {p.restarts} time(s)")
            if p.checked and p.growth > MEMORY_GROWTH_LIMIT:
                out.append(
                    f"{p.process} grew {p.growth:.0%} after the warm-up "
                    f"(limit {MEMORY_GROWTH_LIMIT:.0%})"
                )
        for rec in self.recoveries():
            if not rec.passed:
                out.append(
                    f"the lag of the burst at {rec.burst.start:.0f} s neither drained nor "
                    f"back to 0 within {LAG_ZERO_WITHIN_S:.0f} s"
                )
        for topic, letters in sorted(self.dead_letters.items()):
            if letters:
                out.append(f"{letters} dead letter(s) in {topic}")
        if not self.lag:
            out.append("no lag sample was taken")
        share = self.sent_share()
        if not share >= RATE_SHORTFALL_LIMIT:
            out.append(
                f"the driver sent {share:.0%} of the scheduled commands: the machine did "
                f"not sustain {self.plan.rate:g}/s (SOAK_RATE lower)"
            )
        return out


def _ms(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds * 1000:.0f} ms"


def _after(seconds: float | None) -> str:
    return "never" if seconds is None else f"{seconds:.1f} s"


def _mib(n: int) -> str:
    return f"{n / 2**20:.0f} MiB"


def _grid(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    # max() of the header alone when there are no rows (a soak too short for a burst).
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def table(report: Report) -> str:
    """What `make soak` prints at the end."""
    plan = report.plan
    routes = report.routes()
    answered = [r.latency_s for r in report.requests if r.status is not None]
    parts = [
        f"{plan.duration_s / 60:g} min at {plan.rate:g} commands/s, "
        f"{len(plan.bursts)} burst(s) of {plan.burst_factor:g}×; "
        f"{len(report.requests)} requests, {report.sent_share():.0%} of the schedule sent",
        _grid(
            ("route", "count", "not yet", "errors", "p50", "p99"),
            [
                (r.route, str(r.count), str(r.not_yet), str(r.errors), _ms(r.p50_s), _ms(r.p99_s))
                for r in routes
            ]
            + [
                (
                    "all",
                    str(sum(r.count for r in routes)),
                    str(sum(r.not_yet for r in routes)),
                    str(sum(r.errors for r in routes)),
                    _ms(percentile(answered, 50)),
                    _ms(percentile(answered, 99)),
                )
            ],
        ),
        _grid(
            ("process", "start", f"at {plan.warmup_s:.0f} s", "end", "growth", "restarts", "goal"),
            [
                (
                    p.process,
                    _mib(p.start),
                    _mib(p.warm),
                    _mib(p.end),
                    f"{p.growth:+.0%}",
                    str(p.restarts),
                    ("ok" if p.passed else "FAILED") if p.checked else "shown",
                )
                for p in report.processes()
            ],
        )
        + "\ngrowth: from the warm-up to the end; only the suite's processes are held to "
        f"+{MEMORY_GROWTH_LIMIT:.0%} (the broker's heap and PostgreSQL's buffers, counted in "
        "every backend that touched them, are shown).",
        _grid(
            ("consumer group", "max behind"),
            [(g, str(n)) for g, n in report.max_lag().items()],
        ),
        _grid(
            ("burst", "max behind", "drained after", "at 0 after", "goal"),
            [
                (
                    f"{r.burst.start:.0f}–{r.burst.end:.0f} s",
                    str(r.max_behind),
                    _after(r.drained_after_s),
                    _after(r.zero_after_s),
                    "ok" if r.passed else "FAILED",
                )
                for r in report.recoveries()
            ],
        )
        + "\ndrained: every event behind at the burst's end consumed; at 0: a reading with "
        "no group behind at all (chance under the load that goes on).",
    ]
    letters = sum(report.dead_letters.values())
    parts.append(
        f"dead letters: {letters}"
        + "".join(f"\n  {t}: {n}" for t, n in sorted(report.dead_letters.items()) if n)
    )
    if report.behind_at_end:
        parts.append(
            "still behind at the end:\n" + "\n".join(f"  {b}" for b in report.behind_at_end)
        )
    return "\n\n".join(parts)


def write_csv(report: Report, path: Path) -> None:
    """Every raw sample, one a row: kind (request|memory|lag|partition), t_s, name (route,
    process, consumer group, or a partition behind with its offsets), value (latency in s,
    RSS in bytes, events behind), status and outcome (requests), pid (memory)."""
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(("kind", "t_s", "name", "value", "status", "outcome", "pid"))
        for r in report.requests:
            status = "" if r.status is None else r.status
            out.writerow(
                ("request", f"{r.t:.3f}", r.route, f"{r.latency_s:.4f}", status, r.outcome, "")
            )
        for m in report.memory:
            out.writerow(("memory", f"{m.t:.3f}", m.process, m.rss_bytes, "", "", m.pid or ""))
        for s in report.lag:
            out.writerow(("lag", f"{s.t:.3f}", s.group, s.behind, "", "", ""))
        for b in report.partitions_behind:
            out.writerow(("partition", f"{b.t:.3f}", str(b), b.end - b.committed, "", "", ""))


def per_group(samples: Iterable[Lag]) -> Mapping[str, list[tuple[float, int]]]:
    out: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for s in sorted(samples, key=lambda s: s.t):
        out[s.group].append((s.t, s.behind))
    return out

"""`make soak`'s picture: latency (p50/p99 per 10 s window), consumer lag and memory over
time, the bursts shaded; drawn with matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot: a file, never a window

import matplotlib.pyplot as plt
from soak_report import MEMORY_GROWTH_LIMIT, Report, per_group, process_rows, windows


def draw(report: Report, path: Path) -> None:
    fig, (lat, lag, mem) = plt.subplots(3, 1, figsize=(11, 10), sharex=True)
    ws = windows(report.requests)
    x = [w.start + 5 for w in ws]
    lat.plot(x, [w.p50 * 1000 for w in ws], label="p50", color="tab:blue")
    lat.plot(x, [w.p99 * 1000 for w in ws], label="p99", color="tab:red")
    lat.set_ylabel("latency (ms, per 10 s)")
    lat.set_title(
        f"make soak: {report.plan.rate:g} commands/s for {report.plan.duration_s / 60:g} min, "
        f"bursts of {report.plan.burst_factor:g}× shaded"
    )
    for group, points in per_group(report.lag).items():
        lag.step([t for t, _ in points], [n for _, n in points], where="post", label=group)
    lag.set_ylabel("consumer lag (events)")
    # The memory goal's view: growth since the warm-up of the suite's own processes (the
    # broker's and PostgreSQL's RSS follow their caches; the table shows them).
    for row in process_rows(report.memory, report.plan):
        if not row.checked or not row.warm:
            continue
        points = sorted((m.t, m.rss_bytes) for m in report.memory if m.process == row.process)
        mem.plot(
            [t for t, _ in points],
            [100 * (b - row.warm) / row.warm for _, b in points],
            marker=".",
            label=row.process,
        )
    mem.axhline(100 * MEMORY_GROWTH_LIMIT, color="red", linestyle="--", linewidth=1)
    mem.axvline(report.plan.warmup_s, color="grey", linestyle="--", linewidth=1)
    mem.set_ylabel("RSS growth since warm-up (%)")
    mem.set_xlabel("seconds since the start")
    for ax in (lat, lag, mem):
        for b in report.plan.bursts:
            ax.axvspan(b.start, b.end, color="orange", alpha=0.25, linewidth=0)
        ax.axvline(report.plan.duration_s, color="grey", linestyle=":", linewidth=1)
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="best", fontsize="small", ncol=4)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)

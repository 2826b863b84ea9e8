"""`make soak`'s picture: latency (p50/p99 per 10 s window), consumer lag and memory over
time, the bursts shaded; drawn with matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot: a file, never a window

import matplotlib.pyplot as plt
from soak_report import Report, per_group, windows


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
    by_process: dict[str, list[tuple[float, int]]] = {}
    for m in sorted(report.memory, key=lambda m: m.t):
        by_process.setdefault(m.process, []).append((m.t, m.rss_bytes))
    for name, points in by_process.items():
        mem.plot([t for t, _ in points], [b / 2**20 for _, b in points], marker=".", label=name)
    mem.set_ylabel("RSS (MiB)")
    mem.set_xlabel("seconds since the start")
    for ax in (lat, lag, mem):
        for b in report.plan.bursts:
            ax.axvspan(b.start, b.end, color="orange", alpha=0.25, linewidth=0)
        ax.axvline(report.plan.duration_s, color="grey", linestyle=":", linewidth=1)
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="upper left", fontsize="small", ncol=4)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)

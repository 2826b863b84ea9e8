"""`python -m bench.outbox [--quick]`: measure, print one table, write JSON.

Order: a throw-away producer run warms the broker's JIT (our measures would otherwise pay
it, the anchors not); then Kafka's tools; then ours. All on one broker, in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import time
from collections.abc import Coroutine
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import uvloop
from devstack import Stack
from servicekit.logging import configure_logging

from bench.outbox import anchors
from bench.outbox.backlog import BacklogConfig, run_backlog
from bench.outbox.env import bench_stack, value_bytes
from bench.outbox.latency import LatencyConfig, run_latency
from bench.outbox.pipeline import PipelineConfig, run_pipeline
from bench.outbox.report import Row, ratio, render_table, write_json

T = TypeVar("T")

PARTITIONS = 6
"""As every service topic in deploy/local/topics.toml."""
RELAY_AIM_EVENTS_PER_S = 20_000
DATABASES = ("bench_pipeline", "bench_latency", "bench_backlog")


@dataclass(frozen=True)
class Profile:
    pipeline: PipelineConfig
    latency: LatencyConfig
    backlog: BacklogConfig
    anchor_records: int
    anchor_latency_messages: int
    warm_up_records: int


FULL = Profile(
    pipeline=PipelineConfig(events=20_000, events_per_tx=50, writers=4, partitions=PARTITIONS),
    latency=LatencyConfig(rate_per_s=200, duration_s=12, partitions=PARTITIONS),
    backlog=BacklogConfig(events=100_000, partitions=PARTITIONS),
    anchor_records=300_000,
    anchor_latency_messages=2_000,
    warm_up_records=100_000,
)
QUICK = Profile(
    pipeline=PipelineConfig(events=3_000, events_per_tx=50, writers=4, partitions=PARTITIONS),
    latency=LatencyConfig(rate_per_s=200, duration_s=4, partitions=PARTITIONS),
    backlog=BacklogConfig(events=10_000, partitions=PARTITIONS),
    anchor_records=50_000,
    anchor_latency_messages=500,
    warm_up_records=20_000,
)


def say(message: str) -> None:
    print(f"[bench.outbox] {message}", flush=True)


class Bench:
    def __init__(self, stack: Stack, profile: Profile, runner: asyncio.Runner) -> None:
        self.stack = stack
        self.profile = profile
        self.runner = runner

    def run(self, label: str, work: Coroutine[Any, Any, T]) -> T:
        started = time.perf_counter()
        say(f"{label} …")
        result = self.runner.run(work)
        say(f"{label}: done in {time.perf_counter() - started:.1f} s")
        return result

    def tool(self, label: str, call: Any, *args: Any) -> Any:
        started = time.perf_counter()
        say(f"{label} …")
        result = call(self.stack.kafka, *args)
        say(f"{label}: done in {time.perf_counter() - started:.1f} s")
        return result


def measure(stack: Stack, profile: Profile) -> dict[str, Any]:
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        bench = Bench(stack, profile, runner)
        size = runner.run(value_bytes(stack.postgres.dsn(DATABASES[0])))
        say(f"our Kafka value: {size} bytes (CloudEvents JSON as the relay sends it)")
        stack.kafka.create_topics(
            {"anchor.warmup": PARTITIONS, "anchor.throughput": PARTITIONS, "anchor.latency": 1}
        )
        bench.tool(
            "broker warm-up (ProducerPerformance, discarded)",
            anchors.producer_performance,
            "anchor.warmup",
            profile.warm_up_records,
            size,
        )
        producer = bench.tool(
            "Kafka ProducerPerformance",
            anchors.producer_performance,
            "anchor.throughput",
            profile.anchor_records,
            size,
        )
        consumer = bench.tool(
            "Kafka ConsumerPerformance",
            anchors.consumer_performance,
            "anchor.throughput",
            profile.anchor_records,
            "anchor-consumer",
        )
        latency_anchor = bench.tool(
            "Kafka EndToEndLatency",
            anchors.end_to_end_latency,
            "anchor.latency",
            profile.anchor_latency_messages,
            size,
        )
        pipeline = bench.run("pipeline", run_pipeline(stack, "bench_pipeline", profile.pipeline))
        latency = bench.run("latency", run_latency(stack, "bench_latency", profile.latency))
        backlog = bench.run("backlog", run_backlog(stack, "bench_backlog", profile.backlog))
        results: dict[str, Any] = {
            "value_bytes": size,
            "anchors": {
                "producer_performance": producer.as_dict(),
                "consumer_performance": consumer.as_dict(),
                "end_to_end_latency": latency_anchor.as_dict(),
            },
            "pipeline": pipeline.as_dict(),
            "latency": latency.as_dict(),
            "backlog": backlog.as_dict(),
        }
    return results


def build_rows(results: dict[str, Any]) -> list[Row]:
    producer = results["anchors"]["producer_performance"]
    consumer = results["anchors"]["consumer_performance"]
    e2e = results["anchors"]["end_to_end_latency"]
    pipeline: dict[str, Any] = results["pipeline"]
    latency: dict[str, Any] = results["latency"]
    backlog: dict[str, Any] = results["backlog"]
    kafka_producer = "Kafka ProducerPerformance records/s"
    kafka_consumer = "Kafka ConsumerPerformance msgs/s (fetch)"
    rows = [
        Row(
            "pipeline events/s",
            pipeline["events_per_s"],
            kafka_producer,
            producer["records_per_s"],
            ratio(pipeline["events_per_s"], producer["records_per_s"]),
        ),
        Row(
            "pipeline events/s",
            pipeline["events_per_s"],
            kafka_consumer,
            consumer["fetch_msgs_per_s"],
            ratio(pipeline["events_per_s"], consumer["fetch_msgs_per_s"]),
        ),
    ]
    for name, key, anchor_key in (("p50", "p50", "p50_ms"), ("p99", "p99", "p99_ms")):
        rows.append(
            Row(
                f"latency {name} ms (commit → handler)",
                latency["seen_ms"][key],
                f"Kafka EndToEndLatency {name} ms (acks=all)",
                e2e[anchor_key],
                ratio(latency["seen_ms"][key], e2e[anchor_key]),
            )
        )
    relay_rate = backlog["relay"]["events_per_s"]
    rows += [
        Row(
            "backlog relay drain events/s",
            relay_rate,
            "aim (this machine)",
            RELAY_AIM_EVENTS_PER_S,
            ratio(relay_rate, RELAY_AIM_EVENTS_PER_S),
        ),
        Row(
            "backlog relay drain events/s",
            relay_rate,
            kafka_producer,
            producer["records_per_s"],
            ratio(relay_rate, producer["records_per_s"]),
        ),
    ]
    consumer_rate = backlog["consumer"]["events_per_s"]
    rows.append(
        Row(
            "backlog consumer drain events/s",
            consumer_rate,
            kafka_consumer,
            consumer["fetch_msgs_per_s"],
            ratio(consumer_rate, consumer["fetch_msgs_per_s"]),
        )
    )
    return rows


def notes(results: dict[str, Any], profile: Profile) -> list[str]:
    pipeline, backlog = profile.pipeline, profile.backlog
    return [
        f"value {results['value_bytes']} B (+2 headers on ours), {PARTITIONS} partitions, "
        "acks=all, idempotent producer, one Python process on uvloop.",
        f"pipeline: {pipeline.events:,} events, {pipeline.events_per_tx} per transaction, "
        f"{pipeline.writers} concurrent writers, relay and consumer running meanwhile; "
        "first commit → last effect committed.",
        f"latency: {profile.latency.rate_per_s:.0f} events/s, 1 per transaction, "
        f"{profile.latency.duration_s:.0f} s; ratio > 1 = slower than Kafka alone.",
        f"backlog: {backlog.events:,} events written by UnitOfWork ({backlog.fill_events_per_tx} "
        f"per tx), OutboxRelay.drain(batch {backlog.relay_batch_size}); consumer timed from "
        "first fetch (group join left out, as ConsumerPerformance's fetch rate).",
    ]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.outbox", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small N: a smoke run (~1 min)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    profile = QUICK if args.quick else FULL
    # Warnings only: the runner's INFO lines (partitions assigned ...) would bury the table.
    configure_logging("bench", "WARNING", json=False)
    started_at = datetime.now(UTC)
    clock = time.perf_counter()
    load_before = os.getloadavg()
    with bench_stack(DATABASES) as stack:
        say(f"stack up in {time.perf_counter() - clock:.1f} s: {stack.config.state_dir}")
        results = measure(stack, profile)
        kafka_version = stack.kafka.version
    duration = time.perf_counter() - clock
    rows = build_rows(results)
    document = {
        "started_at": started_at.isoformat(),
        "duration_s": round(duration, 1),
        "profile": "quick" if args.quick else "full",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "kafka": kafka_version,
            # Other work on a 2-core machine moves every figure: kept to judge a run.
            "loadavg_before": load_before,
            "loadavg_after": os.getloadavg(),
        },
        "config": asdict(profile),
        "results": results,
    }
    path = write_json(document, rows, started_at)
    print()
    print(render_table(rows))
    for line in notes(results, profile):
        print(f"  · {line}")
    print(f"  · {duration:.0f} s in all; JSON: {path.relative_to(path.parents[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

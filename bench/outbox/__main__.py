"""`python -m bench.outbox [--quick] [--prototypes]`: measure, print one table, write JSON.

Order: a throw-away producer run warms the broker's JIT (our measures would otherwise pay
it, the anchors not); then Kafka's tools; then ours. All on one broker, in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import platform
import statistics
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
from bench.outbox.probes import ProbedConsumer, ProbedRelay
from bench.outbox.prototypes import (
    AsyncCommitRelay,
    BatchedConsumer,
    BatchedRelay,
    BulkHandlerConsumer,
    DeletingRelay,
    PerPollConsumer,
    PrototypeRelay,
    SingleActiveRelay,
)
from bench.outbox.report import Row, ratio, render_table, write_json

T = TypeVar("T")

PARTITIONS = 6
"""As every service topic in deploy/local/topics.toml."""
RELAY_AIM_EVENTS_PER_S = 20_000
DATABASES = ("bench_pipeline", "bench_latency", "bench_backlog", "bench_proto")


@dataclass(frozen=True)
class Profile:
    pipeline: PipelineConfig
    latency: LatencyConfig
    backlog: BacklogConfig
    anchor_records: int
    anchor_latency_messages: int
    warm_up_records: int
    relay_proto_events: int
    relay_proto_rounds: int


FULL = Profile(
    pipeline=PipelineConfig(events=20_000, events_per_tx=50, writers=4, partitions=PARTITIONS),
    latency=LatencyConfig(rate_per_s=200, duration_s=12, partitions=PARTITIONS),
    backlog=BacklogConfig(events=100_000, partitions=PARTITIONS),
    anchor_records=300_000,
    anchor_latency_messages=2_000,
    warm_up_records=100_000,
    relay_proto_events=50_000,
    relay_proto_rounds=3,
)
QUICK = Profile(
    pipeline=PipelineConfig(events=3_000, events_per_tx=50, writers=4, partitions=PARTITIONS),
    latency=LatencyConfig(rate_per_s=200, duration_s=4, partitions=PARTITIONS),
    backlog=BacklogConfig(events=10_000, partitions=PARTITIONS),
    anchor_records=50_000,
    anchor_latency_messages=500,
    warm_up_records=20_000,
    relay_proto_events=10_000,
    relay_proto_rounds=1,
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


def measure(stack: Stack, profile: Profile, *, prototypes: bool) -> dict[str, Any]:
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
        if prototypes:
            results["prototypes"] = measure_prototypes(bench)
    return results


CONSUMER_PROTOTYPES: tuple[type[ProbedConsumer], ...] = (
    PerPollConsumer,
    BatchedConsumer,
    BulkHandlerConsumer,
)
RELAY_PROTOTYPES: tuple[type[ProbedRelay], ...] = (
    ProbedRelay,  # servicekit's relay again, beside the others: the baseline of this section
    PrototypeRelay,
    SingleActiveRelay,
    BatchedRelay,
    AsyncCommitRelay,
    DeletingRelay,
)


def measure_prototypes(bench: Bench) -> dict[str, Any]:
    """The changes proposed for servicekit, on the same measures (see prototypes.py).

    The relays are compared with servicekit's relay drained again in this section (the
    backlog measure above ran minutes earlier, under other load); `PrototypeRelay` is
    the relay copied with no change: how far it lands from the original shows the noise.
    """
    profile, stack = bench.profile, bench.stack
    consumers: dict[str, Any] = {}
    for cls in CONSUMER_PROTOTYPES:
        name = cls.__name__
        consumers[name] = {
            "latency": bench.run(
                f"prototype {name}: latency",
                run_latency(
                    stack,
                    "bench_proto",
                    profile.latency,
                    topic=f"bench.proto-latency-{name}",
                    consumer_cls=cls,
                ),
            ).as_dict(),
            "pipeline": bench.run(
                f"prototype {name}: pipeline",
                run_pipeline(
                    stack,
                    "bench_proto",
                    profile.pipeline,
                    topic=f"bench.proto-pipeline-{name}",
                    consumer_cls=cls,
                ),
            ).as_dict(),
        }
    # Relay gains are tens of percent, the same order as the noise of one drain on a
    # shared box: each relay drains a fresh backlog several times, in turns, and the
    # median is compared.
    backlog = dataclasses.replace(profile.backlog, events=profile.relay_proto_events)
    drains: dict[str, list[dict[str, Any]]] = {cls.__name__: [] for cls in RELAY_PROTOTYPES}
    for turn in range(profile.relay_proto_rounds):
        for relay_cls in RELAY_PROTOTYPES:
            name = relay_cls.__name__
            database = f"bench_proto_{name.lower()}_{turn}"  # each starts from the same state
            stack.postgres.create_databases([database])
            result = bench.run(
                f"prototype {name}: backlog relay drain, turn {turn + 1}",
                run_backlog(
                    stack,
                    database,
                    backlog,
                    topic=f"bench.proto-backlog-{name}-{turn}",
                    relay_cls=relay_cls,
                    consumer_cls=None,
                ),
            )
            drains[name].append(dataclasses.asdict(result.relay))
    relays = {
        name: {
            "events": backlog.events,
            "events_per_s": [d["events_per_s"] for d in runs],
            "median_events_per_s": statistics.median(d["events_per_s"] for d in runs),
            "drains": runs,
        }
        for name, runs in drains.items()
    }
    return {"consumers": consumers, "relays": relays}


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
    if backlog["consumer"] is not None:
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
    if "prototypes" in results:
        rows += prototype_rows(results)
    return rows


def prototype_rows(results: dict[str, Any]) -> list[Row]:
    today = "servicekit today (above)"
    rows = []
    pipeline_today = results["pipeline"]["events_per_s"]
    latency_today = results["latency"]["seen_ms"]
    for name, proto in results["prototypes"]["consumers"].items():
        rate = proto["pipeline"]["events_per_s"]
        rows.append(
            Row(
                f"{name}: pipeline events/s",
                rate,
                today,
                pipeline_today,
                ratio(rate, pipeline_today),
            )
        )
        for key in ("p50", "p99"):
            ms = proto["latency"]["seen_ms"][key]
            rows.append(
                Row(
                    f"{name}: latency {key} ms",
                    ms,
                    today,
                    latency_today[key],
                    ratio(ms, latency_today[key]),
                )
            )
    relays = dict(results["prototypes"]["relays"])
    baseline = relays.pop(ProbedRelay.__name__)["median_events_per_s"]
    rows.append(Row("servicekit relay: drain, median", baseline, "", None, None))
    for name, proto in relays.items():
        rate = proto["median_events_per_s"]
        rows.append(
            Row(
                f"{name}: drain, median",
                rate,
                "servicekit relay, same turns",
                baseline,
                ratio(rate, baseline),
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
    parser.add_argument(
        "--prototypes",
        action="store_true",
        help="also measure the proposed consumer change (bench/outbox/prototypes.py)",
    )
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
        results = measure(stack, profile, prototypes=args.prototypes)
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

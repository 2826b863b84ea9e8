"""Kafka's own performance tools on the same broker: what our figures are set beside.

Checked against Kafka 4.1.2's `--help`: ProducerPerformance and ConsumerPerformance take
named options, EndToEndLatency positional ones (`broker_list topic num_messages
producer_acks message_size_bytes [properties_file]`). Parsers are kept apart from the
runs so a format change in a later Kafka fails with the text that broke them.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from devstack import Kafka

PRODUCER_PERFORMANCE = "org.apache.kafka.tools.ProducerPerformance"
CONSUMER_PERFORMANCE = "org.apache.kafka.tools.ConsumerPerformance"
END_TO_END_LATENCY = "org.apache.kafka.tools.EndToEndLatency"

# The settings of servicekit.kafka.idempotent_producer, so the anchor differs from the
# relay by the outbox and Python, not by producer tuning.
PRODUCER_PROPS = (
    "acks=all",
    "enable.idempotence=true",
    "linger.ms=5",
    "batch.size=262144",
)
TOOL_TIMEOUT_S = 240.0


class AnchorError(RuntimeError):
    """A Kafka tool failed or printed something this parser does not know."""


@dataclass(frozen=True)
class ProducerFigures:
    records: int
    records_per_s: float
    mb_per_s: float
    avg_latency_ms: float
    p50_ms: float
    p99_ms: float
    record_size: int
    props: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ConsumerFigures:
    messages: int
    msgs_per_s: float
    """Over the whole run, the group join (rebalance) included."""
    fetch_msgs_per_s: float
    """Over the fetching only: the steady rate."""
    rebalance_ms: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class LatencyFigures:
    messages: int
    avg_ms: float
    p50_ms: float
    p99_ms: float
    p999_ms: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_PRODUCER_SUMMARY = re.compile(
    r"(?P<records>\d+) records sent, (?P<rps>[\d.]+) records/sec \((?P<mbps>[\d.]+) MB/sec\), "
    r"(?P<avg>[\d.]+) ms avg latency, [\d.]+ ms max latency, "
    r"(?P<p50>[\d.]+) ms 50th, [\d.]+ ms 95th, (?P<p99>[\d.]+) ms 99th"
)


def parse_producer_performance(
    stdout: str, record_size: int, props: tuple[str, ...] = PRODUCER_PROPS
) -> ProducerFigures:
    """The final summary line (the interim ones lack the percentiles)."""
    matches = list(_PRODUCER_SUMMARY.finditer(stdout))
    if not matches:
        raise AnchorError(f"no ProducerPerformance summary in: {stdout[-500:]!r}")
    m = matches[-1]
    return ProducerFigures(
        records=int(m["records"]),
        records_per_s=float(m["rps"]),
        mb_per_s=float(m["mbps"]),
        avg_latency_ms=float(m["avg"]),
        p50_ms=float(m["p50"]),
        p99_ms=float(m["p99"]),
        record_size=record_size,
        props=props,
    )


def parse_consumer_performance(stdout: str) -> ConsumerFigures:
    """A CSV header line and one data line; read by column name, not position."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    for i, line in enumerate(lines[:-1]):
        if line.startswith("start.time"):
            names = [n.strip() for n in line.split(",")]
            values = [v.strip() for v in lines[i + 1].split(",")]
            row = dict(zip(names, values, strict=False))
            try:
                return ConsumerFigures(
                    messages=int(row["data.consumed.in.nMsg"]),
                    msgs_per_s=float(row["nMsg.sec"]),
                    fetch_msgs_per_s=float(row["fetch.nMsg.sec"]),
                    rebalance_ms=float(row["rebalance.time.ms"]),
                )
            except (KeyError, ValueError) as exc:
                raise AnchorError(f"unexpected ConsumerPerformance row {row!r}") from exc
    raise AnchorError(f"no ConsumerPerformance header in: {stdout[-500:]!r}")


_E2E_AVG = re.compile(r"Avg latency: (?P<avg>[\d.]+) ms")
_E2E_PERCENTILES = re.compile(
    r"Percentiles: 50th = (?P<p50>[\d.]+), 99th = (?P<p99>[\d.]+), 99\.9th = (?P<p999>[\d.]+)"
)


def parse_end_to_end_latency(stdout: str, messages: int) -> LatencyFigures:
    """`Avg latency: 2.88 ms` and `Percentiles: 50th = 1, 99th = 19, 99.9th = 69` (whole ms)."""
    avg, pct = _E2E_AVG.search(stdout), _E2E_PERCENTILES.search(stdout)
    if avg is None or pct is None:
        raise AnchorError(f"no EndToEndLatency summary in: {stdout[-500:]!r}")
    return LatencyFigures(
        messages=messages,
        avg_ms=float(avg["avg"]),
        p50_ms=float(pct["p50"]),
        p99_ms=float(pct["p99"]),
        p999_ms=float(pct["p999"]),
    )


def _run(kafka: Kafka, main_class: str, args: list[str]) -> str:
    result = kafka.run_tool(main_class, args, timeout=TOOL_TIMEOUT_S, check=False)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise AnchorError(f"{main_class} exited {result.returncode}: {' | '.join(tail)}")
    return result.stdout


def producer_performance(
    kafka: Kafka, topic: str, records: int, record_size: int
) -> ProducerFigures:
    """As fast as it goes (`--throughput -1`), records of our envelopes' size."""
    args = [
        "--topic", topic,
        "--num-records", str(records),
        "--throughput", "-1",
        "--record-size", str(record_size),
        "--producer-props", f"bootstrap.servers={kafka.bootstrap}", *PRODUCER_PROPS,
    ]  # fmt: skip
    return parse_producer_performance(_run(kafka, PRODUCER_PERFORMANCE, args), record_size)


def consumer_performance(kafka: Kafka, topic: str, messages: int, group: str) -> ConsumerFigures:
    """Reads what `producer_performance` wrote, in a consumer group as our runner does."""
    args = [
        "--bootstrap-server", kafka.bootstrap,
        "--topic", topic,
        "--messages", str(messages),
        "--group", group,
        "--timeout", "30000",
    ]  # fmt: skip
    return parse_consumer_performance(_run(kafka, CONSUMER_PERFORMANCE, args))


def end_to_end_latency(kafka: Kafka, topic: str, messages: int, size: int) -> LatencyFigures:
    """One message at a time: send, wait for acks=all, poll until it is back."""
    args = [kafka.bootstrap, topic, str(messages), "all", str(size)]
    return parse_end_to_end_latency(_run(kafka, END_TO_END_LATENCY, args), messages)

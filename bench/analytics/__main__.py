"""`python -m bench.analytics [--quick]`: catch-up events/s into DuckDB beside ConsumerPerformance.

Order: its own stack (free ports, `.stack-bench/`); one `presensi.events` topic with three
partitions filled with N real check-in envelopes; Kafka's ConsumerPerformance reads them
(the anchor: fetching only, no parsing, no storing); then `asn_analytics.consume` lands
them from the beginning into a fresh DuckDB file (envelope parsed, rows and positions
written per batch). A benchmark, not a test: nothing asserts on speed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from aiokafka import AIOKafkaProducer
from asn_analytics.consume import consume
from asn_analytics.store import Store
from asn_schemas import new_event, source_for
from asn_schemas.examples import example_payloads
from servicekit.kafka import ensure_topics

from bench.outbox import anchors
from bench.outbox.env import bench_stack

TOPIC = "presensi.events"
RESULTS_DIR = Path(__file__).resolve().parents[1] / "results"


def envelopes(count: int) -> list[tuple[bytes, bytes]]:
    """(key, value) of `count` check-ins of 2 000 made-up people, as presensi sends them."""
    sample = example_payloads()["presensi.attendance.checked_in.v1"]
    model = type(sample)
    base = sample.model_dump()
    out: list[tuple[bytes, bytes]] = []
    for n in range(count):
        nip = f"19900101201503{n % 2000:04d}"
        day = date(2025, 1, 1) + timedelta(days=n // 2000)
        payload = model.model_validate(
            {**base, "attendance_id": uuid.uuid4(), "nip": nip, "date": day}
        )
        event = new_event(payload, subject=nip, actor=nip, source=source_for("presensi"))
        out.append((nip.encode(), event.to_json_bytes()))
    return out


async def fill(bootstrap: str, records: list[tuple[bytes, bytes]]) -> None:
    await ensure_topics(bootstrap, {TOPIC: 3})
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    try:
        for start in range(0, len(records), 5000):
            sent = [
                await producer.send(TOPIC, value, key=key)
                for key, value in records[start : start + 5000]
            ]
            await asyncio.gather(*sent)
    finally:
        await producer.stop()


async def land(bootstrap: str, path: Path) -> tuple[int, float]:
    with Store(path) as store:
        started = time.perf_counter()
        totals = await consume(bootstrap, store, topics=[TOPIC], group="bench-analytics")
        return totals.landed, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.analytics")
    parser.add_argument("--quick", action="store_true", help="10 000 events instead of 100 000")
    count = 10_000 if parser.parse_args().quick else 100_000
    started_at = datetime.now(UTC)
    records = envelopes(count)
    size = round(sum(len(v) for _, v in records) / count)
    with bench_stack(databases=()) as stack, tempfile.TemporaryDirectory() as tmp:
        bootstrap = stack.kafka.bootstrap
        asyncio.run(fill(bootstrap, records))
        anchor = anchors.consumer_performance(stack.kafka, TOPIC, count, "bench-anchor")
        landed, seconds = asyncio.run(land(bootstrap, Path(tmp) / "bench.duckdb"))
        file_bytes = (Path(tmp) / "bench.duckdb").stat().st_size
    ours = landed / seconds
    print(f"events: {count} check-ins, mean value {size} bytes, 3 partitions")
    print(f"asn_analytics catch-up (parse + DuckDB): {ours:,.0f} events/s")
    print(f"ConsumerPerformance fetch rate:          {anchor.fetch_msgs_per_s:,.0f} msgs/s")
    print(f"ConsumerPerformance, group join incl.:   {anchor.msgs_per_s:,.0f} msgs/s")
    print(f"ratio ours / fetch rate: {ours / anchor.fetch_msgs_per_s:.3f}")
    print(f"DuckDB file: {file_bytes / 1e6:.1f} MB; load average {os.getloadavg()[0]:.2f}")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"analytics-{started_at.strftime('%Y%m%dT%H%M%S')}.json"
    document = {
        "started": started_at.isoformat(),
        "machine": platform.platform(),
        "load_average": os.getloadavg(),
        "events": count,
        "value_bytes": size,
        "landed": landed,
        "seconds": seconds,
        "events_per_s": ours,
        "anchor": anchor.as_dict(),
        "duckdb_bytes": file_bytes,
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    print(f"JSON: {path}")


if __name__ == "__main__":
    main()

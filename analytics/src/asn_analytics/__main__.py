"""`python -m asn_analytics consume [--follow]` and `python -m asn_analytics report --out DIR`.

Settings: `--bootstrap` or ASN_KAFKA_BOOTSTRAP (default: the local stack's 127.0.0.1:19092),
`--db` or ASN_ANALYTICS_DB (default: .stack/analytics.duckdb).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from asn_analytics.consume import GROUP, Totals, consume
from asn_analytics.reports import run_reports
from asn_analytics.store import DEFAULT_PATH, Store


def database_path(flag: str | None = None) -> Path:
    return Path(flag or os.environ.get("ASN_ANALYTICS_DB") or DEFAULT_PATH)


def kafka_bootstrap(flag: str | None = None) -> str:
    return flag or os.environ.get("ASN_KAFKA_BOOTSTRAP") or "127.0.0.1:19092"


def consume_command(
    db: Path, bootstrap: str, *, topics: list[str] | None, follow: bool, group: str = GROUP
) -> Totals:
    """Land events and print a one-line summary (and a line per batch when following)."""
    started = time.monotonic()

    def progress(totals: Totals) -> None:
        if follow:
            print(f"landed {totals.landed}, duplicates {totals.duplicates}", flush=True)

    with Store(db) as store, contextlib.suppress(KeyboardInterrupt):
        totals = asyncio.run(
            consume(bootstrap, store, topics=topics, follow=follow, group=group, on_batch=progress)
        )
        elapsed = time.monotonic() - started
        print(
            f"{totals.landed} event(s) landed, {totals.duplicates} duplicate(s) absorbed, "
            f"{totals.rejected} message(s) rejected from {len(totals.topics)} topic(s) "
            f"in {elapsed:.1f} s into {db}"
        )
    return totals


def report_command(db: Path, out: Path) -> None:
    if not db.exists():
        raise SystemExit(f"error: no analytics database at {db}; run `consume` first")
    with Store(db, read_only=True) as store:
        tables = run_reports(store, out)
    for table in tables:
        print(f"{table.report.name}: {len(table.rows)} row(s)")
    print(f"CSV, Parquet and report.html in {out}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m asn_analytics", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    c = commands.add_parser("consume", help="land every *.events topic into DuckDB")
    c.add_argument("--follow", action="store_true", help="keep landing new events (Ctrl-C stops)")
    c.add_argument("--topic", action="append", help="only these topics (repeatable)")
    c.add_argument("--bootstrap", help="Kafka bootstrap servers")
    c.add_argument("--db", help="the DuckDB file")
    c.add_argument("--group", default=GROUP, help="consumer group shown by `asn lag`")
    r = commands.add_parser("report", help="write the standard reports")
    r.add_argument("--out", required=True, type=Path, help="folder for CSV, Parquet and HTML")
    r.add_argument("--db", help="the DuckDB file")
    args = parser.parse_args(argv)
    if args.command == "consume":
        consume_command(
            database_path(args.db),
            kafka_bootstrap(args.bootstrap),
            topics=args.topic,
            follow=args.follow,
            group=args.group,
        )
    else:
        report_command(database_path(args.db), args.out)


if __name__ == "__main__":
    main(sys.argv[1:])

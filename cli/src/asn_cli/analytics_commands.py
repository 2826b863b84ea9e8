"""`asn analytics consume` and `asn report run`: the reference analytics consumer's commands.

The DuckDB file is ASN_ANALYTICS_DB, else `analytics.duckdb` in the local stack's state
folder (what `make run` uses), so on the suite's own machine no path need be typed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from asn_analytics.consume import GROUP, Totals, consume
from asn_analytics.reports import run_reports
from asn_analytics.store import Store
from devstack.config import StackConfig

from asn_cli import target
from asn_cli.failures import fail, run

analytics_app = typer.Typer(help="Land every event in a DuckDB file for analysis.")
report_app = typer.Typer(help="The standard reports from the analytics DuckDB file.")

Database = Annotated[
    Path | None,
    typer.Option("--db", help="the DuckDB file [default: ASN_ANALYTICS_DB, else the stack's]"),
]


def database_path(flag: Path | None) -> Path:
    if flag is not None:
        return flag
    if os.environ.get("ASN_ANALYTICS_DB"):
        return Path(os.environ["ASN_ANALYTICS_DB"])
    return StackConfig.from_env().state_dir / "analytics.duckdb"


@analytics_app.command(name="consume")
def consume_command(
    follow: Annotated[bool, typer.Option(help="keep landing new events (Ctrl-C stops)")] = False,
    topic: Annotated[
        list[str] | None, typer.Option(help="only this topic (repeatable) [default: *.events]")
    ] = None,
    group: Annotated[str, typer.Option(help="consumer group `asn lag` shows")] = GROUP,
    db: Database = None,
    bootstrap: Annotated[
        str | None,
        typer.Option(
            help="Kafka bootstrap servers [default: ASN_KAFKA_BOOTSTRAP, else the local stack]"
        ),
    ] = None,
) -> None:
    """Land every event of the topics into DuckDB, from where the file says it stopped."""
    server = target.kafka(bootstrap)
    path = database_path(db)

    def progress(totals: Totals) -> None:
        if follow:
            typer.echo(f"landed {totals.landed}, duplicates {totals.duplicates}")

    with _store(path) as store, contextlib.suppress(KeyboardInterrupt):
        totals = run(
            consume(server.client_args(), store, topics=topic or None, follow=follow, group=group,
                    on_batch=progress),
            bootstrap=server.bootstrap,
        )  # fmt: skip
        typer.echo(
            f"{totals.landed} event(s) landed, {totals.duplicates} duplicate(s) absorbed, "
            f"{totals.rejected} message(s) rejected from {len(totals.topics)} topic(s) into {path}"
        )


@report_app.command(name="run")
def report_run(
    out: Annotated[Path, typer.Option(help="folder for the CSV, Parquet and report.html")],
    db: Database = None,
) -> None:
    """Write the standard reports (CSV, Parquet, one HTML page) from the DuckDB file."""
    path = database_path(db)
    if not path.exists():
        raise fail(f"no analytics database at {path}; run `asn analytics consume` first")
    with _store(path, read_only=True) as store:
        tables = run_reports(store, out)
    for table in tables:
        typer.echo(f"{table.report.name}: {len(table.rows)} row(s)")
    typer.echo(f"CSV, Parquet and report.html in {out}")


@contextlib.contextmanager
def _store(path: Path, *, read_only: bool = False) -> Iterator[Store]:
    try:
        store = Store(path, read_only=read_only)
    except duckdb.Error as exc:  # another process holds the file, or it is no DuckDB file
        raise fail(f"cannot open {path}: {str(exc).splitlines()[0]}") from None
    try:
        yield store
    finally:
        store.close()

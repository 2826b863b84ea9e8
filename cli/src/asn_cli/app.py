"""`asn`: the suite's operator command line.

Every command works against the local stack with no settings (it finds what `make run`
uses) and against another deployment through flags or `ASN_*` settings.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from servicekit.deadletter import dlq_topic, replay_dead_letters
from servicekit.devkeys import ensure_dev_keys, mint_token

from asn_cli import dlq, lag, target
from asn_cli.failures import fail, run
from asn_cli.tail import TailFilter, format_line, tail

app = typer.Typer(
    name="asn",
    help="Operate the Sawahlunto ASN Suite: tokens, topics, lag, dead letters, rebuilds.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
dlq_app = typer.Typer(help="Dead letters: list the topics, show letters, replay them.")
rebuild_app = typer.Typer(help="Rebuild a read model from the beginning of the topics.")
app.add_typer(dlq_app, name="dlq")
app.add_typer(rebuild_app, name="rebuild")
out = Console(highlight=False)


def show_table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """A boxed table on a terminal; tab-separated lines when piped, for grep, awk or cut
    (a boxed table would wrap its cells to an 80-column guess)."""
    if out.is_terminal:
        table = Table(*headers)
        for row in rows:
            table.add_row(*row)
        out.print(table)
        return
    for line in (headers, *rows):
        typer.echo("\t".join(line))


Bootstrap = Annotated[
    str | None,
    typer.Option(
        help="Kafka bootstrap servers [default: ASN_KAFKA_BOOTSTRAP, else the local stack]"
    ),
]


@app.command()
def token(
    nip: Annotated[str, typer.Option(help="the NIP (18 digits) the token speaks for")],
    roles: Annotated[
        str, typer.Option(help="comma-separated: pegawai,admin_opd,bkpsdm,auditor")
    ] = "pegawai",
    unit: Annotated[str | None, typer.Option(help="unit code, for admin_opd")] = None,
    ttl: Annotated[int, typer.Option(help="seconds until it expires", min=60)] = 8 * 3600,
    keys: Annotated[
        Path | None, typer.Option(help="dev key folder [default: the local stack's]")
    ] = None,
) -> None:
    """Mint a development token for the local suite (refused in production)."""
    if os.environ.get("ASN_ENVIRONMENT") == "production":
        raise fail("refused: dev tokens are never minted when ASN_ENVIRONMENT is production")
    private, _ = ensure_dev_keys(target.dev_keys_dir(keys))
    names = [r.strip() for r in roles.split(",") if r.strip()]
    typer.echo(mint_token(private.read_bytes(), sub=nip, roles=names, unit_id=unit, ttl_s=ttl))


@app.command(name="tail")
def tail_command(
    topic: Annotated[str, typer.Argument(help="e.g. pegawai.events")],
    event_type: Annotated[str | None, typer.Option("--type", help="only this event type")] = None,
    nip: Annotated[str | None, typer.Option(help="only events about this NIP")] = None,
    from_beginning: Annotated[
        bool, typer.Option("--from-beginning", "-b", help="from the first event kept")
    ] = False,
    follow: Annotated[bool, typer.Option(help="keep waiting for new events (Ctrl-C stops)")] = True,
    limit: Annotated[int | None, typer.Option(help="stop after this many", min=1)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print each event's JSON as is")] = False,
    bootstrap: Bootstrap = None,
) -> None:
    """Print a topic's events, one line each (time in WIB, position, type, subject)."""
    server = target.kafka_bootstrap(bootstrap)
    with contextlib.suppress(KeyboardInterrupt):
        run(
            tail(
                server,
                topic,
                where=TailFilter(event_type, nip),
                from_beginning=from_beginning,
                follow=follow,
                limit=limit,
                emit=lambda record: out.print(
                    format_line(record, as_json=as_json), markup=False, soft_wrap=True
                ),
            ),
            bootstrap=server,
        )


@app.command(name="lag")
def lag_command(
    group: Annotated[str | None, typer.Option(help="only this consumer group")] = None,
    bootstrap: Bootstrap = None,
) -> None:
    """How far every consumer group is behind, per partition, with a total per group."""
    server = target.kafka_bootstrap(bootstrap)
    rows = run(lag.group_lag(server, group), bootstrap=server)
    if not rows:
        typer.echo("no consumer group has committed offsets yet")
        return
    show_table(
        ("group", "topic", "partition", "committed", "end", "behind"),
        [
            (
                row.group,
                row.topic,
                str(row.partition),
                "-" if row.committed is None else str(row.committed),
                str(row.end),
                str(row.behind),
            )
            for row in rows
        ],
    )
    for name, behind in lag.totals(rows).items():
        out.print(f"{name}: {behind} event(s) behind", markup=False)


@dlq_app.command(name="list")
def dlq_list(bootstrap: Bootstrap = None) -> None:
    """Every dead-letter topic and how many letters it keeps."""
    server = target.kafka_bootstrap(bootstrap)
    topics = run(dlq.dead_letter_topics(server), bootstrap=server)
    show_table(("group", "topic", "letters"), [(t.group, t.topic, str(t.letters)) for t in topics])
    out.print(f"{sum(t.letters for t in topics)} dead letter(s) in {len(topics)} topic(s)")


@dlq_app.command(name="show")
def dlq_show(
    group: Annotated[str, typer.Argument(help="the consumer group, e.g. gateway or presensi")],
    limit: Annotated[int, typer.Option(help="show at most this many", min=1)] = 20,
    bootstrap: Bootstrap = None,
) -> None:
    """The letters of one group: the event, where it came from, why it failed."""
    server = target.kafka_bootstrap(bootstrap)
    letters = run(dlq.dead_letters(server, group, limit=limit), bootstrap=server)
    show_table(
        ("at", "event", "from", "error", "attempts", "failed at"),
        [
            (
                f"{letter.partition}@{letter.offset}",
                letter.event_type,
                letter.original,
                letter.error,
                letter.attempts,
                letter.failed_at,
            )
            for letter in letters
        ],
    )
    out.print(f"{len(letters)} dead letter(s) shown from {dlq_topic(group)}", markup=False)


@dlq_app.command(name="replay")
def dlq_replay(
    group: Annotated[str, typer.Argument(help="the consumer group whose letters to send back")],
    limit: Annotated[int | None, typer.Option(help="replay at most this many", min=1)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="count, send nothing")] = False,
    bootstrap: Bootstrap = None,
) -> None:
    """Send a group's dead letters back to their topics, once the cause is fixed (each once)."""
    server = target.kafka_bootstrap(bootstrap)
    result = run(replay_dead_letters(server, group, limit=limit, dry_run=dry_run), bootstrap=server)
    verb = "would replay" if dry_run else "replayed"
    out.print(f"{verb} {result.replayed} dead letter(s) from {dlq_topic(group)}", markup=False)
    for topic, count in sorted(result.topics.items()):
        out.print(f"  {count:>6} → {topic}", markup=False)


@rebuild_app.command(name="gateway")
def rebuild_gateway(
    database_url: Annotated[
        str | None,
        typer.Option(
            help="the gateway's database [default: ASN_DATABASE_URL, else the local stack]"
        ),
    ] = None,
    bootstrap: Bootstrap = None,
) -> None:
    """Rebuild the gateway's read model from the beginning of the topics, then swap it in."""
    from gateway.rebuild import RebuildSettings, rebuild  # the gateway's imports cost ~1 s

    server = target.kafka_bootstrap(bootstrap)
    settings = RebuildSettings(
        database_url=target.database_url("gateway", database_url),
        kafka_bootstrap=server,
        log_json=False,
        log_level="WARNING",
    )
    columns = (TextColumn("replaying"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=out, transient=True) as bar:
        task = bar.add_task("rebuild", total=None)

        def progress(read: int, total: int) -> None:
            bar.update(task, completed=read, total=total)

        result = run(rebuild(settings, progress), bootstrap=server)
    out.print(
        f"read model rebuilt: {result.applied} events applied "
        f"({result.caught_up_in_swap} during the swap), {result.duplicates} duplicates, "
        f"{result.skipped} skipped, {result.dead_lettered} dead-lettered "
        f"(to {dlq_topic(settings.consumer_group)}), {result.seconds} s",
        markup=False,
    )


def main() -> None:
    # Failures reach the operator as one line from `failures.run`; the client libraries'
    # own log lines (a reconnect attempt per second) would bury it.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    app()

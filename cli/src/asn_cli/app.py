"""`asn`: the suite's operator command line.

Every command works against the local stack with no settings (it finds what `make run`
uses) and against another deployment through flags or `ASN_*` settings.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from servicekit.deadletter import dlq_topic, replay_dead_letters
from servicekit.devkeys import ensure_dev_keys, mint_token

from asn_cli import dlq, lag, target
from asn_cli.analytics_commands import analytics_app, report_app
from asn_cli.failures import CliError, fail, run
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
import_app = typer.Typer(help="Import existing personnel data (BKPSDM's first day).")
app.add_typer(dlq_app, name="dlq")
app.add_typer(rebuild_app, name="rebuild")
app.add_typer(import_app, name="import")
app.add_typer(analytics_app, name="analytics")
app.add_typer(report_app, name="report")
ROWS_LEFT_OUT = 3
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
    server = target.kafka(bootstrap)
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
            bootstrap=server.bootstrap,
        )


@app.command(name="lag")
def lag_command(
    group: Annotated[str | None, typer.Option(help="only this consumer group")] = None,
    bootstrap: Bootstrap = None,
) -> None:
    """How far every consumer group is behind, per partition, with a total per group."""
    server = target.kafka(bootstrap)
    rows = run(lag.group_lag(server, group), bootstrap=server.bootstrap)
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
    server = target.kafka(bootstrap)
    topics = run(dlq.dead_letter_topics(server), bootstrap=server.bootstrap)
    show_table(("group", "topic", "letters"), [(t.group, t.topic, str(t.letters)) for t in topics])
    out.print(f"{sum(t.letters for t in topics)} dead letter(s) in {len(topics)} topic(s)")


@dlq_app.command(name="show")
def dlq_show(
    group: Annotated[str, typer.Argument(help="the consumer group, e.g. gateway or presensi")],
    limit: Annotated[int, typer.Option(help="show at most this many", min=1)] = 20,
    bootstrap: Bootstrap = None,
) -> None:
    """The letters of one group: the event, where it came from, why it failed."""
    server = target.kafka(bootstrap)
    letters = run(dlq.dead_letters(server, group, limit=limit), bootstrap=server.bootstrap)
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
    server = target.kafka(bootstrap)
    result = run(
        replay_dead_letters(server, group, limit=limit, dry_run=dry_run), bootstrap=server.bootstrap
    )
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

    server = target.kafka(bootstrap)
    settings = RebuildSettings(
        database_url=target.database_url("gateway", database_url),
        kafka_bootstrap=server.bootstrap,
        log_json=False,
        log_level="WARNING",
    )
    columns = (TextColumn("replaying"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=out, transient=True) as bar:
        task = bar.add_task("rebuild", total=None)

        def progress(read: int, total: int) -> None:
            bar.update(task, completed=read, total=total)

        result = run(rebuild(settings, progress), bootstrap=server.bootstrap)
    out.print(
        f"read model rebuilt: {result.applied} events applied "
        f"({result.caught_up_in_swap} during the swap), {result.duplicates} duplicates, "
        f"{result.skipped} skipped, {result.dead_lettered} dead-lettered "
        f"(to {dlq_topic(settings.consumer_group)}), {result.seconds} s",
        markup=False,
    )


@import_app.command(name="employees")
def import_employees(
    export: Annotated[
        Path, typer.Argument(help="SIASN's employee export: .xlsx (sheets PNS and UNOR) or .csv")
    ],
    units: Annotated[
        Path | None,
        typer.Option(
            help="the units as a separate .csv (KODE_UNIT, NAMA_UNOR, JENIS, KODE_INDUK, UNOR_ID)"
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="check every row and say what would happen; change nothing"),
    ] = False,
    url: Annotated[
        str | None,
        typer.Option(help="pegawai's API [default: ASN_API_URL, else the local gateway's /api]"),
    ] = None,
    token: Annotated[
        str | None, typer.Option(help="a BKPSDM token [default: ASN_TOKEN, else a local dev token]")
    ] = None,
) -> None:
    """Units and employees from SIASN's export, through pegawai's own commands.

    Exit 0 when every row was imported or already there, 3 when some rows were left out
    (each listed with its line and reason), 1 when the import could not run."""
    from asn_cli import import_run
    from asn_cli.import_plan import make_plan
    from asn_cli.siasn import read_export

    base = target.api_url(url)
    employees, unit_sheet = read_export(export, units)  # a CliError ends in main()
    client_token = target.api_token(token)

    async def work() -> None:
        async with import_run.http_client(base, client_token) as client:
            have_units = await import_run.known_units(client)
            have_nips = await import_run.known_nips(client, import_run.nips_in(employees))
            plan = make_plan(employees, unit_sheet, have_units, have_nips)
            _show_problems(plan.problems)
            left_out = len({(p.sheet, p.line) for p in plan.errors})
            out.print(
                f"plan: create {len(plan.units)} unit(s) and {len(plan.employees)} employee(s); "
                f"{plan.units_present} unit(s) and {plan.employees_present} employee(s) already "
                f"in pegawai; {left_out} row(s) left out",
                markup=False,
            )
            if dry_run:
                out.print("dry run: nothing was changed", markup=False)
                if left_out:
                    raise typer.Exit(ROWS_LEFT_OUT)
                return
            columns = (
                TextColumn("importing"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
            )
            with Progress(*columns, console=out, transient=True) as bar:
                task = bar.add_task("import", total=len(plan.units) + len(plan.employees))
                result = await import_run.apply_plan(
                    client,
                    plan,
                    unit_sheet=unit_sheet.name if unit_sheet else "UNOR",
                    employee_sheet=employees.name,
                    progress=lambda done: bar.update(task, completed=done),
                )
            _show_problems(result.failed)
            out.print(
                f"imported {result.units_created} unit(s) and {result.employees_created} "
                f"employee(s); {result.units_present} unit(s) and {result.employees_present} "
                f"employee(s) were already there; {left_out + len(result.failed)} row(s) left out",
                markup=False,
            )
            if left_out or result.failed:
                raise typer.Exit(ROWS_LEFT_OUT)

    run(work())


def _show_problems(problems: list[Any]) -> None:
    if not problems:
        return
    show_table(
        ("where", "row", "problem", "severity", "message"),
        [(f"{p.sheet}:{p.line}", p.key, p.code, p.severity, p.message) for p in problems],
    )


def main() -> None:
    # Failures reach the operator as one line from `failures.run`; the client libraries'
    # own log lines (a reconnect attempt per second) would bury it.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    try:
        app()
    except CliError as exc:  # raised outside `run`, e.g. while reading the settings
        typer.echo(f"asn: {exc}", err=True)
        raise SystemExit(1) from None

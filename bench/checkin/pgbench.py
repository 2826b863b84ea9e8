"""The anchor: pgbench running the check-in's writes on the same database, same client count.

One transaction = one attendance INSERT (ON CONFLICT (nip, date) DO NOTHING RETURNING id,
as the service writes it) + one outbox INSERT (servicekit's columns, the real event as
payload), with prepared statements over TCP like asyncpg. The event JSON and the
traceparent go in as `-D` variables: parameters, as the service sends them (and pgbench
would read every `:49` of a literal timestamp as a variable).
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import time as clock
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, time
from pathlib import Path

from asn_schemas import new_event
from asn_schemas.presensi import AttendanceCheckedInV1
from devstack import Stack
from presensi.domain.calendar import business_date
from servicekit.tracing import new_traceparent

from bench.checkin.cpu import process_seconds

PGBENCH = Path("/usr/lib/postgresql/15/bin/pgbench")
SCRIPT = r"""
\set n random(100000000000000000, 999999999999999999)
BEGIN;
INSERT INTO attendance (id, nip, date, unit_code, checked_in_at, scheduled_start,
    scheduled_end, minutes_late, late_category, in_inside_geofence, in_distance_m)
VALUES (gen_random_uuid(), :n, CURRENT_DATE, 'bench-00', now(), '07:30', '16:00', 0,
    NULL, true, 11)
ON CONFLICT (nip, date) DO NOTHING RETURNING id;
INSERT INTO outbox (event_id, topic, key, event_type, traceparent, payload)
VALUES (gen_random_uuid(), 'presensi.events', :n, 'presensi.attendance.checked_in.v1',
    :traceparent, :payload::jsonb);
END;
"""
NOTIFY_SCRIPT = SCRIPT.replace("END;", "SELECT pg_notify('outbox', '');\nEND;")
"""The same plus the wake-up the unit of work sends the relay in every transaction:
PostgreSQL serializes the commits of notifying transactions (one queue lock)."""


@dataclass(frozen=True)
class PgbenchResult:
    clients: int
    duration_s: float
    transactions: int
    tps: float
    latency_avg_ms: float
    payload_bytes: int
    cpu_ms_per_tx: dict[str, float]
    """CPU ms per transaction of PostgreSQL and of pgbench itself (the anchor's client)."""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def event_payload() -> str:
    """The outbox payload of one check-in, built as the unit of work builds it."""
    now = datetime.now(UTC)
    envelope = new_event(
        AttendanceCheckedInV1(
            attendance_id=uuid.uuid4(),
            nip="197001012005011001",
            unit_code="bench-00",
            date=business_date(now),
            checked_in_at=now,
            scheduled_start=time(7, 30),
            minutes_late=0,
            late_category=None,
            inside_geofence=True,
            distance_m=11,
        ),
        subject="197001012005011001",
        actor="197001012005011001",
        source="/sawahlunto/presensi",
        traceparent=str(new_traceparent()),
    )
    return json.dumps(envelope.model_dump(mode="json", exclude_none=True))


def run_pgbench(
    stack: Stack,
    database: str,
    *,
    clients: int,
    duration_s: int,
    workdir: Path,
    notify: bool = False,
) -> PgbenchResult:
    script = workdir / ("checkin-notify.sql" if notify else "checkin.sql")
    script.write_text(NOTIFY_SCRIPT if notify else SCRIPT)
    payload = event_payload()
    command = [
        str(PGBENCH),
        "--no-vacuum",
        f"--client={clients}",
        "--jobs=2",
        f"--time={duration_s}",
        "--protocol=prepared",
        f"--file={script}",
        "--define",
        f"payload={payload}",
        "--define",
        f"traceparent={new_traceparent()}",
        "-h",
        "127.0.0.1",
        "-p",
        str(stack.config.pg_port),
        "-U",
        "postgres",
        database,
    ]
    postgres_pid = stack.postgres.pid()
    pg_before = process_seconds(postgres_pid, with_children=True)
    children_before = _children_seconds()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"pgbench failed ({done.returncode}):\n{done.stderr[-2000:]}")
    clock.sleep(1.0)  # the exited backends' CPU counts once the postmaster has reaped them
    pg_cpu = process_seconds(postgres_pid, with_children=True) - pg_before
    client_cpu = _children_seconds() - children_before
    transactions = int(_field(done.stdout, r"number of transactions actually processed: (\d+)"))
    per_tx = 1000 / max(transactions, 1)
    return PgbenchResult(
        clients=clients,
        duration_s=duration_s,
        transactions=transactions,
        tps=float(_field(done.stdout, r"tps = ([\d.]+) \(without initial connection time\)")),
        latency_avg_ms=float(_field(done.stdout, r"latency average = ([\d.]+) ms")),
        payload_bytes=len(payload),
        cpu_ms_per_tx={
            "postgres": round(pg_cpu * per_tx, 3),
            "pgbench": round(client_cpu * per_tx, 3),
        },
    )


def _children_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _field(output: str, pattern: str) -> str:
    match = re.search(pattern, output)
    if match is None:
        raise RuntimeError(f"pgbench output without /{pattern}/:\n{output[-2000:]}")
    return match.group(1)

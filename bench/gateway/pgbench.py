"""pgbench on the same PostgreSQL: the anchors for profile reads and check-ins.

Both scripts pick an employee of the seeded city at random. pgbench's expressions know
integers only, so the 18-digit NIP of `bench.checkin.seed.nip_of(n)` is rebuilt from n by
arithmetic (birth date from a month table, then TMT, sex and serial); `pgbench_nip` is
the same arithmetic in Python and `check_nip_formula` compares it with `nip_of` for every
n before a run, so a change in the seed cannot silently make pgbench read missing rows.
"""

from __future__ import annotations

import re
import subprocess
from calendar import monthrange
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bench.checkin.seed import nip_of

SERIALS = 999
"""nip_of: one birth date per 999 employees, serial 1..999, sex alternating."""
EPOCH = date(1970, 1, 1)
PROTOCOL = "prepared"
"""asyncpg prepares every statement; so does pgbench here."""


class PgbenchError(RuntimeError):
    """pgbench failed or printed something this parser does not know."""


@dataclass(frozen=True)
class PgbenchFigures:
    script: str
    clients: int
    duration_s: float
    transactions: int
    tps: float
    latency_avg_ms: float
    failed: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _months(days: int) -> list[tuple[int, int]]:
    """(first day index, YYYYMM) of each month from EPOCH covering `days` days."""
    months, start, year, month = [], 0, EPOCH.year, EPOCH.month
    while start < days:
        months.append((start, year * 100 + month))
        start += monthrange(year, month)[1]
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def pgbench_nip(n: int, employees: int) -> str:
    """What the pgbench script computes for n (see `nip_lines`), in Python."""
    k = n // SERIALS
    start, yyyymm = next(m for m in reversed(_months(employees // SERIALS + 1)) if m[0] <= k)
    birth = yyyymm * 100 + 1 + k - start
    return str(birth * 10**10 + 200501 * 10**4 + (1 + n % 2) * 1000 + n % SERIALS + 1)


def check_nip_formula(employees: int) -> None:
    for n in range(employees):
        if pgbench_nip(n, employees) != nip_of(n):
            raise PgbenchError(f"pgbench's NIP of {n} is not nip_of({n}): the seed changed")


def nip_lines(employees: int) -> list[str]:
    """pgbench meta-commands leaving a random seeded NIP in :nip (an integer)."""
    months = _months(employees // SERIALS + 1)

    def case(values: list[tuple[int, int]]) -> str:
        arms = " ".join(f"when :k < {end} then {value}" for end, value in values)
        return f"case {arms} else 0 end"

    ends = [m[0] for m in months[1:]] + [10**9]
    return [
        f"\\set n random(0, {employees - 1})",
        f"\\set k :n / {SERIALS}",
        f"\\set ym {case([(e, m[1]) for e, m in zip(ends, months, strict=True)])}",
        f"\\set m0 {case([(e, m[0]) for e, m in zip(ends, months, strict=True)])}",
        "\\set nip (:ym * 100 + 1 + :k - :m0) * 10000000000 + 2005010000"
        f" + (1 + :n % 2) * 1000 + :n % {SERIALS} + 1",
    ]


def read_script(employees: int) -> str:
    """The key lookup the profile starts from: one employee row by NIP."""
    select = "SELECT * FROM readmodel.employee WHERE nip = :nip::text;"
    return "\n".join([*nip_lines(employees), select]) + "\n"


def check_script(employees: int) -> str:
    """Fails (division by zero) if a computed NIP is not in the read model."""
    select = "SELECT 1 / count(*) FROM readmodel.employee WHERE nip = :nip::text;"
    return "\n".join([*nip_lines(employees), select]) + "\n"


_PARAM = re.compile(r"(?<!:):([a-z_]+)\b")


def _pgbench_sql(sql: str, mapping: dict[str, str]) -> str:
    """presensi's SQL with its bind parameters mapped to pgbench variables or SQL."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in mapping:
            raise PgbenchError(f"presensi's check-in SQL has a new parameter :{name}")
        return mapping[name]

    return " ".join(_PARAM.sub(replace, sql).split()) + ";"


# One check-in's reads and row as presensi makes them (presensi.punches reads the context
# of a whole batch in one statement, and writes its rows with one INSERT … FROM unnest).
_LOOKUP = """
    SELECT e.status, e.unit_code, u.latitude, u.longitude, u.geofence_radius_m,
           EXISTS (SELECT 1 FROM holiday h WHERE h.date = :day) AS holiday,
           (SELECT coalesce(json_agg(json_build_object(
                'unit_code', s.unit_code, 'kind', s.kind, 'valid_from', s.valid_from,
                'valid_to', s.valid_to, 'days', s.days)), '[]'::json)
              FROM schedule s
             WHERE s.unit_code IN (e.unit_code, 'default') AND s.valid_from <= :day
               AND (s.valid_to IS NULL OR s.valid_to >= :day)) AS schedules
      FROM employee e LEFT JOIN unit u ON u.code = e.unit_code
     WHERE e.nip = :nip
"""
_INSERT_IN = """
    INSERT INTO attendance (id, nip, date, unit_code, checked_in_at, scheduled_start,
        scheduled_end, minutes_late, late_category, in_inside_geofence, in_distance_m)
    VALUES (:id, :nip, :day, :unit, :at, :start, :end, :late, :cat, :inside, :dist)
    ON CONFLICT (nip, date) DO NOTHING
    RETURNING id
"""


def check_in_script(employees: int) -> str:
    """One check-in as its own transaction: presensi's context lookup for one person, the
    attendance INSERT and the outbox row. No NOTIFY: presensi sends one per batch, not
    per check-in. The attendance row's NIP is a fresh random number so that no insert
    meets the (nip, date) key."""
    lookup = _pgbench_sql(_LOOKUP, {"nip": ":nip", "day": ":day"})
    insert = _pgbench_sql(
        _INSERT_IN,
        {
            "id": "gen_random_uuid()",
            "nip": ":fresh",
            "day": ":day",
            "unit": ":unit",
            "at": "now()",
            "start": "'07:30'",
            "end": "'16:00'",
            "late": "0",
            "cat": "NULL",
            "inside": "true",
            "dist": "12",
        },
    )
    outbox = (
        "INSERT INTO outbox (event_id, topic, key, event_type, traceparent, payload) "
        "VALUES (gen_random_uuid(), 'presensi.events', :nip, :event_type, :traceparent, "
        ":payload);"
    )
    return (
        "\n".join(
            [
                *nip_lines(employees),
                "\\set fresh random(1, 999999999999999)",
                "BEGIN;",
                lookup,
                insert,
                outbox,
                "END;",
            ]
        )
        + "\n"
    )


_TPS = re.compile(r"^tps = (?P<tps>[\d.]+) \(without initial connection time\)", re.M)
_LATENCY = re.compile(r"^latency average = (?P<ms>[\d.]+) ms", re.M)
_PROCESSED = re.compile(r"^number of transactions actually processed: (?P<n>\d+)", re.M)
_FAILED = re.compile(r"^number of failed transactions: (?P<n>\d+)", re.M)


def parse(stdout: str, script: str, clients: int, duration_s: float) -> PgbenchFigures:
    tps, latency, processed = (
        _TPS.search(stdout),
        _LATENCY.search(stdout),
        _PROCESSED.search(stdout),
    )
    if tps is None or latency is None or processed is None:
        raise PgbenchError(f"no pgbench summary in: {stdout[-500:]!r}")
    failed = _FAILED.search(stdout)
    return PgbenchFigures(
        script=script,
        clients=clients,
        duration_s=duration_s,
        transactions=int(processed["n"]),
        tps=float(tps["tps"]),
        latency_avg_ms=float(latency["ms"]),
        failed=int(failed["n"]) if failed else 0,
    )


@dataclass(frozen=True)
class Pgbench:
    """pgbench over TCP (as the services connect), trust auth, user postgres."""

    binary: Path
    port: int
    work_dir: Path

    def _command(self, database: str, script: Path, args: list[str]) -> list[str]:
        return [
            str(self.binary), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            "-n", "-M", PROTOCOL, "-f", str(script), *args, database,
        ]  # fmt: skip

    def _script(self, name: str, text: str) -> Path:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        path = self.work_dir / f"{name}.sql"
        path.write_text(text)
        return path

    def _run(self, command: list[str], timeout_s: float) -> str:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s)
        if result.returncode != 0:
            tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise PgbenchError(f"pgbench exited {result.returncode}: {' | '.join(tail)}")
        return result.stdout

    def check(self, database: str, name: str, text: str, transactions: int = 300) -> None:
        """A short single-client run that must not fail."""
        script = self._script(name, text)
        self._run(self._command(database, script, ["-c", "1", "-t", str(transactions)]), 60)

    def run(
        self,
        database: str,
        name: str,
        text: str,
        *,
        clients: int,
        duration_s: float,
        variables: dict[str, str] | None = None,
    ) -> PgbenchFigures:
        script = self._script(name, text)
        args = ["-c", str(clients), "-j", str(min(clients, 2)), "-T", str(round(duration_s))]
        for key, value in (variables or {}).items():
            args += ["-D", f"{key}={value}"]
        stdout = self._run(self._command(database, script, args), duration_s + 60)
        return parse(stdout, name, clients, duration_s)

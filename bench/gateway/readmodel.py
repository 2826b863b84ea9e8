"""The gateway's read model filled with a city: COPY into the tables its migrations made.

Projecting 100k `EmployeeRegisteredV1` events through Kafka would take minutes on two
cores; the benchmark writes the rows the projections would write (same tables, same
columns, a plausible shape per employee) straight into schema `readmodel`. The people
and units are presensi's (bench.checkin.seed), so a check-in's event lands on a known
employee of the read model.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg

WIB = ZoneInfo("Asia/Jakarta")
HISTORY_FIELDS = ("golongan", "position", "unit")
PAST_ATTENDANCE_DAYS = 5
"""Closed days earlier this month per employee, so the profile's monthly recap has rows."""
TEAM_SIZE = 10
"""Every tenth employee supervises the nine after them."""
EMPLOYEE_COLUMNS = (
    "nip", "name", "sex", "birth_date", "asn_type", "status", "golongan", "pangkat",
    "tmt_golongan", "position", "unit_id", "unit_code", "supervisor_nip", "retirement_date",
    "sequence",
)  # fmt: skip
ATTENDANCE_COLUMNS = (
    "nip", "date", "unit_code", "status", "checked_in_at", "checked_out_at", "minutes_late",
    "minutes_early",
)  # fmt: skip
POSITION = {"name": "Analis Kepegawaian", "kind": "pelaksana"}


@dataclass(frozen=True)
class ReadModelCounts:
    employees: int
    units: int
    history: int
    attendance_days: int
    leave_balances: int


def today_wib() -> date:
    return datetime.now(UTC).astimezone(WIB).date()


def birth_date(nip: str) -> date:
    return date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))


def unit_id(code: str) -> uuid.UUID:
    """As bench.checkin.seed names presensi's units."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"bench/{code}")


def retirement(born: date, age: int = 58) -> date:
    """BUP: the 1st of the month after the birthday at `age` (the gateway's rule for PNS)."""
    year, month = born.year + age + born.month // 12, born.month % 12 + 1
    return date(year, month, 1)


def _employees(nips: Sequence[str], units: Sequence[str]) -> Iterator[tuple[object, ...]]:
    position = json.dumps(POSITION)
    for i, nip in enumerate(nips):
        code = units[i % len(units)]
        head = nips[i - i % TEAM_SIZE]
        born = birth_date(nip)
        yield (
            nip,
            f"Pegawai {nip[-6:]}",
            "male" if nip[14] == "1" else "female",
            born,
            "pns",
            "aktif",
            "III/b",
            "Penata Muda Tingkat I",
            date(2020, 4, 1),
            position,
            unit_id(code),
            code,
            None if head == nip else head,
            retirement(born),
            1,
        )


def _history(nips: Sequence[str], units: Sequence[str]) -> Iterator[tuple[object, ...]]:
    recorded = datetime(2020, 4, 1, tzinfo=UTC)
    values = {
        "golongan": json.dumps("III/b"),
        "position": json.dumps(POSITION),
    }
    for i, nip in enumerate(nips):
        for field in HISTORY_FIELDS:
            value = values.get(field) or json.dumps(units[i % len(units)])
            yield (
                nip,
                field,
                value,
                date(2020, 4, 1),
                "pegawai.employee.registered.v1",
                uuid.uuid4(),
                recorded,
            )


def past_days(today: date, count: int = PAST_ATTENDANCE_DAYS) -> list[date]:
    """Up to `count` days of this month before today (none on the 1st)."""
    first = today.replace(day=1)
    return [d for d in (today - timedelta(days=k) for k in range(1, count + 1)) if d >= first]


def _attendance(
    nips: Sequence[str], units: Sequence[str], days: Sequence[date]
) -> Iterator[tuple[object, ...]]:
    for day in days:
        checked_in = datetime(day.year, day.month, day.day, 7, 20, tzinfo=WIB)
        checked_out = checked_in + timedelta(hours=8, minutes=50)
        for i, nip in enumerate(nips):
            yield (nip, day, units[i % len(units)], "hadir", checked_in, checked_out, 0, 0)


async def seed_read_model(dsn: str, nips: Sequence[str], units: Sequence[str]) -> ReadModelCounts:
    """Rows the pegawai and presensi projections would have written, by COPY."""
    today = today_wib()
    days = past_days(today)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table(
            "unit",
            schema_name="readmodel",
            columns=["code", "unit_id", "name", "kind", "parent_code", "active", "sequence"],
            records=[(c, unit_id(c), f"Dinas {c}", "dinas", None, True, 1) for c in units],
        )
        await conn.copy_records_to_table(
            "employee",
            schema_name="readmodel",
            columns=EMPLOYEE_COLUMNS,
            records=_employees(nips, units),
        )
        await conn.copy_records_to_table(
            "employee_history",
            schema_name="readmodel",
            columns=["nip", "field", "value", "tmt", "event_type", "event_id", "recorded_at"],
            records=_history(nips, units),
        )
        await conn.copy_records_to_table(
            "attendance_day",
            schema_name="readmodel",
            columns=ATTENDANCE_COLUMNS,
            records=_attendance(nips, units, days),
        )
        await conn.copy_records_to_table(
            "leave_balance",
            schema_name="readmodel",
            columns=["nip", "year", "leave_type", "remaining"],
            records=[(nip, today.year, "tahunan", 12.0) for nip in nips],
        )
        await conn.execute("VACUUM ANALYZE")
        # The seed's dirty pages are written now, not by a checkpoint inside a measurement.
        await conn.execute("CHECKPOINT")
    finally:
        await conn.close()
    return ReadModelCounts(
        employees=len(nips),
        units=len(units),
        history=len(nips) * len(HISTORY_FIELDS),
        attendance_days=len(nips) * len(days),
        leave_balances=len(nips),
    )

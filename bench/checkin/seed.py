"""The database under test: presensi's own migrations, then a city of employees by SQL.

The replica is normally fed by pegawai events; for tens of thousands of rows the benchmark
writes them directly (same tables, same columns). A schedule with hours on every weekday
makes today a working day whatever the date, so the real server clock is used.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import asyncpg
from presensi.domain.calendar import WIB, business_date, system_clock
from presensi.main import MIGRATIONS
from servicekit.migrations import upgrade

UNIT_LOCATION = (-0.6817, 100.7765)
GEOFENCE_RADIUS_M = 150
EVERY_DAY = {
    str(weekday): {"start": "07:30", "end": "16:00", "break_minutes": 60} for weekday in range(7)
}

UNIT_COLUMNS = ("unit_id", "code", "name", "latitude", "longitude", "geofence_radius_m", "active")
EMPLOYEE_COLUMNS = (
    *("nip", "name", "sex", "asn_type", "status", "unit_id", "unit_code"),
    *("service_start", "sequence"),
)


@dataclass(frozen=True)
class City:
    units: tuple[str, ...]
    nips: tuple[str, ...]


def nip_of(n: int) -> str:
    """18 digits as a NIP is built: birth date, TMT (YYYYMM), sex, serial; unique per n."""
    birth = date(1970, 1, 1) + timedelta(days=n // 999)
    return f"{birth:%Y%m%d}200501{1 + n % 2}{n % 999 + 1:03d}"


def migrate(dsn: str) -> None:
    """presensi's Alembic migrations, as `python -m presensi` applies them at start."""
    upgrade(MIGRATIONS, dsn)


async def seed_city(dsn: str, *, employees: int, units: int = 40) -> City:
    codes = tuple(f"bench-{i:02d}" for i in range(units))
    unit_ids = {code: uuid.uuid5(uuid.NAMESPACE_URL, f"bench/{code}") for code in codes}
    nips = tuple(nip_of(n) for n in range(employees))
    today = business_date(system_clock())
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table(
            "unit",
            columns=UNIT_COLUMNS,
            records=[
                (unit_ids[c], c, f"Dinas {c}", *UNIT_LOCATION, GEOFENCE_RADIUS_M, True)
                for c in codes
            ],
        )
        await conn.copy_records_to_table(
            "employee",
            columns=EMPLOYEE_COLUMNS,
            records=[
                (
                    nip,
                    f"Pegawai {nip[-4:]}",
                    "male" if nip[14] == "1" else "female",
                    "pns",
                    "aktif",
                    unit_ids[codes[i % units]],
                    codes[i % units],
                    date(2005, 1, 1),
                    1,
                )
                for i, nip in enumerate(nips)
            ],
        )
        await conn.execute(
            "INSERT INTO schedule (id, unit_code, kind, valid_from, days, created_by) "
            "VALUES ($1, 'default', 'regular', $2, $3::jsonb, 'bench')",
            uuid.uuid4(),
            today - timedelta(days=7),
            json.dumps(EVERY_DAY),
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return City(units=codes, nips=nips)


def wib_now_text() -> str:
    return system_clock().astimezone(WIB).strftime("%Y-%m-%d %H:%M WIB")


async def table_counts(dsn: str, tables: tuple[str, ...]) -> dict[str, int]:
    conn = await asyncpg.connect(dsn)
    try:
        return {
            t: int(await conn.fetchval(f"SELECT count(*) FROM {t}"))  # noqa: S608 -- fixed names
            for t in tables
        }
    finally:
        await conn.close()

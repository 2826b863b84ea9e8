"""The DuckDB file: raw envelopes, rejected messages, the Kafka positions, typed views.

Rows and positions are written in one DuckDB transaction per batch, so the file alone says
how far the stream has been read: a consumer that stops anywhere restarts from exactly
the next unread message, and the primary key on the event id absorbs a producer's
re-send (events travel at least once).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

DEFAULT_PATH = Path(".stack/analytics.duckdb")

TABLES = """
CREATE TABLE IF NOT EXISTS raw_events (
    id VARCHAR PRIMARY KEY,
    type VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    subject VARCHAR NOT NULL,
    time TIMESTAMPTZ NOT NULL,
    actor VARCHAR,
    topic VARCHAR NOT NULL,
    kafka_partition INTEGER NOT NULL,
    kafka_offset BIGINT NOT NULL,
    data JSON NOT NULL
);
CREATE TABLE IF NOT EXISTS rejected_messages (
    topic VARCHAR NOT NULL,
    kafka_partition INTEGER NOT NULL,
    kafka_offset BIGINT NOT NULL,
    reason VARCHAR NOT NULL,
    size_bytes INTEGER NOT NULL,
    PRIMARY KEY (topic, kafka_partition, kafka_offset)
);
CREATE TABLE IF NOT EXISTS kafka_positions (
    topic VARCHAR NOT NULL,
    kafka_partition INTEGER NOT NULL,
    next_offset BIGINT NOT NULL,
    PRIMARY KEY (topic, kafka_partition)
);
"""

# Views rather than tables: they are always as fresh as raw_events, and a new report
# needs no backfill. Dates stay as the producers wrote them (UTC instants, local dates).
VIEWS = """
CREATE OR REPLACE VIEW employees AS
SELECT nip, unit_code, golongan, status FROM (
    SELECT data->>'$.employee.nip' AS nip,
           data->>'$.employee.unit_code' AS unit_code,
           data->>'$.employee.golongan' AS golongan,
           data->>'$.employee.status' AS status,
           row_number() OVER (
               PARTITION BY data->>'$.employee.nip' ORDER BY time DESC, kafka_offset DESC
           ) AS newest
    FROM raw_events
    WHERE type LIKE 'pegawai.employee.%' AND data->>'$.employee.nip' IS NOT NULL
) WHERE newest = 1;

CREATE OR REPLACE VIEW check_ins AS
SELECT id AS event_id,
       data->>'$.nip' AS nip,
       data->>'$.unit_code' AS unit_code,
       CAST(data->>'$.date' AS DATE) AS day,
       CAST(data->>'$.checked_in_at' AS TIMESTAMPTZ) AS checked_in_at,
       CAST(data->>'$.minutes_late' AS INTEGER) AS minutes_late,
       data->>'$.late_category' AS late_category
FROM raw_events WHERE type = 'presensi.attendance.checked_in.v1';

CREATE OR REPLACE VIEW leave_events AS
SELECT id AS event_id,
       split_part(type, '.', 3) AS fact,
       data->>'$.request_id' AS request_id,
       data->>'$.nip' AS nip,
       data->>'$.unit_code' AS unit_code,
       data->>'$.leave_type' AS leave_type,
       CAST(data->>'$.start_date' AS DATE) AS start_date,
       CAST(data->>'$.end_date' AS DATE) AS end_date,
       CAST(data->>'$.working_days' AS INTEGER) AS working_days,
       CAST(data->>'$.was_approved' AS BOOLEAN) AS was_approved
FROM raw_events WHERE type LIKE 'presensi.leave.%';

CREATE OR REPLACE VIEW appraisals AS
SELECT appraisal_id, nip, year, period_kind, predikat FROM (
    SELECT data->>'$.appraisal_id' AS appraisal_id,
           data->>'$.nip' AS nip,
           CAST(data->>'$.period.year' AS INTEGER) AS year,
           data->>'$.period.kind' AS period_kind,
           data->>'$.predikat' AS predikat,
           row_number() OVER (
               PARTITION BY data->>'$.appraisal_id' ORDER BY time DESC, kafka_offset DESC
           ) AS newest
    FROM raw_events WHERE type = 'kinerja.appraisal.finalized.v1'
) WHERE newest = 1;

CREATE OR REPLACE VIEW promotions AS
SELECT id AS event_id,
       data->>'$.employee.nip' AS nip,
       data->>'$.employee.unit_code' AS unit_code,
       data->>'$.from_golongan' AS from_golongan,
       data->>'$.to_golongan' AS to_golongan,
       CAST(data->>'$.tmt' AS DATE) AS tmt,
       data->>'$.kind' AS kind
FROM raw_events WHERE type = 'pegawai.employee.promoted.v1';

CREATE OR REPLACE VIEW trainings AS
SELECT id AS event_id,
       data->>'$.nip' AS nip,
       data->>'$.unit_code' AS unit_code,
       data->>'$.kind' AS kind,
       CAST(data->>'$.jp' AS INTEGER) AS jp,
       CAST(data->>'$.end' AS DATE) AS end_date
FROM raw_events WHERE type = 'pelatihan.training.completed.v1';

CREATE OR REPLACE VIEW complaints_routed AS
SELECT DISTINCT data->>'$.submission.submission_id' AS submission_id,
       data->>'$.unit_code' AS unit_code
FROM raw_events WHERE type = 'aspirasi.submission.routed.v1';

CREATE OR REPLACE VIEW sla_breaches AS
SELECT DISTINCT data->>'$.submission_id' AS submission_id,
       data->>'$.unit_code' AS unit_code,
       data->>'$.clock' AS clock
FROM raw_events WHERE type = 'aspirasi.sla.breached.v1';
"""


@dataclass(frozen=True, slots=True)
class Landed:
    """One event ready for raw_events."""

    id: str
    type: str
    source: str
    subject: str
    time: datetime
    actor: str | None
    topic: str
    partition: int
    offset: int
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Rejected:
    """A message that is no event: kept as a count with its place, never fatal."""

    topic: str
    partition: int
    offset: int
    reason: str
    size_bytes: int


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    landed: int
    duplicates: int
    rejected: int


class Store:
    """One DuckDB file; a single writer at a time (DuckDB locks the file)."""

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self.path = Path(path)
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = duckdb.connect(str(self.path), read_only=read_only)
        if not read_only:
            self.db.execute(TABLES)
            self.db.execute(VIEWS)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def positions(self) -> dict[tuple[str, int], int]:
        rows = self.db.execute(
            "SELECT topic, kafka_partition, next_offset FROM kafka_positions"
        ).fetchall()
        return {(topic, partition): offset for topic, partition, offset in rows}

    def write_batch(
        self,
        events: Sequence[Landed],
        rejected: Sequence[Rejected],
        next_offsets: Iterable[tuple[str, int, int]],
    ) -> BatchOutcome:
        """Rows and the positions after them, all or nothing."""
        db = self.db
        db.execute("BEGIN TRANSACTION")
        try:
            before = self._count("raw_events")
            if events:
                # One statement over column lists: DuckDB inserts it as a vector, where
                # executemany would run (and check the key of) one row at a time.
                db.execute(
                    "INSERT OR IGNORE INTO raw_events SELECT unnest(?), unnest(?), unnest(?),"
                    " unnest(?), unnest(?::TIMESTAMPTZ[]), unnest(?), unnest(?), unnest(?),"
                    " unnest(?), unnest(?::JSON[])",
                    [
                        [e.id for e in events],
                        [e.type for e in events],
                        [e.source for e in events],
                        [e.subject for e in events],
                        [e.time for e in events],
                        [e.actor for e in events],
                        [e.topic for e in events],
                        [e.partition for e in events],
                        [e.offset for e in events],
                        [json.dumps(e.data) for e in events],
                    ],
                )
            landed = self._count("raw_events") - before
            if rejected:
                db.executemany(
                    "INSERT OR IGNORE INTO rejected_messages VALUES (?, ?, ?, ?, ?)",
                    [(r.topic, r.partition, r.offset, r.reason, r.size_bytes) for r in rejected],
                )
            db.executemany(
                "INSERT INTO kafka_positions VALUES (?, ?, ?) ON CONFLICT (topic, kafka_partition)"
                " DO UPDATE SET next_offset = excluded.next_offset",
                list(next_offsets),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return BatchOutcome(landed, len(events) - landed, len(rejected))

    def _count(self, table: str) -> int:
        row = self.db.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
        return int(row[0]) if row else 0

"""Check-in, the hot path: concurrent check-ins share one transaction (group commit).

Around 07:30 every ASN of the city checks in within minutes, each from a phone. The
rules are `attendance.py`'s; what differs is how they reach the database:

- asyncpg directly, without SQLAlchemy's per-statement cost (measured: bench/checkin);
- a batch of check-ins in two statements — claim Idempotency-Keys and read everyone's
  context; write attendance, outbox rows and remembered responses, and NOTIFY once —
  and one commit, so a WAL flush serves many phones (`servicekit.groupcommit`).

Each check-in is still all-or-nothing: one that is refused (not found, not active, not
a working day, already checked in) leaves neither a row nor an event nor a claimed key,
and its caller gets its own 4xx while the rest of its batch commits.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import asyncpg
from asn_schemas import new_event
from asn_schemas.presensi import AttendanceCheckedInV1
from servicekit.db import Database
from servicekit.errors import ProblemError
from servicekit.groupcommit import Connection, GroupCommit
from servicekit.idempotency import check_fingerprint
from servicekit.problems import conflict, etag, invalid, not_found
from servicekit.tables import OUTBOX_CHANNEL
from servicekit.uow import outbox_row

from presensi.attendance import schedules_from_json
from presensi.domain.calendar import WIB, business_date
from presensi.domain.classify import late_category, minutes_late
from presensi.domain.geo import check_geofence
from presensi.domain.schedules import Schedule, schedule_for

ATTENDANCE_COLUMNS = 11
"""What a check-in writes into `attendance` (the `$1`–`$11` of the write)."""
CREATED = 201
VERSION = 1
"""A check-in is the attendance row's first version (its check-out the second)."""

# Keys are claimed in (actor, key) order so two batches never wait on each other in a
# cycle. The claim is a data-modifying CTE: it runs to completion even for items whose
# employee is unknown (their claim is deleted again by the write).
_CLAIM_AND_CONTEXT = """
    WITH item AS (
        SELECT * FROM unnest($1::int[], $2::text[], $3::date[], $4::text[], $5::text[],
                             $6::text[]) AS i(idx, nip, day, actor, key, fp)
    ), claim AS (
        INSERT INTO idempotency_key (actor, key, fingerprint)
        SELECT actor, key, fp FROM item WHERE key IS NOT NULL ORDER BY actor, key
        ON CONFLICT DO NOTHING
        RETURNING actor, key
    )
    SELECT i.idx, i.key IS NULL OR c.key IS NOT NULL AS owns_key,
           e.status, e.unit_code, u.latitude, u.longitude, u.geofence_radius_m,
           EXISTS (SELECT 1 FROM holiday h WHERE h.date = i.day) AS holiday,
           (SELECT coalesce(json_agg(json_build_object(
                'unit_code', s.unit_code, 'kind', s.kind, 'valid_from', s.valid_from,
                'valid_to', s.valid_to, 'days', s.days)), '[]'::json)::text
              FROM schedule s
             WHERE s.unit_code IN (e.unit_code, 'default') AND s.valid_from <= i.day
               AND (s.valid_to IS NULL OR s.valid_to >= i.day)) AS schedules
      FROM item i
      LEFT JOIN claim c ON c.actor = i.actor AND c.key = i.key
      LEFT JOIN employee e ON e.nip = i.nip
      LEFT JOIN unit u ON u.code = e.unit_code
"""
# Read in its own statement: a key another transaction committed while the claim waited
# on it is visible only to a statement that starts afterwards.
_STORED = """
    SELECT k.actor, k.key, k.fingerprint, k.status, k.body::text AS body, k.etag
      FROM idempotency_key k
      JOIN unnest($1::text[], $2::text[]) AS w(actor, key) ON k.actor = w.actor AND k.key = w.key
"""
_WRITE = """
    WITH att AS (
        INSERT INTO attendance (id, nip, date, unit_code, checked_in_at, scheduled_start,
            scheduled_end, minutes_late, late_category, in_inside_geofence, in_distance_m)
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[], $4::text[],
                             $5::timestamptz[], $6::text[], $7::text[], $8::int[], $9::text[],
                             $10::bool[], $11::int[])
        ON CONFLICT (nip, date) DO NOTHING
        RETURNING id
    ), event AS (
        INSERT INTO outbox (event_id, topic, key, event_type, traceparent, payload)
        SELECT o.event_id, o.topic, o.key, o.event_type, o.traceparent, o.payload
          FROM unnest($1::uuid[], $12::uuid[], $13::text[], $14::text[], $15::text[],
                      $16::text[], $17::jsonb[])
               AS o(attendance_id, event_id, topic, key, event_type, traceparent, payload)
          JOIN att ON att.id = o.attendance_id
    ), remembered AS (
        UPDATE idempotency_key k SET status = $18, body = r.body, etag = $19
          FROM unnest($20::uuid[], $21::text[], $22::text[], $23::jsonb[])
               AS r(attendance_id, actor, key, body)
          JOIN att ON att.id = r.attendance_id
         WHERE k.actor = r.actor AND k.key = r.key
    ), forgotten AS (
        DELETE FROM idempotency_key k
         USING unnest($20::uuid[], $21::text[], $22::text[])
               AS r(attendance_id, actor, key)
         WHERE k.actor = r.actor AND k.key = r.key
           AND NOT EXISTS (SELECT 1 FROM att WHERE att.id = r.attendance_id)
    )
    SELECT array(SELECT id FROM att) AS inserted,
           CASE WHEN EXISTS (SELECT 1 FROM att) THEN pg_notify($24, '') END AS notified
"""


@dataclass(frozen=True)
class CheckIn:
    """One person's check-in as the route saw it: who, when, where, which key."""

    nip: str
    actor: str
    at: datetime
    position: tuple[float, float] | None
    accuracy_m: float | None
    idempotency_key: str | None
    fingerprint: str | None
    traceparent: str
    source: str
    topic: str

    @property
    def day(self) -> date:
        return business_date(self.at)

    @property
    def exclusive_sort(self) -> str:
        return self.idempotency_key or ""

    def exclusive_key(self) -> Hashable | None:
        return (self.actor, self.idempotency_key) if self.idempotency_key else None


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    etag: str | None
    replayed: bool = False


@dataclass
class _Planned:
    """A check-in the rules accepted: its row, its event, its response."""

    index: int
    attendance_id: uuid.UUID
    row: tuple[Any, ...]
    event: dict[str, Any]
    body: dict[str, Any]


def check_ins(db: Database, *, max_batch: int = 64) -> GroupCommit[CheckIn, Answer]:
    """The service's check-in desk: one per process, shared by every request."""
    return GroupCommit(
        db.raw_pool,
        run_batch,
        max_batch=max_batch,
        max_in_flight=max(1, db.raw_pool_size - 1),
        exclusive_key=CheckIn.exclusive_key,
    )


async def run_batch(conn: Connection, items: Sequence[CheckIn]) -> list[Answer | Exception]:
    # Sorted by (actor, key) so concurrent batches lock keys and rows in one order.
    order = sorted(
        range(len(items)), key=lambda i: (items[i].actor, items[i].idempotency_key or "")
    )
    rows = await conn.fetch(
        _CLAIM_AND_CONTEXT,
        order,
        [items[i].nip for i in order],
        [items[i].day for i in order],
        [items[i].actor for i in order],
        [items[i].idempotency_key for i in order],
        [items[i].fingerprint for i in order],
    )
    results: list[Answer | Exception | None] = [None] * len(items)
    replays = [r["idx"] for r in rows if not r["owns_key"]]
    claimed = [i for i in order if items[i].idempotency_key is not None and i not in replays]
    if replays:
        for i, answer in zip(
            replays, await _stored(conn, [items[i] for i in replays]), strict=True
        ):
            results[i] = answer
    planned: list[_Planned] = []
    parsed_schedules: dict[tuple[str, str, date], Schedule] = {}
    context = {r["idx"]: r for r in rows}
    for i in order:
        if results[i] is not None:
            continue
        try:
            planned.append(_plan(i, items[i], context[i], parsed_schedules))
        except ProblemError as refused:
            results[i] = refused
    inserted = await _write(conn, items, planned, claimed)
    for plan in planned:
        item = items[plan.index]
        if plan.attendance_id in inserted:
            results[plan.index] = Answer(CREATED, plan.body, etag(VERSION))
        else:
            results[plan.index] = conflict(
                "already_checked_in", f"Sudah presensi masuk pada {item.day.isoformat()}."
            )
    return [r if r is not None else RuntimeError("check-in left unanswered") for r in results]


async def _stored(conn: Connection, items: Sequence[CheckIn]) -> list[Answer | Exception]:
    found = {
        (r["actor"], r["key"]): r
        for r in await conn.fetch(
            _STORED, [i.actor for i in items], [i.idempotency_key for i in items]
        )
    }
    answers: list[Answer | Exception] = []
    for item in items:
        stored = found.get((item.actor, item.idempotency_key))
        try:
            if stored is None or stored["status"] is None:
                # Claimed by a transaction that then rolled back, or one still running.
                raise conflict(
                    "idempotency_in_progress",
                    "Permintaan dengan kunci ini sedang diproses; ulangi sebentar lagi.",
                )
            check_fingerprint(stored["fingerprint"], item.fingerprint or "")
            answers.append(
                Answer(stored["status"], json.loads(stored["body"]), stored["etag"], replayed=True)
            )
        except ProblemError as refused:
            answers.append(refused)
    return answers


def _plan(
    index: int, item: CheckIn, r: asyncpg.Record, parsed: dict[tuple[str, str, date], Schedule]
) -> _Planned:
    """presensi's check-in rules on one person's context; raises the refusal."""
    if r["status"] is None:
        raise not_found("employee", f"Pegawai {item.nip}")
    if r["status"] != "aktif":
        raise conflict(
            "employee_not_active", f"Status pegawai {r['status']}: presensi tidak dicatat."
        )
    day = item.day
    # A batch is mostly people of a few units: each unit's schedule is parsed once.
    cache_key = (r["schedules"], r["unit_code"], day)
    schedule = parsed.get(cache_key)
    if schedule is None:
        schedule = parsed[cache_key] = schedule_for(
            schedules_from_json(json.loads(r["schedules"])), r["unit_code"], day
        )
    hours = schedule.hours_on(day)
    if r["holiday"] or hours is None:
        raise invalid("not_a_working_day", f"{day.isoformat()} bukan hari kerja.", field="date")
    late = minutes_late(item.at.astimezone(WIB), hours.start)
    category = late_category(late)
    fence = check_geofence(
        item.position,
        (r["latitude"], r["longitude"]) if r["latitude"] is not None else None,
        r["geofence_radius_m"],
        item.accuracy_m,
    )
    attendance_id = uuid.uuid4()
    start, end = hours.start.strftime("%H:%M"), hours.end.strftime("%H:%M")
    cat = category.value if category else None
    envelope = new_event(
        AttendanceCheckedInV1(
            attendance_id=attendance_id,
            nip=item.nip,
            unit_code=r["unit_code"],
            date=day,
            checked_in_at=item.at,
            scheduled_start=hours.start,
            minutes_late=late,
            late_category=category,
            inside_geofence=fence.inside,
            distance_m=fence.distance_m,
        ),
        subject=item.nip,
        actor=item.actor,
        source=item.source,
        traceparent=item.traceparent,
    )
    body = {
        "id": str(attendance_id),
        "nip": item.nip,
        "date": day.isoformat(),
        "checked_in_at": item.at.isoformat(),
        "scheduled_start": start,
        "minutes_late": late,
        "late_category": cat,
        "inside_geofence": fence.inside,
        "distance_m": fence.distance_m,
    }
    row = (
        attendance_id,
        item.nip,
        day,
        r["unit_code"],
        item.at,
        start,
        end,
        late,
        cat,
        fence.inside,
        fence.distance_m,
    )
    return _Planned(index, attendance_id, row, outbox_row(item.topic, envelope), body)


async def _write(
    conn: Connection,
    items: Sequence[CheckIn],
    planned: list[_Planned],
    claimed: list[int],
) -> set[uuid.UUID]:
    """Insert what the rules accepted; forget the keys this batch claimed for the rest."""
    by_index = {p.index: p for p in planned}
    keyed = claimed
    if not planned and not keyed:
        return set()
    columns: list[Sequence[Any]] = [list(c) for c in zip(*(p.row for p in planned), strict=True)]
    columns = columns or [[] for _ in range(ATTENDANCE_COLUMNS)]
    events = [p.event for p in planned]
    record = await conn.fetchrow(
        _WRITE,
        *columns,
        [e["event_id"] for e in events],
        [e["topic"] for e in events],
        [e["key"] for e in events],
        [e["event_type"] for e in events],
        [e["traceparent"] for e in events],
        [json.dumps(e["payload"]) for e in events],
        CREATED,
        etag(VERSION),
        [by_index[i].attendance_id if i in by_index else None for i in keyed],
        [items[i].actor for i in keyed],
        [items[i].idempotency_key for i in keyed],
        [json.dumps(by_index[i].body) if i in by_index else None for i in keyed],
        OUTBOX_CHANNEL,
    )
    assert record is not None
    return set(record["inserted"])

"""Check-in and check-out, the hot paths: concurrent requests share one transaction.

Around 07:30 and 16:00 every ASN of the city checks in or out within minutes, each from
a phone. What reaches the database is shaped for that:

- asyncpg directly, without SQLAlchemy's per-statement cost (measured: bench/checkin);
- group commit (`servicekit.groupcommit`): the check-ins (or check-outs) waiting while
  an earlier batch commits go together — one statement claims their Idempotency-Keys
  and reads everyone's context, one writes their attendance rows, one their outbox
  rows (servicekit.outbox, with a single NOTIFY), one their remembered responses — and
  one commit, so a WAL flush serves many phones.

Each punch is still all-or-nothing: one that is refused (unknown, not active, not a
working day, already done, not checked in) leaves neither a row nor an event nor a
claimed key, and its caller gets its own 4xx while the rest of its batch commits.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import asyncpg
from asn_schemas import Envelope, new_event
from asn_schemas.presensi import AttendanceCheckedInV1, AttendanceCheckedOutV1
from servicekit.db import Database
from servicekit.errors import ProblemError
from servicekit.groupcommit import Connection, GroupCommit
from servicekit.idempotency import check_fingerprint
from servicekit.outbox import OutboxRow, outbox_row, write_outbox
from servicekit.problems import conflict, etag, invalid, not_found

from presensi.attendance import schedules_from_json
from presensi.domain.calendar import WIB, business_date
from presensi.domain.classify import early_category, late_category, minutes_early, minutes_late
from presensi.domain.geo import GeofenceResult as Fence
from presensi.domain.geo import check_geofence
from presensi.domain.schedules import DayHours, Schedule, schedule_for
from presensi.domain.shifts import ShiftSpan
from presensi.shift_punches import rostered_shift

# Keys are claimed in (actor, key) order so two batches never wait on each other in a
# cycle. The claim is a data-modifying CTE: it runs to completion even for items whose
# employee is unknown (their claim is deleted again by _FINISH).
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
               AND (s.valid_to IS NULL OR s.valid_to >= i.day)) AS schedules,
           -- The person's published roster around the day (presensi.shift_punches).
           (SELECT coalesce(json_agg(json_build_object(
                'date', re.date, 'code', st.code, 'start', st.start_time, 'end', st.end_time,
                'break', st.break_minutes, 'before', st.check_in_before_minutes,
                'after', st.check_out_after_minutes)), '[]'::json)::text
              FROM roster_entry re
              JOIN roster ro ON ro.unit_code = re.unit_code AND ro.month = re.month
                            AND ro.status = 'published'
              LEFT JOIN shift_type st ON st.id = re.shift_type_id
             WHERE re.nip = i.nip AND re.date BETWEEN i.day - 1 AND i.day + 1) AS roster,
           EXISTS (SELECT 1 FROM flexible_work f WHERE f.nip = i.nip AND f.date = i.day
                   AND f.status = 'disetujui') AS flexible
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
_CHECK_IN = """
    INSERT INTO attendance (id, nip, date, unit_code, checked_in_at, scheduled_start,
        scheduled_end, minutes_late, late_category, in_inside_geofence, in_distance_m)
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[], $4::text[], $5::timestamptz[],
                         $6::text[], $7::text[], $8::int[], $9::text[], $10::bool[],
                         $11::int[])
    ON CONFLICT (nip, date) DO NOTHING
    RETURNING id
"""
# `checked_in` reads the snapshot from before the UPDATE: it tells "not checked in" from
# "already checked out" for the rows the UPDATE skipped.
_CHECK_OUT = """
    WITH w AS (
        SELECT * FROM unnest($1::text[], $2::date[], $3::timestamptz[], $4::int[],
                             $5::text[], $6::bool[], $7::int[])
                 AS w(nip, day, at, early, cat, inside, dist)
    ), done AS (
        UPDATE attendance a
           SET checked_out_at = w.at, minutes_early = w.early, early_category = w.cat,
               out_inside_geofence = w.inside, out_distance_m = w.dist
          FROM w
         WHERE a.nip = w.nip AND a.date = w.day AND a.checked_out_at IS NULL
        RETURNING a.nip, a.id, a.unit_code, a.checked_in_at, a.scheduled_end
    )
    SELECT w.nip, done.id, done.unit_code, done.checked_in_at, done.scheduled_end,
           EXISTS (SELECT 1 FROM attendance a WHERE a.nip = w.nip AND a.date = w.day)
               AS checked_in
      FROM w LEFT JOIN done ON done.nip = w.nip
"""
# The responses of claimed keys remembered and the claims of refused punches forgotten,
# in one statement (the events go through servicekit.outbox, which also wakes the relay).
_SETTLE_KEYS = """
    WITH remembered AS (
        UPDATE idempotency_key k SET status = $1, body = r.body, etag = $2
          FROM unnest($3::text[], $4::text[], $5::jsonb[]) AS r(actor, key, body)
         WHERE k.actor = r.actor AND k.key = r.key AND r.body IS NOT NULL
    )
    DELETE FROM idempotency_key k
     USING unnest($3::text[], $4::text[], $5::jsonb[]) AS r(actor, key, body)
     WHERE k.actor = r.actor AND k.key = r.key AND r.body IS NULL
"""

CHECK_IN = 201, 1
CHECK_OUT = 200, 2
"""(HTTP status, attendance row version for the ETag) of each kind of punch."""


@dataclass(frozen=True)
class Punch:
    """One person's check-in or check-out as the route saw it: who, when, where, which key."""

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

    def exclusive_key(self) -> Hashable:
        """One person's punches never share a batch: the second sees the first committed
        (a retry replays it; a double tap is told it is already done)."""
        return self.actor


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    etag: str | None
    replayed: bool = False


@dataclass(frozen=True)
class Desks:
    """The service's two punch desks, one per process, shared by every request."""

    check_in: GroupCommit[Punch, Answer]
    check_out: GroupCommit[Punch, Answer]


def desks(db: Database, *, max_batch: int = 64) -> Desks:
    def desk(run: Callable[[Connection, Sequence[Punch]], Any]) -> GroupCommit[Punch, Answer]:
        return GroupCommit(
            db.raw_pool,
            run,
            max_batch=max_batch,
            # One connection of the pool stays free for the other desk.
            max_in_flight=max(1, db.raw_pool_size // 2),
            exclusive_key=Punch.exclusive_key,
        )

    return Desks(check_in=desk(check_ins), check_out=desk(check_outs))


@dataclass
class _Done:
    """A punch the rules accepted and the database applied: its event and response."""

    index: int
    event: OutboxRow
    body: dict[str, Any]


@dataclass
class _Batch:
    """One batch's items, their context rows, and each item's outcome so far."""

    items: Sequence[Punch]
    order: list[int]
    context: dict[int, asyncpg.Record] = field(default_factory=dict)
    results: list[Answer | Exception | None] = field(default_factory=list)
    claimed: list[int] = field(default_factory=list)
    schedules: dict[tuple[str, str, date], Schedule] = field(default_factory=dict)

    def pending(self) -> list[int]:
        return [i for i in self.order if self.results[i] is None]

    def person(self, i: int) -> asyncpg.Record:
        """The employee rules every punch shares; raises the refusal."""
        item, r = self.items[i], self.context[i]
        if r["status"] is None:
            raise not_found("employee", f"Pegawai {item.nip}")
        if r["status"] != "aktif":
            raise conflict(
                "employee_not_active", f"Status pegawai {r['status']}: presensi tidak dicatat."
            )
        return r

    def shift(self, i: int, *, check_out: bool) -> tuple[asyncpg.Record, ShiftSpan | None]:
        """The rostered shift the punch belongs to (None: the office schedule applies)."""
        r = self.person(i)
        return r, rostered_shift(r["roster"], self.items[i].at, check_out=check_out)

    def hours(self, i: int) -> tuple[asyncpg.Record, DayHours]:
        """The office schedule's rules; raises the refusal."""
        item, r = self.items[i], self.person(i)
        day = item.day
        # A batch is mostly people of a few units: each unit's schedule is parsed once.
        cache_key = (r["schedules"], r["unit_code"], day)
        schedule = self.schedules.get(cache_key)
        if schedule is None:
            schedule = self.schedules[cache_key] = schedule_for(
                schedules_from_json(json.loads(r["schedules"])), r["unit_code"], day
            )
        hours = schedule.hours_on(day)
        if r["holiday"] or hours is None:
            raise invalid("not_a_working_day", f"{day.isoformat()} bukan hari kerja.", field="date")
        return r, hours

    def fence(self, i: int) -> Fence:
        item, r = self.items[i], self.context[i]
        if r["flexible"]:  # an approved day of work from elsewhere: no geofence flag
            return Fence(None, None)
        return check_geofence(
            item.position,
            (r["latitude"], r["longitude"]) if r["latitude"] is not None else None,
            r["geofence_radius_m"],
            item.accuracy_m,
        )

    def event(self, i: int, payload: AttendanceCheckedInV1 | AttendanceCheckedOutV1) -> Envelope:
        item = self.items[i]
        return new_event(
            payload,
            subject=item.nip,
            actor=item.actor,
            source=item.source,
            traceparent=item.traceparent,
        )


async def _begin(conn: Connection, items: Sequence[Punch]) -> _Batch:
    """Claim the keys and read the context of every item; replays are answered here."""
    # Sorted by (actor, key) so concurrent batches lock keys and rows in one order.
    order = sorted(
        range(len(items)), key=lambda i: (items[i].actor, items[i].idempotency_key or "")
    )
    batch = _Batch(items, order, results=[None] * len(items))
    rows = await conn.fetch(
        _CLAIM_AND_CONTEXT,
        order,
        [items[i].nip for i in order],
        [items[i].day for i in order],
        [items[i].actor for i in order],
        [items[i].idempotency_key for i in order],
        [items[i].fingerprint for i in order],
    )
    batch.context = {r["idx"]: r for r in rows}
    replays = [i for i in order if not batch.context[i]["owns_key"]]
    if replays:
        stored = await _stored(conn, [items[i] for i in replays])
        for i, answer in zip(replays, stored, strict=True):
            batch.results[i] = answer
    batch.claimed = [
        i for i in order if items[i].idempotency_key is not None and batch.results[i] is None
    ]
    return batch


async def _stored(conn: Connection, items: Sequence[Punch]) -> list[Answer | Exception]:
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


async def _finish(
    conn: Connection, batch: _Batch, done: list[_Done], outcome: tuple[int, int]
) -> list[Answer | Exception]:
    """Write events and remembered responses of `done`; forget the other claimed keys."""
    status, version = outcome
    tag = etag(version)
    bodies = {d.index: d.body for d in done}
    await write_outbox(conn, [d.event for d in done])
    if batch.claimed:
        await conn.execute(
            _SETTLE_KEYS,
            status,
            tag,
            [batch.items[i].actor for i in batch.claimed],
            [batch.items[i].idempotency_key for i in batch.claimed],
            [json.dumps(bodies[i]) if i in bodies else None for i in batch.claimed],
        )
    for i, body in bodies.items():
        batch.results[i] = Answer(status, body, tag)
    return [r if r is not None else RuntimeError("punch left unanswered") for r in batch.results]


async def check_ins(conn: Connection, items: Sequence[Punch]) -> list[Answer | Exception]:
    batch = await _begin(conn, items)
    planned: dict[uuid.UUID, tuple[int, tuple[Any, ...], OutboxRow, dict[str, Any]]] = {}
    for i in batch.pending():
        item = items[i]
        try:
            r, span = batch.shift(i, check_out=False)
            if span is None:
                r, hours = batch.hours(i)
                late = minutes_late(item.at.astimezone(WIB), hours.start)
                shift_day, shift_start, shift_end = item.day, hours.start, hours.end
            else:  # rostered: the shift's day, measured from its start
                late = span.minutes_late(item.at)
                shift_day, shift_start, shift_end = span.day, span.shift.start, span.shift.end
        except ProblemError as refused:
            batch.results[i] = refused
            continue
        category = late_category(late)
        fence = batch.fence(i)
        attendance_id = uuid.uuid4()
        start, end = shift_start.strftime("%H:%M"), shift_end.strftime("%H:%M")
        cat = category.value if category else None
        row = (attendance_id, item.nip, shift_day, r["unit_code"], item.at, start, end, late,
               cat, fence.inside, fence.distance_m)  # fmt: skip
        envelope = batch.event(
            i,
            AttendanceCheckedInV1(
                attendance_id=attendance_id,
                nip=item.nip,
                unit_code=r["unit_code"],
                date=shift_day,
                checked_in_at=item.at,
                scheduled_start=shift_start,
                minutes_late=late,
                late_category=category,
                inside_geofence=fence.inside,
                distance_m=fence.distance_m,
            ),
        )
        body = {
            "id": str(attendance_id),
            "nip": item.nip,
            "date": shift_day.isoformat(),
            "checked_in_at": item.at.isoformat(),
            "scheduled_start": start,
            "minutes_late": late,
            "late_category": cat,
            "inside_geofence": fence.inside,
            "distance_m": fence.distance_m,
        }
        planned[attendance_id] = (i, row, outbox_row(item.topic, envelope), body)
    inserted: set[uuid.UUID] = set()
    if planned:
        columns = [list(c) for c in zip(*(p[1] for p in planned.values()), strict=True)]
        inserted = {r["id"] for r in await conn.fetch(_CHECK_IN, *columns)}
    done = []
    for attendance_id, (i, _, event, body) in planned.items():
        if attendance_id in inserted:
            done.append(_Done(i, event, body))
        else:
            day = items[i].day.isoformat()
            batch.results[i] = conflict("already_checked_in", f"Sudah presensi masuk pada {day}.")
    return await _finish(conn, batch, done, CHECK_IN)


async def check_outs(conn: Connection, items: Sequence[Punch]) -> list[Answer | Exception]:
    batch = await _begin(conn, items)
    planned: dict[str, tuple[int, int, Any, Fence]] = {}
    days: dict[int, date] = {}
    for i in batch.pending():
        item = items[i]
        try:
            _, span = batch.shift(i, check_out=True)
            if span is None:
                _, hours = batch.hours(i)
                early = minutes_early(item.at.astimezone(WIB), hours.end)
                days[i] = item.day
            else:  # rostered: a check-out after midnight closes the night that started before
                early = span.minutes_early(item.at)
                days[i] = span.day
        except ProblemError as refused:
            batch.results[i] = refused
            continue
        planned[item.nip] = (i, early, early_category(early), batch.fence(i))
    updated: dict[str, asyncpg.Record] = {}
    if planned:
        plans = [(items[i], early, cat, fence) for i, early, cat, fence in planned.values()]
        plan_days = [days[i] for i, *_ in planned.values()]
        updated = {
            r["nip"]: r
            for r in await conn.fetch(
                _CHECK_OUT,
                [p.nip for p, *_ in plans],
                plan_days,
                [p.at for p, *_ in plans],
                [early for _, early, _, _ in plans],
                [cat.value if cat else None for _, _, cat, _ in plans],
                [fence.inside for *_, fence in plans],
                [fence.distance_m for *_, fence in plans],
            )
        }
    done = []
    for nip, (i, early, category, fence) in planned.items():
        item, row = items[i], updated[nip]
        day = days[i].isoformat()
        if row["id"] is None:
            batch.results[i] = (
                conflict("already_checked_out", f"Sudah presensi pulang pada {day}.")
                if row["checked_in"]
                else conflict("not_checked_in", "Belum presensi masuk hari ini.")
            )
            continue
        envelope = batch.event(
            i,
            AttendanceCheckedOutV1(
                attendance_id=row["id"],
                nip=nip,
                unit_code=row["unit_code"],
                date=days[i],
                checked_in_at=row["checked_in_at"],
                checked_out_at=item.at,
                scheduled_end=time.fromisoformat(row["scheduled_end"]),
                minutes_early=early,
                early_category=category,
                inside_geofence=fence.inside,
                distance_m=fence.distance_m,
            ),
        )
        body = {
            "id": str(row["id"]),
            "nip": nip,
            "date": day,
            "checked_in_at": row["checked_in_at"].isoformat(),
            "checked_out_at": item.at.isoformat(),
            "scheduled_end": row["scheduled_end"],
            "minutes_early": early,
            "early_category": category.value if category else None,
            "inside_geofence": fence.inside,
            "distance_m": fence.distance_m,
        }
        done.append(_Done(i, outbox_row(item.topic, envelope), body))
    return await _finish(conn, batch, done, CHECK_OUT)

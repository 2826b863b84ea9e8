"""The proposed check-in hot path (a copy for measuring, not presensi's code).

Same rules, responses, event and idempotency as `presensi.api.attendance.check_in`, but:
- no synchronous FastAPI dependencies (`now`, `get_runtime` run in the threadpool: two
  thread hops per request); clock and runtime are read from `request.app.state`;
- asyncpg directly, on a pool of its own sized for the HTTP concurrency (SQLAlchemy's
  10 + 10 overflow closes and reopens connections under 16 callers), without the
  pre-ping (BEGIN; ROLLBACK) and without the reset query on release (nothing here
  leaves session state);
- 4 round trips instead of 10: BEGIN · idempotency claim + lookup in one statement ·
  attendance + outbox + remembered response + NOTIFY in one statement · COMMIT.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import date, datetime
from typing import Any

import asyncpg
from asn_schemas import new_event
from asn_schemas.presensi import AttendanceCheckedInV1
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from presensi.api.schemas import CheckBody
from presensi.attendance import _position, _schedules, _self_only
from presensi.domain.calendar import WIB, business_date
from presensi.domain.classify import late_category, minutes_late
from presensi.domain.geo import check_geofence
from presensi.domain.schedules import schedule_for
from servicekit.auth import CurrentIdentity
from servicekit.commands import IdempotencyKey
from servicekit.context import current_traceparent
from servicekit.idempotency import fingerprint
from servicekit.identity import Identity
from servicekit.problems import conflict, etag, invalid, not_found
from servicekit.runtime import ServiceRuntime
from servicekit.tables import OUTBOX_CHANNEL

POOL_SIZE = 20

_CONTEXT = """
    SELECT e.status, e.unit_code, u.latitude, u.longitude, u.geofence_radius_m,
           EXISTS (SELECT 1 FROM holiday h WHERE h.date = $1) AS holiday,
           (SELECT coalesce(json_agg(json_build_object(
                'unit_code', s.unit_code, 'kind', s.kind, 'valid_from', s.valid_from,
                'valid_to', s.valid_to, 'days', s.days)), '[]'::json)
              FROM schedule s
             WHERE s.unit_code IN (e.unit_code, 'default') AND s.valid_from <= $1
               AND (s.valid_to IS NULL OR s.valid_to >= $1)) AS schedules,
           (SELECT count(*) FROM claim) AS claimed
      FROM employee e LEFT JOIN unit u ON u.code = e.unit_code
     WHERE e.nip = $2
"""
# A data-modifying CTE always runs to completion: the key is claimed even when no
# employee row comes back (the not-found answer then rolls it back).
_CLAIM_AND_CONTEXT = f"""
    WITH claim AS (
        INSERT INTO idempotency_key (actor, key, fingerprint) VALUES ($3, $4, $5)
        ON CONFLICT DO NOTHING RETURNING key
    ) {_CONTEXT}
"""  # noqa: S608 -- constant text
_NO_CLAIM_CONTEXT = f"WITH claim AS (SELECT 1 WHERE false) {_CONTEXT}"
_READ_KEY = (
    "SELECT fingerprint, status, body::text AS body, etag FROM idempotency_key "
    "WHERE actor = $1 AND key = $2"
)
_WRITE = """
    WITH att AS (
        INSERT INTO attendance (id, nip, date, unit_code, checked_in_at, scheduled_start,
            scheduled_end, minutes_late, late_category, in_inside_geofence, in_distance_m)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
        ON CONFLICT (nip, date) DO NOTHING
        RETURNING id
    ), event AS (
        INSERT INTO outbox (event_id, topic, key, event_type, traceparent, payload)
        SELECT $12, $13, $2, $14, $15, $16::jsonb FROM att
    ), remembered AS (
        UPDATE idempotency_key SET status = 201, body = $17::jsonb, etag = $18
         WHERE actor = $2 AND key = $19 AND EXISTS (SELECT 1 FROM att)
    )
    SELECT (SELECT count(*) FROM att) AS inserted, pg_notify($20, '') AS notified
"""

router = APIRouter(tags=["attendance"])


async def _no_reset(_conn: asyncpg.Connection) -> None:
    """Handlers here leave no session state (no SET, LISTEN, advisory lock or cursor)."""


_pool_lock = asyncio.Lock()


async def pool_of(app: FastAPI) -> asyncpg.Pool:
    """The prototype's pool, made on first use (one per process, so one lock)."""
    pool: asyncpg.Pool | None = getattr(app.state, "fast_pool", None)
    if pool is not None:
        return pool
    async with _pool_lock:
        if getattr(app.state, "fast_pool", None) is None:
            runtime: ServiceRuntime = app.state.runtime
            app.state.fast_pool = await asyncpg.create_pool(
                runtime.db.asyncpg_dsn, min_size=POOL_SIZE, max_size=POOL_SIZE, reset=_no_reset
            )
    made: asyncpg.Pool = app.state.fast_pool
    return made


def _replay(row: asyncpg.Record | None, fp: str) -> JSONResponse:
    if row is None or row["status"] is None:
        raise conflict("idempotency_in_progress", "Permintaan dengan kunci ini sedang diproses.")
    if row["fingerprint"] != fp:
        raise invalid(
            "idempotency_key_reused",
            "Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda.",
            field="Idempotency-Key",
        )
    headers = {"Idempotent-Replayed": "true", "ETag": row["etag"]} if row["etag"] else {}
    return JSONResponse(json.loads(row["body"]), status_code=row["status"], headers=headers)


@router.post("/attendance/check-in", status_code=201)
async def check_in(
    who: CurrentIdentity,
    request: Request,
    body: CheckBody | None = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Check in for yourself now (server clock, WIB); outside the geofence is flagged."""
    now: datetime = request.app.state.clock()
    runtime: ServiceRuntime = request.app.state.runtime
    nip = _self_only(who, body)
    day = business_date(now)
    fp = None
    if idempotency_key is not None:
        payload = body.model_dump(mode="json", exclude_unset=True) if body else None
        fp = fingerprint(request.method, request.url.path, payload)
    pool = await pool_of(request.app)
    async with pool.acquire() as conn, conn.transaction():
        if fp is None:
            row = await conn.fetchrow(_NO_CLAIM_CONTEXT, day, nip)
        else:
            row = await conn.fetchrow(_CLAIM_AND_CONTEXT, day, nip, who.sub, idempotency_key, fp)
        if row is None:
            raise not_found("employee", f"Pegawai {nip}")
        if fp is not None and not row["claimed"]:
            return _replay(await conn.fetchrow(_READ_KEY, who.sub, idempotency_key), fp)
        content, params = _decide(row, who, body, nip, day, now, runtime)
        params += [json.dumps(content), etag(1), idempotency_key, OUTBOX_CHANNEL]
        if not (await conn.fetchrow(_WRITE, *params))["inserted"]:
            raise conflict("already_checked_in", f"Sudah presensi masuk pada {day.isoformat()}.")
    return JSONResponse(content, status_code=201, headers={"ETag": etag(1)})


def _decide(
    row: asyncpg.Record,
    who: Identity,
    body: CheckBody | None,
    nip: str,
    day: date,
    now: datetime,
    runtime: ServiceRuntime,
) -> tuple[dict[str, Any], list[Any]]:
    """presensi's rules, unchanged: the response and the write's parameters $1–$16."""
    if row["status"] != "aktif":
        raise conflict(
            "employee_not_active", f"Status pegawai {row['status']}: presensi tidak dicatat."
        )
    schedule = schedule_for(_schedules(json.loads(row["schedules"])), row["unit_code"], day)
    hours = schedule.hours_on(day)
    if row["holiday"] or hours is None:
        raise invalid("not_a_working_day", f"{day.isoformat()} bukan hari kerja.", field="date")
    late = minutes_late(now.astimezone(WIB), hours.start)
    category = late_category(late)
    fence = check_geofence(
        _position(body),
        (row["latitude"], row["longitude"]) if row["latitude"] is not None else None,
        row["geofence_radius_m"],
        body.accuracy_m if body is not None else None,
    )
    attendance_id = uuid.uuid4()
    envelope = new_event(
        AttendanceCheckedInV1(
            attendance_id=attendance_id,
            nip=nip,
            unit_code=row["unit_code"],
            date=day,
            checked_in_at=now,
            scheduled_start=hours.start,
            minutes_late=late,
            late_category=category,
            inside_geofence=fence.inside,
            distance_m=fence.distance_m,
        ),
        subject=nip,
        actor=who.sub,
        source=runtime.settings.source,
        traceparent=str(current_traceparent().child()),
    )
    start, end = hours.start.strftime("%H:%M"), hours.end.strftime("%H:%M")
    cat = category.value if category else None
    content = {
        "id": str(attendance_id),
        "nip": nip,
        "date": day.isoformat(),
        "checked_in_at": now.isoformat(),
        "scheduled_start": start,
        "minutes_late": late,
        "late_category": cat,
        "inside_geofence": fence.inside,
        "distance_m": fence.distance_m,
    }
    params: list[Any] = [
        attendance_id,
        nip,
        day,
        row["unit_code"],
        now,
        start,
        end,
        late,
        cat,
        fence.inside,
        fence.distance_m,
        envelope.id,
        runtime.settings.topic,
        envelope.type,
        envelope.traceparent,
        json.dumps(envelope.model_dump(mode="json", exclude_none=True)),
    ]
    return content, params

"""A supervisor's team (the portal's Tim page): the people who report to them directly,
each with today's attendance and this month's recap, from the read model in one query."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel
from servicekit.auth import CurrentIdentity
from servicekit.identity import Identity, Role
from servicekit.problems import forbidden, not_found

from gateway import access
from gateway.state import State
from gateway.workdays import attendance_status, non_working_day

router = APIRouter(prefix="/api", tags=["views"])

SUPERVISOR = """
SELECT e.nip, e.name, e.unit_code,
  (SELECT row_to_json(h) FROM (
     SELECT kind, name FROM readmodel.holiday WHERE date = $2 AND NOT removed
     ORDER BY kind, name LIMIT 1) h) AS holiday_today
FROM readmodel.employee e WHERE e.nip = $1
"""

# The recap has the same shape as the profile's `attendance_month` (queries.PROFILE).
MEMBERS = """
SELECT e.nip, e.name, e.golongan, e.position ->> 'name' AS position, e.unit_code,
  (SELECT row_to_json(a) FROM (
     SELECT date, status, checked_in_at, checked_out_at, minutes_late, late_category,
            minutes_early, early_category, leave_type
     FROM readmodel.attendance_day WHERE nip = e.nip AND date = $2) a) AS today,
  (SELECT l.leave_type FROM readmodel.leave_request l
   WHERE l.nip = e.nip AND l.state = 'approved' AND $2 BETWEEN l.start_date AND l.end_date
   LIMIT 1) AS on_leave_today,
  (SELECT json_build_object(
       'by_status', coalesce(json_object_agg(r.status, r.days), '{}'::json),
       'minutes_late', coalesce(sum(r.minutes_late), 0),
       'minutes_early', coalesce(sum(r.minutes_early), 0))
   FROM (SELECT coalesce(status, 'belum_ditutup') AS status, count(*) AS days,
                sum(minutes_late) AS minutes_late, sum(minutes_early) AS minutes_early
         FROM readmodel.attendance_day
         WHERE nip = e.nip AND date >= $3 AND date <= $2 GROUP BY 1) r) AS recap
FROM readmodel.employee e
WHERE e.supervisor_nip = $1 AND e.status = 'aktif'
ORDER BY e.name, e.nip
"""


class TeamToday(BaseModel):
    """Today for one person: `status` as the profile's (hadir, terlambat, cuti, libur,
    belum_presensi, or the closed day's), with the TL/PSW category when there is one."""

    status: str
    leave_type: str | None
    checked_in_at: str | None
    checked_out_at: str | None
    minutes_late: int | None
    late_category: str | None
    minutes_early: int | None
    early_category: str | None


class TeamMonth(BaseModel):
    """This month so far: days per status (open days as `belum_ditutup`), minutes late
    and early in total."""

    by_status: dict[str, int]
    minutes_late: int
    minutes_early: int


class TeamMember(BaseModel):
    nip: str
    name: str
    golongan: str | None
    position: str | None
    unit_code: str | None
    today: TeamToday
    month: TeamMonth


class TeamSupervisor(BaseModel):
    nip: str
    name: str
    unit_code: str | None


class Team(BaseModel):
    supervisor: TeamSupervisor
    date: date
    month: str
    non_working_day: dict[str, str] | None
    members: list[TeamMember]
    freshness: dict[str, Any]


async def _check(conn: Any, who: Identity, nip: str, unit_code: str | None) -> None:
    """The supervisor, BKPSDM, or the admin_opd of the supervisor's unit (or above it)."""
    if who.sub == nip or who.has_role(Role.BKPSDM):
        return
    if unit_code and await access.admin_over_unit(conn, who, unit_code):
        return
    raise forbidden("Data tim hanya untuk atasannya, admin unitnya dan BKPSDM.")


def _member(row: Any, day_off: bool) -> TeamMember:
    record = row["today"]
    return TeamMember(
        nip=row["nip"],
        name=row["name"],
        golongan=row["golongan"],
        position=row["position"],
        unit_code=row["unit_code"],
        today=TeamToday(
            status=attendance_status(record, row["on_leave_today"], day_off),
            leave_type=(record or {}).get("leave_type") or row["on_leave_today"],
            checked_in_at=(record or {}).get("checked_in_at"),
            checked_out_at=(record or {}).get("checked_out_at"),
            minutes_late=(record or {}).get("minutes_late"),
            late_category=(record or {}).get("late_category"),
            minutes_early=(record or {}).get("minutes_early"),
            early_category=(record or {}).get("early_category"),
        ),
        month=TeamMonth.model_validate(row["recap"]),
    )


@router.get("/teams/{nip}")
async def team(
    nip: Annotated[str, Path(pattern=r"^[0-9]{18}$")], who: CurrentIdentity, state: State
) -> Team:
    """Who reports to `nip` directly (active), with today's attendance (hadir, terlambat
    with its TL category, cuti, belum presensi, libur) and this month's recap per person."""
    today = state.today()
    async with state.read_pool.acquire() as conn:
        boss = await conn.fetchrow(SUPERVISOR, nip, today)
        if boss is None:
            raise not_found("employee", f"Pegawai {nip}")
        await _check(conn, who, nip, boss["unit_code"])
        rows = await conn.fetch(MEMBERS, nip, today, today.replace(day=1))
    day_off = non_working_day(today, boss["holiday_today"])
    return Team(
        supervisor=TeamSupervisor(nip=boss["nip"], name=boss["name"], unit_code=boss["unit_code"]),
        date=today,
        month=today.strftime("%Y-%m"),
        non_working_day=day_off,
        members=[_member(r, day_off is not None) for r in rows],
        freshness=state.freshness(("pegawai", "presensi")),
    )

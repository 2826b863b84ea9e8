"""Shift types and rosters over HTTP on real PostgreSQL and Kafka: access, refusals that
change nothing, publishing, night shifts across midnight, rostered holidays and days off,
and closing a day by the roster."""

from __future__ import annotations

from typing import Any

import pytest
from presensi_testkit import HEAD, OTHER, PPPK, STAFF, Service

pytestmark = pytest.mark.integration

ADMIN = (HEAD, "admin_opd")  # admin_opd of dinkes (token unit "dinkes")
MALAM = {"unit_code": "dinkes", "code": "malam", "name": "Malam", "start": "21:00",
         "end": "07:00", "check_in_before_minutes": 60, "check_out_after_minutes": 240}  # fmt: skip
PAGI = {**MALAM, "code": "pagi", "name": "Pagi", "start": "07:00", "end": "14:00"}
ROSTER_TABLES = ("shift_type", "roster", "roster_entry", "roster_change", "outbox")


async def admin(city: Service, method: str, path: str, body: Any = None) -> Any:
    return await city.call(method, path, body, as_=ADMIN, unit="dinkes")


async def table_counts(city: Service) -> dict[str, int]:
    return {t: int(await city.scalar(f"SELECT count(*) FROM {t}")) for t in ROSTER_TABLES}  # noqa: S608


async def shift_types(city: Service) -> None:
    for body in (MALAM, PAGI):
        created = await admin(city, "POST", "/shift-types", body)
        assert created.status_code == 201, created.text


def days(nip: str, shifts: dict[str, str | None]) -> list[dict[str, Any]]:
    return [{"nip": nip, "date": d, "shift": s} for d, s in shifts.items()]


async def test_shift_types_belong_to_the_units_admin(city: Service) -> None:
    night = await admin(city, "POST", "/shift-types", MALAM)
    assert night.status_code == 201, night.text
    assert night.json()["overnight"] is True and night.json()["working_minutes"] == 600
    as_staff = await city.call("POST", "/shift-types", PAGI, as_=(STAFF,))
    other_admin = await city.call("POST", "/shift-types", PAGI, as_=(OTHER, "admin_opd"),
                                  unit="disdik")  # fmt: skip
    assert as_staff.status_code == other_admin.status_code == 403
    again = await admin(city, "POST", "/shift-types", MALAM)
    assert again.status_code == 409 and again.json()["code"] == "shift_type_exists"
    zero = await admin(city, "POST", "/shift-types", {**PAGI, "end": "07:00"})
    assert zero.status_code == 422 and zero.json()["code"] == "shift_without_length"
    changed = await admin(city, "PUT", f"/shift-types/{night.json()['id']}",
                          {"name": "Malam", "start": "20:00", "end": "07:00"})  # fmt: skip
    assert changed.status_code == 200 and changed.json()["start"] == "20:00"
    listed = await city.call("GET", "/shift-types?unit_code=dinkes", as_=(STAFF,))
    assert [s["code"] for s in listed.json()["items"]] == ["malam"]
    assert listed.json()["items"][0]["version"] == 2


async def test_refused_rosters_change_nothing(city: Service) -> None:
    await shift_types(city)
    before = await table_counts(city)
    refusals = {
        "not_in_unit": days(OTHER, {"2025-03-03": "pagi"}),
        "unknown_shift_type": days(STAFF, {"2025-03-03": "sore"}),
        "date_outside_month": days(STAFF, {"2025-04-01": "pagi"}),
        # Four nights are 40 h in a week: over 37.5 h.
        "weekly_hours_exceeded": days(
            STAFF, {f"2025-03-0{d}": "malam" for d in (3, 4, 5, 6)} | {"2025-03-07": None}
        ),
    }
    await admin(city, "POST", "/shift-types", {**PAGI, "code": "subuh", "start": "06:00",
                                               "end": "12:00"})  # fmt: skip
    before["shift_type"] += 1
    # Malam ends at 07:00 on the 4th; an 06:00 shift that day would overlap it.
    refusals["overlapping_shifts"] = days(STAFF, {"2025-03-03": "malam", "2025-03-04": "subuh"})
    for code, entries in refusals.items():
        answer = await admin(city, "PUT", "/rosters/dinkes/2025-03", {"entries": entries})
        assert answer.status_code == 422, (code, answer.text)
        assert answer.json()["code"] == code, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
    over = await admin(city, "PUT", "/rosters/dinkes/2025-03",
                       {"entries": refusals["weekly_hours_exceeded"]})  # fmt: skip
    assert over.json()["minutes"] == 2400 and over.json()["limit_minutes"] == 2250
    one_day = {"entries": days(STAFF, {"2025-03-03": "pagi"})}
    by_staff = await city.call("PUT", "/rosters/dinkes/2025-03", one_day, as_=(STAFF,))
    assert by_staff.status_code == 403
    bad_month = await admin(city, "PUT", "/rosters/dinkes/2025-3", {"entries": days(STAFF, {})})
    assert bad_month.status_code == 422
    assert await table_counts(city) == before


async def test_a_night_shift_across_midnight_closes_on_the_day_it_started(city: Service) -> None:
    await shift_types(city)
    await city.call(
        "POST", "/holidays", {"date": "2025-03-05", "name": "Libur", "kind": "libur_daerah"}
    )
    roster = days(STAFF, {"2025-03-03": "malam", "2025-03-04": None, "2025-03-05": "pagi"})
    put = await admin(city, "PUT", "/rosters/dinkes/2025-03", {"entries": roster})
    assert put.status_code == 200, put.text
    assert put.json()["status"] == "draft"
    published = await admin(city, "POST", "/rosters/dinkes/2025-03/publish")
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"
    again = await admin(city, "POST", "/rosters/dinkes/2025-03/publish")
    assert again.status_code == 409
    put_again = await admin(city, "PUT", "/rosters/dinkes/2025-03", {"entries": roster})
    assert put_again.status_code == 409 and put_again.json()["code"] == "roster_published"

    city.clock.set(2025, 3, 3, 20, 55)
    checked_in = await city.call("POST", "/attendance/check-in", None, as_=(STAFF,))
    assert checked_in.status_code == 201, checked_in.text
    assert checked_in.json()["date"] == "2025-03-03"
    assert checked_in.json()["scheduled_start"] == "21:00"
    assert checked_in.json()["minutes_late"] == 0
    city.clock.set(2025, 3, 4, 7, 5)
    checked_out = await city.call("POST", "/attendance/check-out", None, as_=(STAFF,))
    assert checked_out.status_code == 200, checked_out.text
    assert checked_out.json()["date"] == "2025-03-03"
    assert checked_out.json()["minutes_early"] == 0
    # The 4th is a rostered day off: no punch, and no absence when it closes.
    city.clock.set(2025, 3, 4, 8, 0)
    day_off = await city.call("POST", "/attendance/check-in", None, as_=(STAFF,))
    assert day_off.status_code == 422 and day_off.json()["code"] == "rostered_day_off"
    # The 5th is a holiday, but rostered: a working day for this person.
    city.clock.set(2025, 3, 5, 7, 10)
    holiday = await city.call("POST", "/attendance/check-in", None, as_=(STAFF,))
    assert holiday.status_code == 201 and holiday.json()["minutes_late"] == 10
    office = await city.call("POST", "/attendance/check-in", None, as_=(PPPK,))
    assert office.status_code == 422 and office.json()["code"] == "not_a_working_day"

    city.clock.set(2025, 3, 6, 9, 0)
    for day in ("2025-03-03", "2025-03-04", "2025-03-05"):
        closed = await city.call("POST", f"/attendance/days/{day}/close")
        assert closed.status_code == 200, closed.text
    statuses = {
        str(d): s
        for d, s in await _rows(city, "SELECT date, status FROM day_status WHERE nip = :n", STAFF)
    }
    # The holiday shift: 10 minutes late (TL1) and no check-out (PSW4) → terlambat.
    assert statuses == {"2025-03-03": "hadir", "2025-03-05": "terlambat"}
    recap = await city.call("GET", f"/attendance/recap?month=2025-03&nip={STAFF}")
    assert recap.json()["people"][0]["by_status"] == {"hadir": 1, "terlambat": 1}

    events = await city.published_events(await city.outbox_total())
    published_events = [e for e in events if e["type"] == "presensi.roster.published.v1"]
    assert len(published_events) == 1
    assert published_events[0]["subject"] == "dinkes/2025-03"
    night = next(d for d in published_events[0]["data"]["days"] if d["date"] == "2025-03-03")
    assert night == {"nip": STAFF, "date": "2025-03-03", "shift_code": "malam",
                     "start": "21:00:00", "end": "07:00:00"}  # fmt: skip


async def test_a_published_roster_changes_one_day_with_a_reason_until_that_day(
    city: Service,
) -> None:
    await shift_types(city)
    roster = days(STAFF, {"2025-03-03": "pagi", "2025-03-10": "pagi"})
    await admin(city, "PUT", "/rosters/dinkes/2025-03", {"entries": roster})
    await admin(city, "POST", "/rosters/dinkes/2025-03/publish")
    city.clock.set(2025, 3, 5, 9, 0)
    no_reason = await admin(city, "PATCH", f"/rosters/dinkes/2025-03-10/{STAFF}", {"shift": None})
    assert no_reason.status_code == 422
    passed = await admin(city, "PATCH", f"/rosters/dinkes/2025-03-03/{STAFF}",
                         {"shift": None, "reason": "Tukar jadwal"})  # fmt: skip
    assert passed.status_code == 422 and passed.json()["code"] == "roster_day_passed"
    outsider = await admin(city, "PATCH", f"/rosters/dinkes/2025-03-10/{OTHER}",
                           {"shift": "pagi", "reason": "Bantuan"})  # fmt: skip
    assert outsider.status_code == 422 and outsider.json()["code"] == "not_in_unit"
    changed = await admin(city, "PATCH", f"/rosters/dinkes/2025-03-10/{STAFF}",
                          {"shift": "malam", "reason": "Tukar dengan rekan"})  # fmt: skip
    assert changed.status_code == 200, changed.text
    view = await city.call("GET", "/rosters/dinkes/2025-03", as_=(PPPK,))
    assert view.status_code == 200
    assert view.json()["people"][0]["days"]["2025-03-10"] == "malam"
    assert view.json()["changes"] == [
        {"nip": STAFF, "date": "2025-03-10", "from": "pagi", "to": "malam",
         "reason": "Tukar dengan rekan", "changed_by": HEAD,
         "changed_at": view.json()["changes"][0]["changed_at"]}
    ]  # fmt: skip
    stranger = await city.call("GET", "/rosters/dinkes/2025-03", as_=(OTHER,))
    assert stranger.status_code == 403
    events = await city.published_events(await city.outbox_total())
    change = next(e for e in events if e["type"] == "presensi.roster.changed.v1")
    assert change["data"]["day"]["shift_code"] == "malam"
    assert change["data"]["previous_shift_code"] == "pagi"
    assert "reason" not in change["data"]


async def _rows(city: Service, sql: str, nip: str) -> list[Any]:
    from sqlalchemy import text

    async with city.db.read_session() as session:
        return list(await session.execute(text(sql), {"n": nip}))

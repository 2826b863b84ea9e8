"""Flexible work over HTTP on real PostgreSQL and Kafka: self only, the supervisor decides,
the unit's policy limits it, and an approved day has no geofence flag and says so when
closed."""

from __future__ import annotations

import pytest
from presensi_testkit import HEAD, MID, STAFF, Service

pytestmark = pytest.mark.integration

ME = (STAFF, "pegawai")
SUPERVISOR = (MID, "pegawai")
FAR_AWAY = {"latitude": -0.95, "longitude": 100.35, "accuracy_m": 10}  # Padang, not the office


def ask(day: str) -> dict[str, str]:
    return {"date": day, "place": "Rumah", "reason": "Menyusun laporan"}


async def test_an_approved_day_from_home_has_no_geofence_flag(city: Service) -> None:
    city.clock.set(2025, 3, 3, 9, 0)
    asked = await city.call("POST", "/flexible-work", ask("2025-03-04"), as_=ME)
    assert asked.status_code == 201, asked.text
    assert asked.json()["approver_nip"] == MID and asked.json()["status"] == "diajukan"
    someone_else = await city.call("POST", "/flexible-work", {**ask("2025-03-05"), "nip": HEAD},
                                   as_=ME)  # fmt: skip
    assert someone_else.status_code == 403
    twice = await city.call("POST", "/flexible-work", ask("2025-03-04"), as_=ME)
    assert twice.status_code == 409 and twice.json()["code"] == "flexible_work_exists"
    past = await city.call("POST", "/flexible-work", ask("2025-03-02"), as_=ME)
    assert past.status_code == 422 and past.json()["code"] == "flexible_day_passed"
    inbox = await city.call("GET", "/flexible-work?approver=me", as_=SUPERVISOR)
    assert [f["id"] for f in inbox.json()["items"]] == [asked.json()["id"]]
    path = f"/flexible-work/{asked.json()['id']}/decision"
    assert (await city.call("POST", path, {"decision": "approve"}, as_=(HEAD,))).status_code == 403
    approved = await city.call("POST", path, {"decision": "approve"}, as_=SUPERVISOR)
    assert approved.status_code == 200 and approved.json()["status"] == "disetujui"

    city.clock.set(2025, 3, 4, 7, 25)
    home = await city.call("POST", "/attendance/check-in", FAR_AWAY, as_=ME)
    assert home.status_code == 201, home.text
    assert home.json()["inside_geofence"] is None and home.json()["distance_m"] is None
    office_day = await city.call("POST", "/attendance/check-in", FAR_AWAY, as_=SUPERVISOR)
    assert office_day.json()["inside_geofence"] is False
    city.clock.set(2025, 3, 5, 8, 0)
    assert (await city.call("POST", "/attendance/days/2025-03-04/close")).status_code == 200
    events = await city.published_events(await city.outbox_total())
    closed = {
        e["subject"]: e["data"] for e in events if e["type"] == "presensi.attendance.day_closed.v1"
    }
    assert closed[STAFF]["flexible_work"] is True and closed[STAFF]["status"] == "pulang_cepat"
    assert closed[MID]["flexible_work"] is False
    asked_events = [e for e in events if e["type"] == "presensi.flexible_work.requested.v1"]
    assert [(e["data"]["request_id"], e["data"]["approver_nip"]) for e in asked_events] == [
        (asked.json()["id"], MID)
    ]
    assert "place" not in asked_events[0]["data"]
    decided = [e for e in events if e["type"] == "presensi.flexible_work.decided.v1"]
    assert [(e["data"]["approved"], e["data"]["decided_by"]) for e in decided] == [(True, MID)]


async def test_the_units_policy_limits_flexible_days(city: Service) -> None:
    city.clock.set(2025, 3, 3, 9, 0)
    async with city.db.engine.begin() as conn:
        from sqlalchemy import text

        await conn.execute(
            text(
                "INSERT INTO work_policy (unit_code, flexible_days_per_month) VALUES ('dinkes', 1)"
            )
        )
    first = await city.call("POST", "/flexible-work", ask("2025-03-10"), as_=ME)
    assert first.status_code == 201, first.text
    second = await city.call("POST", "/flexible-work", ask("2025-03-11"), as_=ME)
    assert second.status_code == 422 and second.json()["code"] == "flexible_limit_reached"
    april = await city.call("POST", "/flexible-work", ask("2025-04-01"), as_=ME)
    assert april.status_code == 201
    async with city.db.engine.begin() as conn:
        await conn.execute(text("UPDATE work_policy SET flexible_days_per_month = 0"))
    front_line = await city.call("POST", "/flexible-work", ask("2025-05-02"), as_=ME)
    assert front_line.status_code == 422 and front_line.json()["code"] == "flexible_not_allowed"
    assert await city.scalar("SELECT count(*) FROM flexible_work") == 2

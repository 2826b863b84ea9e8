"""Whole-suite flows through the gateway, against real processes and real Kafka topics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from e2e_testkit import (
    BKPSDM_NIP,
    event_on_topic,
    new_nip,
    new_unit_code,
    today_wib,
)

pytestmark = pytest.mark.integration

CLOUDEVENT_ATTRIBUTES = {
    "specversion",
    "id",
    "source",
    "type",
    "subject",
    "time",
    "datacontenttype",
    "dataschema",
    "data",
    "actor",
    "traceparent",
    "sequence",
}


async def _team(portal, *, with_schedule: bool = False) -> tuple[str, str, str]:
    """A unit with a supervisor and an employee who reports to them."""
    unit, boss, staff = new_unit_code(), new_nip(), new_nip(sex=2)
    await portal.unit(unit)
    await portal.employee(boss, unit)
    await portal.employee(staff, unit, boss)
    if with_schedule:
        await portal.every_day_is_a_working_day(unit)
    return unit, boss, staff


async def test_registered_unit_supervisor_and_employee_show_on_the_profile(portal):
    unit, boss, staff = await _team(portal)
    profile = await portal.profile(
        staff, lambda p: p["unit"]["name"] is not None, "the employee's profile"
    )
    assert profile["unit"] == {
        "code": unit,
        "name": f"Dinas {unit}",
        "unit_id": profile["unit"]["unit_id"],
    }
    assert profile["supervisor"] == {"nip": boss, "name": f"Pegawai E2E {boss[-4:]}"}
    assert profile["golongan"] == "III/b"
    assert profile["pangkat"] == "Penata Muda Tingkat I"
    assert "phone" not in profile and "address" not in profile
    own = await portal.call("GET", f"/api/profiles/{staff}", as_=(staff, "pegawai"))
    assert own.status_code == 200


async def test_promotion_shows_on_the_profile_and_is_a_cloudevent_on_the_topic(portal):
    _, _, staff = await _team(portal)
    promoted = await portal.call(
        "POST",
        f"/api/employees/{staff}/promotions",
        {"tmt": "2026-04-01", "override_justification": "Uji end-to-end: tanpa penilaian."},
        headers={"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
    )
    assert promoted.status_code == 200, promoted.text
    profile = await portal.profile(staff, lambda p: p["golongan"] == "III/c", "promotion")
    assert profile["pangkat"] == "Penata"
    assert profile["history"]["golongan"][-1]["tmt"] == "2026-04-01"

    suite = portal.suite
    event = await event_on_topic(
        suite.stack.kafka.bootstrap,
        suite.topic("pegawai"),
        lambda e: e["type"] == "pegawai.employee.promoted.v1" and e["subject"] == staff,
        "the promotion event",
    )
    assert event.keys() >= CLOUDEVENT_ATTRIBUTES
    assert event["specversion"] == "1.0"
    assert event["source"] == "/sawahlunto/pegawai"
    assert event["datacontenttype"] == "application/json"
    assert event["dataschema"].endswith("pegawai.employee.promoted.v1.json")
    assert event["actor"] == BKPSDM_NIP
    assert event["sequence"] == 2
    assert event["_key"] == staff
    assert event["_headers"]["content-type"].startswith("application/cloudevents+json")
    # The trace the portal started travelled through the gateway into the event.
    assert event["traceparent"].split("-")[1] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert event["data"]["to_golongan"] == "III/c"


async def test_late_check_in_shows_on_the_profile_and_the_unit_dashboard(portal):
    unit, _, staff = await _team(portal, with_schedule=True)
    checked_in = await portal.until(
        "POST",
        "/api/attendance/check-in",
        lambda r: r.status_code == 201,
        "presensi knows the employee",
        body={},
        as_=(staff, "pegawai"),
    )
    assert checked_in.json()["minutes_late"] > 0
    profile = await portal.profile(
        staff, lambda p: p["attendance_today"]["status"] == "terlambat", "late on the profile"
    )
    assert profile["attendance_today"]["record"]["late_category"] in {"TL1", "TL2", "TL3", "TL4"}
    dashboard = await portal.until(
        "GET",
        f"/api/units/{unit}/dashboard",
        lambda r: r.status_code == 200 and r.json()["attendance_today"]["late"] == 1,
        "late on the dashboard",
        as_=(new_nip(), "admin_opd"),
        unit=unit,
    )
    today = dashboard.json()["attendance_today"]
    # The supervisor has no record: missing on a working day, off on a weekend or holiday
    # (the gateway's own tests pin both kinds of day; this one runs on today's).
    absent = "no_record" if today["non_working_day"] is None else "day_off"
    assert today[absent] == 1
    assert dashboard.json()["headcount"]["total"] == 2


async def test_annual_leave_from_request_to_a_closed_cuti_day(portal):
    _, boss, staff = await _team(portal, with_schedule=True)
    day = today_wib() - timedelta(days=1)
    balances = await portal.until(
        "GET",
        f"/api/leave-balances/{staff}",
        lambda r: r.status_code == 200,
        "presensi knows the employee",
        as_=(staff, "pegawai"),
    )
    requested = await portal.call(
        "POST",
        "/api/leave-requests",
        {"leave_type": "tahunan", "start_date": day.isoformat(), "end_date": day.isoformat()},
        as_=(staff, "pegawai"),
    )
    assert requested.status_code == 201, requested.text
    request_id = requested.json()["id"]

    inbox = await portal.until(
        "GET",
        "/api/inbox",
        lambda r: any(i["request_id"] == request_id for i in r.json()["items"]),
        "the request in the supervisor's inbox",
        as_=(boss, "pegawai"),
    )
    item = next(i for i in inbox.json()["items"] if i["request_id"] == request_id)
    assert item["nip"] == staff and item["leave_type"] == "tahunan"

    # Approving one's own leave is refused by presensi, and the refusal comes back as is.
    own = await portal.call(
        "POST",
        f"/api/leave-requests/{request_id}/decision",
        {"decision": "approve"},
        as_=(staff, "pegawai"),
    )
    assert own.status_code == 403
    assert own.headers["content-type"] == "application/problem+json"

    approved = await portal.call(
        "POST",
        f"/api/leave-requests/{request_id}/decision",
        {"decision": "approve"},
        as_=(boss, "pegawai"),
    )
    assert approved.status_code == 200, approved.text
    suite = portal.suite
    event = await event_on_topic(
        suite.stack.kafka.bootstrap,
        suite.topic("presensi"),
        lambda e: (
            e["type"] == "presensi.leave.approved.v1" and e["data"]["request_id"] == request_id
        ),
        "the approval event",
    )
    before = balances.json()
    profile = await portal.profile(
        staff, lambda p: bool(p["leave_balances"]) and not p["open_requests"], "approved"
    )
    [balance] = [b for b in profile["leave_balances"] if b["year"] == day.year]
    assert balance["remaining"] == event["data"]["balance_after"]
    after = await portal.call("GET", f"/api/leave-balances/{staff}", as_=(staff, "pegawai"))
    assert after.json() != before
    inbox = (await portal.call("GET", "/api/inbox", as_=(boss, "pegawai"))).json()
    assert all(i["request_id"] != request_id for i in inbox["items"])

    closed = await portal.call("POST", f"/api/attendance/days/{day.isoformat()}/close")
    assert closed.status_code == 200, closed.text
    day_closed = await event_on_topic(
        suite.stack.kafka.bootstrap,
        suite.topic("presensi"),
        lambda e: (
            e["type"] == "presensi.attendance.day_closed.v1"
            and e["subject"] == staff
            and e["data"]["date"] == day.isoformat()
        ),
        "the closed day",
    )
    assert day_closed["data"]["status"] == "cuti"
    assert day_closed["data"]["leave_type"] == "tahunan"
    if day.month == today_wib().month:
        await portal.profile(
            staff,
            lambda p: p["attendance_month"]["by_status"].get("cuti") == 1,
            "the cuti day in the month's recap",
        )


async def test_reading_someone_elses_profile_is_refused(portal):
    _, boss, staff = await _team(portal)
    stranger = new_nip()
    await portal.profile(staff, lambda p: True, "registered")
    refused = await portal.call("GET", f"/api/profiles/{staff}", as_=(stranger, "pegawai"))
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    upward = await portal.call("GET", f"/api/profiles/{boss}", as_=(staff, "pegawai"))
    assert upward.status_code == 403


async def test_presensi_down_then_back_catches_up_and_nothing_is_lost(portal):
    unit, _, staff = await _team(portal, with_schedule=True)
    await portal.until(
        "GET",
        f"/api/leave-balances/{staff}",
        lambda r: r.status_code == 200,
        "presensi knows the team",
        as_=(staff, "pegawai"),
    )
    suite = portal.suite
    suite.stop_service("presensi")
    try:
        profile = await portal.profile(
            staff,
            lambda p: p["freshness"]["services_down"] == ["presensi"],
            "the profile served, marked stale",
        )
        assert profile["freshness"]["stale"] is True
        assert profile["unit"]["code"] == unit
        refused = await portal.call("POST", "/api/attendance/check-in", {}, as_=(staff, "pegawai"))
        assert refused.status_code == 503
        assert refused.json()["code"] == "service_unavailable"
        assert refused.json()["service"] == "presensi"
        assert "presensi" in refused.json()["detail"]
        # pegawai goes on meanwhile; presensi must pick this up from the topic later.
        newcomer = new_nip()
        await portal.employee(newcomer, unit)
    finally:
        suite.start_service("presensi")
    checked_in = await portal.until(
        "POST",
        "/api/attendance/check-in",
        lambda r: r.status_code == 201,
        "presensi caught up with the newcomer",
        body={},
        as_=(newcomer, "pegawai"),
    )
    assert checked_in.status_code == 201
    profile = await portal.profile(
        newcomer,
        lambda p: not p["freshness"]["stale"] and p["attendance_today"]["status"] == "terlambat",
        "fresh again, with the newcomer's check-in",
    )
    assert profile["freshness"]["services_down"] == []

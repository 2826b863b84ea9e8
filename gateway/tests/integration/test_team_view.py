"""A supervisor's team (`/api/teams/{nip}`, the portal's Tim page), from real events on
real Kafka: each direct report's attendance today (late with its TL category, on leave)
and this month's recap; readable by that supervisor, BKPSDM and the unit's admin only.
The day is pinned (a Wednesday), never today's."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from asn_schemas.presensi import AttendanceCheckedInV1, AttendanceDayClosedV1, LeaveApprovedV1
from gateway_testkit import HEAD, MID, OTHER, STAFF, at_wib, city_events, event, registered

pytestmark = pytest.mark.integration

WEDNESDAY = date(2026, 11, 25)
NEW = "199204042017052006"  # a second report of MID, on leave today
SUPERVISOR = (MID, "pegawai")


def checked_in_late(nip: str, day: date) -> AttendanceCheckedInV1:
    return AttendanceCheckedInV1(
        attendance_id=uuid.uuid4(),
        nip=nip,
        unit_code="dinkes-p2p",
        date=day,
        checked_in_at=at_wib(day, 7, 42),
        scheduled_start="07:30",
        minutes_late=12,
        late_category="TL1",
    )


def closed(nip: str, day: date, status: str = "hadir") -> AttendanceDayClosedV1:
    return AttendanceDayClosedV1(
        nip=nip,
        unit_code="dinkes-p2p",
        date=day,
        status=status,
        checked_in_at=at_wib(day, 7, 25),
        checked_out_at=at_wib(day, 16, 5),
        deduction_percent=0,
    )


def on_leave(nip: str, day: date) -> LeaveApprovedV1:
    return LeaveApprovedV1(
        request_id=uuid.uuid4(),
        nip=nip,
        unit_code="dinkes-p2p",
        leave_type="tahunan",
        start_date=day,
        end_date=day + timedelta(days=1),
        working_days=2,
        decided_by=MID,
        decided_at=at_wib(day - timedelta(days=3), 9, 0),
    )


async def _city_with_a_team(gateway: Any) -> dict[str, Any]:
    gateway.app.state.gateway.today = lambda: WEDNESDAY
    await gateway.publish(
        *city_events(gateway.settings.pegawai_topic),
        (gateway.settings.pegawai_topic, registered(NEW, "dinkes-p2p", MID)),
    )
    topic = gateway.settings.presensi_topic
    await gateway.publish(
        (topic, event(closed(STAFF, WEDNESDAY - timedelta(days=1)), STAFF, actor=STAFF)),
        # The month before: not in this month's recap.
        (topic, event(closed(STAFF, date(2026, 10, 30)), STAFF, actor=STAFF)),
        (topic, event(checked_in_late(STAFF, WEDNESDAY), STAFF, actor=STAFF)),
        (topic, event(on_leave(NEW, WEDNESDAY), NEW, actor=MID)),
    )
    return await gateway.json_when(
        f"/api/teams/{MID}",
        lambda t: (
            len(t["members"]) == 2
            and all(m["today"]["status"] != "belum_presensi" for m in t["members"])
        ),
        "MID's team with today's attendance",
        as_=SUPERVISOR,
    )


async def test_the_team_shows_today_and_the_month_per_person(gateway):
    team = await _city_with_a_team(gateway)
    assert team["supervisor"] == {
        "nip": MID,
        "name": f"Pegawai {MID[-4:]}, S.T.",
        "unit_code": "dinkes-p2p",
    }
    assert team["date"] == WEDNESDAY.isoformat()
    assert team["month"] == "2026-11"
    assert team["non_working_day"] is None
    members = {m["nip"]: m for m in team["members"]}
    assert set(members) == {STAFF, NEW}  # direct reports only: not MID, not HEAD's others

    late = members[STAFF]
    assert late["today"]["status"] == "terlambat"
    assert (late["today"]["minutes_late"], late["today"]["late_category"]) == (12, "TL1")
    assert late["today"]["checked_in_at"] is not None
    assert late["month"] == {
        "by_status": {"hadir": 1, "belum_ditutup": 1},
        "minutes_late": 12,
        "minutes_early": 0,
    }

    away = members[NEW]
    assert (away["today"]["status"], away["today"]["leave_type"]) == ("cuti", "tahunan")
    assert away["today"]["checked_in_at"] is None
    assert away["month"]["by_status"] == {}


async def test_only_the_supervisor_bkpsdm_and_the_units_admin_see_the_team(gateway):
    await _city_with_a_team(gateway)
    path = f"/api/teams/{MID}"
    allowed = (
        ((MID, "pegawai"), None),
        (("197001011995031001", "bkpsdm"), None),
        (("196001011990031001", "admin_opd"), "dinkes"),  # the unit above MID's
        (("196001011990031001", "admin_opd"), "dinkes-p2p"),
    )
    for who, unit in allowed:
        response = await gateway.get(path, as_=who, unit=unit)
        assert response.status_code == 200, (who, unit, response.text)
        assert {m["nip"] for m in response.json()["members"]} == {STAFF, NEW}
    refused = (
        ((STAFF, "pegawai"), None),  # a team member
        ((OTHER, "pegawai"), None),
        ((HEAD, "pegawai"), None),  # the supervisor's own supervisor: not named by the rule
        (("196001011990031001", "admin_opd"), "disdik"),  # another unit's admin
    )
    for who, unit in refused:
        response = await gateway.get(path, as_=who, unit=unit)
        assert response.status_code == 403, (who, unit, response.text)
        assert response.json()["code"] == "forbidden"
        assert "members" not in response.json()


async def test_an_unknown_or_malformed_nip_is_a_clear_4xx(gateway):
    await _city_with_a_team(gateway)
    missing = await gateway.get("/api/teams/198812122012121999", as_=SUPERVISOR)
    assert missing.status_code == 404
    assert missing.json()["code"] == "employee_not_found"
    bad = await gateway.get("/api/teams/12345", as_=SUPERVISOR)
    assert bad.status_code == 422
    assert bad.json()["code"] == "validation_error"
    assert bad.headers["content-type"] == "application/problem+json"


async def test_nobody_reporting_is_an_empty_team(gateway):
    await _city_with_a_team(gateway)
    team = await gateway.json_when(
        f"/api/teams/{STAFF}", lambda t: True, "STAFF's (empty) team", as_=(STAFF, "pegawai")
    )
    assert team["members"] == []

"""A day off shows as such on the profile and the unit dashboard: weekends, and the
holidays and cuti bersama of presensi's calendar. Dates are pinned, never today's."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from asn_schemas.presensi import (
    AttendanceCheckedInV1,
    HolidayDeclaredV1,
    HolidayRemovedV1,
    LeaveApprovedV1,
)
from gateway_testkit import HEAD, MID, STAFF, at_wib, city_events, event

pytestmark = pytest.mark.integration

SUNDAY = date(2026, 11, 29)
WEDNESDAY = date(2026, 12, 23)
CUTI_BERSAMA = date(2026, 12, 24)


def on(gateway: Any, day: date) -> None:
    gateway.app.state.gateway.today = lambda: day


def checked_in(nip: str, day: date) -> AttendanceCheckedInV1:
    return AttendanceCheckedInV1(
        attendance_id=uuid.uuid4(),
        nip=nip,
        unit_code="dinkes-p2p",
        date=day,
        checked_in_at=at_wib(day, 7, 20),
        scheduled_start="07:30",
        minutes_late=0,
        late_category=None,
    )


def holiday(day: date, holiday_id: uuid.UUID) -> dict[str, Any]:
    return {
        "holiday_id": holiday_id,
        "date": day,
        "name": "Cuti bersama Natal",
        "kind": "cuti_bersama",
    }


def counts(attendance: dict[str, Any], *keys: str) -> tuple[int, ...]:
    return tuple(attendance[key] for key in keys)


async def test_a_sunday_is_a_day_off_not_a_missing_record(gateway):
    on(gateway, SUNDAY)
    topic = gateway.settings.presensi_topic
    await gateway.publish(*city_events(gateway.settings.pegawai_topic))
    # MID came in on the Sunday; STAFF's approved leave covers it.
    approved = LeaveApprovedV1(
        request_id=uuid.uuid4(),
        nip=STAFF,
        unit_code="dinkes-p2p",
        leave_type="tahunan",
        start_date=SUNDAY - timedelta(days=2),
        end_date=SUNDAY + timedelta(days=1),
        working_days=2,
        decided_by=MID,
        decided_at=at_wib(SUNDAY - timedelta(days=5), 9, 0),
    )
    await gateway.publish(
        (topic, event(checked_in(MID, SUNDAY), MID, actor=MID)),
        (topic, event(approved, STAFF, actor=MID)),
    )
    dashboard = await gateway.dashboard_when(
        "dinkes",
        lambda d: d["headcount"]["total"] == 3 and d["attendance_today"]["present"] == 1,
        "the Sunday's check-in",
    )
    today = dashboard["attendance_today"]
    assert today["date"] == SUNDAY.isoformat()
    assert today["non_working_day"] == {"kind": "weekend", "name": "Minggu"}
    assert counts(today, "day_off", "no_record", "present", "on_leave") == (2, 0, 1, 0)
    head = (await gateway.get(f"/api/profiles/{HEAD}")).json()["attendance_today"]
    assert head["status"] == "libur"
    assert head["non_working_day"] == {"kind": "weekend", "name": "Minggu"}
    staff = (await gateway.get(f"/api/profiles/{STAFF}")).json()["attendance_today"]
    assert staff["status"] == "libur"  # leave does not count a day off
    mid = (await gateway.get(f"/api/profiles/{MID}")).json()["attendance_today"]
    assert mid["status"] == "hadir"

    # The Monday after: a working day again, and STAFF is on leave.
    on(gateway, SUNDAY + timedelta(days=1))
    monday = (await gateway.get("/api/units/dinkes/dashboard")).json()["attendance_today"]
    assert monday["non_working_day"] is None
    assert counts(monday, "day_off", "no_record", "on_leave") == (0, 2, 1)
    staff = (await gateway.get(f"/api/profiles/{STAFF}")).json()["attendance_today"]
    assert (staff["status"], staff["non_working_day"]) == ("cuti", None)


async def test_cuti_bersama_from_presensis_calendar_and_its_removal(gateway):
    topic = gateway.settings.presensi_topic
    await gateway.publish(*city_events(gateway.settings.pegawai_topic))
    holiday_id = uuid.uuid4()
    declared = HolidayDeclaredV1(**holiday(CUTI_BERSAMA, holiday_id))
    await gateway.publish((topic, event(declared, CUTI_BERSAMA.isoformat(), actor=HEAD)))
    on(gateway, CUTI_BERSAMA)
    dashboard = await gateway.dashboard_when(
        "dinkes",
        lambda d: d["headcount"]["total"] == 3 and d["attendance_today"]["non_working_day"],
        "the declared cuti bersama",
    )
    today = dashboard["attendance_today"]
    assert today["non_working_day"] == {"kind": "cuti_bersama", "name": "Cuti bersama Natal"}
    assert counts(today, "day_off", "no_record") == (3, 0)
    profile = (await gateway.get(f"/api/profiles/{STAFF}")).json()["attendance_today"]
    assert (profile["status"], profile["non_working_day"]["kind"]) == ("libur", "cuti_bersama")

    # The day before is an ordinary Wednesday: nobody has checked in yet.
    on(gateway, WEDNESDAY)
    wednesday = (await gateway.get("/api/units/dinkes/dashboard")).json()["attendance_today"]
    assert wednesday["non_working_day"] is None
    assert counts(wednesday, "day_off", "no_record") == (0, 3)
    profile = (await gateway.get(f"/api/profiles/{STAFF}")).json()["attendance_today"]
    assert profile["status"] == "belum_presensi"

    # Removed from the calendar: a working day like any other.
    removed = HolidayRemovedV1(**holiday(CUTI_BERSAMA, holiday_id))
    await gateway.publish((topic, event(removed, CUTI_BERSAMA.isoformat(), actor=HEAD)))
    on(gateway, CUTI_BERSAMA)
    after = await gateway.dashboard_when(
        "dinkes", lambda d: d["attendance_today"]["non_working_day"] is None, "the removal"
    )
    assert counts(after["attendance_today"], "day_off", "no_record") == (0, 3)
    profile = (await gateway.get(f"/api/profiles/{STAFF}")).json()["attendance_today"]
    assert profile["status"] == "belum_presensi"

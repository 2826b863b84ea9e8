"""presensi's shift work in the read model, from real events on real Kafka: corrections
and flexible-work days in the direct supervisor's inbox until decided, and the week's
rostered shifts on the profile and on the unit's dashboard (a republished roster and a
changed day replace what was there)."""

import uuid
from datetime import UTC, datetime, time, timedelta

import pytest
from asn_schemas.presensi import (
    AttendanceCorrectedV1,
    AttendanceCorrectionRejectedV1,
    AttendanceCorrectionRequestedV1,
    FlexibleWorkDecidedV1,
    FlexibleWorkRequestedV1,
    RosterChangedV1,
    RosteredDay,
    RosterPublishedV1,
)
from gateway_testkit import HEAD, MID, STAFF, city_events, event, today_wib

pytestmark = pytest.mark.integration

SUPERVISOR = (MID, "pegawai")


def waiting(body: dict) -> dict[str, dict]:
    return {
        i["request_id"]: i
        for i in body["items"]
        if i["kind"] in ("attendance_correction", "flexible_work")
    }


async def test_corrections_and_flexible_work_wait_in_the_supervisors_inbox(gateway):
    await gateway.publish(*city_events(gateway.settings.pegawai_topic))
    topic = gateway.settings.presensi_topic
    today = today_wib()
    at = datetime.now(UTC)
    first, second, flexible = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    asked = [
        AttendanceCorrectionRequestedV1(
            correction_id=cid,
            nip=STAFF,
            unit_code="dinkes-p2p",
            date=today - timedelta(days=days),
            kind="missing_check_out",
            approver_nip=MID,
            requested_at=at + timedelta(minutes=days),
        )
        for cid, days in ((first, 1), (second, 2))
    ]
    flex = FlexibleWorkRequestedV1(
        request_id=flexible,
        nip=STAFF,
        unit_code="dinkes-p2p",
        date=today + timedelta(days=1),
        approver_nip=MID,
        requested_at=at + timedelta(minutes=5),
    )
    await gateway.publish(*((topic, event(p, STAFF)) for p in (*asked, flex)))
    inbox = await gateway.json_when(
        "/api/inbox",
        lambda b: len(waiting(b)) == 3,
        "two corrections and a flexible day in the supervisor's inbox",
        as_=SUPERVISOR,
    )
    items = waiting(inbox)
    assert items[str(first)]["action"] == f"/api/attendance-corrections/{first}/decision"
    assert items[str(first)]["correction_kind"] == "missing_check_out"
    assert items[str(first)]["name"] and items[str(first)]["nip"] == STAFF
    assert items[str(flexible)]["action"] == f"/api/flexible-work/{flexible}/decision"
    assert items[str(flexible)]["date"] == (today + timedelta(days=1)).isoformat()
    # Not in anyone else's inbox: not the supervisor's supervisor, not the employee's own.
    for other in (HEAD, STAFF):
        assert waiting((await gateway.get("/api/inbox", as_=(other, "pegawai"))).json()) == {}

    decided_at = at + timedelta(hours=1)
    approved = AttendanceCorrectedV1(
        correction_id=first,
        nip=STAFF,
        unit_code="dinkes-p2p",
        date=asked[0].date,
        kind="missing_check_out",
        previous_status=None,
        status=None,
        decided_by=MID,
        decided_at=decided_at,
    )
    rejected = AttendanceCorrectionRejectedV1(
        correction_id=second,
        nip=STAFF,
        unit_code="dinkes-p2p",
        date=asked[1].date,
        kind="missing_check_out",
        decided_by=MID,
        decided_at=decided_at,
    )
    await gateway.publish((topic, event(approved, STAFF)), (topic, event(rejected, STAFF)))
    inbox = await gateway.json_when(
        "/api/inbox",
        lambda b: set(waiting(b)) == {str(flexible)},
        "the decided corrections gone from the inbox",
        as_=SUPERVISOR,
    )
    decided = FlexibleWorkDecidedV1(
        request_id=flexible,
        nip=STAFF,
        unit_code="dinkes-p2p",
        date=flex.date,
        approved=False,
        decided_by=MID,
        decided_at=decided_at,
    )
    await gateway.publish((topic, event(decided, STAFF)))
    await gateway.json_when(
        "/api/inbox", lambda b: waiting(b) == {}, "the refused flexible day gone", as_=SUPERVISOR
    )


async def test_the_weeks_roster_on_the_profile_and_the_unit(gateway):
    await gateway.publish(*city_events(gateway.settings.pegawai_topic))
    topic = gateway.settings.presensi_topic
    today = today_wib()  # a Wednesday
    monday = today - timedelta(days=today.weekday())
    month = today.strftime("%Y-%m")
    at = datetime.now(UTC)

    def day(nip: str, offset: int, code: str | None) -> RosteredDay:
        hours = {"pagi": (time(7), time(14)), "malam": (time(21), time(7))}.get(code or "")
        start, end = hours or (None, None)
        return RosteredDay(
            nip=nip, date=monday + timedelta(days=offset), shift_code=code, start=start, end=end
        )

    first = RosterPublishedV1(
        unit_code="dinkes-p2p",
        month=month,
        version=2,
        published_by=MID,
        published_at=at,
        days=[
            day(STAFF, 0, "pagi"),
            day(STAFF, 1, "malam"),
            day(STAFF, 7, "pagi"),  # next week's Monday: not on this week's roster
            day(MID, 2, "pagi"),
        ],
    )
    subject = f"dinkes-p2p/{month}"
    await gateway.publish((topic, event(first, subject, sequence=1)))
    profile = await gateway.profile_when(
        STAFF, lambda p: p.get("roster_week", {}).get("days"), "the roster on the profile"
    )
    week = profile["roster_week"]
    assert (week["from"], week["to"]) == (monday.isoformat(), (monday + timedelta(6)).isoformat())
    assert [(d["date"], d["shift_code"], d["start"], d["end"]) for d in week["days"]] == [
        (monday.isoformat(), "pagi", "07:00:00", "14:00:00"),
        ((monday + timedelta(1)).isoformat(), "malam", "21:00:00", "07:00:00"),
    ]

    # Republished without Tuesday's night, then Monday changed to a day off.
    second = first.model_copy(
        update={"version": 3, "days": [day(STAFF, 0, "pagi"), day(MID, 2, "pagi")]}
    )
    changed = RosterChangedV1(
        unit_code="dinkes-p2p",
        month=month,
        version=4,
        changed_by=MID,
        changed_at=at,
        day=day(STAFF, 0, None),
        previous_shift_code="pagi",
    )
    await gateway.publish(
        (topic, event(second, subject, sequence=2)), (topic, event(changed, subject, sequence=3))
    )
    profile = await gateway.profile_when(
        STAFF,
        lambda p: [d["shift_code"] for d in p["roster_week"]["days"]] == [None],
        "the republished and changed roster on the profile",
    )
    assert profile["roster_week"]["days"][0]["date"] == monday.isoformat()
    dashboard = await gateway.dashboard_when(
        "dinkes-p2p", lambda d: d["roster_week"]["days"], "the unit's roster"
    )
    assert [(d["nip"], d["date"], d["shift_code"]) for d in dashboard["roster_week"]["days"]] == [
        (STAFF, monday.isoformat(), None),
        (MID, (monday + timedelta(2)).isoformat(), "pagi"),
    ]
    assert all(d["name"] for d in dashboard["roster_week"]["days"])

"""The read model from real events on real Kafka: profile, dashboard, inbox, search."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from asn_schemas.presensi import (
    AttendanceCheckedInV1,
    AttendanceDayClosedV1,
    LeaveApprovedV1,
    LeaveRequestedV1,
)
from gateway_testkit import (
    HEAD,
    MID,
    OTHER,
    STAFF,
    at_wib,
    city_events,
    event,
    promoted,
    today_wib,
)

pytestmark = pytest.mark.integration


async def test_registration_and_promotion_show_on_the_profile_with_history(gateway):
    topic = gateway.settings.pegawai_topic
    await gateway.publish(*city_events(topic))
    profile = await gateway.profile_when(STAFF, lambda p: True, "staff registered")
    assert profile["unit"]["code"] == "dinkes-p2p"
    assert profile["supervisor"] == {"nip": MID, "name": f"Pegawai {MID[-4:]}, S.T."}
    assert profile["golongan"] == "III/b"
    promotion = promoted(STAFF, "dinkes-p2p", MID, sequence=2)
    # Delivered twice (a relay re-send): the second has no effect.
    await gateway.publish((topic, promotion), (topic, promotion))
    profile = await gateway.profile_when(STAFF, lambda p: p["golongan"] == "III/c", "promotion")
    assert profile["pangkat"] == "Penata"
    golongan = profile["history"]["golongan"]
    assert [h["value"] for h in golongan] == [
        "III/b",
        {"from": "III/b", "to": "III/c", "kind": "reguler"},
    ]
    assert golongan[1]["tmt"] == "2026-04-01"
    # Freshness follows the lag monitor's last look, which catches up shortly after.
    await gateway.profile_when(STAFF, lambda p: p["freshness"]["stale"] is False, "fresh")


async def test_an_older_snapshot_does_not_undo_a_newer_one(gateway):
    topic = gateway.settings.pegawai_topic
    await gateway.publish(*city_events(topic))
    await gateway.publish((topic, promoted(STAFF, "dinkes-p2p", MID, sequence=2)))
    await gateway.profile_when(STAFF, lambda p: p["golongan"] == "III/c", "promotion")
    from gateway_testkit import registered

    stale = registered(STAFF, "dinkes-p2p", MID)  # sequence 1 again, with golongan III/b
    marker = registered(OTHER, "disdik", None, name="Marker Name")
    await gateway.publish((topic, stale), (topic, marker))
    await gateway.profile_when(OTHER, lambda p: p["name"] == "Marker Name", "marker applied")
    assert (await gateway.get(f"/api/profiles/{STAFF}")).json()["golongan"] == "III/c"


async def test_unknown_types_fields_and_garbage_are_tolerated(gateway):
    topic = gateway.settings.pegawai_topic
    await gateway.publish(*city_events(topic))
    promotion = promoted(STAFF, "dinkes-p2p", MID, sequence=2)
    extended = promotion.model_copy(
        update={
            "data": {
                **promotion.data,
                "brand_new_field": 1,
                "employee": {**promotion.data["employee"], "shoe_size": 43},
            }
        }
    )
    future = promotion.model_copy(
        update={"id": uuid.uuid4(), "type": "pegawai.employee.teleported.v1"}
    )
    await gateway.publish((topic, future), (topic, b"not json at all"), (topic, extended))
    profile = await gateway.profile_when(STAFF, lambda p: p["golongan"] == "III/c", "promotion")
    assert "shoe_size" not in json.dumps(profile)


async def test_attendance_leave_and_the_supervisors_inbox(gateway):
    await gateway.publish(*city_events(gateway.settings.pegawai_topic))
    topic = gateway.settings.presensi_topic
    today = today_wib()
    checked_in = AttendanceCheckedInV1(
        attendance_id=uuid.uuid4(),
        nip=STAFF,
        unit_code="dinkes-p2p",
        date=today,
        checked_in_at=at_wib(today, 7, 52),
        scheduled_start="07:30",
        minutes_late=22,
        late_category="TL1",
    )
    await gateway.publish((topic, event(checked_in, STAFF, actor=STAFF)))
    profile = await gateway.profile_when(
        STAFF, lambda p: p["attendance_today"]["status"] == "terlambat", "late check-in"
    )
    assert profile["attendance_today"]["record"]["minutes_late"] == 22
    assert profile["attendance_month"]["by_status"] == {"belum_ditutup": 1}
    dashboard = await gateway.dashboard_when(
        "dinkes", lambda d: d["headcount"]["total"] == 3, "units and people projected"
    )
    assert dashboard["attendance_today"]["late"] == 1
    assert dashboard["attendance_today"]["no_record"] == 2  # HEAD and MID
    assert dashboard["headcount"]["total"] == 3
    assert dashboard["headcount"]["golongan"] == {"III/b": 3}

    request_id = uuid.uuid4()
    start = today + timedelta(days=1)
    requested = LeaveRequestedV1(
        request_id=request_id,
        nip=STAFF,
        unit_code="dinkes-p2p",
        leave_type="tahunan",
        start_date=start,
        end_date=start,
        working_days=1,
        calendar_days=1,
        approver_nip=MID,
        needs_bkpsdm=False,
    )
    await gateway.publish((topic, event(requested, STAFF, actor=STAFF)))
    profile = await gateway.profile_when(STAFF, lambda p: bool(p["open_requests"]), "requested")
    assert profile["open_requests"][0]["request_id"] == str(request_id)

    inbox = await _leave_items(gateway, MID)
    assert [i["request_id"] for i in inbox] == [str(request_id)]
    assert inbox[0]["name"] == f"Pegawai {STAFF[-4:]}, S.T."
    assert (await gateway.get("/api/inbox", as_=(HEAD, "pegawai"))).json()["items"] == []
    pending = (await gateway.get("/api/units/dinkes/dashboard")).json()["pending_leave_decisions"]
    assert [p["request_id"] for p in pending] == [str(request_id)]

    approved = LeaveApprovedV1(
        request_id=request_id,
        nip=STAFF,
        unit_code="dinkes-p2p",
        leave_type="tahunan",
        start_date=start,
        end_date=start,
        working_days=1,
        decided_by=MID,
        decided_at=datetime.now(UTC),
        balance_year=start.year,
        balance_after=11,
    )
    closed = AttendanceDayClosedV1(
        nip=STAFF,
        unit_code="dinkes-p2p",
        date=start,
        status="cuti",
        leave_type="tahunan",
        leave_request_id=request_id,
        deduction_percent=0,
    )
    await gateway.publish(
        (topic, event(approved, STAFF, actor=MID)), (topic, event(closed, STAFF, actor=MID))
    )
    profile = await gateway.profile_when(
        STAFF, lambda p: p["leave_balances"] and not p["open_requests"], "approved"
    )
    assert profile["leave_balances"][0]["remaining"] == 11
    assert await _leave_items(gateway, MID) == []


async def _leave_items(gateway, nip: str) -> list[dict]:
    """The leave requests in the inbox (the stub, as kinerja, has an SKP for MID to agree)."""
    items = (await gateway.get("/api/inbox", as_=(nip, "pegawai"))).json()["items"]
    return [i for i in items if i["kind"] == "leave_request"]


async def test_retirements_are_pegawais_dates_not_recomputed(gateway):
    """The dashboard lists whom pegawai's snapshot says retires within 12 months; the
    gateway applies no BUP rule or convention of its own."""
    from gateway_testkit import registered

    topic = gateway.settings.pegawai_topic
    today = today_wib()
    soon = today + timedelta(days=40)
    await gateway.publish(*city_events(topic))
    # By age alone (born 1990, BUP 58) nobody here retires for twenty years.
    await gateway.publish(
        (topic, registered(STAFF, "dinkes-p2p", MID, retirement_date=soon)),
        (topic, registered(MID, "dinkes-p2p", HEAD, retirement_date=today + timedelta(days=800))),
    )
    dashboard = await gateway.dashboard_when(
        "dinkes",
        lambda d: bool(d["retirements_next_12_months"]),
        "STAFF's retirement date from pegawai",
    )
    assert [(r["nip"], r["retirement_date"]) for r in dashboard["retirements_next_12_months"]] == [
        (STAFF, soon.isoformat())
    ]
    profile = (await gateway.get(f"/api/profiles/{MID}")).json()
    assert profile["retirement_date"] == (today + timedelta(days=800)).isoformat()
    # From a snapshot published before pegawai carried it, the date is not known.
    assert (await gateway.get(f"/api/profiles/{HEAD}")).json()["retirement_date"] is None

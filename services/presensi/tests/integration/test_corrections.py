"""Attendance corrections over HTTP on real PostgreSQL and Kafka: self only, decided by
the direct supervisor from the replica, limits and deadline, and an approval that changes
the closed day, the month's recap and publishes the correction."""

from __future__ import annotations

from typing import Any

import pytest
from presensi_testkit import HEAD, MID, PPPK, STAFF, Service

pytestmark = pytest.mark.integration

ME = (STAFF, "pegawai")
SUPERVISOR = (MID, "pegawai")  # STAFF reports to MID in the replica
TABLES = ("attendance_correction", "attendance", "day_status", "outbox")


def forgot_out(day: str = "2025-03-03", **extra: Any) -> dict[str, Any]:
    return {"date": day, "kind": "missing_check_out", "check_out_at": f"{day}T16:05:00+07:00",
            "reason": "Lupa presensi pulang", **extra}  # fmt: skip


async def counts(city: Service) -> dict[str, int]:
    return {t: int(await city.scalar(f"SELECT count(*) FROM {t}")) for t in TABLES}  # noqa: S608


async def test_a_forgotten_check_out_corrected_by_the_supervisor_changes_the_recap(
    city: Service,
) -> None:
    city.clock.set(2025, 3, 3, 7, 20)
    assert (await city.call("POST", "/attendance/check-in", None, as_=ME)).status_code == 201
    city.clock.set(2025, 3, 4, 8, 0)
    assert (await city.call("POST", "/attendance/days/2025-03-03/close")).status_code == 200
    before = await city.call("GET", f"/attendance/recap?month=2025-03&nip={STAFF}")
    assert before.json()["people"][0]["by_status"] == {"pulang_cepat": 1}  # no check-out: PSW4
    assert before.json()["deduction_percent_total"] == 1.5

    asked = await city.call("POST", "/attendance-corrections", forgot_out(), as_=ME)
    assert asked.status_code == 201, asked.text
    correction = asked.json()
    assert correction["status"] == "diajukan" and correction["approver_nip"] == MID
    for_someone_else = await city.call(
        "POST", "/attendance-corrections", forgot_out(nip=STAFF), as_=(PPPK,)
    )
    assert for_someone_else.status_code == 403
    inbox = await city.call("GET", "/attendance-corrections?approver=me", as_=SUPERVISOR)
    assert [c["id"] for c in inbox.json()["items"]] == [correction["id"]]
    path = f"/attendance-corrections/{correction['id']}/decision"
    not_the_supervisor = await city.call("POST", path, {"decision": "approve"}, as_=(HEAD,))
    assert not_the_supervisor.status_code == 403
    themselves = await city.call("POST", path, {"decision": "approve"}, as_=ME)
    assert themselves.status_code == 403

    approved = await city.call("POST", path, {"decision": "approve"}, as_=SUPERVISOR)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "disetujui" and approved.json()["decided_by"] == MID
    twice = await city.call("POST", path, {"decision": "reject"}, as_=SUPERVISOR)
    assert twice.status_code == 409 and twice.json()["code"] == "correction_decided"

    after = await city.call("GET", f"/attendance/recap?month=2025-03&nip={STAFF}")
    assert after.json()["people"][0]["by_status"] == {"hadir": 1}
    assert after.json()["deduction_percent_total"] == 0
    record = await city.call(
        "GET", f"/attendance?nip={STAFF}&from=2025-03-03&to=2025-03-03", as_=ME
    )
    assert record.json()["items"][0]["checked_out_at"] == "2025-03-03T09:05:00+00:00"
    assert record.json()["items"][0]["minutes_early"] == 0

    events = await city.published_events(await city.outbox_total())
    corrected = [e for e in events if e["type"] == "presensi.attendance.corrected.v1"]
    assert len(corrected) == 1 and corrected[0]["subject"] == STAFF
    assert corrected[0]["actor"] == MID
    data = corrected[0]["data"]
    assert data["previous_status"] == "pulang_cepat" and data["status"] == "hadir"
    assert data["deduction_percent"] == 0 and data["kind"] == "missing_check_out"
    assert "reason" not in data
    # The request itself is announced for the supervisor's inbox, its reason kept here.
    requested = [e for e in events if e["type"] == "presensi.attendance.correction_requested.v1"]
    assert [e["data"]["correction_id"] for e in requested] == [correction["id"]]
    assert requested[0]["subject"] == STAFF and requested[0]["data"]["approver_nip"] == MID
    assert "reason" not in requested[0]["data"]
    assert not [e for e in events if e["type"].endswith("correction_rejected.v1")]


async def test_refused_corrections_change_nothing(city: Service) -> None:
    city.clock.set(2025, 3, 20, 9, 0)
    first = await city.call("POST", "/attendance-corrections", forgot_out(), as_=ME)
    assert first.status_code == 201, first.text
    before = await counts(city)
    refusals = {
        "correction_of_future_day": (422, forgot_out("2025-03-21")),
        "correction_pending": (409, forgot_out()),
        "check_out_at_required": (422, {**forgot_out("2025-03-04"), "check_out_at": None}),
        "time_outside_day": (422, {**forgot_out("2025-03-05"),
                                   "check_out_at": "2025-03-07T16:05:00+07:00"}),
    }  # fmt: skip
    for code, (status, body) in refusals.items():
        answer = await city.call("POST", "/attendance-corrections", body, as_=ME)
        assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text
    assert await counts(city) == before
    # Three a month (the default policy): the fourth is refused with the reason.
    for day in ("2025-03-04", "2025-03-05"):
        ok = await city.call("POST", "/attendance-corrections", forgot_out(day), as_=ME)
        assert ok.status_code == 201, ok.text
    before = await counts(city)
    fourth = await city.call("POST", "/attendance-corrections", forgot_out("2025-03-06"), as_=ME)
    assert fourth.status_code == 422 and fourth.json()["code"] == "correction_limit_reached"
    assert await counts(city) == before
    # A rejected one frees its place; the deadline (5 April) still closes March.
    rejected = await city.call(
        "POST", f"/attendance-corrections/{first.json()['id']}/decision",
        {"decision": "reject", "note": "Tidak ada bukti"}, as_=SUPERVISOR,
    )  # fmt: skip
    assert rejected.status_code == 200 and rejected.json()["status"] == "ditolak"
    events = await city.published_events(await city.outbox_total())
    refused = [e for e in events if e["type"] == "presensi.attendance.correction_rejected.v1"]
    assert [(e["data"]["correction_id"], e["data"]["decided_by"]) for e in refused] == [
        (first.json()["id"], MID)
    ]
    assert not [e for e in events if e["type"] == "presensi.attendance.corrected.v1"]
    asked = [e for e in events if e["type"] == "presensi.attendance.correction_requested.v1"]
    assert len(asked) == 3  # the refused requests announced nothing
    before = await counts(city)
    city.clock.set(2025, 4, 6, 9, 0)
    late = await city.call("POST", "/attendance-corrections", forgot_out("2025-03-06"), as_=ME)
    assert late.status_code == 422 and late.json()["code"] == "correction_deadline_passed"
    assert await counts(city) == before
    city.clock.set(2025, 4, 5, 23, 0)
    in_time = await city.call("POST", "/attendance-corrections", forgot_out("2025-03-06"), as_=ME)
    assert in_time.status_code == 201, in_time.text

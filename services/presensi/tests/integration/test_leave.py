"""The leave approval flow and its access rules, balances and refusals."""

from __future__ import annotations

import pytest
from presensi_testkit import BKPSDM_NIP, HEAD, MID, OTHER, PPPK, STAFF, Service

pytestmark = pytest.mark.integration

ME = (STAFF, "pegawai")


def tahunan(start: str, end: str, **extra: object) -> dict[str, object]:
    return {"leave_type": "tahunan", "start_date": start, "end_date": end, **extra}


async def test_supervisor_approves_and_balance_ledger(city: Service) -> None:
    created = await city.call(
        "POST", "/leave-requests", tahunan("2025-03-10", "2025-03-14"), as_=ME
    )
    assert created.status_code == 201, created.text
    req = created.json()
    assert req["working_days"] == 5 and req["approver_nip"] == MID
    assert req["status"] == "menunggu_atasan"
    rid = req["id"]
    waiting = await city.call("GET", "/leave-requests?approver=me", as_=(MID,))
    assert [r["id"] for r in waiting.json()["items"]] == [rid]

    own = await city.call(
        "POST", f"/leave-requests/{rid}/decision", {"decision": "approve"}, as_=ME
    )
    assert own.status_code == 403
    stranger = await city.call(
        "POST", f"/leave-requests/{rid}/decision", {"decision": "approve"}, as_=(OTHER,)
    )
    assert stranger.status_code == 403
    assert (await city.call("GET", f"/leave-requests/{rid}", as_=(OTHER,))).status_code == 403

    approved = await city.call(
        "POST", f"/leave-requests/{rid}/decision", {"decision": "approve", "note": "ok"}, as_=(MID,)
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "disetujui"
    balance = (await city.call("GET", f"/leave-balances/{STAFF}", as_=ME)).json()
    assert balance["year"] == 2025 and balance["balance"] == 7
    kinds = [e["kind"] for e in balance["years"][-1]["entries"]]
    assert kinds == ["entitlement", "carry_over", "taken"]

    twice = await city.call(
        "POST", f"/leave-requests/{rid}/decision", {"decision": "reject"}, as_=(MID,)
    )
    assert twice.status_code == 409 and twice.json()["code"] == "not_pending"

    cancelled = await city.call("POST", f"/leave-requests/{rid}/cancel", as_=ME)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "dibatalkan"
    balance = (await city.call("GET", f"/leave-balances/{STAFF}", as_=ME)).json()
    assert balance["balance"] == 12

    events = await city.published_events(await city.outbox_total())
    types = [e["type"] for e in events if e["subject"] == STAFF]
    assert types == [
        "presensi.leave.requested.v1",
        "presensi.leave.approved.v1",
        "presensi.leave.cancelled.v1",
    ]
    approved_event = next(e for e in events if e["type"] == "presensi.leave.approved.v1")
    assert approved_event["data"]["balance_after"] == 7
    assert approved_event["actor"] == MID


async def test_refusals_say_why_and_change_nothing(city: Service) -> None:
    ok = await city.call("POST", "/leave-requests", tahunan("2025-03-10", "2025-03-21"), as_=ME)
    assert ok.status_code == 201
    before = await city.counts()
    cases = [
        (tahunan("2025-03-12", "2025-03-12"), ME, 409, "overlapping_request"),
        (tahunan("2025-04-01", "2025-04-04"), ME, 422, "insufficient_balance"),
        (tahunan("2025-04-09", "2025-04-01"), ME, 422, "dates_out_of_order"),
        (tahunan("2025-04-01", "2025-04-01", nip=MID), ME, 403, "forbidden"),
        (
            {"leave_type": "besar", "start_date": "2025-05-01", "end_date": "2025-05-30"},
            (PPPK,),
            422,
            "leave_type_not_allowed",
        ),
        (
            {"leave_type": "sakit", "start_date": "2025-05-01", "end_date": "2025-05-03"},
            ME,
            422,
            "certificate_required",
        ),
        (
            {"leave_type": "kawin", "start_date": "2025-05-01", "end_date": "2025-05-03"},
            ME,
            422,
            "validation_error",
        ),
    ]
    for body, who, status, code in cases:
        response = await city.call("POST", "/leave-requests", body, as_=who)
        assert (response.status_code, response.json()["code"]) == (status, code), response.text
    short = await city.call("POST", "/leave-requests", tahunan("2025-04-01", "2025-04-04"), as_=ME)
    assert "2 hari" in short.json()["detail"] and short.json()["balance"] == 2
    assert await city.counts() == before


async def test_cltn_needs_bkpsdm_second_step(city: Service) -> None:
    body = {
        "leave_type": "cltn",
        "start_date": "2025-06-02",
        "end_date": "2026-05-31",
        "reason": "mendampingi suami tugas belajar",
    }
    created = await city.call("POST", "/leave-requests", body, as_=ME)
    assert created.status_code == 201, created.text
    rid = created.json()["id"]
    assert created.json()["needs_bkpsdm"] is True
    first = await city.call(
        "POST", f"/leave-requests/{rid}/decision", {"decision": "approve"}, as_=(MID,)
    )
    assert first.json()["status"] == "menunggu_bkpsdm"
    again = await city.call(
        "POST", f"/leave-requests/{rid}/decision", {"decision": "approve"}, as_=(MID,)
    )
    assert again.status_code == 403
    seen_by_admin = await city.call(
        "GET", f"/leave-requests/{rid}", as_=(HEAD, "admin_opd"), unit="dinkes"
    )
    assert seen_by_admin.status_code == 200
    final = await city.call(
        "POST",
        f"/leave-requests/{rid}/decision",
        {"decision": "approve"},
        as_=(BKPSDM_NIP, "bkpsdm"),
    )
    assert final.status_code == 200 and final.json()["status"] == "disetujui"
    events = await city.published_events(await city.outbox_total())
    assert [e["type"] for e in events if e["subject"] == STAFF] == [
        "presensi.leave.requested.v1",
        "presensi.leave.forwarded.v1",
        "presensi.leave.approved.v1",
    ]
    assert "reason" not in events[0]["data"]


async def test_sick_leave_event_says_only_sakit(city: Service) -> None:
    body = {
        "leave_type": "sakit",
        "start_date": "2025-03-04",
        "end_date": "2025-03-06",
        "certificate_ref": "SKD/123/RSUD",
        "reason": "demam berdarah",
    }
    created = await city.call("POST", "/leave-requests", body, as_=(PPPK,))
    assert created.status_code == 201, created.text
    rid = created.json()["id"]
    deferred = await city.call(
        "POST", f"/leave-requests/{rid}/decision", {"decision": "defer"}, as_=(MID,)
    )
    assert deferred.json()["status"] == "ditangguhkan"
    events = await city.published_events(2)
    text = str([e["data"] for e in events])
    assert "demam" not in text and "SKD" not in text
    assert events[0]["data"]["leave_type"] == "sakit"

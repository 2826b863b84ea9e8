"""Per-object access: who reads, who agrees and rates, and the next one up when absent."""

import pytest
from asn_schemas.pegawai import EmployeeStatus, EmployeeUpdatedV1
from kinerja_testkit import (
    DINKES_P2P,
    HEAD,
    MID,
    OTHER,
    STAFF,
    approved_skp,
    rating,
    rhk,
    snapshot,
    submitted_appraisal,
)

pytestmark = pytest.mark.integration


async def test_reading_is_limited_to_the_person_the_chain_and_hr(office):
    created = (await office.call("POST", "/skp", {"year": 2026, "rhk": [rhk()]})).json()
    path = f"/skp/{created['id']}"
    assert (await office.call("GET", path, as_=OTHER)).status_code == 403
    for who in (STAFF, MID, HEAD):
        assert (await office.call("GET", path, as_=who)).status_code == 200
    assert (await office.call("GET", path, as_=(OTHER, "auditor"))).status_code == 200
    admin = await office.call("GET", path, as_=(OTHER, "admin_opd"), unit="dinkes")
    assert admin.status_code == 200
    wrong_admin = await office.call("GET", path, as_=(OTHER, "admin_opd"), unit="disdik")
    assert wrong_admin.status_code == 403
    assert (await office.call("GET", "/skp", as_=OTHER)).json()["items"] == []
    assert len((await office.call("GET", "/skp", as_=HEAD)).json()["items"]) == 1


async def test_only_the_direct_supervisor_agrees_unless_absent(office):
    created = (await office.call("POST", "/skp", {"year": 2026, "rhk": [rhk()]})).json()
    await office.call("POST", f"/skp/{created['id']}/submit")
    assert (await office.call("POST", f"/skp/{created['id']}/approve", as_=HEAD)).status_code == 403
    r = await office.call("POST", f"/skp/{created['id']}/approve", as_=STAFF)
    assert (r.status_code, r.json()["code"]) == (403, "self_rating")
    bkpsdm = await office.call(
        "POST", f"/skp/{created['id']}/approve", as_=("197001011995031001", "bkpsdm")
    )
    assert bkpsdm.status_code == 403

    away = snapshot(MID, DINKES_P2P, HEAD, status=EmployeeStatus.CLTN)
    await office.publish_pegawai(
        EmployeeUpdatedV1(employee=away, changed_fields=("status",)), MID, 2
    )
    await office.replica_has(MID, status="cltn")
    assert (await office.call("POST", f"/skp/{created['id']}/approve", as_=MID)).status_code == 403
    by_head = await office.call("POST", f"/skp/{created['id']}/approve", as_=HEAD)
    assert by_head.status_code == 200, by_head.text
    assert by_head.json()["approver_nip"] == HEAD


async def test_feedback_from_a_supervisor_with_a_reply(office):
    skp = await approved_skp(office, STAFF, 2026, rater=MID)
    body = {"nip": STAFF, "rhk_id": skp["rhk"][0]["id"], "text": "Capaian bulan ini baik."}
    assert (await office.call("POST", "/feedback", body, as_=OTHER)).status_code == 403
    r = await office.call("POST", "/feedback", {**body, "nip": MID}, as_=MID)
    assert r.json()["code"] == "self_feedback"
    r = await office.call("POST", "/feedback", {"nip": STAFF, "text": "Tanpa sasaran"}, as_=MID)
    assert r.json()["code"] == "feedback_target_missing"
    given = await office.call("POST", "/feedback", body, as_=MID)
    assert given.status_code == 201, given.text
    by_value = await office.call(
        "POST", "/feedback", {"nip": STAFF, "value": "kolaboratif", "text": "Bagus."}, as_=HEAD
    )
    assert by_value.status_code == 201
    mine = (await office.call("GET", "/feedback")).json()["items"]
    assert len(mine) == 2
    assert (await office.call("GET", "/feedback", as_=OTHER)).json()["items"] == []
    fid = given.json()["id"]
    assert (
        await office.call("POST", f"/feedback/{fid}/reply", {"text": "Ok"}, as_=MID)
    ).status_code == 403
    replied = await office.call("POST", f"/feedback/{fid}/reply", {"text": "Terima kasih."})
    assert replied.json()["reply"] == "Terima kasih."
    events = await office.published_events(expected=4)
    feedback = [e for e in events if e["type"] == "kinerja.feedback.given.v1"]
    assert len(feedback) == 2
    assert all("text" not in e["data"] for e in feedback)


async def test_only_the_rater_finalizes(office):
    skp = await approved_skp(office, STAFF, 2026, rater=MID)
    annual = await submitted_appraisal(office, skp)
    for who in (HEAD, OTHER, STAFF):
        r = await office.call("POST", f"/appraisals/{annual['id']}/finalize", rating(), as_=who)
        assert r.status_code == 403
    r = await office.call("GET", f"/appraisals/{annual['id']}", as_=OTHER)
    assert r.status_code == 403

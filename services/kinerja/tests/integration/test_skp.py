"""SKP over HTTP: drafted, sent back with a note, corrected, agreed; the events on Kafka."""

import pytest
from kinerja_testkit import MID, STAFF, approved_skp, rhk

pytestmark = pytest.mark.integration


async def test_skp_is_drafted_returned_corrected_and_agreed(office):
    created = await office.call("POST", "/skp", {"year": 2026, "rhk": [rhk()]})
    assert created.status_code == 201, created.text
    skp = created.json()
    assert created.headers["Location"] == f"/skp/{skp['id']}"
    assert created.headers["ETag"] == '"1"'
    assert (skp["nip"], skp["status"], skp["rater_nip"]) == (STAFF, "draft", MID)
    assert (skp["start"], skp["end"], skp["unit_code"]) == (
        "2026-01-01",
        "2026-12-31",
        "dinkes-p2p",
    )

    assert (await office.call("POST", f"/skp/{skp['id']}/submit")).json()["status"] == "submitted"
    returned = await office.call(
        "POST", f"/skp/{skp['id']}/return", {"note": "Target kuantitas terlalu rendah."}, as_=MID
    )
    assert returned.status_code == 200, returned.text
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_note"] == "Target kuantitas terlalu rendah."

    stale = await office.call(
        "PUT", f"/skp/{skp['id']}", {"rhk": [rhk("Baru")]}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    edited = await office.call(
        "PUT",
        f"/skp/{skp['id']}",
        {"rhk": [rhk("Layanan vaksinasi 1.500 orang"), rhk("Pelaporan", kind="tambahan")]},
        headers={"If-Match": returned.headers["ETag"]},
    )
    assert edited.status_code == 200, edited.text
    assert [r["kind"] for r in edited.json()["rhk"]] == ["utama", "tambahan"]
    assert (await office.call("POST", f"/skp/{skp['id']}/submit")).status_code == 200
    approved = await office.call("POST", f"/skp/{skp['id']}/approve", as_=MID)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["approver_nip"] == MID

    events = await office.published_events(expected=4)
    assert [e["type"] for e in events] == [
        "kinerja.skp.submitted.v1",
        "kinerja.skp.returned.v1",
        "kinerja.skp.submitted.v1",
        "kinerja.skp.approved.v1",
    ]
    assert [e["sequence"] for e in events] == [1, 2, 3, 4]
    submitted, returned_event, resubmitted, event = events
    for e in (submitted, returned_event, resubmitted):
        assert e["subject"] == e["_key"] == STAFF
        assert e["data"]["skp_id"] == skp["id"]
        assert e["dataschema"].endswith(f"{e['type']}.json")
    assert submitted["actor"] == resubmitted["actor"] == STAFF
    assert (submitted["data"]["nip"], submitted["data"]["approver_nip"]) == (STAFF, MID)
    assert (submitted["data"]["year"], submitted["data"]["unit_code"]) == (2026, "dinkes-p2p")
    assert (submitted["data"]["start"], submitted["data"]["end"]) == ("2026-01-01", "2026-12-31")
    assert "rhk" not in submitted["data"]
    assert returned_event["actor"] == MID
    assert (returned_event["data"]["nip"], returned_event["data"]["returned_by"]) == (STAFF, MID)
    assert "note" not in returned_event["data"]
    assert "Target kuantitas" not in str(returned_event["data"])
    assert resubmitted["data"]["submitted_at"] > returned_event["data"]["returned_at"]
    assert event["specversion"] == "1.0"
    assert event["source"] == "/sawahlunto/kinerja"
    assert event["subject"] == event["_key"] == STAFF
    assert event["actor"] == MID
    assert event["datacontenttype"] == "application/json"
    assert event["dataschema"].endswith("kinerja.skp.approved.v1.json")
    assert event["traceparent"]
    assert event["_headers"]["content-type"].startswith("application/cloudevents+json")
    assert event["data"]["skp_id"] == skp["id"]
    assert [r["title"] for r in event["data"]["rhk"]] == [
        "Layanan vaksinasi 1.500 orang",
        "Pelaporan",
    ]

    listed = await office.call("GET", "/skp?to_agree=true", as_=MID)
    assert listed.json()["items"] == []
    mine = await office.call("GET", "/skp?year=2026")
    assert [s["id"] for s in mine.json()["items"]] == [skp["id"]]
    got = await office.call("GET", f"/skp/{skp['id']}", as_=MID)
    assert got.status_code == 200
    assert got.headers["ETag"] == f'"{got.json()["version"]}"'


async def test_intervensi_links_to_the_supervisors_rhk(office):
    from kinerja_testkit import HEAD

    head_skp = await approved_skp(office, MID, 2026, rater=HEAD)
    linked = await office.call(
        "POST",
        "/skp",
        {"year": 2026, "rhk": [rhk(supervisor_rhk_id=head_skp["rhk"][0]["id"])]},
    )
    assert linked.status_code == 201, linked.text
    assert linked.json()["rhk"][0]["supervisor_rhk_id"] == head_skp["rhk"][0]["id"]

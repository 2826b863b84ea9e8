"""Register, read, correct and read as of a date; the events on real Kafka."""

import pytest
from pegawai_testkit import BKPSDM_NIP, HEAD, MID, STAFF, employee_body

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
}
CONTACT = ("phone", "address", "+62 812", "Soekarno-Hatta")


async def test_registration_publishes_a_cloudevent_with_the_snapshot_and_no_contact(city):
    events = await city.published_events(expected=7)  # 3 units + 4 employees
    registered = [e for e in events if e["type"] == "pegawai.employee.registered.v1"]
    assert len(registered) == 4
    event = next(e for e in registered if e["subject"] == STAFF)
    assert event.keys() >= CLOUDEVENT_ATTRIBUTES
    assert event["_key"] == STAFF
    assert event["_headers"]["content-type"].startswith("application/cloudevents+json")
    assert event["source"] == "/sawahlunto/pegawai"
    assert event["actor"] == BKPSDM_NIP
    assert event["sequence"] == 1
    assert event["dataschema"].endswith("pegawai.employee.registered.v1.json")
    snapshot = event["data"]["employee"]
    assert {
        k: snapshot[k]
        for k in ("nip", "asn_type", "status", "golongan", "unit_code", "supervisor_nip")
    } == {
        "nip": STAFF,
        "asn_type": "pns",
        "status": "aktif",
        "golongan": "III/b",
        "unit_code": "dinkes-p2p",
        "supervisor_nip": MID,
    }
    assert snapshot["position"]["name"] == "Analis Kepegawaian"
    assert snapshot["pangkat"] == "Penata Muda Tingkat I"
    # pegawai's own dates, so consumers apply no rules of their own (the read's bup_date).
    assert snapshot["tmt_cpns"] == "2015-03-01"
    assert snapshot["retirement_date"] == "2048-03-01"
    for event in events:
        raw = str(event)
        assert not any(marker in raw for marker in CONTACT)
    units = [e for e in events if e["type"] == "pegawai.unit.created.v1"]
    assert {e["subject"] for e in units} == {"dinkes", "dinkes-p2p", "disdik"}
    child = next(e for e in units if e["subject"] == "dinkes-p2p")
    assert child["data"]["unit"]["parent_code"] == "dinkes"


async def test_read_returns_etag_and_contact_for_bkpsdm(city):
    response = await city.call("GET", f"/employees/{STAFF}")
    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert body["phone"].startswith("+62")
    assert body["pangkat"] == "Penata Muda Tingkat I"
    assert body["bup_date"] == "2048-03-01"  # pelaksana: 58, pension from the next month


async def test_nip_disagreeing_with_the_record_is_accepted_with_warnings(city):
    nip = "198707072010011006"
    body = employee_body(nip, "dinkes", birth_date="1987-07-08", sex="female")
    response = await city.call("POST", "/employees", body)
    assert response.status_code == 201, response.text
    codes = {w["code"] for w in response.json()["nip_warnings"]}
    assert codes == {"nip_birth_date_mismatch", "nip_sex_mismatch"}
    stored = await city.call("GET", f"/employees/{nip}")
    assert {w["code"] for w in stored.json()["nip_warnings"]} == codes


async def test_patch_with_if_match_updates_and_emits_updated(city):
    response = await city.call(
        "PATCH",
        f"/employees/{STAFF}",
        {"name": "Dr. Rina, S.T., M.T."},
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"2"'
    events = await city.published_events(expected=8)
    updated = [e for e in events if e["type"] == "pegawai.employee.updated.v1"]
    assert len(updated) == 1
    assert updated[0]["data"]["changed_fields"] == ["name"]
    assert updated[0]["data"]["employee"]["name"] == "Dr. Rina, S.T., M.T."
    assert updated[0]["sequence"] == 2


async def test_patch_without_change_makes_no_version_and_no_event(city):
    before = await city.outbox_count()
    name = (await city.call("GET", f"/employees/{STAFF}")).json()["name"]
    response = await city.call(
        "PATCH", f"/employees/{STAFF}", {"name": name}, headers={"If-Match": '"1"'}
    )
    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    assert await city.outbox_count() == before


async def test_search_filters_and_paginates_with_a_cursor(city):
    response = await city.call("GET", "/employees?unit=dinkes&include_subunits=true&limit=2")
    page = response.json()
    assert [e["nip"] for e in page["items"]] == [HEAD, MID]
    assert page["next_cursor"]
    response = await city.call(
        "GET", f"/employees?unit=dinkes&include_subunits=true&limit=2&cursor={page['next_cursor']}"
    )
    page = response.json()
    assert [e["nip"] for e in page["items"]] == [STAFF]
    assert page["next_cursor"] is None
    assert [
        e["nip"] for e in (await city.call("GET", "/employees?golongan=IV/b")).json()["items"]
    ] == [HEAD]
    found = (await city.call("GET", "/employees?q=pegawai 2004")).json()["items"]
    assert [e["nip"] for e in found] == [STAFF]
    assert [
        e["nip"] for e in (await city.call("GET", "/employees?q=19900202")).json()["items"]
    ] == [STAFF]


async def test_history_and_as_of_reads(city):
    moved = await city.call(
        "POST",
        f"/employees/{STAFF}/transfers",
        {"to_unit_code": "disdik", "tmt": "2026-01-01", "supervisor_nip": None},
    )
    assert moved.status_code == 200, moved.text
    history = (await city.call("GET", f"/employees/{STAFF}/history")).json()["items"]
    units = [h for h in history if h["field"] == "unit"]
    assert [(h["value"]["unit_code"], h["tmt"]) for h in units] == [
        ("dinkes-p2p", "2022-04-01"),
        ("disdik", "2026-01-01"),
    ]
    before = (await city.call("GET", f"/employees/{STAFF}?as_of=2025-12-31")).json()
    assert before["unit_code"] == "dinkes-p2p"
    assert before["supervisor_nip"] == MID
    after = (await city.call("GET", f"/employees/{STAFF}?as_of=2026-01-01")).json()
    assert after["unit_code"] == "disdik"
    assert after["supervisor_nip"] is None
    missing = await city.call("GET", f"/employees/{STAFF}?as_of=2010-01-01")
    assert missing.status_code == 404


async def test_units_tree_and_one_unit(city):
    tree = (await city.call("GET", "/units")).json()["items"]
    dinkes = next(u for u in tree if u["code"] == "dinkes")
    assert [c["code"] for c in dinkes["children"]] == ["dinkes-p2p"]
    unit = (await city.call("GET", "/units/dinkes-p2p")).json()
    assert unit["ancestors"] == ["dinkes"]
    assert unit["geofence_radius_m"] == 150


async def test_unit_update_needs_if_match_and_refuses_a_cycle(city):
    no_tag = await city.call("PATCH", "/units/dinkes", {"name": "Dinas Kesehatan"})
    assert no_tag.status_code == 428
    cycle = await city.call(
        "PATCH", "/units/dinkes", {"parent_code": "dinkes-p2p"}, headers={"If-Match": '"1"'}
    )
    assert cycle.status_code == 422
    assert cycle.json()["code"] == "unit_cycle"
    ok = await city.call(
        "PATCH", "/units/dinkes", {"name": "Dinas Kesehatan"}, headers={"If-Match": '"1"'}
    )
    assert ok.status_code == 200
    events = await city.published_events(expected=8)
    updated = [e for e in events if e["type"] == "pegawai.unit.updated.v1"]
    assert updated[0]["data"]["changed_fields"] == ["name"]

"""Promotion (with eligibility fed by kinerja events on Kafka), transfer, position, supervisor,
retirement: the state change and its event, together."""

import pytest
from pegawai_testkit import (
    HEAD,
    MID,
    OTHER,
    STAFF,
    appraisals_arrived,
    publish_appraisal,
)

pytestmark = pytest.mark.integration


def of_type(events, event_type):
    return [e for e in events if e["type"] == event_type]


async def test_finalized_appraisals_from_kafka_make_an_employee_eligible(city):
    before = await city.call("GET", f"/employees/{STAFF}/promotion-eligibility?period=2026-04-01")
    assert before.json()["eligible"] is False
    assert [r["code"] for r in before.json()["reasons"]] == ["appraisal_missing"] * 2

    await publish_appraisal(city, STAFF, 2024, "sangat_baik")
    await publish_appraisal(city, STAFF, 2025, "baik")
    await appraisals_arrived(city, STAFF, 2)

    after = await city.call("GET", f"/employees/{STAFF}/promotion-eligibility?period=2026-04-01")
    assert after.json() == {"nip": STAFF, "period": "2026-04-01", "eligible": True, "reasons": []}
    promoted = await city.call(
        "POST",
        f"/employees/{STAFF}/promotions",
        {"tmt": "2026-04-01", "sk_number": "800/12/BKPSDM-2026"},
    )
    assert promoted.status_code == 200, promoted.text
    assert promoted.json()["golongan"] == "III/c"
    assert promoted.json()["pangkat"] == "Penata"
    events = await city.published_events(expected=8)
    [event] = of_type(events, "pegawai.employee.promoted.v1")
    assert event["subject"] == STAFF
    assert event["sequence"] == 2
    assert event["data"]["from_golongan"] == "III/b"
    assert event["data"]["to_golongan"] == "III/c"
    assert event["data"]["tmt"] == "2026-04-01"
    assert event["data"]["employee"]["golongan"] == "III/c"
    assert event["data"]["employee"]["tmt_golongan"] == "2026-04-01"
    assert "override" not in event["data"] or event["data"]["override"] is None


async def test_a_redelivered_appraisal_is_applied_once_and_a_low_predikat_blocks(city):
    await publish_appraisal(city, STAFF, 2024, "baik")
    await publish_appraisal(city, STAFF, 2025, "butuh_perbaikan")
    await appraisals_arrived(city, STAFF, 2)
    refused = await city.call("POST", f"/employees/{STAFF}/promotions", {"tmt": "2026-04-01"})
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "not_eligible"
    assert problem["reasons"] == ["predikat_below_baik"]
    assert problem["errors"][0]["code"] == "predikat_below_baik"


async def test_bkpsdm_override_is_kept_with_the_record_and_in_the_event(city):
    justification = "Prestasi luar biasa dalam penanganan wabah (Keputusan Wali Kota 12/2026)."
    promoted = await city.call(
        "POST",
        f"/employees/{MID}/promotions",
        {"tmt": "2026-04-01", "override_justification": justification},
    )
    assert promoted.status_code == 200, promoted.text
    events = await city.published_events(expected=8)
    [event] = of_type(events, "pegawai.employee.promoted.v1")
    override = event["data"]["override"]
    assert override["justification"] == justification
    assert [r["code"] for r in override["failed_rules"]] == ["appraisal_missing"] * 2
    history = (await city.call("GET", f"/employees/{MID}/history")).json()["items"]
    promotion = next(h for h in history if h["event_type"] == "pegawai.employee.promoted.v1")
    assert promotion["note"]["override"]["justification"] == justification


async def test_active_penalty_blocks_promotion(city):
    await publish_appraisal(city, STAFF, 2024, "baik")
    await publish_appraisal(city, STAFF, 2025, "baik")
    await appraisals_arrived(city, STAFF, 2)
    penalty = await city.call(
        "POST",
        f"/employees/{STAFF}/penalties",
        {"level": "sedang", "start": "2026-01-01", "end": "2027-01-01"},
    )
    assert penalty.status_code == 201
    refused = await city.call("POST", f"/employees/{STAFF}/promotions", {"tmt": "2026-04-01"})
    assert refused.json()["reasons"] == ["active_penalty"]


async def test_transfer_with_a_new_supervisor(city):
    moved = await city.call(
        "POST",
        f"/employees/{STAFF}/transfers",
        {"to_unit_code": "disdik", "tmt": "2026-07-01", "supervisor_nip": OTHER},
        headers={"If-Match": '"1"'},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["unit_code"] == "disdik"
    events = await city.published_events(expected=8)
    [event] = of_type(events, "pegawai.employee.transferred.v1")
    data = event["data"]
    assert data["from_unit"]["unit_code"] == "dinkes-p2p"
    assert data["to_unit"]["unit_code"] == "disdik"
    assert (data["from_supervisor_nip"], data["to_supervisor_nip"]) == (MID, OTHER)
    assert data["employee"]["unit_code"] == "disdik"
    assert data["employee"]["supervisor_nip"] == OTHER


async def test_transfer_without_supervisor_keeps_it(city):
    moved = await city.call(
        "POST", f"/employees/{STAFF}/transfers", {"to_unit_code": "dinkes", "tmt": "2026-07-01"}
    )
    assert moved.json()["supervisor_nip"] == MID


async def test_position_change_and_its_bup(city):
    body = {
        "code": "JF-ASDM-AM",
        "name": "Analis SDM Aparatur Ahli Madya",
        "kind": "fungsional",
        "level": "ahli_madya",
        "tmt": "2026-07-01",
        "supervisor_nip": HEAD,
    }
    changed = await city.call("PUT", f"/employees/{STAFF}/position", body)
    assert changed.status_code == 200, changed.text
    assert changed.json()["bup_date"] == "2050-03-01"  # ahli madya: 60
    again = await city.call("PUT", f"/employees/{STAFF}/position", body)
    assert again.headers["etag"] == changed.headers["etag"]  # same PUT: no new version
    events = await city.published_events(expected=8)
    [event] = of_type(events, "pegawai.employee.position_changed.v1")
    assert event["data"]["from_position"]["kind"] == "pelaksana"
    assert event["data"]["to_position"]["level"] == "ahli_madya"
    assert event["data"]["to_supervisor_nip"] == HEAD


async def test_supervisor_change_emits_updated(city):
    changed = await city.call(
        "PUT", f"/employees/{STAFF}/supervisor", {"supervisor_nip": HEAD, "tmt": "2026-05-01"}
    )
    assert changed.status_code == 200
    assert changed.json()["supervisor_nip"] == HEAD
    events = await city.published_events(expected=8)
    [event] = of_type(events, "pegawai.employee.updated.v1")
    assert event["data"]["changed_fields"] == ["supervisor_nip"]
    assert event["data"]["employee"]["supervisor_nip"] == HEAD


async def test_bup_retirement_computes_its_tmt(city):
    retired = await city.call("POST", f"/employees/{HEAD}/retirement", {"reason": "bup"})
    assert retired.status_code == 200, retired.text
    # Born 5 May 1975, pelaksana (58): pension from 1 June 2033.
    assert retired.json()["status"] == "pensiun"
    assert retired.json()["tmt_status"] == "2033-06-01"
    events = await city.published_events(expected=8)
    [event] = of_type(events, "pegawai.employee.retired.v1")
    assert event["data"]["reason"] == "bup"
    assert event["data"]["tmt"] == "2033-06-01"
    assert event["data"]["employee"]["status"] == "pensiun"


async def test_bup_retirement_before_bup_is_refused(city):
    early = await city.call(
        "POST", f"/employees/{HEAD}/retirement", {"reason": "bup", "tmt": "2030-01-01"}
    )
    assert early.status_code == 422
    assert early.json()["code"] == "bup_not_reached"

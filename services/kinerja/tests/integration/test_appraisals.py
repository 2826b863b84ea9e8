"""Appraisals over HTTP: quarterly and annual, the predikat from the matrix, keberatan."""

import pytest
from asn_schemas.kinerja import AppraisalFinalizedV1, AppraisalSubmittedV1
from kinerja_testkit import HEAD, MID, STAFF, approved_skp, rating, submitted_appraisal

pytestmark = pytest.mark.integration


async def test_quarterly_then_annual_appraisal_with_events(office):
    skp = await approved_skp(office, STAFF, 2026, rater=MID)
    q1 = await submitted_appraisal(office, skp, kind="quarterly", number=1)
    assert q1["period"] == {
        "kind": "quarterly",
        "year": 2026,
        "number": 1,
        "start": "2026-01-01",
        "end": "2026-03-31",
    }
    assert (q1["status"], q1["rater_nip"]) == ("submitted", MID)
    assert (await office.call("GET", "/appraisals?to_rate=true", as_=MID)).json()["items"][0][
        "id"
    ] == q1["id"]
    done = await office.call(
        "POST",
        f"/appraisals/{q1['id']}/finalize",
        rating("di_atas_ekspektasi", "di_atas_ekspektasi"),
        as_=MID,
    )
    assert done.status_code == 200, done.text
    assert (done.json()["predikat"], done.json()["predikat_label"]) == (
        "sangat_baik",
        "Sangat Baik",
    )

    annual = await submitted_appraisal(office, skp)
    final = await office.call(
        "POST",
        f"/appraisals/{annual['id']}/finalize",
        rating("sesuai_ekspektasi", "di_bawah_ekspektasi"),
        as_=MID,
    )
    assert final.status_code == 200, final.text
    assert final.json()["predikat_label"] == "Kurang/Misconduct"
    assert final.json()["distribution_warnings"] == []

    events = await office.published_events(expected=6)
    kinds = [e["type"] for e in events]
    assert kinds.count("kinerja.appraisal.submitted.v1") == 2
    finalized = [e for e in events if e["type"] == "kinerja.appraisal.finalized.v1"]
    assert len(finalized) == 2
    for e in finalized:
        payload = AppraisalFinalizedV1.model_validate(e["data"])
        assert payload.nip == STAFF and payload.appraiser_nip == MID
        assert e["subject"] == e["_key"] == STAFF
    annual_event = next(e for e in finalized if e["data"]["period"]["kind"] == "annual")
    assert annual_event["data"]["annual"] is True
    assert annual_event["data"]["predikat"] == "kurang_misconduct"
    assert annual_event["data"]["revision"] == 1
    assert len(annual_event["data"]["perilaku"]) == 7
    submitted = next(e for e in events if e["type"] == "kinerja.appraisal.submitted.v1")
    assert AppraisalSubmittedV1.model_validate(submitted["data"]).rater_nip == MID
    sequences = sorted(e["sequence"] for e in events)
    assert sequences == [1, 2, 3, 4, 5, 6]  # per employee, every kinerja event


async def test_keberatan_decided_by_the_raters_atasan_republishes(office):
    skp = await approved_skp(office, STAFF, 2025, rater=MID)
    annual = await submitted_appraisal(office, skp)
    await office.call(
        "POST",
        f"/appraisals/{annual['id']}/finalize",
        rating(perilaku="di_bawah_ekspektasi"),
        as_=MID,
    )
    filed = await office.call(
        "POST", f"/appraisals/{annual['id']}/objection", {"reason": "Bukti belum dipertimbangkan."}
    )
    assert filed.status_code == 200, filed.text
    assert filed.json()["objection"]["decider_nip"] == HEAD
    again = await office.call("POST", f"/appraisals/{annual['id']}/objection", {"reason": "Lagi."})
    assert again.json()["code"] == "objection_exists"

    decision = {
        "accepted": True,
        "rating_hasil_kerja": "sesuai_ekspektasi",
        "rating_perilaku_kerja": "sesuai_ekspektasi",
        "note": "Bukti pelayanan diterima.",
    }
    by_rater = await office.call(
        "POST", f"/appraisals/{annual['id']}/objection/decision", decision, as_=MID
    )
    assert by_rater.status_code == 403
    decided = await office.call(
        "POST", f"/appraisals/{annual['id']}/objection/decision", decision, as_=HEAD
    )
    assert decided.status_code == 200, decided.text
    assert (decided.json()["predikat"], decided.json()["revision"]) == ("baik", 2)
    assert decided.json()["objection"]["previous"]["predikat"] == "kurang_misconduct"

    events = await office.published_events(expected=5)
    finalized = [e for e in events if e["type"] == "kinerja.appraisal.finalized.v1"]
    assert [e["data"]["revision"] for e in finalized] == [1, 2]
    assert {e["data"]["appraisal_id"] for e in finalized} == {annual["id"]}
    assert finalized[1]["data"]["predikat"] == "baik"
    assert finalized[1]["data"]["decided_by_nip"] == HEAD
    assert finalized[1]["actor"] == HEAD
    assert finalized[1]["data"]["finalized_at"] > finalized[0]["data"]["finalized_at"]


async def test_keberatan_after_the_deadline_is_refused(office):
    skp = await approved_skp(office, STAFF, 2025, rater=MID)
    annual = await submitted_appraisal(office, skp)
    await office.call("POST", f"/appraisals/{annual['id']}/finalize", rating(), as_=MID)
    async with office.db.engine.begin() as conn:
        from sqlalchemy import text

        await conn.execute(
            text("UPDATE appraisal SET finalized_at = finalized_at - interval '30 days'")
        )
    late = await office.call("POST", f"/appraisals/{annual['id']}/objection", {"reason": "Telat."})
    assert late.status_code == 422
    assert late.json()["code"] == "objection_deadline_passed"


async def test_distribution_warning_does_not_block(office):
    put = await office.call(
        "PUT",
        "/units/dinkes/organisation-predikat/2026",
        {"predikat": "baik"},
        as_=("197001011995031001", "bkpsdm"),
    )
    assert put.status_code == 200, put.text
    skp = await approved_skp(office, STAFF, 2026, rater=MID)
    annual = await submitted_appraisal(office, skp)
    final = await office.call("POST", f"/appraisals/{annual['id']}/finalize", rating(), as_=MID)
    assert final.status_code == 200
    assert [w["code"] for w in final.json()["distribution_warnings"]] == [
        "baik_above_max",
        "needs_improvement_missing",
    ]
    report = await office.call(
        "GET", "/distribution?unit=dinkes&year=2026", as_=("197001011995031001", "bkpsdm")
    )
    assert report.json()["counts"]["baik"] == 1
    assert report.json()["organisation_predikat"] == "baik"

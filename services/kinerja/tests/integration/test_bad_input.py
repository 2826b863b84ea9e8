"""Bad input and refused actions: a clear 4xx with a code, and nothing changed."""

import asyncio
import uuid

import pytest
from kinerja_testkit import HEAD, MID, STAFF, approved_skp, rating, rhk, submitted_appraisal

pytestmark = pytest.mark.integration


async def unchanged(office, appraisal_id, version):
    got = await office.call("GET", f"/appraisals/{appraisal_id}")
    assert got.json()["version"] == version


async def test_refusals_change_nothing(office):
    skp = await approved_skp(office, STAFF, 2026, rater=MID)
    other_skp = await approved_skp(office, MID, 2026, rater=HEAD)
    annual = await submitted_appraisal(office, skp)
    outbox = await office.outbox_count()
    aid, version = annual["id"], annual["version"]

    bad_rating = rating()
    bad_rating["rating_hasil_kerja"] = "luar_biasa"
    r = await office.call("POST", f"/appraisals/{aid}/finalize", bad_rating, as_=MID)
    assert (r.status_code, r.json()["code"]) == (422, "validation_error")
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["title"] == "Data yang dikirim tidak valid"

    partial = rating()
    partial["perilaku"] = partial["perilaku"][:6]
    r = await office.call("POST", f"/appraisals/{aid}/finalize", partial, as_=MID)
    assert (r.status_code, r.json()["code"]) == (422, "perilaku_incomplete")

    foreign = rating()
    foreign["rhk_ratings"] = [{"rhk_id": other_skp["rhk"][0]["id"], "rating": "sesuai_ekspektasi"}]
    r = await office.call("POST", f"/appraisals/{aid}/finalize", foreign, as_=MID)
    assert (r.status_code, r.json()["code"]) == (422, "rhk_not_in_skp")

    r = await office.call("POST", f"/appraisals/{aid}/finalize", rating(), as_=STAFF)
    assert (r.status_code, r.json()["code"]) == (403, "self_rating")
    r = await office.call("POST", f"/appraisals/{aid}/finalize", rating(), as_=HEAD)
    assert r.status_code == 403
    await unchanged(office, aid, version)
    assert await office.outbox_count() == outbox

    ok = await office.call("POST", f"/appraisals/{aid}/finalize", rating(), as_=MID)
    assert ok.status_code == 200
    results = {"results": [{"rhk_id": skp["rhk"][0]["id"], "realisasi": "Ubah"}]}
    r = await office.call("PUT", f"/appraisals/{aid}/self-assessment", results)
    assert (r.status_code, r.json()["code"]) == (409, "appraisal_finalized")
    r = await office.call("POST", f"/appraisals/{aid}/finalize", rating(), as_=MID)
    assert (r.status_code, r.json()["code"]) == (409, "appraisal_finalized")


async def test_finalize_before_submit_and_foreign_rhk(office):
    skp = await approved_skp(office, STAFF, 2026, rater=MID)
    head_of_other = await approved_skp(office, MID, 2026, rater=HEAD)
    opened = await office.call(
        "POST", "/appraisals", {"skp_id": skp["id"], "period": {"kind": "quarterly", "number": 2}}
    )
    aid = opened.json()["id"]
    r = await office.call("POST", f"/appraisals/{aid}/finalize", rating(), as_=MID)
    assert (r.status_code, r.json()["code"]) == (409, "appraisal_not_submitted")
    r = await office.call("POST", f"/appraisals/{aid}/submit")
    assert (r.status_code, r.json()["code"]) == (422, "self_assessment_missing")
    results = {"results": [{"rhk_id": head_of_other["rhk"][0]["id"], "realisasi": "x"}]}
    r = await office.call("PUT", f"/appraisals/{aid}/self-assessment", results)
    assert (r.status_code, r.json()["code"]) == (422, "rhk_not_in_skp")
    r = await office.call(
        "POST", "/appraisals", {"skp_id": skp["id"], "period": {"kind": "quarterly", "number": 5}}
    )
    assert (r.status_code, r.json()["code"]) == (422, "invalid_period")
    r = await office.call(
        "POST", "/appraisals", {"skp_id": skp["id"], "period": {"kind": "monthly", "number": 1}}
    )
    assert (r.status_code, r.json()["code"]) == (422, "period_kind_not_allowed")
    r = await office.call(
        "POST", "/appraisals", {"skp_id": skp["id"], "period": {"kind": "quarterly", "number": 2}}
    )
    assert (r.status_code, r.json()["code"]) == (409, "appraisal_exists")


async def test_rhk_pointing_at_someone_elses_skp(office):
    staff_skp = await approved_skp(office, STAFF, 2026, rater=MID)
    # MID reports to HEAD: an RHK of STAFF's SKP is not one of MID's supervisor's.
    r = await office.call(
        "POST",
        "/skp",
        {"year": 2026, "rhk": [rhk(supervisor_rhk_id=staff_skp["rhk"][0]["id"])]},
        as_=MID,
    )
    assert (r.status_code, r.json()["code"]) == (422, "rhk_not_of_supervisor")
    assert r.json()["errors"][0]["field"] == "rhk.0.supervisor_rhk_id"
    assert int(await office.scalar("SELECT count(*) FROM skp WHERE nip = :n", n=MID)) == 0
    feedback = {"nip": MID, "rhk_id": staff_skp["rhk"][0]["id"], "text": "Salah RHK."}
    r = await office.call("POST", "/feedback", feedback, as_=HEAD)
    assert (r.status_code, r.json()["code"]) == (422, "rhk_not_in_skp")


async def test_skp_commands_refused(office):
    created = (await office.call("POST", "/skp", {"year": 2026, "rhk": [rhk()]})).json()
    r = await office.call("POST", f"/skp/{created['id']}/approve", as_=MID)
    assert (r.status_code, r.json()["code"]) == (409, "skp_state_conflict")
    r = await office.call("POST", "/skp", {"year": 2026, "rhk": [rhk()]})
    assert (r.status_code, r.json()["code"]) == (409, "skp_exists")
    r = await office.call("POST", "/skp", {"year": 2026, "rhk": []})
    assert r.status_code == 422
    r = await office.call("POST", "/skp", {"year": 2026, "rhk": [rhk(kind="tambahan")]}, as_=MID)
    assert r.status_code == 201
    r = await office.call("POST", f"/skp/{r.json()['id']}/submit", as_=MID)
    assert (r.status_code, r.json()["code"]) == (422, "skp_without_main_rhk")
    r = await office.call("POST", f"/skp/{created['id']}/submit", as_=MID)
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    r = await office.call("GET", f"/skp/{uuid.uuid4()}")
    assert (r.status_code, r.json()["code"]) == (404, "skp_not_found")


async def test_idempotency_key_replays_the_first_answer(office):
    body = {"year": 2026, "rhk": [rhk()]}
    key = {"Idempotency-Key": "skp-2026-staff"}
    first = await office.call("POST", "/skp", body, headers=key)
    again = await office.call("POST", "/skp", body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    other = await office.call("POST", "/skp", {"year": 2027, "rhk": [rhk()]}, headers=key)
    assert other.json()["code"] == "idempotency_key_reused"


# Issue 10: races, NUL characters and implausible dates answered 500 before.

BKPSDM = ("197001011995031001", "bkpsdm")


async def test_two_identical_organisation_predikat_puts_at_once(office):
    path = "/units/dinkes/organisation-predikat/2026"
    responses = await asyncio.gather(
        *(office.call("PUT", path, {"predikat": "baik"}, as_=BKPSDM) for _ in range(4))
    )
    assert [r.status_code for r in responses] == [200] * 4, [r.text for r in responses]
    got = await office.call("GET", "/distribution?unit=dinkes&year=2026", as_=BKPSDM)
    assert got.status_code == 200, got.text
    assert got.json()["organisation_predikat"] == "baik"


async def test_two_identical_appraisals_opened_at_once_are_one_201_and_409s(office):
    skp = await approved_skp(office, STAFF, 2026, rater=MID)
    body = {"skp_id": skp["id"], "period": {"kind": "quarterly", "number": 1}}
    responses = await asyncio.gather(*(office.call("POST", "/appraisals", body) for _ in range(4)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409, 409, 409], [r.text for r in responses]
    codes = {r.json()["code"] for r in responses if r.status_code == 409}
    assert codes <= {"appraisal_exists", "already_exists"}


@pytest.mark.parametrize(
    ("method", "path", "body", "field", "code"),
    [
        (
            "POST",
            "/skp",
            {"year": 2026, "rhk": [rhk("Layanan\u0000")]},
            "body.rhk.0.title",
            "nul_character",
        ),
        ("GET", "/feedback?nip=1%00", None, "query.nip", "nul_character"),
        ("GET", "/distribution?unit=din%00kes&year=2026", None, "query.unit", "nul_character"),
        (
            "POST",
            "/skp",
            {"year": 2026, "start": "0001-01-01", "rhk": [rhk()]},
            "body.start",
            "date_out_of_range",
        ),
    ],
)
async def test_bad_values_are_422_naming_the_field(office, method, path, body, field, code):
    outbox = await office.outbox_count()
    response = await office.call(method, path, body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "validation_error"
    assert (field, code) in [(e["field"], e["code"]) for e in problem["errors"]]
    assert await office.outbox_count() == outbox

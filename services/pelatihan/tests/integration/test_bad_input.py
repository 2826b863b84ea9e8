"""Bad input is a clear 4xx with a code (or the stated outcome), and nothing changes."""

from datetime import date, timedelta

import pytest
from pelatihan_testkit import HEAD, MID, OTHER, STAFF, TODAY, Service, institution, program

pytestmark = pytest.mark.integration


async def counts(service: Service) -> tuple[int, int]:
    enrolments = int(await service.scalar("SELECT count(*) FROM enrollment"))
    outbox = int(await service.scalar("SELECT count(*) FROM outbox"))
    return enrolments, outbox


async def test_enrolment_refusals_name_their_reason_and_change_nothing(office: Service):
    inst = await institution(office)
    draft = await program(office, inst, publish=False)
    pkn = await program(office, inst, kind="pkn_ii", title="PKN Tingkat II", competencies=[])
    assert [r["rule"] for r in pkn["eligibility"]] == [
        "min_golongan",
        "min_time_in_golongan",
        "max_age",
    ]
    before = await counts(office)

    not_open = await office.call("POST", "/enrollments", {"program_id": draft["id"]}, as_=STAFF)
    assert (not_open.status_code, not_open.json()["code"]) == (409, "program_not_open")

    # STAFF is III/b: PKN II needs IV/a; the refusal names the rule.
    refused = await office.call("POST", "/enrollments", {"program_id": pkn["id"]}, as_=STAFF)
    assert (refused.status_code, refused.json()["code"]) == (422, "not_eligible")
    assert [r["rule"] for r in refused.json()["rules"]] == ["min_golongan"]
    assert "IV/a" in refused.json()["detail"]

    unknown = await office.call(
        "POST", "/enrollments", {"program_id": "0190c0a0-0000-7000-8000-00000000dead"}, as_=STAFF
    )
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_program")
    assert await counts(office) == before

    # HEAD is IV/b since 2018 and under 55: eligible. Twice is refused.
    first = await office.call("POST", "/enrollments", {"program_id": pkn["id"]}, as_=HEAD)
    assert first.status_code == 201, first.text
    twice = await office.call("POST", "/enrollments", {"program_id": pkn["id"]}, as_=HEAD)
    assert (twice.status_code, twice.json()["code"]) == (409, "already_enrolled")


async def test_beyond_the_quota_waits_in_ranked_order_and_moves_up(office: Service):
    prog = await program(office, await institution(office), quota=1)
    first = await office.call("POST", "/enrollments", {"program_id": prog["id"]}, as_=STAFF)
    second = await office.call("POST", "/enrollments", {"program_id": prog["id"]}, as_=OTHER)
    assert second.status_code == 201, second.text  # waitlisted, not refused
    # Both never trained and 20 JP short: the earlier request ranks first.
    assert first.json()["standing"]["within_quota"] is True
    assert second.json()["standing"] == {"position": 2, "within_quota": False, "score": 30}

    waiting = await office.bkpsdm(
        "POST", f"/enrollments/{second.json()['id']}/decision", {"decision": "approve"}
    )
    assert (waiting.status_code, waiting.json()["code"], waiting.json()["position"]) == (
        409,
        "waitlisted",
        2,
    )

    ranking = (await office.call("GET", f"/programs/{prog['id']}/ranking", as_=OTHER)).json()
    assert [(i["position"], i["mine"], i["nip"]) for i in ranking["items"]] == [
        (1, False, None),  # another candidate's identity is not shown
        (2, True, OTHER),
    ]
    assert ranking["items"][0]["score"]["total"] == 30 and "jp_shortfall" in ranking["criteria"]

    out = await office.call("POST", f"/enrollments/{first.json()['id']}/withdraw", as_=STAFF)
    assert out.status_code == 200
    moved = await office.call("GET", f"/enrollments/{second.json()['id']}", as_=OTHER)
    assert moved.json()["standing"]["position"] == 1 and moved.json()["standing"]["within_quota"]


async def test_program_refusals(office: Service):
    expired = await institution(
        office,
        valid_from=(TODAY - timedelta(days=400)).isoformat(),
        valid_until=(TODAY - timedelta(days=1)).isoformat(),
    )
    start = TODAY + timedelta(days=20)
    body = {
        "title": "Kursus Bahasa Inggris",
        "kind": "kursus",
        "institution_id": expired["id"],
        "jp": 30,
        "start": start.isoformat(),
        "end": (start + timedelta(days=5)).isoformat(),
        "quota": 5,
    }
    lapsed = await office.bkpsdm("POST", "/programs", body)
    assert (lapsed.status_code, lapsed.json()["code"]) == (422, "agreement_not_valid")
    assert expired["agreement_number"] in lapsed.json()["detail"]

    good = await institution(office)
    as_staff = await office.call("POST", "/programs", {**body, "institution_id": good["id"]})
    assert as_staff.status_code == 403
    bad_rule = await office.bkpsdm(
        "POST",
        "/programs",
        {**body, "institution_id": good["id"], "eligibility": [{"rule": "shoe_size"}]},
    )
    assert (bad_rule.status_code, bad_rule.json()["code"]) == (422, "invalid_eligibility")
    backwards = await office.bkpsdm(
        "POST",
        "/programs",
        {**body, "institution_id": good["id"], "end": date(2000, 1, 1).isoformat()},
    )
    assert (backwards.status_code, backwards.json()["code"]) == (422, "validation_error")
    assert int(await office.scalar("SELECT count(*) FROM program")) == 0

    prog = await program(office, good)
    again = await office.bkpsdm("POST", f"/programs/{prog['id']}/publish")
    assert (again.status_code, again.json()["code"]) == (409, "program_not_draft")
    complete = await office.bkpsdm("POST", f"/programs/{prog['id']}/complete")
    assert (complete.status_code, complete.json()["code"]) == (409, "program_not_running")


async def test_budget_refusals(office: Service):
    as_admin = await office.call(
        "PUT",
        "/training-budgets/dinkes/2026",
        {"allocated": 1},
        as_=(MID, "admin_opd"),
        unit="dinkes",
    )
    assert as_admin.status_code == 403
    negative = await office.bkpsdm("PUT", "/training-budgets/dinkes/2026", {"allocated": -5})
    assert (negative.status_code, negative.json()["code"]) == (422, "validation_error")
    assert int(await office.scalar("SELECT count(*) FROM training_budget")) == 0

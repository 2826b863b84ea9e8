"""The main path on real PostgreSQL and Kafka: enrol, two approvals (the cost committed),
completion (JP credited, the cost spent), and the events that say so."""

import pytest
from pelatihan_testkit import (
    BKPSDM,
    MID,
    OTHER,
    STAFF,
    Service,
    budget,
    institution,
    program,
)

pytestmark = pytest.mark.integration


async def test_enrol_approve_twice_complete_credits_jp_and_spends_the_budget(office: Service):
    inst = await institution(office)
    prog = await program(office, inst)
    year = int(prog["start"][:4])
    await budget(office, "dinkes", year, 5_000_000)

    enrolled = await office.call("POST", "/enrollments", {"program_id": prog["id"]}, as_=STAFF)
    assert enrolled.status_code == 201, enrolled.text
    e = enrolled.json()
    # STAFF sits in a bidang of dinkes: the cost goes to the OPD's budget line.
    assert (e["status"], e["approver_nip"], e["budget"]["unit_code"]) == (
        "requested",
        MID,
        "dinkes",
    )
    assert e["standing"]["within_quota"] is True

    inbox = await office.call("GET", "/enrollments?approver=me", as_=MID)
    assert [i["id"] for i in inbox.json()["items"]] == [e["id"]]
    assert (await office.bkpsdm("GET", "/enrollments?approver=me")).json()["items"] == []

    # BKPSDM cannot approve before the supervisor has.
    early = await office.bkpsdm("POST", f"/enrollments/{e['id']}/decision", {"decision": "approve"})
    assert early.status_code == 403

    first = await office.call(
        "POST", f"/enrollments/{e['id']}/decision", {"decision": "approve"}, as_=MID
    )
    assert first.json()["status"] == "supervisor_approved"
    assert [
        i["id"] for i in (await office.bkpsdm("GET", "/enrollments?approver=me")).json()["items"]
    ] == [e["id"]]
    final = await office.bkpsdm("POST", f"/enrollments/{e['id']}/decision", {"decision": "approve"})
    assert (final.json()["status"], final.json()["cost_state"]) == ("approved", "committed")
    line = (await office.bkpsdm("GET", f"/training-budgets/dinkes/{year}")).json()
    assert (line["committed"], line["spent"], line["remaining"]) == (2_000_000, 0, 3_000_000)

    # Completion only while the program runs.
    too_early = await office.bkpsdm(
        "POST",
        f"/enrollments/{e['id']}/completion",
        {"outcome": "completed", "certificate_number": "X"},
    )
    assert (too_early.status_code, too_early.json()["code"]) == (409, "program_not_running")
    assert (await office.bkpsdm("POST", f"/programs/{prog['id']}/start")).status_code == 200
    done = await office.bkpsdm(
        "POST",
        f"/enrollments/{e['id']}/completion",
        {"outcome": "completed", "certificate_number": "STTPP-007/BIMTEK"},
    )
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["cost_state"]) == ("completed", "spent")
    line = (await office.bkpsdm("GET", f"/training-budgets/dinkes/{year}")).json()
    assert (line["committed"], line["spent"], line["remaining"]) == (0, 2_000_000, 3_000_000)

    # JP count in the year the training ended.
    jp_year = int(prog["end"][:4])
    jp = (await office.call("GET", f"/jp/{STAFF}?year={jp_year}", as_=STAFF)).json()
    assert (jp["jp"], jp["klasikal"], jp["shortfall"], jp["compliant"]) == (24, 24, 0, True)
    assert [c["certificate_number"] for c in jp["certificates"]] == ["STTPP-007/BIMTEK"]
    unit = (await office.bkpsdm("GET", f"/jp?unit=dinkes&year={jp_year}")).json()
    assert (unit["staff"], unit["compliant"]) == (3, 1)
    assert {b["nip"] for b in unit["below"]} == {"197505052000031002", MID}

    events = await office.events(6)
    types = [ev["type"] for ev in events]
    assert types.count("pelatihan.enrollment.approved.v1") == 2
    completed = next(ev for ev in events if ev["type"] == "pelatihan.training.completed.v1")
    assert completed["_key"] == STAFF and completed["actor"] == BKPSDM
    assert completed["data"]["jp"] == 24 and completed["data"]["budget"]["spent"] == 2_000_000
    published = next(ev for ev in events if ev["type"] == "pelatihan.program.published.v1")
    assert published["_key"] == prog["id"]


async def test_an_approval_over_budget_is_refused_with_what_remains(office: Service):
    prog = await program(office, await institution(office), cost_per_participant=3_000_000)
    year = int(prog["start"][:4])
    await budget(office, "disdik", year, 2_500_000)
    enrolled = await office.call("POST", "/enrollments", {"program_id": prog["id"]}, as_=OTHER)
    # OTHER has no supervisor: BKPSDM decides alone.
    assert enrolled.json()["status"] == "supervisor_approved"
    refused = await office.bkpsdm(
        "POST", f"/enrollments/{enrolled.json()['id']}/decision", {"decision": "approve"}
    )
    assert refused.status_code == 409
    problem = refused.json()
    assert (problem["code"], problem["remaining"], problem["needed"]) == (
        "over_budget",
        2_500_000,
        3_000_000,
    )
    assert "Rp2.500.000" in problem["detail"]
    # Nothing changed: the enrolment still waits, the budget is untouched.
    again = await office.call("GET", f"/enrollments/{enrolled.json()['id']}", as_=OTHER)
    assert (again.json()["status"], again.json()["cost_state"]) == ("supervisor_approved", "none")
    line = (await office.bkpsdm("GET", f"/training-budgets/disdik/{year}")).json()
    assert line["committed"] == 0


async def test_withdrawal_and_cancellation_release_the_committed_cost(office: Service):
    prog = await program(office, await institution(office))
    year = int(prog["start"][:4])
    await budget(office, "dinkes", year, 10_000_000)
    await budget(office, "disdik", year, 10_000_000)
    from pelatihan_testkit import approved

    mine = await approved(office, prog["id"], STAFF, MID)
    other = await approved(office, prog["id"], OTHER, None)
    out = await office.call("POST", f"/enrollments/{mine['id']}/withdraw", as_=STAFF)
    assert (out.json()["status"], out.json()["cost_state"]) == ("withdrawn", "released")
    assert (await office.bkpsdm("GET", f"/training-budgets/dinkes/{year}")).json()["committed"] == 0

    cancelled = await office.bkpsdm("POST", f"/programs/{prog['id']}/cancel", {"reason": "Banjir"})
    assert cancelled.json()["status"] == "cancelled"
    gone = await office.call("GET", f"/enrollments/{other['id']}", as_=OTHER)
    assert (gone.json()["status"], gone.json()["cost_state"]) == ("withdrawn", "released")
    assert (await office.bkpsdm("GET", f"/training-budgets/disdik/{year}")).json()["committed"] == 0
    events = await office.events(9)
    reasons = [
        ev["data"]["reason"] for ev in events if ev["type"] == "pelatihan.enrollment.withdrawn.v1"
    ]
    assert sorted(reasons) == ["program_cancelled", "self"]


async def test_learning_records_count_once_the_supervisor_verifies(office: Service):
    body = {
        "title": "MOOC Literasi Digital ASN",
        "kind": "e_learning",
        "provider": "ASN Unggul (LAN)",
        "jp": 10,
        "start": "2026-02-02",
        "end": "2026-02-20",
        "certificate_number": "LAN-ELN-123",
    }
    record = await office.call("POST", "/learning-records", body, as_=STAFF)
    assert record.status_code == 201, record.text
    rid = record.json()["id"]
    assert (await office.call("GET", f"/jp/{STAFF}?year=2026", as_=STAFF)).json()["jp"] == 0
    inbox = await office.call("GET", "/learning-records?verifier=me", as_=MID)
    assert [r["id"] for r in inbox.json()["items"]] == [rid]
    self_check = await office.call(
        "POST", f"/learning-records/{rid}/verify", {"accept": True}, as_=STAFF
    )
    assert self_check.status_code == 403
    ok = await office.call("POST", f"/learning-records/{rid}/verify", {"accept": True}, as_=MID)
    assert ok.json()["status"] == "verified"
    jp = (await office.call("GET", f"/jp/{STAFF}?year=2026", as_=MID)).json()
    assert (jp["jp"], jp["non_klasikal"]) == (10, 10)
    second = await office.call(
        "POST", "/learning-records", {**body, "title": "Coaching"}, as_=STAFF
    )
    no = await office.call(
        "POST", f"/learning-records/{second.json()['id']}/verify", {"accept": False}, as_=MID
    )
    assert no.json()["status"] == "rejected"
    assert (await office.call("GET", f"/jp/{STAFF}?year=2026", as_=STAFF)).json()["jp"] == 10
    events = await office.events(4)
    assert [e["type"].split(".", 1)[1] for e in events if e["_key"] == STAFF] == [
        "learning_record.submitted.v1",
        "training.completed.v1",
        "learning_record.submitted.v1",
        "learning_record.rejected.v1",
    ]
    klasikal = await office.call("POST", "/learning-records", {**body, "kind": "bimtek"}, as_=STAFF)
    assert (klasikal.status_code, klasikal.json()["code"]) == (422, "klasikal_not_self_recorded")

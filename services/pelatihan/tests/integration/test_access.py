"""Access rules on every object: self, supervisors for their reports, admin_opd for its unit."""

import pytest
from pelatihan_testkit import HEAD, MID, OTHER, STAFF, Service, institution, program

pytestmark = pytest.mark.integration


async def test_who_may_enrol_whom(office: Service):
    prog = await program(office, await institution(office))
    stranger = await office.call(
        "POST", "/enrollments", {"program_id": prog["id"], "nip": STAFF}, as_=OTHER
    )
    assert stranger.status_code == 403
    other_admin = await office.call(
        "POST",
        "/enrollments",
        {"program_id": prog["id"], "nip": STAFF},
        as_=(OTHER, "admin_opd"),
        unit="disdik",
    )
    assert other_admin.status_code == 403
    assert int(await office.scalar("SELECT count(*) FROM enrollment")) == 0

    # The unit's admin_opd nominates; the direct supervisor still decides first.
    nominated = await office.call(
        "POST",
        "/enrollments",
        {"program_id": prog["id"], "nip": STAFF},
        as_=(HEAD, "admin_opd"),
        unit="dinkes",
    )
    assert nominated.status_code == 201, nominated.text
    n = nominated.json()
    assert (n["origin"], n["status"], n["approver_nip"]) == ("nomination", "requested", MID)
    # A supervisor higher up is not the direct one.
    not_direct = await office.call(
        "POST", f"/enrollments/{n['id']}/decision", {"decision": "approve"}, as_=HEAD
    )
    assert not_direct.status_code == 403
    self_approval = await office.call(
        "POST", f"/enrollments/{n['id']}/decision", {"decision": "approve"}, as_=STAFF
    )
    assert self_approval.status_code == 403


async def test_a_supervisor_nomination_counts_as_the_supervisor_approval(office: Service):
    prog = await program(office, await institution(office))
    nominated = await office.call(
        "POST", "/enrollments", {"program_id": prog["id"], "nip": STAFF}, as_=MID
    )
    assert nominated.json()["status"] == "supervisor_approved"
    assert nominated.json()["decisions"][0]["by"] == MID


async def test_reads_are_scoped(office: Service):
    prog = await program(office, await institution(office))
    mine = await office.call("POST", "/enrollments", {"program_id": prog["id"]}, as_=STAFF)
    eid = mine.json()["id"]
    assert (await office.call("GET", f"/enrollments/{eid}", as_=OTHER)).status_code == 403
    assert (await office.call("GET", f"/enrollments/{eid}", as_=HEAD)).status_code == 200
    seen = await office.call("GET", "/enrollments", as_=OTHER)
    assert seen.json()["items"] == []
    assert (await office.call("GET", f"/jp/{STAFF}", as_=OTHER)).status_code == 403
    assert (await office.call("GET", "/jp?unit=dinkes", as_=STAFF)).status_code == 403
    as_admin = await office.call("GET", "/jp?unit=dinkes", as_=(HEAD, "admin_opd"), unit="dinkes")
    assert as_admin.status_code == 200 and as_admin.json()["staff"] == 3
    budget = await office.call(
        "GET", "/training-budgets/disdik/2026", as_=(HEAD, "admin_opd"), unit="dinkes"
    )
    assert budget.status_code == 403

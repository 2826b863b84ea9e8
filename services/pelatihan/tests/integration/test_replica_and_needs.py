"""Consumers: appraisals become training needs and recommendations; a transfer moves open
enrolments' approver and budget line; a retirement withdraws them."""

import uuid
from datetime import date

import pytest
from asn_schemas.kinerja import CoreValue, Rating
from asn_schemas.pegawai import (
    EmployeeRetiredV1,
    EmployeeStatus,
    EmployeeTransferredV1,
    RetirementReason,
    UnitRef,
)
from pelatihan_testkit import (
    DINKES_P2P,
    DISDIK,
    HEAD,
    MID,
    OTHER,
    STAFF,
    Service,
    approved,
    budget,
    finalized,
    institution,
    program,
    snapshot,
)

pytestmark = pytest.mark.integration


async def test_a_poor_appraisal_records_needs_and_recommends_matching_programs(office: Service):
    inst = await institution(office)
    matching = await program(office, inst)  # tagged hasil_kerja
    await program(office, inst, title="Seminar Pelayanan", competencies=["berorientasi_pelayanan"])
    appraisal = finalized(STAFF, below=(CoreValue.AKUNTABEL,))
    await office.publish(office.settings.kinerja_topic, appraisal, STAFF, 1)
    await office.wait_for("SELECT count(*) = 2 FROM training_need", "two needs")

    needs = (await office.call("GET", f"/training-needs?nip={STAFF}", as_=MID)).json()["items"]
    assert sorted(n["competency"] for n in needs) == ["akuntabel", "hasil_kerja"]
    recs = (await office.call("GET", f"/recommendations/{STAFF}", as_=STAFF)).json()
    assert [(p["id"], p["meets"]) for p in recs["programs"]] == [(matching["id"], ["hasil_kerja"])]
    unit_needs = await office.call(
        "GET", "/training-needs?unit=dinkes", as_=(HEAD, "admin_opd"), unit="dinkes"
    )
    assert len(unit_needs.json()["items"]) == 2

    # Redelivered (or re-finalized after a keberatan): no second need.
    await office.publish(office.settings.kinerja_topic, appraisal, STAFF, 1)
    good = finalized(OTHER, hasil=Rating.SESUAI_EKSPEKTASI)
    await office.publish(office.settings.kinerja_topic, good, OTHER, 1)
    await office.wait_for(
        "SELECT count(*) = 3 FROM inbox WHERE event_type LIKE 'kinerja.%'", "all three handled"
    )
    assert int(await office.scalar("SELECT count(*) FROM training_need")) == 2

    events = await office.events(4)
    identified = [e for e in events if e["type"] == "pelatihan.need.identified.v1"]
    by_competency = {e["data"]["competency"]: e["data"] for e in identified}
    assert by_competency["hasil_kerja"]["recommended_program_ids"] == [matching["id"]]
    assert by_competency["akuntabel"]["recommended_program_ids"] == []

    # An enrolment in the matching program drops it from the recommendations.
    await office.call("POST", "/enrollments", {"program_id": matching["id"]}, as_=STAFF)
    assert (await office.call("GET", f"/recommendations/{STAFF}", as_=STAFF)).json()[
        "programs"
    ] == []


async def test_transfer_moves_approver_and_budget_line_retirement_withdraws(office: Service):
    prog = await program(office, await institution(office))
    year = int(prog["start"][:4])
    await budget(office, "dinkes", year, 10_000_000)
    waiting = await office.call("POST", "/enrollments", {"program_id": prog["id"]}, as_=STAFF)
    assert waiting.json()["budget"]["unit_code"] == "dinkes"

    moved = snapshot(STAFF, DISDIK, OTHER)
    transfer = EmployeeTransferredV1(
        employee=moved,
        from_unit=UnitRef(unit_id=DINKES_P2P, unit_code="dinkes-p2p", name="Unit dinkes-p2p"),
        to_unit=UnitRef(unit_id=DISDIK, unit_code="disdik", name="Unit disdik"),
        tmt=date(2026, 3, 1),
        from_supervisor_nip=MID,
        to_supervisor_nip=OTHER,
    )
    await office.publish_pegawai(transfer, STAFF, 2)
    await office.wait_for(
        "SELECT approver_nip = :other FROM enrollment WHERE nip = :nip",
        "approver moved",
        other=OTHER,
        nip=STAFF,
    )
    e = (await office.call("GET", f"/enrollments/{waiting.json()['id']}", as_=STAFF)).json()
    assert (e["approver_nip"], e["budget"]["unit_code"], e["unit_code"]) == (
        OTHER,
        "disdik",
        "disdik",
    )

    # MID holds an approved seat: retiring withdraws it and releases the cost.
    seat = await approved(office, prog["id"], MID, HEAD)
    assert (await office.bkpsdm("GET", f"/training-budgets/dinkes/{year}")).json()[
        "committed"
    ] == 2_000_000
    gone = snapshot(MID, DINKES_P2P, HEAD, status=EmployeeStatus.PENSIUN)
    retired = EmployeeRetiredV1(employee=gone, reason=RetirementReason.BUP, tmt=date(2026, 6, 1))
    await office.publish_pegawai(retired, MID, 2)
    await office.wait_for(
        "SELECT status = 'withdrawn' FROM enrollment WHERE id = :id",
        "seat released",
        id=uuid.UUID(seat["id"]),
    )
    assert (await office.bkpsdm("GET", f"/training-budgets/dinkes/{year}")).json()["committed"] == 0

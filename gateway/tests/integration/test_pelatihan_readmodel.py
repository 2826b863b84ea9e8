"""pelatihan in the read model, from real events on real Kafka: the profile's JP against 20,
certificates, open enrolments and recommendations; the unit's JP compliance and budget;
enrolments and learning records in the inbox."""

import uuid
from datetime import timedelta

import pytest
from asn_schemas.pelatihan import (
    ApprovalStage,
    BudgetAllocatedV1,
    BudgetLine,
    CompletionSource,
    EnrollmentApprovedV1,
    EnrollmentOrigin,
    EnrollmentRequestedV1,
    LearningRecordRejectedV1,
    LearningRecordSubmittedV1,
    NeedIdentifiedV1,
    ProgramKind,
    ProgramPublishedV1,
    TrainingCompletedV1,
)
from gateway_testkit import BKPSDM_NIP, HEAD, MID, STAFF, UNIT_IDS, city_events, event, today_wib

pytestmark = pytest.mark.integration


def line(version: int, committed: int, spent: int) -> BudgetLine:
    return BudgetLine(
        unit_code="dinkes",
        year=today_wib().year,
        allocated=10_000_000,
        committed=committed,
        spent=spent,
        version=version,
    )


async def test_training_on_the_profile_dashboard_and_inbox(gateway):
    today = today_wib()
    await gateway.publish(*city_events(gateway.settings.pegawai_topic))
    topic = gateway.settings.pelatihan_topic
    program_id, enrollment_id, record_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    start = today + timedelta(days=20)
    published = ProgramPublishedV1(
        program_id=program_id,
        title="Bimtek Pengadaan",
        kind=ProgramKind.BIMTEK,
        klasikal=True,
        jp=24,
        start=start,
        end=start + timedelta(days=2),
        institution_id=uuid.uuid4(),
        institution_name="LKPP",
        quota=10,
        cost_per_participant=2_000_000,
        competencies=("hasil_kerja", "pengadaan"),
        online=False,
    )
    need = NeedIdentifiedV1(
        need_id=uuid.uuid4(),
        nip=STAFF,
        year=today.year - 1,
        predikat="butuh_perbaikan",
        competency="hasil_kerja",
        appraisal_id=uuid.uuid4(),
        identified_at=event(published, str(program_id)).time,
    )
    await gateway.publish(
        (topic, event(published, str(program_id))),
        (
            topic,
            event(
                BudgetAllocatedV1(
                    unit_id=UNIT_IDS["dinkes"], budget=line(2, 0, 0), allocated_by=BKPSDM_NIP
                ),
                "dinkes",
            ),
        ),
        (topic, event(need, STAFF, sequence=1)),
    )
    profile = await gateway.profile_when(
        STAFF, lambda p: p["pelatihan"]["recommendations"], "the recommendation on the profile"
    )
    section = profile["pelatihan"]
    assert (section["jp"], section["target"], section["shortfall"]) == (0, 20, 20)
    assert section["needs"] == ["hasil_kerja"]
    assert [r["program_id"] for r in section["recommendations"]] == [str(program_id)]

    requested = EnrollmentRequestedV1(
        enrollment_id=enrollment_id,
        program_id=program_id,
        program_title=published.title,
        kind=published.kind,
        jp=24,
        start=published.start,
        end=published.end,
        nip=STAFF,
        unit_code="dinkes-p2p",
        origin=EnrollmentOrigin.SELF,
        requested_by=STAFF,
        approver_nip=MID,
        cost=2_000_000,
        waitlisted=False,
    )
    record = LearningRecordSubmittedV1(
        record_id=record_id,
        nip=STAFF,
        title="MOOC",
        kind=ProgramKind.E_LEARNING,
        jp=4,
        verifier_nip=MID,
    )
    await gateway.publish(
        (topic, event(requested, STAFF, sequence=2)), (topic, event(record, STAFF, sequence=3))
    )
    inbox = await gateway.json_when(
        "/api/inbox",
        lambda b: {i["kind"] for i in b["items"]} >= {"enrollment", "learning_record"},
        "the enrolment and the record in the supervisor's inbox",
        as_=(MID, "pegawai"),
    )
    kinds = {i["kind"]: i for i in inbox["items"]}
    assert kinds["enrollment"]["action"] == f"/api/enrollments/{enrollment_id}/decision"
    assert kinds["learning_record"]["action"] == f"/api/learning-records/{record_id}/verify"
    assert kinds["learning_record"]["training_kind"] == "e_learning"
    assert (await gateway.get("/api/inbox", as_=(HEAD, "pegawai"))).json()["items"] == []

    approvals = [
        EnrollmentApprovedV1(
            enrollment_id=enrollment_id,
            program_id=program_id,
            nip=STAFF,
            stage=ApprovalStage.SUPERVISOR,
            approved_by=MID,
            final=False,
        ),
        EnrollmentApprovedV1(
            enrollment_id=enrollment_id,
            program_id=program_id,
            nip=STAFF,
            stage=ApprovalStage.BKPSDM,
            approved_by=BKPSDM_NIP,
            final=True,
            budget=line(3, 2_000_000, 0),
        ),
    ]
    await gateway.publish((topic, event(approvals[0], STAFF, sequence=4)))
    await gateway.json_when(
        "/api/inbox",
        lambda b: any(i["kind"] == "enrollment" for i in b["items"]),
        "the enrolment in BKPSDM's inbox after the supervisor",
    )
    completed = TrainingCompletedV1(
        completion_id=enrollment_id,
        source=CompletionSource.PROGRAM,
        nip=STAFF,
        unit_code="dinkes-p2p",
        program_id=program_id,
        title=published.title,
        kind=published.kind,
        klasikal=True,
        jp=24,
        institution="LKPP",
        certificate_number="STTPP-9",
        start=today,
        end=today,
        competencies=published.competencies,
        budget=line(4, 0, 2_000_000),
    )
    rejected = LearningRecordRejectedV1(record_id=record_id, nip=STAFF, rejected_by=MID)
    # The budget line's older version (3) arrives after the newer one (4): it must not win.
    await gateway.publish(
        (topic, event(completed, STAFF, sequence=6)),
        (topic, event(rejected, STAFF, sequence=7)),
        (topic, event(approvals[1], STAFF, sequence=5)),
    )
    profile = await gateway.profile_when(
        STAFF, lambda p: p["pelatihan"]["jp"] == 24, "JP on the profile"
    )
    section = profile["pelatihan"]
    assert (section["shortfall"], section["open_enrollments"], section["recommendations"]) == (
        0,
        [],
        [],
    )
    assert [c["certificate_number"] for c in section["certificates"]] == ["STTPP-9"]
    assert section["needs"] == []  # the training met the need
    dashboard = await gateway.dashboard_when(
        "dinkes", lambda d: d["pelatihan"]["training_budget"]["spent"] == 2_000_000, "the budget"
    )
    training = dashboard["pelatihan"]
    assert training["training_budget"] == {
        "allocated": 10_000_000,
        "committed": 0,
        "spent": 2_000_000,
        "remaining": 8_000_000,
    }
    compliance = training["jp_compliance"]
    assert (compliance["staff"], compliance["compliant"], compliance["share"]) == (3, 1, 0.3333)
    assert {b["nip"] for b in compliance["below"]} == {HEAD, MID}
    assert (await gateway.get("/api/inbox", as_=(MID, "pegawai"))).json()["items"] == []

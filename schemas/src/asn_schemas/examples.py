"""One valid, realistic payload of every registered event type (made-up people).

The AsyncAPI document and the catalogue page show them as examples, and the tests use
them as the specimen of each type; a model change that breaks one fails `make schemas`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from uuid import UUID

from asn_schemas import aspirasi as a
from asn_schemas import kinerja as k
from asn_schemas import pelatihan as t
from asn_schemas import presensi as p
from asn_schemas.base import EventPayload
from asn_schemas.golongan import GolonganPns, Pangkat
from asn_schemas.kinerja import (
    AppraisalFinalizedV1,
    AppraisalPeriod,
    PeriodKind,
    Predikat,
    Rating,
)
from asn_schemas.pegawai import (
    AsnType,
    EmployeePositionChangedV1,
    EmployeePromotedV1,
    EmployeeRegisteredV1,
    EmployeeRetiredV1,
    EmployeeSnapshot,
    EmployeeStatus,
    EmployeeTransferredV1,
    EmployeeUpdatedV1,
    FailedRule,
    Position,
    PositionKind,
    PositionLevel,
    PromotionKind,
    PromotionOverride,
    RetirementReason,
    Sex,
    UnitCreatedV1,
    UnitKind,
    UnitRef,
    UnitSnapshot,
    UnitUpdatedV1,
)

NIP = "198503152010011001"
SUPERVISOR = "197001011995031002"
NEW_SUPERVISOR = "197505052000122003"
UNIT_ID = UUID("0190c0a0-1111-7000-8000-000000000001")
OTHER_UNIT_ID = UUID("0190c0a0-2222-7000-8000-000000000002")
DINAS_ID = UUID("0190c0a0-3333-7000-8000-000000000003")


def example_unit() -> UnitSnapshot:
    """A unit with its attendance geofence."""
    return UnitSnapshot(
        unit_id=UNIT_ID,
        code="BKPSDM",
        name="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        kind=UnitKind.BADAN,
        latitude=-0.6817,
        longitude=100.7765,
        geofence_radius_m=150,
    )


def example_employee() -> EmployeeSnapshot:
    """A PNS in BKPSDM with a supervisor."""
    return EmployeeSnapshot(
        nip=NIP,
        name="Siti Rahmawati, S.T., M.T.",
        sex=Sex.FEMALE,
        birth_date=date(1985, 3, 15),
        asn_type=AsnType.PNS,
        status=EmployeeStatus.AKTIF,
        golongan=GolonganPns.III_B,
        pangkat=Pangkat.PENATA_MUDA_TINGKAT_I,
        tmt_golongan=date(2024, 4, 1),
        position=Position(
            name="Analis SDM Aparatur Ahli Muda",
            kind=PositionKind.FUNGSIONAL,
            level=PositionLevel.AHLI_MUDA,
        ),
        unit_id=UNIT_ID,
        unit_code="BKPSDM",
        supervisor_nip=SUPERVISOR,
    )


def example_payloads() -> dict[str, EventPayload]:
    """One valid payload of every registered event type, by type."""
    unit = example_unit()
    employee = example_employee()
    promoted = employee.model_copy(
        update={
            "golongan": GolonganPns.III_C,
            "pangkat": Pangkat.PENATA,
            "tmt_golongan": date(2025, 10, 1),
        }
    )
    transferred = employee.model_copy(
        update={
            "unit_id": OTHER_UNIT_ID,
            "unit_code": "DISKOMINFO",
            "supervisor_nip": NEW_SUPERVISOR,
        }
    )
    new_position = Position(name="Kepala Bidang Mutasi", kind=PositionKind.ADMINISTRATOR)
    repositioned = employee.model_copy(
        update={"position": new_position, "supervisor_nip": NEW_SUPERVISOR}
    )
    retired = employee.model_copy(update={"status": EmployeeStatus.PENSIUN})
    items: list[EventPayload] = [
        UnitCreatedV1(unit=unit),
        UnitUpdatedV1(
            unit=unit.model_copy(update={"parent_unit_id": DINAS_ID, "parent_code": "SETDA"}),
            changed_fields=("parent_unit_id", "parent_code"),
        ),
        EmployeeRegisteredV1(employee=employee),
        EmployeeUpdatedV1(employee=employee, changed_fields=("name",)),
        EmployeePromotedV1(
            employee=promoted,
            from_golongan=GolonganPns.III_B,
            to_golongan=GolonganPns.III_C,
            tmt=date(2025, 10, 1),
            kind=PromotionKind.REGULER,
            sk_number="800/123/BKPSDM/2025",
            override=PromotionOverride(
                justification="Predikat 2023 corrected after keberatan; SIASN not yet updated",
                failed_rules=(
                    FailedRule(code="predikat_last_two_years", detail="2023: butuh_perbaikan"),
                ),
            ),
        ),
        EmployeeTransferredV1(
            employee=transferred,
            from_unit=UnitRef(unit_id=UNIT_ID, unit_code="BKPSDM", name="BKPSDM"),
            to_unit=UnitRef(unit_id=OTHER_UNIT_ID, unit_code="DISKOMINFO", name="Diskominfo"),
            tmt=date(2025, 1, 2),
            from_supervisor_nip=SUPERVISOR,
            to_supervisor_nip=NEW_SUPERVISOR,
        ),
        EmployeePositionChangedV1(
            employee=repositioned,
            from_position=employee.position,
            to_position=new_position,
            tmt=date(2025, 3, 1),
            from_supervisor_nip=SUPERVISOR,
            to_supervisor_nip=NEW_SUPERVISOR,
        ),
        EmployeeRetiredV1(employee=retired, reason=RetirementReason.BUP, tmt=date(2043, 4, 1)),
        AppraisalFinalizedV1(
            appraisal_id=UUID("0190c0a0-4444-7000-8000-000000000004"),
            nip=NIP,
            period=AppraisalPeriod(
                kind=PeriodKind.ANNUAL, year=2024, start=date(2024, 1, 1), end=date(2024, 12, 31)
            ),
            predikat=Predikat.BAIK,
            rating_hasil_kerja=Rating.SESUAI_EKSPEKTASI,
            rating_perilaku_kerja=Rating.DI_ATAS_EKSPEKTASI,
            appraiser_nip=SUPERVISOR,
            finalized_at=datetime(2025, 1, 20, 3, 0, tzinfo=UTC),
        ),
    ]
    items.extend(_presensi_samples())
    items.extend(_aspirasi_samples())
    items.extend(_kinerja_samples())
    items.extend(_pelatihan_samples())
    return {item.event_type: item for item in items}


def _presensi_samples() -> list[EventPayload]:
    """One valid payload of every presensi event type."""
    request_id = UUID("0190c0a0-5555-7000-8000-000000000005")
    attendance_id = UUID("0190c0a0-6666-7000-8000-000000000006")
    holiday_id = UUID("0190c0a0-7777-7000-8000-000000000007")
    at_in = datetime(2025, 3, 3, 0, 41, tzinfo=UTC)
    at_out = datetime(2025, 3, 3, 8, 45, tzinfo=UTC)
    decided = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)
    leave = {
        "request_id": request_id,
        "nip": NIP,
        "unit_code": "BKPSDM",
        "leave_type": p.LeaveType.TAHUNAN,
        "start_date": date(2025, 3, 10),
        "end_date": date(2025, 3, 12),
        "working_days": 3,
    }
    decision = {**leave, "decided_by": SUPERVISOR, "decided_at": decided}
    holiday = {"holiday_id": holiday_id, "date": date(2025, 3, 31), "name": "Idul Fitri"}
    return [
        p.AttendanceCheckedInV1(
            attendance_id=attendance_id,
            nip=NIP,
            unit_code="BKPSDM",
            date=date(2025, 3, 3),
            checked_in_at=at_in,
            scheduled_start=time(7, 30),
            minutes_late=11,
            late_category=p.LateCategory.TL1,
            inside_geofence=True,
            distance_m=42,
        ),
        p.AttendanceCheckedOutV1(
            attendance_id=attendance_id,
            nip=NIP,
            unit_code="BKPSDM",
            date=date(2025, 3, 3),
            checked_in_at=at_in,
            checked_out_at=at_out,
            scheduled_end=time(16, 0),
            minutes_early=0,
            early_category=None,
        ),
        p.AttendanceDayClosedV1(
            nip=NIP,
            unit_code="BKPSDM",
            date=date(2025, 3, 3),
            status=p.DayStatus.TERLAMBAT,
            checked_in_at=at_in,
            checked_out_at=at_out,
            minutes_late=11,
            late_category=p.LateCategory.TL1,
            deduction_percent=0.5,
        ),
        p.LeaveRequestedV1(**leave, calendar_days=3, approver_nip=SUPERVISOR, needs_bkpsdm=False),
        p.LeaveForwardedV1(**decision),
        p.LeaveApprovedV1(**decision, balance_year=2025, balance_after=9),
        p.LeaveDeferredV1(**decision),
        p.LeaveRejectedV1(**decision),
        p.LeaveCancelledV1(
            **leave,
            cancelled_by=NIP,
            cancelled_at=decided,
            reason="by_requester",
            was_approved=True,
            balance_year=2025,
            balance_after=12,
        ),
        p.DisciplineThresholdReachedV1(
            nip=NIP,
            unit_code="BKPSDM",
            year=2025,
            kind=p.ThresholdKind.CUMULATIVE,
            threshold_days=3,
            days=3,
            as_of=date(2025, 3, 5),
            possible_penalty="teguran_lisan",
        ),
        p.HolidayDeclaredV1(**holiday, kind=p.HolidayKind.LIBUR_NASIONAL),
        p.HolidayRemovedV1(**holiday, kind=p.HolidayKind.LIBUR_NASIONAL),
        *_roster_samples(),
    ]


def _roster_samples() -> list[EventPayload]:
    """A published roster with a night shift across the month's end, one change, and a
    correction."""
    night = p.RosteredDay(
        nip=NIP, date=date(2025, 3, 31), shift_code="malam", start=time(21), end=time(7)
    )
    off = p.RosteredDay(nip=NIP, date=date(2025, 3, 30), shift_code=None)
    at = datetime(2025, 2, 25, 2, 0, tzinfo=UTC)
    return [
        p.RosterPublishedV1(
            unit_code="RSUD-MELATI",
            month="2025-03",
            version=1,
            published_by=SUPERVISOR,
            published_at=at,
            days=[off, night],
        ),
        p.RosterChangedV1(
            unit_code="RSUD-MELATI",
            month="2025-03",
            version=2,
            changed_by=SUPERVISOR,
            changed_at=at,
            day=off,
            previous_shift_code="malam",
        ),
        p.AttendanceCorrectedV1(
            correction_id=UUID("0190c0a0-8888-7000-8000-000000000008"),
            nip=NIP,
            unit_code="BKPSDM",
            date=date(2025, 3, 3),
            kind="missing_check_out",
            previous_status=p.DayStatus.PULANG_CEPAT,
            status=p.DayStatus.HADIR,
            checked_in_at=datetime(2025, 3, 3, 0, 25, tzinfo=UTC),
            checked_out_at=datetime(2025, 3, 3, 9, 5, tzinfo=UTC),
            decided_by=SUPERVISOR,
            decided_at=at,
        ),
        p.AttendanceCorrectionRequestedV1(
            correction_id=UUID("0190c0a0-8888-7000-8000-000000000008"),
            nip=NIP,
            unit_code="BKPSDM",
            date=date(2025, 3, 3),
            kind="missing_check_out",
            approver_nip=SUPERVISOR,
            requested_at=at,
        ),
        p.AttendanceCorrectionRejectedV1(
            correction_id=UUID("0190c0a0-8888-7000-8000-000000000008"),
            nip=NIP,
            unit_code="BKPSDM",
            date=date(2025, 3, 3),
            kind="missing_check_out",
            decided_by=SUPERVISOR,
            decided_at=at,
        ),
        p.FlexibleWorkRequestedV1(
            request_id=UUID("0190c0a0-7777-7000-8000-000000000007"),
            nip=NIP,
            unit_code="BKPSDM",
            date=date(2025, 3, 4),
            approver_nip=SUPERVISOR,
            requested_at=at,
        ),
        p.FlexibleWorkDecidedV1(
            request_id=UUID("0190c0a0-7777-7000-8000-000000000007"),
            nip=NIP,
            unit_code="BKPSDM",
            date=date(2025, 3, 4),
            approved=True,
            decided_by=SUPERVISOR,
            decided_at=at,
        ),
    ]


def _kinerja_samples() -> list[EventPayload]:
    """One valid payload of every kinerja event type besides the finalized appraisal."""
    skp_id = UUID("0190c0a0-8888-7000-8000-000000000008")
    rhk_id = UUID("0190c0a0-9999-7000-8000-000000000009")
    quarter = k.AppraisalPeriod(
        kind=k.PeriodKind.QUARTERLY,
        year=2025,
        number=1,
        start=date(2025, 1, 1),
        end=date(2025, 3, 31),
    )
    return [
        k.SkpApprovedV1(
            skp_id=skp_id,
            nip=NIP,
            year=2025,
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
            unit_id=UNIT_ID,
            unit_code="BKPSDM",
            approver_nip=SUPERVISOR,
            approved_at=datetime(2025, 1, 10, 2, 0, tzinfo=UTC),
            rhk=(k.RhkSummary(rhk_id=rhk_id, kind=k.RhkKind.UTAMA, title="Layanan mutasi"),),
        ),
        k.AppraisalSubmittedV1(
            appraisal_id=UUID("0190c0a0-aaaa-7000-8000-00000000000a"),
            skp_id=skp_id,
            nip=NIP,
            period=quarter,
            rater_nip=SUPERVISOR,
            submitted_at=datetime(2025, 4, 2, 2, 0, tzinfo=UTC),
        ),
        k.FeedbackGivenV1(
            feedback_id=UUID("0190c0a0-bbbb-7000-8000-00000000000b"),
            nip=NIP,
            giver_nip=SUPERVISOR,
            skp_id=skp_id,
            rhk_id=rhk_id,
            value=k.CoreValue.AKUNTABEL,
            given_at=datetime(2025, 2, 3, 2, 0, tzinfo=UTC),
        ),
        k.SkpSubmittedV1(
            skp_id=skp_id,
            nip=NIP,
            year=2025,
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
            unit_id=UNIT_ID,
            unit_code="BKPSDM",
            approver_nip=SUPERVISOR,
            submitted_at=datetime(2025, 1, 8, 2, 0, tzinfo=UTC),
        ),
        k.SkpReturnedV1(
            skp_id=skp_id,
            nip=NIP,
            year=2025,
            returned_by=SUPERVISOR,
            returned_at=datetime(2025, 1, 9, 2, 0, tzinfo=UTC),
        ),
    ]


def _aspirasi_samples() -> list[EventPayload]:
    """One valid payload of every aspirasi event type."""
    at = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
    snap = a.SubmissionSnapshot(
        submission_id=UUID("0190c0a0-cccc-7000-8000-00000000000c"),
        code="SWL-2026-000123",
        kind=a.SubmissionKind.PENGADUAN,
        privacy=a.Privacy.ANONIM,
        status=a.SubmissionStatus.ROUTED,
        unit_code="dinkes",
        title="Antrean puskesmas",
        text="Antrean terlalu panjang.",
        received_at=at,
        reopen_count=0,
        escalated=False,
    )
    due = date(2026, 11, 9)
    return [
        a.SubmissionReceivedV1(submission=snap, verification_due=due),
        a.SubmissionRoutedV1(
            submission=snap,
            unit_code="dinkes",
            routed_at=at,
            follow_up_due=due,
            resolution_due=date(2027, 1, 1),
        ),
        a.SubmissionHeldV1(submission=snap, reason="Data kurang", held_at=at),
        a.SubmissionReferredV1(submission=snap, referral="Kantor BPN", referred_at=at),
        a.SubmissionArchivedV1(submission=snap, reason="spam", archived_at=at),
        a.SubmissionReturnedV1(
            submission=snap,
            from_unit_code="dinkes",
            reason="Bukan urusan kami",
            returned_at=at,
            verification_due=due,
        ),
        a.SubmissionFollowedUpV1(submission=snap, followed_up_at=at, note="Ditinjau"),
        a.SubmissionAnsweredV1(submission=snap, answered_at=at, answer="Sudah", auto_close_on=due),
        a.SubmissionReopenedV1(submission=snap, reopened_at=at, reopen_count=1, follow_up_due=due),
        a.SubmissionClosedV1(
            submission=snap, outcome=a.CloseOutcome.RESOLVED, closed_at=at, rating=5
        ),
        a.SubmissionRatedV1(submission=snap, rating=4, rated_at=at),
        a.SlaBreachedV1(
            submission_id=snap.submission_id,
            code=snap.code,
            clock=a.SlaClock.FOLLOW_UP,
            unit_code="dinkes",
            due=due,
            breached_at=at,
        ),
        a.ForumHeldV1(
            forum_id=UUID("0190c0a0-dddd-7000-8000-00000000000d"),
            unit_code=None,
            held_on=date(2026, 11, 3),
            place="Gedung Pusat Kebudayaan",
            organisations=(a.ForumOrganisation(name="LPM Kelurahan Durian I", count=4),),
            participant_count=40,
        ),
        a.UnitSignalComputedV1(
            unit_code="dinkes",
            month="2026-11",
            received=10,
            resolved=8,
            sla_compliance=0.9,
            reopen_rate=0.1,
            average_rating=4.2,
            computed_at=at,
        ),
    ]


def _pelatihan_samples() -> list[EventPayload]:
    """One valid payload of every pelatihan event type."""
    program = UUID("0190c0a0-8888-7000-8000-000000000008")
    enrollment = UUID("0190c0a0-9999-7000-8000-000000000009")
    budget = t.BudgetLine(
        unit_code="BKPSDM", year=2025, allocated=50_000_000, committed=3_500_000, spent=0
    )
    common = {"enrollment_id": enrollment, "program_id": program, "nip": NIP}
    return [
        t.ProgramPublishedV1(
            program_id=program,
            title="PKA Angkatan I",
            kind=t.ProgramKind.PKA,
            klasikal=True,
            jp=240,
            start=date(2025, 5, 5),
            end=date(2025, 8, 29),
            institution_id=UUID("0190c0a0-aaaa-7000-8000-00000000000a"),
            institution_name="BPSDM Provinsi Sumatera Barat",
            quota=30,
            cost_per_participant=3_500_000,
            competencies=("kepemimpinan", "akuntabel"),
            online=False,
            place="Padang",
        ),
        t.ProgramCancelledV1(
            program_id=program, reason="Narasumber berhalangan", released_enrollments=2
        ),
        t.EnrollmentRequestedV1(
            **common,
            program_title="PKA Angkatan I",
            kind=t.ProgramKind.PKA,
            jp=240,
            start=date(2025, 5, 5),
            end=date(2025, 8, 29),
            unit_code="BKPSDM",
            origin=t.EnrollmentOrigin.SELF,
            requested_by=NIP,
            approver_nip=SUPERVISOR,
            cost=3_500_000,
            waitlisted=False,
        ),
        t.EnrollmentApprovedV1(
            **common,
            stage=t.ApprovalStage.BKPSDM,
            approved_by=SUPERVISOR,
            final=True,
            budget=budget,
        ),
        t.EnrollmentRejectedV1(**common, stage=t.ApprovalStage.SUPERVISOR, rejected_by=SUPERVISOR),
        t.EnrollmentWithdrawnV1(**common, reason=t.WithdrawalReason.SELF, budget=budget),
        t.EnrollmentNotCompletedV1(**common, reason="Tidak memenuhi kehadiran", budget=budget),
        t.TrainingCompletedV1(
            completion_id=enrollment,
            source=t.CompletionSource.PROGRAM,
            nip=NIP,
            unit_code="BKPSDM",
            program_id=program,
            title="PKA Angkatan I",
            kind=t.ProgramKind.PKA,
            klasikal=True,
            jp=240,
            institution="BPSDM Provinsi Sumatera Barat",
            certificate_number="STTPP-001/PKA/2025",
            start=date(2025, 5, 5),
            end=date(2025, 8, 29),
            competencies=("kepemimpinan",),
            budget=budget,
        ),
        t.LearningRecordSubmittedV1(
            record_id=enrollment,
            nip=NIP,
            title="MOOC ASN",
            kind=t.ProgramKind.E_LEARNING,
            jp=10,
            verifier_nip=SUPERVISOR,
        ),
        t.LearningRecordRejectedV1(record_id=enrollment, nip=NIP, rejected_by=SUPERVISOR),
        t.NeedIdentifiedV1(
            need_id=enrollment,
            nip=NIP,
            year=2024,
            predikat="butuh_perbaikan",
            competency="hasil_kerja",
            appraisal_id=UUID("0190c0a0-4444-7000-8000-000000000004"),
            unit_code="BKPSDM",
            recommended_program_ids=(program,),
            identified_at=datetime(2025, 1, 20, 3, 0, tzinfo=UTC),
        ),
        t.BudgetAllocatedV1(unit_id=UNIT_ID, budget=budget, allocated_by=SUPERVISOR),
    ]

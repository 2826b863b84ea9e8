"""Career commands: promotion, transfer, position, supervisor, retirement."""

from __future__ import annotations

from datetime import date
from typing import Any

from asn_schemas.golongan import GolonganPns
from asn_schemas.pegawai import (
    AsnType,
    EmployeePositionChangedV1,
    EmployeePromotedV1,
    EmployeeRetiredV1,
    EmployeeStatus,
    EmployeeTransferredV1,
    EmployeeUpdatedV1,
    FailedRule,
    PromotionOverride,
    RetirementReason,
)
from servicekit.errors import ProblemError
from servicekit.problems import invalid
from servicekit.uow import UnitOfWork
from sqlalchemy.ext.asyncio import AsyncSession

from pegawai import changes, store
from pegawai.api.schemas import (
    PositionChange,
    PromotionRequest,
    RetirementRequest,
    SupervisorChange,
    TransferRequest,
)
from pegawai.domain.golongan import Education, next_golongan
from pegawai.domain.periods import is_period_date, next_period
from pegawai.domain.promotion import PromotionFacts, Reason, appraisal_years
from pegawai.domain.promotion import regular_promotion_reasons as reasons_for
from pegawai.domain.retirement import RetirementConvention
from pegawai.events import employee_snapshot, position_of, unit_ref
from pegawai.models import Employee, Unit
from pegawai.views import bup_date


async def promotion_facts(session: AsyncSession, emp: Employee, period: date) -> PromotionFacts:
    predikat = await store.annual_predikat(session, [emp.nip], appraisal_years(period))
    penalties = await store.penalties(session, [emp.nip])
    return PromotionFacts(
        asn_type=AsnType(emp.asn_type),
        status=EmployeeStatus(emp.status),
        golongan=emp.golongan,
        tmt_golongan=emp.tmt_golongan,
        education=Education(emp.education),
        ujian_dinas=emp.ujian_dinas,
        annual_predikat=predikat.get(emp.nip, {}),
        penalties=tuple(penalties.get(emp.nip, [])),
    )


def _reasons_payload(reasons: list[Reason]) -> list[dict[str, str]]:
    return [{"code": r.code, "message": r.detail} for r in reasons]


async def promote(
    uow: UnitOfWork, emp: Employee, body: PromotionRequest, convention: RetirementConvention
) -> Unit:
    if emp.asn_type != AsnType.PNS:
        raise invalid("pppk_no_promotion", "PPPK tidak memiliki kenaikan pangkat (golongan tetap).")
    changes.require_in_service(emp, "dinaikkan pangkatnya")
    current = GolonganPns(emp.golongan)
    target = next_golongan(current)
    if target is None:
        raise invalid(
            "golongan_at_top", "Golongan IV/e adalah golongan tertinggi.", field="to_golongan"
        )
    if body.to_golongan is not None and body.to_golongan is not target:
        raise invalid(
            "not_one_step",
            f"Kenaikan pangkat satu tingkat: dari {current} ke {target}.",
            field="to_golongan",
        )
    if not is_period_date(body.tmt):
        raise invalid(
            "not_period_date",
            f"TMT {body.tmt.isoformat()} bukan periode kenaikan pangkat; periode berikutnya "
            f"{next_period(body.tmt).isoformat()}.",
            field="tmt",
        )
    changes.require_not_before(body.tmt, emp.tmt_golongan, "golongan", strictly_after=True)
    failed = reasons_for(await promotion_facts(uow.session, emp, body.tmt), body.tmt)
    override = None
    if failed:
        if body.override_justification is None:
            raise ProblemError(
                422,
                "not_eligible",
                "Belum memenuhi syarat kenaikan pangkat",
                "Syarat yang belum terpenuhi ada di `reasons`. BKPSDM dapat tetap menaikkan "
                "pangkat dengan `override_justification` tertulis.",
                errors=_reasons_payload(failed),
                reasons=[r.code for r in failed],
            )
        override = PromotionOverride(
            justification=body.override_justification,
            failed_rules=tuple(FailedRule(code=r.code, detail=r.detail) for r in failed),
        )
    emp.golongan, emp.tmt_golongan = target, body.tmt
    changes.bump(emp)
    note: dict[str, Any] = {"kind": body.kind, "sk_number": body.sk_number}
    if override is not None:
        note["override"] = override.model_dump(mode="json")
    changes.record(uow, emp, "golongan", target, body.tmt, EmployeePromotedV1.event_type, note)
    unit = await changes.snapshot_unit(uow.session, emp)
    changes.emit(
        uow,
        emp,
        EmployeePromotedV1(
            employee=employee_snapshot(emp, unit, convention),
            from_golongan=current,
            to_golongan=target,
            tmt=body.tmt,
            kind=body.kind,
            sk_number=body.sk_number,
            override=override,
        ),
    )
    return unit


async def transfer(
    uow: UnitOfWork, emp: Employee, body: TransferRequest, convention: RetirementConvention
) -> Unit:
    session = uow.session
    changes.require_in_service(emp, "dimutasi")
    to_unit = await changes.unit_for(session, body.to_unit_code, field="to_unit_code")
    if to_unit.id == emp.unit_id:
        raise invalid("same_unit", "Pegawai sudah berada di unit itu.", field="to_unit_code")
    changes.require_not_before(body.tmt, emp.tmt_unit, "unit")
    from_unit = await changes.snapshot_unit(session, emp)
    from_supervisor = emp.supervisor_nip
    event_type = EmployeeTransferredV1.event_type
    if "supervisor_nip" in body.model_fields_set and body.supervisor_nip != from_supervisor:
        changes.require_not_before(body.tmt, emp.tmt_supervisor, "atasan")
        await changes.check_supervisor(session, emp.nip, body.supervisor_nip)
        emp.supervisor_nip, emp.tmt_supervisor = body.supervisor_nip, body.tmt
        changes.record(uow, emp, "supervisor", emp.supervisor_nip, body.tmt, event_type)
    emp.unit_id, emp.tmt_unit = to_unit.id, body.tmt
    changes.bump(emp)
    changes.record(uow, emp, "unit", changes.unit_value(to_unit), body.tmt, event_type)
    changes.emit(
        uow,
        emp,
        EmployeeTransferredV1(
            employee=employee_snapshot(emp, to_unit, convention),
            from_unit=unit_ref(from_unit),
            to_unit=unit_ref(to_unit),
            tmt=body.tmt,
            from_supervisor_nip=from_supervisor,
            to_supervisor_nip=emp.supervisor_nip,
        ),
    )
    return to_unit


async def change_position(
    uow: UnitOfWork, emp: Employee, body: PositionChange, convention: RetirementConvention
) -> Unit:
    """PUT semantics: the same position (and supervisor) again changes nothing."""
    session = uow.session
    changes.require_in_service(emp, "diubah jabatannya")
    before = position_of(emp)
    after = body.to_contract()
    from_supervisor = emp.supervisor_nip
    new_supervisor = (
        body.supervisor_nip if "supervisor_nip" in body.model_fields_set else from_supervisor
    )
    unit = await changes.snapshot_unit(session, emp)
    if after == before and new_supervisor == from_supervisor:
        return unit
    event_type = EmployeePositionChangedV1.event_type
    if after != before:
        changes.require_not_before(body.tmt, emp.tmt_position, "jabatan")
        emp.position_code, emp.position_name = after.code, after.name
        emp.position_kind, emp.position_level = after.kind, after.level
        emp.tmt_position = body.tmt
        changes.record(uow, emp, "position", changes.position_value(emp), body.tmt, event_type)
    if new_supervisor != from_supervisor:
        changes.require_not_before(body.tmt, emp.tmt_supervisor, "atasan")
        await changes.check_supervisor(session, emp.nip, new_supervisor)
        emp.supervisor_nip, emp.tmt_supervisor = new_supervisor, body.tmt
        changes.record(uow, emp, "supervisor", new_supervisor, body.tmt, event_type)
    changes.bump(emp)
    changes.emit(
        uow,
        emp,
        EmployeePositionChangedV1(
            employee=employee_snapshot(emp, unit, convention),
            from_position=before,
            to_position=after,
            tmt=body.tmt,
            from_supervisor_nip=from_supervisor,
            to_supervisor_nip=emp.supervisor_nip,
        ),
    )
    return unit


async def change_supervisor(
    uow: UnitOfWork, emp: Employee, body: SupervisorChange, convention: RetirementConvention
) -> Unit:
    """No event of its own in the catalogue: `employee.updated` names `supervisor_nip`."""
    session = uow.session
    changes.require_in_service(emp, "diubah atasannya")
    unit = await changes.snapshot_unit(session, emp)
    if body.supervisor_nip == emp.supervisor_nip:
        return unit
    changes.require_not_before(body.tmt, emp.tmt_supervisor, "atasan")
    await changes.check_supervisor(session, emp.nip, body.supervisor_nip)
    emp.supervisor_nip, emp.tmt_supervisor = body.supervisor_nip, body.tmt
    changes.bump(emp)
    event_type = EmployeeUpdatedV1.event_type
    changes.record(uow, emp, "supervisor", emp.supervisor_nip, body.tmt, event_type)
    changes.emit(
        uow,
        emp,
        EmployeeUpdatedV1(
            employee=employee_snapshot(emp, unit, convention), changed_fields=("supervisor_nip",)
        ),
    )
    return unit


_STATUS_BY_REASON = {
    RetirementReason.BUP: EmployeeStatus.PENSIUN,
    RetirementReason.MENINGGAL_DUNIA: EmployeeStatus.MENINGGAL,
}


async def retire(
    uow: UnitOfWork, emp: Employee, body: RetirementRequest, convention: RetirementConvention
) -> Unit:
    changes.require_in_service(emp, "dipensiunkan lagi")
    if body.reason is RetirementReason.PERJANJIAN_KERJA_BERAKHIR and emp.asn_type != AsnType.PPPK:
        raise invalid("not_pppk", "Perjanjian kerja berakhir hanya untuk PPPK.", field="reason")
    due = bup_date(emp, convention)
    tmt = body.tmt
    if body.reason is RetirementReason.BUP:
        tmt = tmt or due
        if tmt < due:
            raise invalid(
                "bup_not_reached",
                f"BUP jabatan ini tercapai dengan TMT pensiun {due.isoformat()}.",
                field="tmt",
            )
    if tmt is None:
        raise invalid("tmt_required", "TMT wajib diisi untuk alasan ini.", field="tmt")
    changes.require_not_before(tmt, emp.tmt_status, "status")
    status = _STATUS_BY_REASON.get(body.reason, EmployeeStatus.BERHENTI)
    if body.with_pension and body.reason is RetirementReason.ATAS_PERMINTAAN_SENDIRI:
        status = EmployeeStatus.PENSIUN
    emp.status, emp.tmt_status, emp.retirement_reason = status, tmt, body.reason
    changes.bump(emp)
    event_type = EmployeeRetiredV1.event_type
    changes.record(uow, emp, "status", status, tmt, event_type, {"reason": body.reason})
    unit = await changes.snapshot_unit(uow.session, emp)
    changes.emit(
        uow,
        emp,
        EmployeeRetiredV1(
            employee=employee_snapshot(emp, unit, convention), reason=body.reason, tmt=tmt
        ),
    )
    return unit

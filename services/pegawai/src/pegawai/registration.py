"""Registering an employee, correcting the record, and recording disciplinary penalties."""

from __future__ import annotations

from datetime import UTC, datetime

from asn_schemas.pegawai import (
    AsnType,
    EmployeeRegisteredV1,
    EmployeeUpdatedV1,
    Sex,
)
from servicekit.errors import ProblemError
from servicekit.identity import Identity
from servicekit.problems import conflict, forbidden, invalid
from servicekit.uow import UnitOfWork
from sqlalchemy.exc import IntegrityError

from pegawai import changes
from pegawai.access import is_bkpsdm
from pegawai.api.schemas import CONTACT_FIELDS, EmployeeCreate, EmployeePatch, PenaltyRequest
from pegawai.domain.dates import today_wib
from pegawai.domain.nip import InvalidNip, nip_warnings, parse_nip
from pegawai.domain.retirement import RetirementConvention
from pegawai.events import employee_snapshot
from pegawai.models import Employee, Penalty, Unit

REGISTERED = EmployeeRegisteredV1.event_type
UPDATED = EmployeeUpdatedV1.event_type
# Fields of the event snapshot a PATCH can touch: `changed_fields` names only these.
SNAPSHOT_FIELDS = ("name", "sex", "birth_date", "status")


def _parse_nip(nip: str, asn_type: AsnType) -> None:
    try:
        parse_nip(nip, asn_type)
    except InvalidNip as exc:
        raise ProblemError(
            422,
            "invalid_nip",
            "NIP tidak valid",
            exc.message,
            errors=[{"field": "nip", "code": exc.code, "message": exc.message}],
        ) from exc


def _warnings(emp: Employee) -> list[dict[str, str]]:
    info = parse_nip(emp.nip, AsnType(emp.asn_type))
    found = nip_warnings(
        info,
        asn_type=AsnType(emp.asn_type),
        birth_date=emp.birth_date,
        sex=Sex(emp.sex),
        tmt_cpns=emp.tmt_cpns,
    )
    return [{"code": w.code, "field": w.field, "message": w.message} for w in found]


async def register(
    uow: UnitOfWork, body: EmployeeCreate, convention: RetirementConvention
) -> tuple[Employee, Unit]:
    session = uow.session
    _parse_nip(body.nip, body.asn_type)
    if await session.get(Employee, body.nip) is not None:
        raise conflict("nip_taken", f"NIP {body.nip} sudah terdaftar.")
    unit = await changes.unit_for(session, body.unit_code, field="unit_code")
    await changes.check_supervisor(session, body.nip, body.supervisor_nip)
    if body.tmt_cpns <= body.birth_date:
        raise invalid("tmt_before_birth", "TMT CPNS harus setelah tanggal lahir.", field="tmt_cpns")
    if body.tmt_golongan < body.tmt_cpns:
        raise invalid(
            "tmt_before_cpns", "TMT golongan tidak boleh sebelum TMT CPNS.", field="tmt_golongan"
        )
    position = body.position.to_contract()
    since = body.tmt_golongan
    emp = Employee(
        nip=body.nip,
        name=body.name,
        sex=body.sex,
        birth_date=body.birth_date,
        asn_type=body.asn_type,
        status=body.status,
        tmt_status=body.tmt_cpns,
        golongan=body.golongan,
        tmt_golongan=body.tmt_golongan,
        tmt_cpns=body.tmt_cpns,
        position_code=position.code,
        position_name=position.name,
        position_kind=position.kind,
        position_level=position.level,
        tmt_position=body.tmt_position or since,
        unit_id=unit.id,
        tmt_unit=body.tmt_unit or since,
        supervisor_nip=body.supervisor_nip,
        tmt_supervisor=body.tmt_unit or since,
        education=body.education,
        ujian_dinas=body.ujian_dinas,
        leadership_training=body.leadership_training,
        phone=body.phone,
        address=body.address,
        version=1,
    )
    emp.nip_warnings = _warnings(emp)
    session.add(emp)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent registration of the same NIP won
        raise conflict("nip_taken", f"NIP {body.nip} sudah terdaftar.") from exc
    for field, value, tmt in (
        ("status", emp.status, emp.tmt_status),
        ("golongan", emp.golongan, emp.tmt_golongan),
        ("position", changes.position_value(emp), emp.tmt_position),
        ("unit", changes.unit_value(unit), emp.tmt_unit),
        ("supervisor", emp.supervisor_nip, emp.tmt_supervisor),
    ):
        changes.record(uow, emp, field, value, tmt, REGISTERED)
    changes.emit(uow, emp, EmployeeRegisteredV1(employee=employee_snapshot(emp, unit, convention)))
    return emp, unit


async def patch(
    uow: UnitOfWork,
    who: Identity,
    emp: Employee,
    body: EmployeePatch,
    convention: RetirementConvention,
) -> tuple[Employee, Unit]:
    """Apply the fields sent; no change at all means no new version and no event."""
    sent = body.model_fields_set - {"status_tmt"}
    if not is_bkpsdm(who) and (who.sub != emp.nip or not sent <= CONTACT_FIELDS):
        raise forbidden("Anda hanya dapat mengubah nomor telepon dan alamat Anda sendiri.")
    changed: list[str] = []
    for field in sorted(sent - {"status"}):
        value = getattr(body, field)
        if field in {"name", "sex", "birth_date", "tmt_cpns", "education"} and value is None:
            raise invalid("field_required", f"{field} tidak boleh kosong.", field=field)
        if getattr(emp, field) != value:
            setattr(emp, field, value)
            changed.append(field)
    if body.status is not None and body.status != emp.status:
        changes.require_in_service(emp, "diubah statusnya di sini; gunakan data pensiun")
        assert body.status_tmt is not None
        changes.require_not_before(body.status_tmt, emp.tmt_status, "status")
        emp.status, emp.tmt_status = body.status, body.status_tmt
        changes.record(uow, emp, "status", emp.status, emp.tmt_status, UPDATED)
        changed.append("status")
    unit = await changes.snapshot_unit(uow.session, emp)
    if not changed:
        return emp, unit
    if {"birth_date", "sex", "tmt_cpns"} & set(changed):
        emp.nip_warnings = _warnings(emp)
    corrected = [f for f in changed if f != "status"]
    if corrected:
        # The audit trail names the fields and who changed them, never the values: some
        # (phone, address) are personal data that only the person and BKPSDM may read.
        changes.record(uow, emp, "correction", {"fields": corrected}, today_wib(), UPDATED)
    changes.bump(emp)
    changes.emit(
        uow,
        emp,
        EmployeeUpdatedV1(
            employee=employee_snapshot(emp, unit, convention),
            changed_fields=tuple(f for f in SNAPSHOT_FIELDS if f in changed),
        ),
    )
    return emp, unit


async def add_penalty(uow: UnitOfWork, emp: Employee, body: PenaltyRequest) -> Penalty:
    """Recorded for eligibility only. No event: a penalty is sensitive personal data that
    no consumer in the catalogue needs (UU PDP 27/2022); the row keeps who recorded it."""
    penalty = Penalty(
        nip=emp.nip,
        level=body.level,
        start=body.start,
        end=body.end,
        decree_number=body.decree_number,
        recorded_by=uow.actor.sub,
        recorded_at=datetime.now(UTC),
    )
    uow.session.add(penalty)
    await uow.session.flush()
    return penalty

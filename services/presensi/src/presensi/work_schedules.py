"""Adding an effective-dated work schedule for a unit (`default`: city-wide)."""

from __future__ import annotations

import uuid
from typing import Any

from servicekit.identity import Identity
from servicekit.problems import forbidden, invalid
from servicekit.uow import UnitOfWork

from presensi import access, store
from presensi.domain.schedules import DEFAULT_UNIT, DayHours, days_to_json
from presensi.models import ScheduleRow


def row_view(r: ScheduleRow) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "unit_code": r.unit_code,
        "kind": r.kind,
        "valid_from": r.valid_from.isoformat(),
        "valid_to": r.valid_to.isoformat() if r.valid_to else None,
        "days": r.days,
    }


def may_set(who: Identity, unit_code: str) -> bool:
    """BKPSDM, or the unit's admin_opd for its own unit."""
    return access.is_bkpsdm(who) or (unit_code != DEFAULT_UNIT and access.admin_of(who, unit_code))


async def add(uow: UnitOfWork, who: Identity, unit_code: str, body: Any) -> ScheduleRow:
    if not may_set(who, unit_code):
        raise forbidden("Jadwal kerja diatur BKPSDM atau admin OPD unitnya.")
    if body.valid_to is not None and body.valid_to < body.valid_from:
        raise invalid("dates_out_of_order", "valid_to sebelum valid_from.", field="valid_to")
    for weekday, hours in body.days.items():
        if hours.end <= hours.start:
            raise invalid(
                "hours_out_of_order", "Jam pulang harus setelah jam masuk.", field=f"days.{weekday}"
            )
    await store.require_unit(uow.session, unit_code)
    days = {d: DayHours(h.start, h.end, h.break_minutes) for d, h in body.days.items()}
    row = ScheduleRow(
        id=uuid.uuid4(),
        unit_code=unit_code,
        kind=body.kind,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
        days=days_to_json(days),
        created_by=who.sub,
    )
    uow.session.add(row)
    return row

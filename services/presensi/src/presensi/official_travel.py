"""Registering dinas luar (official travel) for one person and a run of days, by their
direct supervisor or BKPSDM; closing a day counts those days as present."""

from __future__ import annotations

import datetime as dt
from typing import Any

from servicekit.identity import Identity
from servicekit.problems import conflict, forbidden, invalid
from servicekit.uow import UnitOfWork
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from presensi import access, store
from presensi.domain.calendar import days
from presensi.models import OfficialTravel

MAX_DAYS = 93


async def register(
    uow: UnitOfWork, who: Identity, nip: str, start: dt.date, end: dt.date, reference: str
) -> dict[str, Any]:
    """Days already registered are kept as they are; the answer lists the days added.

    Each day is inserted with ON CONFLICT DO NOTHING, so two identical requests at once
    both succeed and between them register each day once (a unique violation otherwise).
    """
    if end < start:
        raise invalid(
            "dates_out_of_order", "Tanggal selesai sebelum tanggal mulai.", field="end_date"
        )
    if (end - start).days >= MAX_DAYS:
        raise invalid(
            "range_too_long", f"Dinas luar paling lama {MAX_DAYS} hari.", field="end_date"
        )
    emp = await store.employee(uow.session, nip)
    if not (access.is_supervisor_of(who, emp) or access.is_bkpsdm(who)):
        raise forbidden("Dinas luar didaftarkan oleh atasan langsung pegawai.")
    if emp.status != "aktif":
        raise conflict("employee_not_active", f"Status pegawai {emp.status}.")
    inserted = await uow.session.execute(
        insert(OfficialTravel)
        .values(
            [
                {"nip": nip, "date": day, "reference": reference, "registered_by": who.sub}
                for day in days(start, end)
            ]
        )
        .on_conflict_do_nothing(index_elements=["nip", "date"])
        .returning(col(OfficialTravel.date))
    )
    registered = sorted(inserted.scalars())
    return {"nip": nip, "reference": reference, "dates": [d.isoformat() for d in registered]}

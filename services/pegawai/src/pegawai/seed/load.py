"""Loading the demo through one unit of work: rows, history and events commit together.

Bulk Core inserts (one executemany per table) keep ~2,500 employees to a few seconds;
only what is missing is inserted, so a rerun changes nothing and publishes nothing.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from asn_schemas.pegawai import EmployeeRegisteredV1, UnitCreatedV1
from servicekit.db import Database
from servicekit.identity import Identity
from servicekit.uow import UnitOfWork
from sqlalchemy import insert, select
from sqlmodel import col

from pegawai.changes import position_value, unit_value
from pegawai.domain.retirement import RetirementConvention
from pegawai.events import employee_snapshot, unit_snapshot
from pegawai.models import Employee, EmployeeHistory, Unit
from pegawai.seed.chart import build
from pegawai.seed.people import Person

ACTOR = Identity.system("demo-seed")
# Kota Sawahlunto's centre; demo offices are spread a little around it.
CENTRE = (-0.6817, 100.7778)


def _unit_rows(existing: dict[str, Unit], today: date) -> list[Unit]:
    units, _ = build(today)
    new: list[Unit] = []
    known = dict(existing)
    for i, demo in enumerate(units):
        if demo.code in known:
            continue
        parent = known.get(demo.parent) if demo.parent else None
        unit = Unit(
            id=uuid.uuid5(uuid.NAMESPACE_URL, f"sawahlunto/demo/unit/{demo.code}"),
            code=demo.code,
            name=demo.name,
            kind=demo.kind,
            parent_id=parent.id if parent else None,
            latitude=round(CENTRE[0] + ((i * 37) % 41 - 20) * 0.0015, 6),
            longitude=round(CENTRE[1] + ((i * 53) % 43 - 21) * 0.0015, 6),
            geofence_radius_m=150,
            active=True,
            demo=True,
            version=1,
        )
        known[demo.code] = unit
        new.append(unit)
    return new


def _employee_row(p: Person, unit: Unit) -> Employee:
    return Employee(
        nip=p.nip, name=p.name, sex=p.sex, birth_date=p.birth_date, asn_type=p.asn_type,
        status="aktif", tmt_status=p.tmt_cpns, golongan=p.golongan, tmt_golongan=p.tmt_golongan,
        tmt_cpns=p.tmt_cpns, position_code=None, position_name=p.position_name,
        position_kind=p.role.kind, position_level=p.role.level, tmt_position=p.tmt_position,
        unit_id=unit.id, tmt_unit=p.tmt_position, supervisor_nip=p.supervisor,
        tmt_supervisor=p.tmt_position, education=p.education, ujian_dinas=p.ujian_dinas,
        leadership_training=p.leadership_training, nip_warnings=[], demo=True, version=1,
    )  # fmt: skip


def _row(model: Unit | Employee) -> dict[str, Any]:
    """Column values for a bulk insert; timestamps come from the database's defaults."""
    return model.model_dump(exclude={"created_at", "updated_at"})


async def load(
    db: Database, topic: str, today: date, convention: RetirementConvention
) -> tuple[int, int]:
    """Insert the missing demo units and employees; returns how many of each."""
    async with UnitOfWork(db, actor=ACTOR, source="/sawahlunto/pegawai", topic=topic) as uow:
        session = uow.session
        existing = {u.code: u for u in (await session.execute(select(Unit))).scalars()}
        new_units = _unit_rows(existing, today)
        units = {**existing, **{u.code: u for u in new_units}}
        if new_units:
            await session.execute(insert(Unit), [_row(u) for u in new_units])
        by_id = {u.id: u for u in units.values()}
        for unit in new_units:
            parent = by_id.get(unit.parent_id) if unit.parent_id else None
            uow.add_event(UnitCreatedV1(unit=unit_snapshot(unit, parent)), subject=unit.code,
                          sequence=1)  # fmt: skip
        _, people = build(today)
        known = set((await session.execute(select(col(Employee.nip)))).scalars())
        rows = [(p, _employee_row(p, units[p.unit])) for p in people if p.nip not in known]
        if rows:
            await session.execute(insert(Employee), [_row(e) for _, e in rows])
            history = []
            for _, e in rows:
                unit = by_id[e.unit_id]
                for field, value, tmt in (
                    ("status", e.status, e.tmt_status),
                    ("golongan", e.golongan, e.tmt_golongan),
                    ("position", position_value(e), e.tmt_position),
                    ("unit", unit_value(unit), e.tmt_unit),
                    ("supervisor", e.supervisor_nip, e.tmt_supervisor),
                ):
                    history.append({"nip": e.nip, "field": field, "value": value, "tmt": tmt,
                                    "event_type": EmployeeRegisteredV1.event_type,
                                    "actor": ACTOR.sub})  # fmt: skip
            await session.execute(insert(EmployeeHistory), history)
            for _, e in rows:
                snapshot = employee_snapshot(e, by_id[e.unit_id], convention)
                uow.add_event(EmployeeRegisteredV1(employee=snapshot), subject=e.nip, sequence=1)
    return len(new_units), len(rows)

"""The demo shifts (`python -m presensi.seed`) on a real database: the RSUD and a
puskesmas get shift types, a published roster with nights, and corrections in each state;
a rerun changes nothing."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from asn_schemas.pegawai import EmployeeRegisteredV1, UnitCreatedV1
from presensi.seed import load
from presensi_testkit import HEAD, MID, OTHER, PPPK, STAFF, Service, snapshot, unit

pytestmark = pytest.mark.integration


async def test_demo_shifts_rosters_and_corrections(service: Service) -> None:
    ids = {"rsud": uuid.uuid4(), "pkm-talawi": uuid.uuid4()}
    for code, unit_id in ids.items():
        model = unit("dinkes").model_copy(update={"unit_id": unit_id, "code": code})
        await service.publish(UnitCreatedV1(unit=model), code)
    people = ((HEAD, "rsud", None), (MID, "rsud", HEAD), (STAFF, "rsud", MID),
              (OTHER, "rsud", MID), (PPPK, "pkm-talawi", MID))  # fmt: skip
    for nip, code, sup in people:
        person = snapshot(nip, "dinkes", sup).model_copy(
            update={"unit_code": code, "unit_id": ids[code]}
        )
        await service.publish(EmployeeRegisteredV1(employee=person), nip)
    await service.consumed(7)

    loaded = await load(service.db, service.settings, date(2025, 3, 10))
    assert loaded == {"units": ["pkm-talawi", "rsud"], "rostered_people": 4, "corrections": 3}
    roster = await service.call("GET", "/rosters/rsud/2025-03")
    assert roster.status_code == 200 and roster.json()["status"] == "published"
    assert {s["code"] for s in roster.json()["shift_types"]} == {"pagi", "siang", "malam"}
    days = roster.json()["people"][0]["days"]
    assert len(days) == 31 and "malam" in days.values()
    statuses = await service.scalar(
        "SELECT string_agg(status, ',' ORDER BY status) FROM attendance_correction"
    )
    assert statuses == "diajukan,disetujui,ditolak"
    events = await service.outbox_total()

    again = await load(service.db, service.settings, date(2025, 3, 10))
    assert again["rostered_people"] == 0 and again["corrections"] == 0
    assert await service.outbox_total() == events

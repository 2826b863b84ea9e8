"""A nurse on night shifts, through the gateway and real processes: a 21:00–07:00 shift
checked in at 20:55 and out at 07:05 the next morning closes as present on the day it
started; a forgotten check-out corrected through the supervisor's inbox changes the
month's recap.

The suite runs on the real clock, so the punches come from a fingerprint device's log
(its lines carry their own timestamps) and go through the same punch desks and rules as
a phone's check-in and check-out.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from e2e_testkit import BKPSDM_NIP, event_on_topic, new_nip, new_unit_code, today_wib

pytestmark = pytest.mark.integration


def _line(pin: str, day: date, hhmm: str) -> dict[str, str]:
    return {"pin": pin, "timestamp": f"{day.isoformat()}T{hhmm}:00"}


async def _recap(portal: Any, nurse: str, month: str, head: str) -> dict[str, int]:
    recap = await portal.call(
        "GET", f"/api/attendance/recap?month={month}&nip={nurse}", as_=(head, "pegawai")
    )
    assert recap.status_code == 200, recap.text
    [person] = recap.json()["people"]
    return dict(person["by_status"])


async def test_a_nurses_night_shift_and_a_forgotten_check_out(portal: Any) -> None:
    unit, head, nurse = new_unit_code(), new_nip(), new_nip(sex=2)
    await portal.unit(unit)
    await portal.employee(head, unit)
    await portal.employee(nurse, unit, head)
    admin = {"as_": (new_nip(), "admin_opd"), "unit": unit}
    night, forgotten = today_wib() - timedelta(days=3), today_wib() - timedelta(days=2)

    await portal.until(
        "POST",
        "/api/shift-types",
        lambda r: r.status_code == 201,
        "presensi knows the unit",
        body={"unit_code": unit, "code": "malam", "name": "Malam", "start": "21:00",
              "end": "07:00", "check_in_before_minutes": 60, "check_out_after_minutes": 240},
        **admin,
    )  # fmt: skip
    months = sorted({night.strftime("%Y-%m"), forgotten.strftime("%Y-%m")})
    for month in months:
        entries = [
            {"nip": nurse, "date": d.isoformat(), "shift": "malam"}
            for d in (night, forgotten)
            if d.strftime("%Y-%m") == month
        ]
        await portal.until(
            "PUT",
            f"/api/rosters/{unit}/{month}",
            lambda r: r.status_code == 200,
            "presensi knows the nurse",
            body={"entries": entries},
            **admin,
        )
        published = await portal.call("POST", f"/api/rosters/{unit}/{month}/publish", **admin)
        assert published.status_code == 200, published.text

    serial = f"ZK-{unit}"
    device = await portal.call(
        "POST", "/api/devices",
        {"serial": serial, "unit_code": unit, "name": "Bangsal Melati", "pins": {"7": nurse}},
        **admin,
    )  # fmt: skip
    assert device.status_code == 201, device.text
    lines = [
        _line("7", night, "20:55"),
        _line("7", night + timedelta(days=1), "07:05"),
        _line("7", forgotten, "20:58"),  # and no check-out the next morning
    ]
    presensi_url = f"http://127.0.0.1:{portal.suite.specs['presensi'].port}"
    async with httpx.AsyncClient(base_url=presensi_url, timeout=30) as agent:
        pushed = await agent.post(
            f"/devices/{serial}/punches",
            json={"records": lines},
            headers={"X-Device-Token": device.json()["token"]},
        )
    assert pushed.status_code == 200, pushed.text
    assert pushed.json()["applied"] == {"check_in": 2, "check_out": 1}
    night_record = await portal.call(
        "GET",
        f"/api/attendance?nip={nurse}&from={night.isoformat()}&to={night.isoformat()}",
        as_=(nurse, "pegawai"),
    )
    [record] = night_record.json()["items"]
    assert record["scheduled_start"] == "21:00" and record["minutes_late"] == 0
    assert record["checked_out_at"] is not None and record["minutes_early"] == 0

    for day in (night, forgotten):
        closed = await portal.call(
            "POST", f"/api/attendance/days/{day.isoformat()}/close", as_=(BKPSDM_NIP, "bkpsdm")
        )
        assert closed.status_code == 200, closed.text
    suite = portal.suite
    closed_night = await event_on_topic(
        suite.stack.kafka.bootstrap,
        suite.topic("presensi"),
        lambda e: (
            e["type"] == "presensi.attendance.day_closed.v1"
            and e["subject"] == nurse
            and e["data"]["date"] == night.isoformat()
        ),
        "the night closed on the day it started",
    )
    assert closed_night["data"]["status"] == "hadir"
    month = forgotten.strftime("%Y-%m")
    before = await _recap(portal, nurse, month, head)
    assert before.get("pulang_cepat") == 1  # no check-out: PSW4

    asked = await portal.call(
        "POST",
        "/api/attendance-corrections",
        {"date": forgotten.isoformat(), "kind": "missing_check_out",
         "check_out_at": f"{forgotten + timedelta(days=1)}T07:02:00+07:00",
         "reason": "Lupa presensi pulang setelah dinas malam"},
        as_=(nurse, "pegawai"),
    )  # fmt: skip
    assert asked.status_code == 201, asked.text
    inbox = await portal.call(
        "GET", "/api/attendance-corrections?approver=me&status=diajukan", as_=(head, "pegawai")
    )
    assert [c["id"] for c in inbox.json()["items"]] == [asked.json()["id"]]
    approved = await portal.call(
        "POST",
        f"/api/attendance-corrections/{asked.json()['id']}/decision",
        {"decision": "approve"},
        as_=(head, "pegawai"),
    )
    assert approved.status_code == 200, approved.text

    after = await _recap(portal, nurse, month, head)
    assert "pulang_cepat" not in after
    assert after["hadir"] == before.get("hadir", 0) + 1
    corrected = await event_on_topic(
        suite.stack.kafka.bootstrap,
        suite.topic("presensi"),
        lambda e: e["type"] == "presensi.attendance.corrected.v1" and e["subject"] == nurse,
        "the correction on the topic",
    )
    assert corrected["data"]["previous_status"] == "pulang_cepat"
    assert corrected["data"]["status"] == "hadir" and corrected["actor"] == head

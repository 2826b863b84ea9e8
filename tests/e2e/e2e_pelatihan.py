"""pelatihan's flows as the HR portal drives them, through the gateway only: an institution
and a published program (BKPSDM), an enrolment through both approvals, completion."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from e2e_testkit import Portal, today_wib


async def published_program(portal: Portal, **overrides: Any) -> dict[str, Any]:
    today = today_wib()
    inst = await portal.call(
        "POST",
        "/api/institutions",
        {
            "name": f"BPSDM Provinsi Sumatera Barat {uuid.uuid4().hex[:6]}",
            "kind": "bpsdm_provinsi",
            "agreement_number": "PKS-07/BPSDM-SB/2026",
            "valid_from": (today - timedelta(days=365)).isoformat(),
            "valid_until": (today + timedelta(days=730)).isoformat(),
        },
    )
    assert inst.status_code == 201, inst.text
    # Within this year when it can be, so that its JP show in this year's views.
    start = today + timedelta(days=14)
    if start.year != today.year:
        start = today + timedelta(days=1)
    end = start + timedelta(days=2)
    if end.year != start.year:
        end = start
    body = {
        "title": "Bimtek Manajemen Kinerja",
        "kind": "bimtek",
        "institution_id": inst.json()["id"],
        "jp": 24,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "place": "Gedung Pusat Kebudayaan Sawahlunto",
        "quota": 20,
        "cost_per_participant": 1_500_000,
        "competencies": ["hasil_kerja", "manajemen_kinerja"],
        **overrides,
    }
    created = await portal.call("POST", "/api/programs", body)
    assert created.status_code == 201, created.text
    published = await portal.call("POST", f"/api/programs/{created.json()['id']}/publish")
    assert published.status_code == 200, published.text
    result: dict[str, Any] = published.json()
    return result


async def budget(portal: Portal, unit: str, year: int, allocated: int) -> None:
    put = await portal.call("PUT", f"/api/training-budgets/{unit}/{year}", {"allocated": allocated})
    assert put.status_code == 200, put.text


async def enrolled(portal: Portal, program_id: str, nip: str) -> dict[str, Any]:
    """An enrolment, once pelatihan's replica knows the employee (it follows pegawai)."""
    response = await portal.until(
        "POST",
        "/api/enrollments",
        lambda r: r.status_code != 422 or r.json().get("code") != "unknown_employee",
        f"pelatihan knows {nip}",
        body={"program_id": program_id},
        as_=(nip, "pegawai"),
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result

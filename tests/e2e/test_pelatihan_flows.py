"""pelatihan through the whole suite: a poor appraisal becomes a training need and a
recommendation, the training is taken and counts towards 20 JP; an approval over budget
is refused; a completed PKA reorders pegawai's DUK. Only the gateway's HTTP API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from e2e_kinerja import agreed_skp, annual_appraisal, in_inbox, me
from e2e_pelatihan import budget, enrolled, published_program
from e2e_testkit import new_nip, new_unit_code, today_wib

pytestmark = pytest.mark.integration


async def test_a_poor_appraisal_leads_to_training_that_counts_towards_twenty_jp(portal):
    unit, boss, staff = new_unit_code(), new_nip(), new_nip(sex=2)
    await portal.unit(unit)
    await portal.employee(boss, unit)
    await portal.employee(staff, unit, boss)
    program = await published_program(portal)
    year = int(program["start"][:4])
    await budget(portal, unit, year, 10_000_000)

    skp = await agreed_skp(portal, staff, boss, 2025)
    await annual_appraisal(portal, skp, boss, "di_bawah_ekspektasi")
    profile = await portal.profile(
        staff,
        lambda p: bool(p["pelatihan"]["recommendations"]),
        "the training need's recommendation on the profile",
    )
    assert profile["pelatihan"]["needs"] == ["hasil_kerja"]
    assert [p["program_id"] for p in profile["pelatihan"]["recommendations"]] == [program["id"]]
    recs = await portal.call("GET", f"/api/recommendations/{staff}", as_=me(staff))
    assert [p["id"] for p in recs.json()["programs"]] == [program["id"]]

    enrolment = await enrolled(portal, program["id"], staff)
    assert (enrolment["status"], enrolment["approver_nip"]) == ("requested", boss)
    item = await in_inbox(portal, boss, "enrollment", "enrollment_id", enrolment["id"])
    first = await portal.call("POST", item["action"], {"decision": "approve"}, as_=me(boss))
    assert first.json()["status"] == "supervisor_approved", first.text
    final = await portal.call("POST", item["action"], {"decision": "approve"})
    assert final.json()["status"] == "approved", final.text

    assert (await portal.call("POST", f"/api/programs/{program['id']}/start")).status_code == 200
    done = await portal.call(
        "POST",
        f"/api/enrollments/{enrolment['id']}/completion",
        {"outcome": "completed", "certificate_number": "STTPP-12/BIMTEK/2026"},
    )
    assert done.status_code == 200, done.text
    jp_year = int(program["end"][:4])
    jp = (await portal.call("GET", f"/api/jp/{staff}?year={jp_year}", as_=me(staff))).json()
    assert (jp["jp"], jp["shortfall"]) == (24, 0)
    compliance = (await portal.call("GET", f"/api/jp?unit={unit}&year={jp_year}")).json()
    assert (compliance["staff"], compliance["compliant"], compliance["compliance"]) == (2, 1, 0.5)
    if jp_year == today_wib().year:  # the read model's views count this year's JP
        profile = await portal.profile(
            staff, lambda p: p["pelatihan"]["jp"] == 24, "JP on the profile"
        )
        assert [c["certificate_number"] for c in profile["pelatihan"]["certificates"]] == [
            "STTPP-12/BIMTEK/2026"
        ]
        dashboard = await portal.until(
            "GET",
            f"/api/units/{unit}/dashboard",
            lambda r: r.json()["pelatihan"]["jp_compliance"]["compliant"] == 1,
            "the unit's JP compliance on the dashboard",
        )
        assert dashboard.json()["pelatihan"]["jp_compliance"]["share"] == 0.5
    line = (await portal.call("GET", f"/api/training-budgets/{unit}/{year}")).json()
    assert (line["spent"], line["remaining"]) == (1_500_000, 8_500_000)


async def test_an_approval_over_the_units_budget_is_refused_with_what_remains(portal):
    unit, nip = new_unit_code(), new_nip()
    await portal.unit(unit)
    await portal.employee(nip, unit)
    program = await published_program(portal, cost_per_participant=4_000_000)
    await budget(portal, unit, int(program["start"][:4]), 3_000_000)
    enrolment = await enrolled(portal, program["id"], nip)
    refused = await portal.call(
        "POST", f"/api/enrollments/{enrolment['id']}/decision", {"decision": "approve"}
    )
    assert refused.status_code == 409
    assert (refused.json()["code"], refused.json()["remaining"]) == ("over_budget", 3_000_000)
    assert "Rp3.000.000" in refused.json()["detail"]


async def test_a_completed_pka_orders_the_units_duk_by_latihan_jabatan(portal):
    unit = new_unit_code()
    older, younger = sorted((new_nip(), new_nip()))  # NIPs start with the birth date
    await portal.unit(unit)
    for nip in (older, younger):
        await portal.employee(nip, unit)
    duk = await portal.call("GET", f"/api/reports/duk?unit={unit}")
    # Same pangkat, jabatan and masa kerja: age decides until latihan jabatan does.
    assert [e["nip"] for e in duk.json()["items"]] == [older, younger]

    start = today_wib() + timedelta(days=7)
    pka = await published_program(
        portal,
        title="Pelatihan Kepemimpinan Administrator",
        kind="pka",
        jp=240,
        end=(start + timedelta(days=60)).isoformat(),
        start=start.isoformat(),
        cost_per_participant=0,
        competencies=["kepemimpinan"],
    )
    enrolment = await enrolled(portal, pka["id"], younger)
    final = await portal.call(
        "POST", f"/api/enrollments/{enrolment['id']}/decision", {"decision": "approve"}
    )
    assert final.status_code == 200, final.text
    assert (await portal.call("POST", f"/api/programs/{pka['id']}/start")).status_code == 200
    done = await portal.call(
        "POST",
        f"/api/enrollments/{enrolment['id']}/completion",
        {"outcome": "completed", "certificate_number": "STTPP-3/PKA/2026"},
    )
    assert done.status_code == 200, done.text
    as_of = pka["end"]
    reordered = await portal.until(
        "GET",
        f"/api/reports/duk?unit={unit}&as_of={as_of}",
        lambda r: [e["nip"] for e in r.json()["items"]] == [younger, older],
        "the DUK ordered by the PKA",
    )
    assert reordered.json()["items"][0]["leadership_training"] == as_of

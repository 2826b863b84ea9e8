"""kinerja through the whole suite: SKP and annual predikat drive pegawai's promotion, and a
mutasi mid-year opens a new SKP with the new supervisor. Only the gateway's HTTP API and
the Kafka topics."""

from __future__ import annotations

from datetime import date

import pytest
from e2e_kinerja import agreed_skp, annual_appraisal, in_inbox, me, submit
from e2e_testkit import BKPSDM_NIP, event_on_topic, new_nip, new_unit_code, today_wib

pytestmark = pytest.mark.integration

PERIOD = "2026-04-01"  # four years after the test employees' TMT golongan (2022-04-01)
YEARS = (2024, 2025)  # the two years pegawai looks at for that period


async def _team(portal) -> tuple[str, str, str]:
    unit, boss, staff = new_unit_code(), new_nip(), new_nip(sex=2)
    await portal.unit(unit)
    await portal.employee(boss, unit)
    await portal.employee(staff, unit, boss)
    return unit, boss, staff


async def _two_years(portal, boss: str, staff: str, hasil: dict[int, str]) -> list[dict]:
    finals = []
    for year in YEARS:
        skp = await agreed_skp(portal, staff, boss, year)
        finals.append(await annual_appraisal(portal, skp, boss, hasil[year]))
    return finals


async def _candidates(portal, unit: str, staff: str, check, what: str) -> dict:
    """pegawai's promotion-candidates report once it says what `check` wants about staff."""

    def entry(body: dict) -> dict | None:
        for group in ("eligible", "not_yet"):
            for item in body[group]:
                if item["nip"] == staff:
                    return {**item, "group": group}
        return None

    report = await portal.until(
        "GET",
        f"/api/reports/promotion-candidates?period={PERIOD}&unit={unit}",
        lambda r: r.status_code == 200 and check(entry(r.json())),
        what,
    )
    found = entry(report.json())
    assert found is not None
    return found


async def test_two_years_baik_make_a_promotion_candidate_promoted_through_the_gateway(portal):
    unit, boss, staff = await _team(portal)
    finals = await _two_years(portal, boss, staff, dict.fromkeys(YEARS, "sesuai_ekspektasi"))
    assert [(f["predikat"], f["predikat_label"]) for f in finals] == [("baik", "Baik")] * 2

    suite = portal.suite
    event = await event_on_topic(
        suite.stack.kafka.bootstrap,
        suite.topic("kinerja"),
        lambda e: (
            e["type"] == "kinerja.appraisal.finalized.v1"
            and e["subject"] == staff
            and e["data"]["period"]["year"] == 2025
        ),
        "the 2025 annual appraisal on kinerja's topic",
    )
    assert (event["data"]["predikat"], event["data"]["annual"]) == ("baik", True)
    assert (event["source"], event["actor"], event["_key"]) == ("/sawahlunto/kinerja", boss, staff)

    profile = await portal.profile(
        staff, lambda p: len(p["kinerja"]["annual_predikat"]) == 2, "both years on the profile"
    )
    assert [(a["year"], a["predikat_label"]) for a in profile["kinerja"]["annual_predikat"]] == [
        (2025, "Baik"),
        (2024, "Baik"),
    ]
    assert profile["kinerja"]["current_skp"]["year"] == 2025
    assert profile["kinerja"]["current_skp"]["appraisal_status"] == "annual_finalized"
    dashboard = await portal.until(
        "GET",
        f"/api/units/{unit}/dashboard",
        lambda r: r.status_code == 200 and len(r.json()["predikat_distribution"]) == 2,
        "the predikat distribution on the unit dashboard",
    )
    distribution = dashboard.json()["predikat_distribution"]
    assert [(d["year"], d["counts"]["baik"], d["total"]) for d in distribution] == [
        (2025, 1, 1),
        (2024, 1, 1),
    ]

    candidate = await _candidates(
        portal, unit, staff, lambda e: e and e["group"] == "eligible", "staff eligible"
    )
    assert candidate["golongan"] == "III/b"
    promoted = await portal.call("POST", f"/api/employees/{staff}/promotions", {"tmt": PERIOD})
    assert promoted.status_code == 200, promoted.text
    assert promoted.json()["golongan"] == "III/c"
    await portal.profile(staff, lambda p: p["golongan"] == "III/c", "the promotion on the profile")


async def test_butuh_perbaikan_in_one_year_refuses_the_promotion_naming_year_and_predikat(portal):
    unit, boss, staff = await _team(portal)
    hasil = {2024: "sesuai_ekspektasi", 2025: "di_bawah_ekspektasi"}
    finals = await _two_years(portal, boss, staff, hasil)
    assert [f["predikat_label"] for f in finals] == ["Baik", "Butuh Perbaikan"]

    def below_baik_only(entry: dict | None) -> bool:
        codes = [r["code"] for r in (entry or {}).get("reasons", [])]
        return codes == ["predikat_below_baik"]

    candidate = await _candidates(
        portal, unit, staff, below_baik_only, "pegawai has both years' predikat"
    )
    assert candidate["group"] == "not_yet"
    refused = await portal.call("POST", f"/api/employees/{staff}/promotions", {"tmt": PERIOD})
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["reasons"] == ["predikat_below_baik"]
    message = problem["errors"][0]["message"]
    assert "2025" in message and "Butuh Perbaikan" in message
    profile = await portal.profile(staff, lambda p: True, "the profile")
    assert profile["golongan"] == "III/b"


async def test_a_mutasi_mid_year_opens_a_new_skp_with_the_new_supervisor(portal):
    _, first_boss, staff = await _team(portal)
    second_unit, second_boss = new_unit_code(), new_nip()
    await portal.unit(second_unit)
    await portal.employee(second_boss, second_unit)
    year = today_wib().year
    earlier = await agreed_skp(portal, staff, first_boss, year)
    await portal.profile(
        staff,
        lambda p: (p["kinerja"]["current_skp"] or {}).get("skp_id") == earlier["id"],
        "the agreed SKP on the profile",
    )

    tmt = date(year, 7, 1)
    moved = await portal.call(
        "POST",
        f"/api/employees/{staff}/transfers",
        {"to_unit_code": second_unit, "tmt": tmt.isoformat(), "supervisor_nip": second_boss},
    )
    assert moved.status_code == 200, moved.text

    skps = await portal.until(
        "GET",
        f"/api/skp?nip={staff}&year={year}",
        lambda r: r.status_code == 200 and len(r.json()["items"]) == 2,
        "kinerja split the SKP at the mutasi",
        as_=me(staff),
    )
    by_id = {s["id"]: s for s in skps.json()["items"]}
    kept = by_id.pop(earlier["id"])
    [new] = by_id.values()
    assert (kept["status"], kept["rater_nip"], kept["approver_nip"]) == (
        "approved",
        first_boss,
        first_boss,
    )
    assert (kept["closed_on"], kept["closed_reason"]) == (tmt.isoformat(), "mutasi")
    assert kept["end"] < tmt.isoformat()
    assert (new["status"], new["rater_nip"]) == ("draft", second_boss)
    assert new["unit_code"] == second_unit
    assert (new["start"], new["supersedes_id"]) == (tmt.isoformat(), earlier["id"])
    assert [r["title"] for r in new["rhk"]] == [r["title"] for r in earlier["rhk"]]

    await submit(portal, f"/api/skp/{new['id']}/submit", staff)
    item = await in_inbox(portal, second_boss, "skp", "skp_id", new["id"])
    former = await portal.call("POST", item["action"], as_=me(first_boss))
    assert former.status_code == 403, former.text
    approved = await portal.call("POST", item["action"], as_=me(second_boss))
    assert approved.status_code == 200, approved.text

    suite = portal.suite
    event = await event_on_topic(
        suite.stack.kafka.bootstrap,
        suite.topic("kinerja"),
        lambda e: e["type"] == "kinerja.skp.approved.v1" and e["data"]["skp_id"] == new["id"],
        "the new SKP's approval on kinerja's topic",
    )
    assert event["data"]["supersedes_skp_id"] == earlier["id"]
    assert event["data"]["approver_nip"] == second_boss
    profile = await portal.profile(
        staff,
        lambda p: (
            (p["kinerja"]["current_skp"] or {}).get("skp_id") == new["id"]
            and p["kinerja"]["current_skp"]["status"] == "approved"
        ),
        "the new SKP, agreed, on the profile",
    )
    current, [before] = profile["kinerja"]["current_skp"], profile["kinerja"]["skp_history"]
    assert (current["approver_nip"], current["unit_code"]) == (second_boss, second_unit)
    assert (before["skp_id"], before["status"]) == (earlier["id"], "superseded")
    assert profile["unit"]["code"] == second_unit
    # The earlier SKP is still there for anyone allowed to read it, e.g. BKPSDM.
    kept_again = await portal.call("GET", f"/api/skp/{earlier['id']}", as_=(BKPSDM_NIP, "bkpsdm"))
    assert kept_again.status_code == 200 and kept_again.json()["closed_reason"] == "mutasi"

"""DUK as of a date, promotion candidates for a period, upcoming retirements."""

import pytest
from pegawai.domain.dates import add_months, add_years, first_of_next_month, today_wib
from pegawai_testkit import (
    HEAD,
    MID,
    OTHER,
    STAFF,
    appraisals_arrived,
    employee_body,
    publish_appraisal,
)

pytestmark = pytest.mark.integration


async def test_duk_orders_by_pangkat_then_the_later_keys_and_reads_as_of(city):
    duk = (await city.call("GET", "/reports/duk")).json()
    # HEAD is IV/b; the three III/b (TMT 2022-04-01) are ordered by masa kerja (TMT CPNS).
    assert [e["nip"] for e in duk["items"]] == [HEAD, MID, OTHER, STAFF]
    assert [e["rank"] for e in duk["items"]] == [1, 2, 3, 4]
    promoted = await city.call(
        "POST",
        f"/employees/{STAFF}/promotions",
        {"tmt": "2026-04-01", "override_justification": "uji DUK"},
    )
    assert promoted.status_code == 200
    now = (await city.call("GET", "/reports/duk?as_of=2026-06-30")).json()
    assert [e["nip"] for e in now["items"]] == [HEAD, STAFF, MID, OTHER]
    last_year = (await city.call("GET", "/reports/duk?as_of=2025-12-31")).json()
    assert [e["nip"] for e in last_year["items"]] == [HEAD, MID, OTHER, STAFF]
    dinkes = (await city.call("GET", "/reports/duk?unit=dinkes-p2p&as_of=2025-12-31")).json()
    assert [e["nip"] for e in dinkes["items"]] == [MID, STAFF]


async def test_duk_leaves_out_pppk_and_those_who_left(city):
    pppk = employee_body(
        "199001012022211001",
        "dinkes",
        asn_type="pppk",
        golongan="IX",
        tmt_cpns="2022-01-01",
        tmt_golongan="2022-01-01",
    )
    assert (await city.call("POST", "/employees", pppk)).status_code == 201
    gone = await city.call(
        "POST",
        f"/employees/{OTHER}/retirement",
        {"reason": "atas_permintaan_sendiri", "tmt": "2026-02-01"},
    )
    assert gone.status_code == 200
    duk = (await city.call("GET", "/reports/duk?as_of=2026-06-30")).json()
    assert [e["nip"] for e in duk["items"]] == [HEAD, MID, STAFF]
    before = (await city.call("GET", "/reports/duk?as_of=2026-01-31")).json()
    assert OTHER in [e["nip"] for e in before["items"]]


async def test_promotion_candidates_say_who_is_eligible_and_why_not_yet(city):
    await publish_appraisal(city, STAFF, 2024, "baik")
    await publish_appraisal(city, STAFF, 2025, "sangat_baik")
    await appraisals_arrived(city, STAFF, 2)
    report = (await city.call("GET", "/reports/promotion-candidates?period=2026-04-01")).json()
    assert [e["nip"] for e in report["eligible"]] == [STAFF]
    not_yet = {e["nip"]: [r["code"] for r in e["reasons"]] for e in report["not_yet"]}
    assert not_yet[MID] == ["appraisal_missing", "appraisal_missing"]
    assert OTHER in not_yet
    assert HEAD not in not_yet  # IV/b with S2: past the regular ceiling, a pilihan path
    bad = await city.call("GET", "/reports/promotion-candidates?period=2026-04-02")
    assert bad.status_code == 422 and bad.json()["code"] == "not_period_date"


async def test_upcoming_retirements(city):
    # Pelaksana (BUP 58) whose 58th birthday is about three months from today.
    born = add_months(add_years(today_wib(), -58), 3).replace(day=10)
    near = f"{born:%Y%m%d}2000031013"
    body = employee_body(near, "dinkes", tmt_golongan="2016-04-01", golongan="III/d")
    assert (await city.call("POST", "/employees", body)).status_code == 201, body
    report = (await city.call("GET", "/reports/retirements?months=12")).json()
    expected = first_of_next_month(add_years(born, 58)).isoformat()
    assert [(e["nip"], e["retirement_date"], e["overdue"]) for e in report["items"]] == [
        (near, expected, False)
    ]
    assert (await city.call("GET", "/reports/retirements?months=1")).json()["items"] == []

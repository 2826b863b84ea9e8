"""Who sees which profile, dashboard and search result (the services' rules)."""

import pytest
from gateway_testkit import BKPSDM_NIP, HEAD, MID, OTHER, STAFF, city_events

pytestmark = pytest.mark.integration


@pytest.fixture
async def city(gateway):
    await gateway.publish(*city_events(gateway.settings.pegawai_topic))
    await gateway.dashboard_when("dinkes", lambda d: d["headcount"]["total"] == 3, "city")
    await gateway.profile_when(OTHER, lambda p: True, "city")
    return gateway


@pytest.mark.parametrize(
    ("caller", "unit", "status"),
    [
        ((STAFF, "pegawai"), None, 200),  # the person
        ((MID, "pegawai"), None, 200),  # direct supervisor
        ((HEAD, "pegawai"), None, 200),  # supervisor's supervisor
        ((OTHER, "pegawai"), None, 403),  # someone else
        (("199901012020011001", "admin_opd"), "dinkes", 200),  # admin of a unit above
        (("199901012020011001", "admin_opd"), "dinkes-p2p", 200),  # admin of the unit
        (("199901012020011001", "admin_opd"), "disdik", 403),  # admin elsewhere
        ((BKPSDM_NIP, "bkpsdm"), None, 200),
        (("199901012020011002", "auditor"), None, 200),
    ],
)
async def test_profile_access(city, caller, unit, status):
    response = await city.get(f"/api/profiles/{STAFF}", as_=caller, unit=unit)
    assert response.status_code == status, response.text
    if status == 403:
        assert response.json()["code"] == "forbidden"


async def test_a_report_does_not_see_their_supervisor(city):
    response = await city.get(f"/api/profiles/{MID}", as_=(STAFF, "pegawai"))
    assert response.status_code == 403


async def test_no_contact_data_reaches_the_read_model(city):
    profile = (
        await city.get(f"/api/profiles/{STAFF}", as_=("199901012020011002", "auditor"))
    ).json()
    assert not {"phone", "address", "nik", "contact"} & set(profile)


async def test_dashboard_access(city):
    assert (
        await city.get("/api/units/dinkes/dashboard", as_=(STAFF, "pegawai"))
    ).status_code == 403
    ok = await city.get(
        "/api/units/dinkes-p2p/dashboard", as_=("1" * 18, "admin_opd"), unit="dinkes"
    )
    assert ok.status_code == 200
    assert ok.json()["headcount"]["total"] == 2
    other = await city.get(
        "/api/units/dinkes/dashboard", as_=("1" * 18, "admin_opd"), unit="disdik"
    )
    assert other.status_code == 403
    assert (await city.get("/api/units/nowhere/dashboard")).status_code == 404


async def test_search_by_nip_prefix_and_name_within_what_the_caller_sees(city):
    everyone = (await city.get("/api/search?q=Pegawai")).json()["items"]
    assert {i["nip"] for i in everyone} == {HEAD, MID, STAFF, OTHER}
    by_nip = (await city.get(f"/api/search?q={STAFF[:8]}")).json()["items"]
    assert [i["nip"] for i in by_nip] == [STAFF]
    by_part = (await city.get(f"/api/search?q={MID[-4:]}, s.t")).json()["items"]
    assert [i["nip"] for i in by_part] == [MID]
    as_head = (await city.get("/api/search?q=pegawai", as_=(HEAD, "pegawai"))).json()["items"]
    assert {i["nip"] for i in as_head} == {HEAD, MID, STAFF}
    as_staff = (await city.get("/api/search?q=pegawai", as_=(STAFF, "pegawai"))).json()["items"]
    assert {i["nip"] for i in as_staff} == {STAFF}
    as_admin = await city.get("/api/search?q=pegawai", as_=("1" * 18, "admin_opd"), unit="disdik")
    assert {i["nip"] for i in as_admin.json()["items"]} == {OTHER}
    assert (await city.get("/api/search?q=%25_")).json()["items"] == []
    assert (await city.get("/api/search?q=a")).status_code == 422

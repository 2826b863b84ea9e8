"""Access is checked on every object: own record, atasan chain, admin_opd subtree, auditor."""

import pytest
from pegawai_testkit import HEAD, MID, OTHER, STAFF, employee_body

pytestmark = pytest.mark.integration

AUDITOR = "196912121994031011"


async def read(city, nip, *who, unit=None):
    return await city.call("GET", f"/employees/{nip}", as_=who, unit=unit)


async def test_without_a_token_is_401(city):
    response = await city.client.get(f"/employees/{STAFF}")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


async def test_an_asn_reads_their_own_record_with_contact_but_not_others(city):
    own = await read(city, STAFF, STAFF, "pegawai")
    assert own.status_code == 200
    assert own.json()["phone"]
    assert (await read(city, OTHER, STAFF, "pegawai")).status_code == 403
    assert (await read(city, MID, STAFF, "pegawai")).status_code == 403  # not upwards
    history = await city.call("GET", f"/employees/{OTHER}/history", as_=(STAFF, "pegawai"))
    assert history.status_code == 403


async def test_supervisors_read_their_reports_without_contact(city):
    direct = await read(city, STAFF, MID, "pegawai")
    assert direct.status_code == 200
    assert "phone" not in direct.json() and "address" not in direct.json()
    assert (await read(city, STAFF, HEAD, "pegawai")).status_code == 200  # down the chain
    assert (await read(city, OTHER, HEAD, "pegawai")).status_code == 403


async def test_admin_opd_reads_its_unit_and_subunits_only(city):
    in_subunit = await read(city, STAFF, "198101012006041012", "admin_opd", unit="dinkes")
    assert in_subunit.status_code == 200
    assert "phone" not in in_subunit.json()
    elsewhere = await read(city, STAFF, "198101012006041012", "admin_opd", unit="disdik")
    assert elsewhere.status_code == 403
    listed = await city.call(
        "GET", "/employees", as_=("198101012006041012", "admin_opd"), unit="dinkes"
    )
    assert {e["nip"] for e in listed.json()["items"]} == {HEAD, MID, STAFF}


async def test_auditor_reads_everyone_without_contact(city):
    response = await read(city, OTHER, AUDITOR, "auditor")
    assert response.status_code == 200
    assert "phone" not in response.json()
    listed = await city.call("GET", "/employees", as_=(AUDITOR, "auditor"))
    assert len(listed.json()["items"]) == 4
    assert all("phone" not in e for e in listed.json()["items"])


async def test_lists_show_an_asn_themselves_and_their_reports(city):
    listed = await city.call("GET", "/employees", as_=(MID, "pegawai"))
    assert {e["nip"] for e in listed.json()["items"]} == {MID, STAFF}


async def test_only_bkpsdm_changes_the_record(city):
    new = employee_body("199505052020121007", "dinkes")
    admin = ("198101012006041012", "admin_opd")
    assert (await city.call("POST", "/employees", new, as_=admin, unit="dinkes")).status_code == 403
    for method, path, body in (
        ("POST", f"/employees/{STAFF}/promotions", {"tmt": "2026-04-01"}),
        ("POST", f"/employees/{STAFF}/transfers", {"to_unit_code": "disdik", "tmt": "2026-07-01"}),
        ("PUT", f"/employees/{STAFF}/supervisor", {"supervisor_nip": None, "tmt": "2026-07-01"}),
        (
            "POST",
            f"/employees/{STAFF}/retirement",
            {"reason": "atas_permintaan_sendiri", "tmt": "2026-07-01"},
        ),
        ("POST", "/units", {"code": "x", "name": "X", "kind": "dinas"}),
    ):
        response = await city.call(method, path, body, as_=(MID, "pegawai"))
        assert response.status_code == 403, (path, response.text)
        assert response.json()["code"] == "forbidden"


async def test_an_asn_updates_only_their_own_contact_details(city):
    own = await city.call(
        "PATCH",
        f"/employees/{STAFF}",
        {"phone": "+62 813 1111 2222"},
        as_=(STAFF, "pegawai"),
        headers={"If-Match": '"1"'},
    )
    assert own.status_code == 200, own.text
    assert own.json()["phone"] == "+62 813 1111 2222"
    name = await city.call(
        "PATCH",
        f"/employees/{STAFF}",
        {"name": "Someone Else"},
        as_=(STAFF, "pegawai"),
        headers={"If-Match": '"2"'},
    )
    assert name.status_code == 403
    other = await city.call(
        "PATCH",
        f"/employees/{MID}",
        {"phone": "+62 1"},
        as_=(STAFF, "pegawai"),
        headers={"If-Match": '"1"'},
    )
    assert other.status_code == 403
    events = await city.published_events(expected=8)
    [updated] = [e for e in events if e["type"] == "pegawai.employee.updated.v1"]
    assert updated["data"]["changed_fields"] == []  # contact changed: nothing consumers see
    assert "+62 813" not in str(updated)
    history = (await city.call("GET", f"/employees/{STAFF}/history")).json()["items"]
    [audit] = [h for h in history if h["field"] == "correction"]
    assert audit["value"] == {"fields": ["phone"]}
    assert audit["actor"] == STAFF


async def test_reports_are_for_bkpsdm_auditor_and_admin_opd_in_scope(city):
    asn = await city.call("GET", "/reports/duk", as_=(STAFF, "pegawai"))
    assert asn.status_code == 403
    admin = await city.call(
        "GET", "/reports/duk", as_=("198101012006041012", "admin_opd"), unit="dinkes"
    )
    assert {e["nip"] for e in admin.json()["items"]} == {HEAD, MID, STAFF}
    outside = await city.call(
        "GET", "/reports/duk?unit=disdik", as_=("198101012006041012", "admin_opd"), unit="dinkes"
    )
    assert outside.status_code == 403
    auditor = await city.call("GET", "/reports/duk", as_=(AUDITOR, "auditor"))
    assert auditor.json()["total"] == 4

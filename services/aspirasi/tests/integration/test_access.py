"""Staff see the tickets of their unit (the coordinator all); everyone else nothing."""

import pytest
from aspirasi_testkit import Service

pytestmark = pytest.mark.integration


async def test_units_see_and_handle_only_their_tickets(city: Service):
    ours, theirs = await city.submit(), await city.submit()
    await city.staff("POST", f"/submissions/{ours['id']}/route", {"unit_code": "dinkes"})
    await city.staff("POST", f"/submissions/{theirs['id']}/route", {"unit_code": "disdik"})

    listed = (await city.unit_admin("GET", "/submissions")).json()["items"]
    assert [s["code"] for s in listed] == [ours["code"]]
    assert (await city.unit_admin("GET", f"/submissions/{theirs['id']}")).status_code == 404
    foreign = await city.unit_admin(
        "POST", f"/submissions/{theirs['id']}/follow-up", {"text": "Bukan punya kami."}
    )
    assert foreign.status_code == 403
    coordinator_list = (await city.staff("GET", "/submissions")).json()["items"]
    assert {s["code"] for s in coordinator_list} == {ours["code"], theirs["code"]}


async def test_only_the_coordinator_decides(city: Service):
    sub = await city.submit()
    response = await city.unit_admin(
        "POST", f"/submissions/{sub['id']}/route", {"unit_code": "dinkes"}
    )
    assert response.status_code == 403


async def test_a_plain_employee_and_an_anonymous_caller_see_nothing(city: Service):
    sub = await city.submit()
    employee = await city.staff("GET", "/submissions", as_="199001012015011005", roles=("pegawai",))
    assert employee.status_code == 403
    nobody = await city.client.get(f"/submissions/{sub['id']}")
    assert nobody.status_code == 401
    public = await city.public("GET", "/public/board")
    assert public.status_code == 200  # no token needed


async def test_staff_see_the_reporter_only_of_a_publik_ticket(city: Service):
    named = await city.submit(
        privacy="publik", reporter_name="Siti", contact={"phone": "+62 812 1234 5678"}
    )
    hidden = await city.submit(privacy="anonim", reporter_name="Rudi")
    a = (await city.staff("GET", f"/submissions/{named['id']}")).json()
    b = (await city.staff("GET", f"/submissions/{hidden['id']}")).json()
    assert a["reporter_name"] == "Siti" and a["has_contact"] is True
    assert "contact" not in a and "+62" not in str(a)
    assert b["reporter_name"] is None


async def test_the_test_clock_does_not_exist_unless_switched_on(city: Service):
    moved = await city.staff("PUT", "/testing/clock", {"now": "2031-01-01T00:00:00Z"})
    assert moved.status_code == 404

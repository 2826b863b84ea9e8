"""Bad input and races answer a 4xx problem with a stable code and change nothing (issue 10)."""

from __future__ import annotations

import asyncio

import pytest
from presensi_testkit import HEAD, MID, STAFF, Service

pytestmark = pytest.mark.integration


async def assert_refused(city: Service, method, path, body, status, code, *, as_=None):
    before = await city.counts()
    kwargs = {"as_": as_} if as_ else {}
    response = await city.call(method, path, body, **kwargs)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == code, problem
    assert await city.counts() == before
    return problem


async def test_two_identical_holiday_declarations_at_once(city: Service) -> None:
    body = {"date": "2025-03-31", "name": "Idul Fitri", "kind": "libur_nasional"}
    responses = await asyncio.gather(*(city.call("POST", "/holidays", body) for _ in range(4)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409, 409, 409], [r.text for r in responses]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"holiday_exists"}
    assert await city.scalar("SELECT count(*) FROM holiday") == 1
    assert await city.scalar("SELECT count(*) FROM outbox") == 1


async def test_two_identical_official_travel_registrations_at_once(city: Service) -> None:
    body = {
        "nip": STAFF,
        "start_date": "2025-03-10",
        "end_date": "2025-03-14",
        "reference": "ST-1/2025",
    }
    responses = await asyncio.gather(
        *(city.call("POST", "/attendance/official-travel", body, as_=(MID,)) for _ in range(4))
    )
    assert [r.status_code for r in responses] == [201] * 4, [r.text for r in responses]
    # Between them the requests registered each day once.
    registered = sorted(d for r in responses for d in r.json()["dates"])
    assert registered == [f"2025-03-{d}" for d in range(10, 15)]
    assert await city.scalar("SELECT count(*) FROM official_travel") == 5


@pytest.mark.parametrize(
    ("path", "as_"),
    [
        ("/schedules/nowhere", None),
        ("/attendance/recap?month=2025-03&unit=nowhere", None),
        ("/attendance/recap?month=2025-03&unit=nowhere", (HEAD, "admin_opd")),
    ],
)
async def test_an_unknown_unit_is_404_everywhere(city: Service, path, as_) -> None:
    kwargs = {"as_": as_, "unit": "nowhere"} if as_ else {}
    response = await city.call("GET", path, **kwargs)
    assert response.status_code == 404, response.text
    assert response.json()["code"] == "unit_not_found"
    put = {"days": {"0": {"start": "07:30", "end": "16:00", "break_minutes": 60}}}
    await assert_refused(
        city, "PUT", "/schedules/nowhere", put | {"valid_from": "2025-01-01"}, 404, "unit_not_found"
    )


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        (
            "POST",
            "/leave-requests",
            {"leave_type": "tahunan", "start_date": "9999-12-30", "end_date": "9999-12-31"},
            "body.start_date",
        ),
        (
            "POST",
            "/holidays",
            {"date": "0001-01-01", "name": "x", "kind": "libur_nasional"},
            "body.date",
        ),
        (
            "POST",
            "/attendance/official-travel",
            {"nip": STAFF, "start_date": "2025-03-10", "end_date": "9999-03-10", "reference": "x"},
            "body.end_date",
        ),
        ("POST", "/attendance/days/0001-01-01/close", None, "path.day"),
        ("GET", f"/attendance?nip={STAFF}&from=0001-01-01&to=2025-01-01", None, "query.from"),
        ("GET", "/schedules/default?on=9999-12-31", None, "query.on"),
    ],
)
async def test_dates_outside_their_plausible_range(city: Service, method, path, body, field):
    as_ = (STAFF,) if path == "/leave-requests" else None
    problem = await assert_refused(city, method, path, body, 422, "validation_error", as_=as_)
    assert (field, "date_out_of_range") in [(e["field"], e["code"]) for e in problem["errors"]]


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        (
            "POST",
            "/leave-requests",
            {
                "leave_type": "tahunan",
                "start_date": "2025-03-10",
                "end_date": "2025-03-11",
                "reason": "urusan\u0000keluarga",
            },
            "body.reason",
        ),
        (
            "POST",
            "/holidays",
            {"date": "2025-05-01", "name": "Hari\u0000Buruh", "kind": "libur_nasional"},
            "body.name",
        ),
        ("GET", "/schedules/din%00kes", None, "path.unit_code"),
        ("GET", "/attendance/recap?month=2025-03&unit=din%00kes", None, "query.unit"),
        ("GET", f"/leave-balances/{STAFF}%00", None, "path.nip"),
    ],
)
async def test_nul_characters_are_refused_naming_the_field(
    city: Service, method, path, body, field
):
    as_ = (STAFF,) if path == "/leave-requests" else None
    problem = await assert_refused(city, method, path, body, 422, "validation_error", as_=as_)
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [(field, "nul_character")]

"""Bad input gets a problem+json with a stable code, and changes nothing: no row, no event."""

import asyncio

import pytest
from pegawai_testkit import HEAD, MID, OTHER, STAFF, employee_body

pytestmark = pytest.mark.integration

NEW = "199505052020121007"


async def assert_refused(city, method, path, body, status, code, headers=None, raw=None):
    outbox = await city.outbox_count()
    employees = await city.scalar("SELECT count(*) FROM employee")
    history = await city.scalar("SELECT count(*) FROM employee_history")
    versions = await city.scalar("SELECT sum(version) FROM employee")
    if raw is not None:
        token = city.auth()
        response = await city.client.request(
            method, path, content=raw, headers={**token, "content-type": "application/json"}
        )
    else:
        response = await city.call(method, path, body, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == code
    assert problem["status"] == status and problem["title"]
    assert await city.outbox_count() == outbox
    assert await city.scalar("SELECT count(*) FROM employee") == employees
    assert await city.scalar("SELECT count(*) FROM employee_history") == history
    assert await city.scalar("SELECT sum(version) FROM employee") == versions
    return problem


async def test_duplicate_nip(city):
    await assert_refused(
        city, "POST", "/employees", employee_body(STAFF, "dinkes"), 409, "nip_taken"
    )


@pytest.mark.parametrize(
    ("nip", "reason"),
    [
        ("12345", "nip_length"),
        ("19900202201503200x", "nip_not_digits"),
        ("199002302015032004", "nip_birth_date"),
        ("199002022015132004", "nip_tmt_cpns"),
    ],
)
async def test_malformed_nip(city, nip, reason):
    body = employee_body(STAFF, "dinkes") | {"nip": nip}
    problem = await assert_refused(city, "POST", "/employees", body, 422, "invalid_nip")
    assert problem["errors"][0]["code"] == reason


async def test_unknown_unit_and_supervisor(city):
    await assert_refused(
        city, "POST", "/employees", employee_body(NEW, "nowhere"), 422, "unknown_unit"
    )
    await assert_refused(
        city,
        "POST",
        "/employees",
        employee_body(NEW, "dinkes", "196001011985031009"),
        422,
        "unknown_supervisor",
    )
    await assert_refused(
        city,
        "POST",
        f"/employees/{STAFF}/transfers",
        {"to_unit_code": "nowhere", "tmt": "2026-01-01"},
        422,
        "unknown_unit",
    )


async def test_promotion_past_iv_e(city):
    top = "196505051990031008"
    body = employee_body(top, "dinkes", golongan="IV/e", education="s3", tmt_golongan="2015-04-01")
    assert (await city.call("POST", "/employees", body)).status_code == 201
    await assert_refused(
        city,
        "POST",
        f"/employees/{top}/promotions",
        {"tmt": "2026-04-01", "override_justification": "x"},
        422,
        "golongan_at_top",
    )


async def test_promotion_of_pppk(city):
    pppk = "199001012022211001"
    body = employee_body(
        pppk,
        "dinkes",
        asn_type="pppk",
        golongan="IX",
        tmt_cpns="2022-01-01",
        tmt_golongan="2022-01-01",
    )
    assert (await city.call("POST", "/employees", body)).status_code == 201, body
    await assert_refused(
        city,
        "POST",
        f"/employees/{pppk}/promotions",
        {"tmt": "2026-04-01"},
        422,
        "pppk_no_promotion",
    )


async def test_promotion_not_one_step_or_off_period(city):
    await assert_refused(
        city,
        "POST",
        f"/employees/{STAFF}/promotions",
        {"tmt": "2026-04-01", "to_golongan": "III/d"},
        422,
        "not_one_step",
    )
    await assert_refused(
        city,
        "POST",
        f"/employees/{STAFF}/promotions",
        {"tmt": "2026-04-15"},
        422,
        "not_period_date",
    )


async def test_stale_and_missing_if_match(city):
    await assert_refused(
        city,
        "PATCH",
        f"/employees/{STAFF}",
        {"name": "X"},
        412,
        "precondition_failed",
        headers={"If-Match": '"7"'},
    )
    await assert_refused(
        city, "PATCH", f"/employees/{STAFF}", {"name": "X"}, 428, "precondition_required"
    )
    await assert_refused(
        city,
        "POST",
        f"/employees/{STAFF}/transfers",
        {"to_unit_code": "disdik", "tmt": "2026-01-01"},
        412,
        "precondition_failed",
        headers={"If-Match": '"0"'},
    )


async def test_supervisor_cycle(city):
    # STAFF reports to MID, who reports to HEAD: HEAD may not report to STAFF.
    await assert_refused(
        city,
        "PUT",
        f"/employees/{HEAD}/supervisor",
        {"supervisor_nip": STAFF, "tmt": "2026-01-01"},
        422,
        "supervisor_cycle",
    )
    await assert_refused(
        city,
        "PUT",
        f"/employees/{MID}/supervisor",
        {"supervisor_nip": MID, "tmt": "2026-01-01"},
        422,
        "supervisor_cycle",
    )
    await assert_refused(
        city,
        "PUT",
        f"/employees/{HEAD}/position",
        {
            "name": "Kepala Dinas",
            "kind": "jpt",
            "level": "pratama",
            "tmt": "2026-01-01",
            "supervisor_nip": MID,
        },
        422,
        "supervisor_cycle",
    )


async def test_tmt_before_current(city):
    await assert_refused(
        city,
        "POST",
        f"/employees/{STAFF}/promotions",
        {"tmt": "2022-04-01"},
        422,
        "tmt_before_current",
    )
    await assert_refused(
        city,
        "POST",
        f"/employees/{STAFF}/transfers",
        {"to_unit_code": "disdik", "tmt": "2021-01-01"},
        422,
        "tmt_before_current",
    )
    await assert_refused(
        city,
        "PUT",
        f"/employees/{STAFF}/position",
        {
            "name": "Analis SDM Aparatur",
            "kind": "fungsional",
            "level": "ahli_pertama",
            "tmt": "2020-01-01",
        },
        422,
        "tmt_before_current",
    )
    await assert_refused(
        city,
        "POST",
        f"/employees/{OTHER}/retirement",
        {"reason": "atas_permintaan_sendiri", "tmt": "2000-01-01"},
        422,
        "tmt_before_current",
    )


async def test_empty_body_oversized_body_and_unknown_fields(city):
    await assert_refused(city, "POST", "/employees", None, 422, "validation_error", raw=b"")
    await assert_refused(city, "POST", "/employees", None, 422, "validation_error", raw=b"{}")
    await assert_refused(
        city,
        "PATCH",
        f"/employees/{STAFF}",
        {},
        422,
        "validation_error",
        headers={"If-Match": '"1"'},
    )
    huge = employee_body(NEW, "dinkes") | {"name": "A" * 100_000}
    await assert_refused(city, "POST", "/employees", huge, 413, "payload_too_large")
    extra = employee_body(NEW, "dinkes") | {"nik": "1371010101900001"}
    problem = await assert_refused(city, "POST", "/employees", extra, 422, "validation_error")
    assert problem["errors"][0]["field"].endswith("nik")
    await assert_refused(
        city,
        "POST",
        f"/employees/{STAFF}/promotions",
        {"tmt": "2026-04-01", "golongan": "III/c"},
        422,
        "validation_error",
    )
    await assert_refused(
        city,
        "PATCH",
        f"/employees/{STAFF}",
        {"golongan": "IV/a"},
        422,
        "validation_error",
        headers={"If-Match": '"1"'},
    )
    await assert_refused(city, "POST", "/employees", None, 422, "validation_error", raw=b"not json")


async def test_retired_employee_cannot_be_promoted_or_transferred(city):
    retired = await city.call(
        "POST", f"/employees/{OTHER}/retirement", {"reason": "meninggal_dunia", "tmt": "2026-06-01"}
    )
    assert retired.status_code == 200, retired.text
    assert retired.json()["status"] == "meninggal"
    await assert_refused(
        city,
        "POST",
        f"/employees/{OTHER}/promotions",
        {"tmt": "2026-07-01", "override_justification": "x"},
        409,
        "employee_not_active",
    )
    await assert_refused(
        city,
        "POST",
        f"/employees/{OTHER}/transfers",
        {"to_unit_code": "dinkes", "tmt": "2026-07-01"},
        409,
        "employee_not_active",
    )
    await assert_refused(
        city,
        "POST",
        f"/employees/{OTHER}/retirement",
        {"reason": "bup"},
        409,
        "employee_not_active",
    )


async def test_unknown_employee_and_unit(city):
    await assert_refused(
        city, "GET", "/employees/196001011985031009", None, 404, "employee_not_found"
    )
    await assert_refused(city, "GET", "/units/nowhere", None, 404, "unit_not_found")


# Findings of issue 10 (a new user and a fuzzer): each answered 500 before.


@pytest.mark.parametrize("kind", ["jpt", "fungsional"])
async def test_position_change_without_the_level_its_kind_needs(city, kind):
    body = {"name": "Jabatan baru", "kind": kind, "tmt": "2026-05-01"}
    problem = await assert_refused(
        city, "PUT", f"/employees/{STAFF}/position", body, 422, "validation_error"
    )
    assert "level" in problem["errors"][0]["message"]


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", f"/employees/{STAFF}/promotions", {"tmt": "0001-01-01"}, "body.tmt"),
        ("POST", f"/employees/{STAFF}/promotions", {"tmt": "9999-10-01"}, "body.tmt"),
        (
            "PUT",
            f"/employees/{STAFF}/supervisor",
            {"supervisor_nip": HEAD, "tmt": "0001-01-01"},
            "body.tmt",
        ),
        (
            "POST",
            f"/employees/{STAFF}/penalties",
            {"level": "ringan", "start": "9999-01-01"},
            "body.start",
        ),
        (
            "POST",
            "/employees",
            employee_body(NEW, "dinkes") | {"birth_date": "0001-01-01"},
            "body.birth_date",
        ),
    ],
)
async def test_dates_outside_their_plausible_range(city, method, path, body, field):
    problem = await assert_refused(city, method, path, body, 422, "validation_error")
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [(field, "date_out_of_range")]


async def test_dates_outside_their_range_in_queries(city):
    for path, field in [
        (f"/employees/{STAFF}?as_of=0001-01-01", "query.as_of"),
        ("/reports/promotion-candidates?period=9999-04-01", "query.period"),
    ]:
        problem = await assert_refused(city, "GET", path, None, 422, "validation_error")
        assert problem["errors"][0]["field"] == field


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("PATCH", f"/employees/{STAFF}", {"name": "Siti\u0000"}, "body.name"),
        ("POST", "/units", {"code": "x", "name": "a\u0000", "kind": "dinas"}, "body.name"),
        ("GET", f"/employees/{STAFF}%00", None, "path.nip"),
        ("GET", "/employees?q=si%00ti", None, "query.q"),
    ],
)
async def test_nul_characters_are_refused_naming_the_field(city, method, path, body, field):
    problem = await assert_refused(city, method, path, body, 422, "validation_error")
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [(field, "nul_character")]


async def test_two_identical_unit_creations_at_once(city):
    body = {"code": "dishub", "name": "Dinas Perhubungan", "kind": "dinas"}
    responses = await asyncio.gather(*(city.call("POST", "/units", body) for _ in range(4)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409, 409, 409], [r.text for r in responses]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"unit_code_taken"}
    assert await city.scalar("SELECT count(*) FROM unit WHERE code = 'dishub'") == 1


async def test_two_identical_registrations_at_once(city):
    body = employee_body(NEW, "dinkes")
    responses = await asyncio.gather(*(city.call("POST", "/employees", body) for _ in range(4)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409, 409, 409], [r.text for r in responses]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"nip_taken"}


@pytest.mark.parametrize(
    "path",
    [
        "/units/nowhere",
        "/employees?unit=nowhere",
        "/employees?unit=nowhere&include_subunits=true",
        "/reports/duk?unit=nowhere",
        "/reports/promotion-candidates?period=2026-04-01&unit=nowhere",
        "/reports/retirements?unit=nowhere",
    ],
)
async def test_an_unknown_unit_is_the_same_404_everywhere(city, path):
    await assert_refused(city, "GET", path, None, 404, "unit_not_found")

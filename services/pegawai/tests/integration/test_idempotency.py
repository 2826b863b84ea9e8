"""Idempotency-Key: a retried command replays its first response and has one effect."""

import asyncio

import pytest
from pegawai_testkit import MID, employee_body

pytestmark = pytest.mark.integration

NEW = "199505052020121007"


async def test_retried_registration_replays_and_registers_once(city):
    body = employee_body(NEW, "dinkes")
    key = {"Idempotency-Key": "reg-7f3a"}
    first = await city.call("POST", "/employees", body, headers=key)
    again = await city.call("POST", "/employees", body, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["etag"] == first.headers["etag"]
    registered = await city.scalar("SELECT count(*) FROM outbox WHERE key = :nip", nip=NEW)
    assert registered == 1


async def test_concurrent_retries_have_one_effect(city):
    body = employee_body(NEW, "dinkes")
    key = {"Idempotency-Key": "reg-concurrent"}
    responses = await asyncio.gather(
        *(city.call("POST", "/employees", body, headers=key) for _ in range(5))
    )
    assert {r.status_code for r in responses} == {201}
    assert await city.scalar("SELECT count(*) FROM outbox WHERE key = :nip", nip=NEW) == 1


async def test_same_key_for_a_different_request_is_refused(city):
    key = {"Idempotency-Key": "reg-reuse"}
    assert (
        await city.call("POST", "/employees", employee_body(NEW, "dinkes"), headers=key)
    ).status_code == 201
    other = employee_body("199606062021011008", "dinkes")
    reused = await city.call("POST", "/employees", other, headers=key)
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    assert (
        await city.scalar(
            "SELECT count(*) FROM employee WHERE nip = :nip", nip="199606062021011008"
        )
        == 0
    )


async def test_retried_promotion_is_not_a_second_promotion(city):
    body = {"tmt": "2026-04-01", "override_justification": "uji idempotensi"}
    key = {"Idempotency-Key": "kp-2026-04"}
    first = await city.call("POST", f"/employees/{MID}/promotions", body, headers=key)
    again = await city.call("POST", f"/employees/{MID}/promotions", body, headers=key)
    assert first.status_code == again.status_code == 200
    assert again.json()["golongan"] == "III/c"
    promoted = await city.scalar(
        "SELECT count(*) FROM outbox WHERE event_type = 'pegawai.employee.promoted.v1'"
    )
    assert promoted == 1
    fresh = await city.call(
        "POST", f"/employees/{MID}/promotions", body, headers={"Idempotency-Key": "kp-2026-04-b"}
    )
    assert fresh.status_code == 422  # a new key is a new command: III/c since that TMT already


async def test_a_refused_command_is_not_remembered(city):
    key = {"Idempotency-Key": "reg-bad-then-good"}
    bad = await city.call("POST", "/employees", employee_body(NEW, "nowhere"), headers=key)
    assert bad.status_code == 422
    assert await city.scalar("SELECT count(*) FROM idempotency_key") == 0

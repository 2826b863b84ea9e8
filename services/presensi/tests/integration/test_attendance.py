"""Check-in/out over HTTP on real PostgreSQL and Kafka: idempotency, refusals, closing a day."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from presensi_testkit import DINKES_LOCATION, HEAD, MID, OTHER, PPPK, STAFF, Service

pytestmark = pytest.mark.integration

ME = (STAFF, "pegawai")
INSIDE = {"latitude": DINKES_LOCATION[0], "longitude": DINKES_LOCATION[1], "accuracy_m": 10}


async def test_check_in_is_idempotent_and_uses_the_server_clock(city: Service) -> None:
    key = {"Idempotency-Key": "phone-retry-1"}
    first = await city.call("POST", "/attendance/check-in", INSIDE, as_=ME, headers=key)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["date"] == "2025-03-03" and body["minutes_late"] == 11
    assert body["late_category"] == "TL1" and body["inside_geofence"] is True
    before = await city.counts()
    retry = await city.call("POST", "/attendance/check-in", INSIDE, as_=ME, headers=key)
    assert retry.status_code == 201 and retry.json() == body
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert await city.counts() == before
    again = await city.call("POST", "/attendance/check-in", INSIDE, as_=ME)
    assert again.status_code == 409 and again.json()["code"] == "already_checked_in"
    assert again.headers["content-type"].startswith("application/problem+json")
    assert await city.counts() == before


async def test_check_ins_arriving_together_each_get_their_own_answer(city: Service) -> None:
    """07:30 at the city hall: many phones at once share commits, never each other's fate."""
    stranger = "199901012020011009"  # has a token, but pegawai never registered them
    rush = {
        "head": city.call("POST", "/attendance/check-in", INSIDE, as_=(HEAD,), headers=key("h")),
        "head again": city.call(
            "POST", "/attendance/check-in", INSIDE, as_=(HEAD,), headers=key("h")
        ),
        "mid": city.call("POST", "/attendance/check-in", None, as_=(MID,)),
        "staff": city.call("POST", "/attendance/check-in", None, as_=ME),
        "staff twice": city.call("POST", "/attendance/check-in", None, as_=ME),
        "pppk for other": city.call("POST", "/attendance/check-in", {"nip": OTHER}, as_=(PPPK,)),
        "stranger": city.call(
            "POST", "/attendance/check-in", None, as_=(stranger,), headers=key("s")
        ),
        "other": city.call("POST", "/attendance/check-in", INSIDE, as_=(OTHER,), headers=key("o")),
    }
    answers = dict(zip(rush, await asyncio.gather(*rush.values()), strict=True))
    status = {name: a.status_code for name, a in answers.items()}

    assert status["head"] == status["head again"] == 201
    assert answers["head"].json() == answers["head again"].json()
    replayed = [answers[n].headers.get("Idempotent-Replayed") for n in ("head", "head again")]
    assert sorted(replayed, key=str) == ["true", None] or sorted(replayed, key=str) == [
        None,
        "true",
    ]
    assert status["mid"] == status["other"] == 201
    assert sorted([status["staff"], status["staff twice"]]) == [201, 409]
    assert status["pppk for other"] == 403
    assert status["stranger"] == 404 and answers["stranger"].json()["code"] == "employee_not_found"
    counts = await city.counts()
    assert counts["attendance"] == counts["outbox"] == 4
    # Only the keys of check-ins that happened are remembered; a refused one is not.
    assert counts["idempotency_key"] == 2
    retry = await city.call("POST", "/attendance/check-in", None, as_=(stranger,), headers=key("s"))
    assert retry.status_code == 404

    events = await city.published_events(4)
    checked_in = [e for e in events if e["type"] == "presensi.attendance.checked_in.v1"]
    assert sorted(e["subject"] for e in checked_in) == sorted([HEAD, MID, STAFF, OTHER])
    assert all(e["actor"] == e["subject"] and e["traceparent"] for e in checked_in)


async def test_check_outs_at_four_share_commits_and_keep_their_own_answers(
    city: Service,
) -> None:
    for who in (HEAD, MID, STAFF):
        assert (
            await city.call("POST", "/attendance/check-in", None, as_=(who,))
        ).status_code == 201
    city.clock.set(2025, 3, 3, 15, 40)  # 20 minutes before the end of the day: PSW1
    rush = {
        "head": city.call("POST", "/attendance/check-out", INSIDE, as_=(HEAD,), headers=key("h")),
        "head retry": city.call(
            "POST", "/attendance/check-out", INSIDE, as_=(HEAD,), headers=key("h")
        ),
        "mid": city.call("POST", "/attendance/check-out", None, as_=(MID,)),
        "staff": city.call("POST", "/attendance/check-out", None, as_=ME),
        "staff double tap": city.call("POST", "/attendance/check-out", None, as_=ME),
        "other (never came)": city.call("POST", "/attendance/check-out", None, as_=(OTHER,)),
    }
    before = await city.counts()
    answers = dict(zip(rush, await asyncio.gather(*rush.values()), strict=True))
    status = {name: a.status_code for name, a in answers.items()}

    assert status["head"] == status["head retry"] == 200
    assert answers["head"].json() == answers["head retry"].json()
    assert answers["head"].json()["early_category"] == "PSW1"
    assert answers["head"].headers["ETag"] == answers["head retry"].headers["ETag"]
    assert status["mid"] == 200
    assert sorted([status["staff"], status["staff double tap"]]) == [200, 409]
    tapped = [
        a.json()["code"]
        for n, a in answers.items()
        if n.startswith("staff") and a.status_code == 409
    ]
    assert tapped == ["already_checked_out"]
    assert status["other (never came)"] == 409
    assert answers["other (never came)"].json()["code"] == "not_checked_in"
    after = await city.counts()
    assert after["outbox"] - before["outbox"] == 3  # head, mid, staff: one event each
    assert after["idempotency_key"] - before["idempotency_key"] == 1
    checked_out = await city.scalar(
        "SELECT count(*) FROM attendance WHERE checked_out_at IS NOT NULL"
    )
    assert checked_out == 3


def key(name: str) -> dict[str, str]:
    return {"Idempotency-Key": f"phone-{name}"}


async def test_refusals_change_nothing(city: Service) -> None:
    before = await city.counts()
    out = await city.call("POST", "/attendance/check-out", None, as_=ME)
    assert out.status_code == 409 and out.json()["code"] == "not_checked_in"
    other = await city.call("POST", "/attendance/check-in", {"nip": MID}, as_=ME)
    assert other.status_code == 403
    bad = await city.call("POST", "/attendance/check-in", {"latitude": 200}, as_=ME)
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"
    city.clock.set(2025, 3, 8, 8, 0)  # a Saturday
    weekend = await city.call("POST", "/attendance/check-in", None, as_=ME)
    assert weekend.status_code == 422 and weekend.json()["code"] == "not_a_working_day"
    assert await city.counts() == before


async def test_outside_geofence_is_flagged_not_refused(city: Service) -> None:
    far = {"latitude": DINKES_LOCATION[0] - 0.01, "longitude": DINKES_LOCATION[1]}
    response = await city.call("POST", "/attendance/check-in", far, as_=ME)
    assert response.status_code == 201
    assert response.json()["inside_geofence"] is False and response.json()["distance_m"] > 1000


async def test_close_day_statuses_recap_and_events(city: Service) -> None:
    city.clock.set(2025, 3, 3, 7, 20)
    assert (await city.call("POST", "/attendance/check-in", None, as_=(HEAD,))).status_code == 201
    city.clock.set(2025, 3, 3, 16, 5)
    assert (await city.call("POST", "/attendance/check-out", None, as_=(HEAD,))).status_code == 200
    city.clock.set(2025, 3, 3, 9, 15)  # 105 minutes late → TL4, and no check-out → PSW4
    assert (await city.call("POST", "/attendance/check-in", None, as_=ME)).status_code == 201
    travel = {"nip": STAFF, "start_date": "2025-03-03", "end_date": "2025-03-03", "reference": "x"}
    assert (
        await city.call("POST", "/attendance/official-travel", travel, as_=(OTHER,))
    ).status_code == 403
    travel["nip"] = MID
    response = await city.call("POST", "/attendance/official-travel", travel, as_=(HEAD,))
    assert response.status_code == 201, response.text

    early = await city.call("POST", "/attendance/days/2025-03-03/close")
    assert early.status_code == 422 and early.json()["code"] == "day_not_over"
    city.clock.set(2025, 3, 4, 8, 0)
    assert (await city.call("POST", "/attendance/days/2025-03-03/close", as_=ME)).status_code == 403
    closed = await city.call("POST", "/attendance/days/2025-03-03/close")
    assert closed.status_code == 200, closed.text
    assert closed.json()["by_status"] == {
        "hadir": 1,
        "terlambat": 1,
        "dinas_luar": 1,
        "tanpa_keterangan": 2,
    }
    again = await city.call("POST", "/attendance/days/2025-03-03/close")
    assert again.json()["closed"] == 0

    recap = await city.call(
        "GET", "/attendance/recap?month=2025-03&unit=dinkes", as_=(HEAD, "admin_opd"), unit="dinkes"
    )
    assert recap.status_code == 200, recap.text
    people = {p["nip"]: p for p in recap.json()["people"]}
    assert people[STAFF]["deduction_percent"] == 3.0 and people[STAFF]["by_status"] == {
        "terlambat": 1
    }
    denied = await city.call("GET", "/attendance/recap?month=2025-03&unit=dinkes", as_=ME)
    assert denied.status_code == 403
    own = await city.call("GET", f"/attendance/recap?month=2025-03&nip={STAFF}", as_=ME)
    assert own.status_code == 200

    events = await city.published_events(await city.outbox_total())
    closed_events = [e for e in events if e["type"] == "presensi.attendance.day_closed.v1"]
    assert len(closed_events) == 5
    staff = next(e for e in closed_events if e["subject"] == STAFF)
    assert staff["data"]["status"] == "terlambat" and staff["data"]["late_category"] == "TL4"
    assert staff["data"]["early_category"] == "PSW4"
    checked_in = next(e for e in events if e["type"] == "presensi.attendance.checked_in.v1")
    assert checked_in["specversion"] == "1.0" and checked_in["source"] == "/sawahlunto/presensi"
    assert checked_in["_key"] == checked_in["subject"]
    assert checked_in["_headers"]["content-type"].startswith("application/cloudevents+json")
    assert checked_in["dataschema"].endswith("presensi.attendance.checked_in.v1.json")
    assert "latitude" not in checked_in["data"]


async def test_check_in_while_the_database_is_unreachable_is_a_503_to_retry(
    city: Service,
) -> None:
    """A phone at 07:30 while PostgreSQL restarts: told to retry, never a 500."""
    from devstack import free_port
    from presensi.main import create_app
    from pydantic import SecretStr

    closed = f"postgresql://postgres@127.0.0.1:{free_port()}/presensi"
    settings = city.settings.model_copy(update={"database_url": SecretStr(closed)})
    app = create_app(settings, clock=city.clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://presensi") as client:
            token = city.token_for(STAFF, "pegawai")
            response = await client.post(
                "/attendance/check-in",
                json=INSIDE,
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "k"},
            )
    assert response.status_code == 503, response.text
    assert response.json()["code"] == "database_unavailable"
    assert response.headers["retry-after"] == "5"

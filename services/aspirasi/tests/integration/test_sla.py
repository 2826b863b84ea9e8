"""The SLA sweep with the clock moved: working days over a declared holiday, one breach
event per clock, escalation in the lists, auto-close, and the unit signal."""

from datetime import date

import pytest
from aspirasi_testkit import Service

pytestmark = pytest.mark.integration


async def test_verification_breach_waits_for_the_next_working_day_after_a_holiday(city: Service):
    await city.declare_holiday(date(2026, 11, 5), "Libur uji")  # Thursday
    city.clock.set(2026, 11, 2)  # Monday: due Friday 6 (Tue, Wed, Fri)
    sub = await city.submit()

    city.clock.set(2026, 11, 5, 10)  # the holiday: three calendar days, two working days
    assert (await city.sweep()).breached == 0
    city.clock.set(2026, 11, 7, 10)  # Saturday after the due Friday: not a working day
    assert (await city.sweep()).breached == 0
    city.clock.set(2026, 11, 9, 8)  # Monday: the next working day
    assert (await city.sweep()).breached == 1
    assert (await city.sweep()).breached == 0  # idempotent: once per clock

    escalated = (await city.staff("GET", "/submissions?escalated=true")).json()["items"]
    assert [s["code"] for s in escalated] == [sub["code"]]
    events = await city.published_events(2)
    breaches = [e for e in events if e["type"] == "aspirasi.sla.breached.v1"]
    assert len(breaches) == 1
    assert breaches[0]["data"]["clock"] == "verification"
    assert breaches[0]["data"]["due"] == "2026-11-06"
    assert breaches[0]["_key"] == sub["code"]
    assert breaches[0]["actor"] == "system:aspirasi-sla"

    # Routing settles the breached verification clock: the escalation ends.
    routed = await city.staff("POST", f"/submissions/{sub['id']}/route", {"unit_code": "dinkes"})
    assert routed.json()["escalated"] is False


async def test_follow_up_breach_is_the_units_and_a_reopen_gets_a_new_clock(city: Service):
    city.clock.set(2026, 11, 2)
    sub = await city.submit()
    await city.staff("POST", f"/submissions/{sub['id']}/route", {"unit_code": "dinkes"})
    city.clock.set(2026, 11, 10)  # Tuesday after the 5th working day (Monday 9)
    assert (await city.sweep()).breached == 1
    mine = (await city.unit_admin("GET", "/submissions?escalated=true")).json()["items"]
    assert [s["code"] for s in mine] == [sub["code"]]
    for path, text in (("follow-up", "Ditinjau."), ("answer", "Sudah diperbaiki.")):
        response = await city.unit_admin("POST", f"/submissions/{sub['id']}/{path}", {"text": text})
        assert response.status_code == 200, response.text
    reopened = await city.public(
        "POST",
        f"/public/submissions/{sub['code']}/reopen",
        {"reason": "Belum beres."},
        secret=sub["secret"],
    )
    assert reopened.status_code == 200
    city.clock.set(2026, 11, 18)  # the new follow-up clock (from Tue 10) is due Tue 17
    assert (await city.sweep()).breached == 1
    events = await city.published_events(7)
    breaches = [e["data"] for e in events if e["type"] == "aspirasi.sla.breached.v1"]
    assert [(b["clock"], b["unit_code"]) for b in breaches] == [
        ("follow_up", "dinkes"),
        ("follow_up", "dinkes"),
    ]


async def test_an_answer_left_unanswered_closes_after_ten_working_days(city: Service):
    city.clock.set(2026, 11, 2)
    sub = await city.submit()
    await city.answered(sub)  # answered Monday 2 Nov: closes on Tuesday 17 Nov
    city.clock.set(2026, 11, 16, 16)
    assert (await city.sweep()).closed == 0
    city.clock.set(2026, 11, 17, 8)
    assert (await city.sweep()).closed == 1
    assert (await city.sweep()).closed == 0
    seen = (
        await city.public("GET", f"/public/submissions/{sub['code']}", secret=sub["secret"])
    ).json()
    assert seen["status"] == "closed" and seen["close_outcome"] == "timed_out"
    late = await city.public(
        "POST",
        f"/public/submissions/{sub['code']}/reopen",
        {"reason": "Terlambat."},
        secret=sub["secret"],
    )
    assert late.status_code == 409
    rated = await city.public(
        "POST", f"/public/submissions/{sub['code']}/rating", {"rating": 3}, secret=sub["secret"]
    )
    assert rated.status_code == 200  # an answer may still be rated once closed


async def test_the_sweep_publishes_a_unit_signal_only_when_figures_change(city: Service):
    city.clock.set(2026, 11, 2)
    sub = await city.submit()
    await city.answered(sub)
    await city.public(
        "POST",
        f"/public/submissions/{sub['code']}/reopen",
        {"reason": "Belum."},
        secret=sub["secret"],
    )
    report = await city.sweep()
    assert report.signals == 1
    assert (await city.sweep()).signals == 0
    events = await city.published_events(6)
    signal = next(e for e in events if e["type"] == "aspirasi.unit.signal_computed.v1")
    assert signal["_key"] == "dinkes"
    assert signal["data"]["month"] == "2026-11"
    assert signal["data"]["received"] == 1 and signal["data"]["reopen_rate"] == 1.0
    listed = (await city.staff("GET", "/signals?unit=dinkes&month=2026-11")).json()["items"]
    assert listed[0]["reopen_rate"] == 1.0

"""aspirasi through the gateway, with every service as a real process: a citizen's
complaint reopened and confirmed, a verification clock over a declared holiday, and a
`rahasia` ticket kept out of the board and the events."""

import json

import pytest
from e2e_aspirasi import (
    COORDINATOR,
    AspirasiClock,
    citizen,
    route,
    submit,
    ticket_events,
    unit_step,
)
from e2e_testkit import new_unit_code, today_wib
from servicekit.testing import eventually

pytestmark = pytest.mark.integration


async def test_an_anonymous_complaint_reopened_answered_again_and_confirmed(portal):
    unit = new_unit_code()
    await portal.unit(unit)
    sub = await submit(
        portal,
        privacy="anonim",
        reporter_name="Budi Santoso",
        contact={"email": "budi@example.org"},
    )
    await route(portal, sub, unit)
    await unit_step(portal, sub, unit, "follow-up", "Sedang kami periksa.")
    await unit_step(portal, sub, unit, "answer", "Loket kedua dibuka.")
    reopened = await citizen(
        portal, "POST", f"{sub['code']}/reopen", sub["secret"], {"reason": "Antrean masih panjang."}
    )
    assert reopened.status_code == 200, reopened.text
    await unit_step(portal, sub, unit, "follow-up", "Kami tambah petugas.")
    await unit_step(portal, sub, unit, "answer", "Petugas pendaftaran ditambah dua orang.")
    confirmed = await citizen(
        portal, "POST", f"{sub['code']}/confirm", sub["secret"], {"rating": 4}
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "closed"

    board = (await portal.client.get(f"/api/public/board?unit={unit}")).json()
    item = next(i for i in board["items"] if i["code"] == sub["code"])
    assert item["status"] == "closed"
    assert "Budi" not in json.dumps(board) and "budi@example.org" not in json.dumps(board)

    assert (await AspirasiClock(portal).sweep())["signals"] >= 1
    month = today_wib().strftime("%Y-%m")
    signal = await portal.until(
        "GET",
        f"/api/signals?unit={unit}&month={month}",
        lambda r: r.status_code == 200 and r.json()["items"],
        "the unit's signal",
        as_=COORDINATOR,
    )
    figures = signal.json()["items"][0]
    assert figures["received"] == 1 and figures["resolved"] == 1
    assert figures["reopen_rate"] == 0.5  # one reopen over two answers
    dashboard = await portal.until(
        "GET",
        f"/api/units/{unit}/dashboard",
        lambda r: r.status_code == 200 and r.json()["complaints"]["monthly"],
        "the complaint signal on the unit dashboard",
    )
    assert dashboard.json()["complaints"]["monthly"][0]["reopen_rate"] == 0.5
    events = await ticket_events(portal, sub["code"])
    assert [e["type"].split(".")[-2] for e in events].count("reopened") == 1
    assert "Budi" not in json.dumps(events) and "budi@example.org" not in json.dumps(events)


async def test_a_holiday_delays_the_verification_breach_to_the_next_working_day(portal):
    clock = AspirasiClock(portal)
    try:
        await clock.set(2031, 3, 3)  # a Monday
        holiday = await portal.call(
            "POST",
            "/api/holidays",
            {"date": "2031-03-06", "name": "Libur uji e2e", "kind": "libur_nasional"},
        )
        assert holiday.status_code in (201, 409), holiday.text
        sub = await submit(portal, privacy="anonim")

        async def holiday_counted() -> bool:
            await clock.sweep()  # recomputes due dates with the holidays known now
            detail = await portal.call("GET", f"/api/submissions/{sub['id']}", as_=COORDINATOR)
            clocks = detail.json()["clocks"]
            return clocks[0]["due_on"] == "2031-03-07"  # Tue, Wed, (Thu off), Fri

        await eventually(holiday_counted, what="aspirasi counts presensi's holiday")
        await clock.set(2031, 3, 6, 10)  # the holiday
        assert (await clock.sweep())["breached"] == 0
        await clock.set(2031, 3, 7, 16)  # the due Friday
        assert (await clock.sweep())["breached"] == 0
        await clock.set(2031, 3, 10, 8)  # the next working day (Monday)
        assert (await clock.sweep())["breached"] >= 1
        assert (await clock.sweep())["breached"] == 0
    finally:
        await clock.reset()

    inbox = await portal.until(
        "GET",
        "/api/inbox?limit=200",
        lambda r: any(i["code"] == sub["code"] and i["escalated"] for i in r.json()["items"]),
        "the escalation in the coordinator's inbox",
        as_=COORDINATOR,
    )
    assert inbox.status_code == 200

    async def one_breach() -> bool:
        events = await ticket_events(portal, sub["code"])
        return any(e["type"] == "aspirasi.sla.breached.v1" for e in events)

    await eventually(one_breach, what="the breach event")
    breaches = [
        e
        for e in await ticket_events(portal, sub["code"])
        if e["type"] == "aspirasi.sla.breached.v1"
    ]
    assert len(breaches) == 1
    assert breaches[0]["data"]["due"] == "2031-03-07"
    assert breaches[0]["data"]["clock"] == "verification"


async def test_a_rahasia_ticket_never_reaches_the_board_or_an_event_text(portal):
    unit = new_unit_code()
    await portal.unit(unit)
    words = "Petugas loket meminta uang pelicin untuk KTP."
    sub = await submit(portal, privacy="rahasia", title="Pungli di loket KTP", text=words)
    await route(portal, sub, unit)
    await unit_step(portal, sub, unit, "follow-up", "Kami periksa petugasnya.")
    await unit_step(portal, sub, unit, "answer", "Petugas sudah diperiksa inspektorat.")

    async def four_events() -> bool:
        return len(await ticket_events(portal, sub["code"])) >= 4

    await eventually(four_events, what="the rahasia ticket's events")
    raw = json.dumps(await ticket_events(portal, sub["code"]))
    for secret_text in (words, "Pungli", "uang pelicin", "inspektorat"):
        assert secret_text not in raw
    board = json.dumps((await portal.client.get(f"/api/public/board?unit={unit}")).json())
    assert sub["code"] not in board and "Pungli" not in board
    unit_view = await portal.call(
        "GET", f"/api/submissions/{sub['id']}", as_=("198505052010012002", "admin_opd"), unit=unit
    )
    assert unit_view.json()["text"] == words  # the unit reads it

"""A ticket's life over HTTP with its events on Kafka: submit, route, follow up, answer,
reopen, answer again, confirm and rate; privacy kept in events and on the board."""

import json

import pytest
from aspirasi_testkit import Service

pytestmark = pytest.mark.integration

CONTACT = "warga.talawi@example.org"


async def test_anonymous_complaint_reopened_and_confirmed(city: Service):
    sub = await city.submit(contact={"email": CONTACT}, reporter_name="Budi")
    code, secret, sid = sub["code"], sub["secret"], sub["id"]
    assert code.startswith("SWL-2026-")
    assert sub["status"] == "received"

    await city.answered(sub)
    reopened = await city.public(
        "POST",
        f"/public/submissions/{code}/reopen",
        {"reason": "Antrean masih panjang."},
        secret=secret,
    )
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["status"] == "reopened"
    assert reopened.json()["reopen_count"] == 1

    detail = (await city.staff("GET", f"/submissions/{sid}")).json()
    assert detail["unit_code"] == "dinkes"  # back to the same unit
    follow_ups = [c for c in detail["clocks"] if c["clock"] == "follow_up"]
    assert len(follow_ups) == 2 and follow_ups[1]["stopped_at"] is None  # restarted

    early = await city.unit_admin("POST", f"/submissions/{sid}/answer", {"text": "Sudah."})
    assert early.status_code == 409  # a reopen needs a new tindak lanjut first
    assert early.json()["code"] == "submission_state_conflict"
    for path, text in (("follow-up", "Kami tambah loket."), ("answer", "Loket kedua dibuka.")):
        response = await city.unit_admin("POST", f"/submissions/{sid}/{path}", {"text": text})
        assert response.status_code == 200, response.text

    confirmed = await city.public(
        "POST", f"/public/submissions/{code}/confirm", {"rating": 4}, secret=secret
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "closed"
    assert confirmed.json()["close_outcome"] == "resolved"
    again = await city.public(
        "POST", f"/public/submissions/{code}/rating", {"rating": 5}, secret=secret
    )
    assert again.status_code == 409 and again.json()["code"] == "already_rated"

    followed = (await city.public("GET", f"/public/submissions/{code}", secret=secret)).json()
    assert followed["answer"] == "Loket kedua dibuka."
    assert [h["action"] for h in followed["history"]][-1] == "confirm"
    assert all(h["by"] in ("warga", "petugas") for h in followed["history"])

    events = await city.published_events(8)
    mine = [e for e in events if e["_key"] == code]
    assert [e["type"].removeprefix("aspirasi.submission.") for e in mine] == [
        "received.v1",
        "routed.v1",
        "followed_up.v1",
        "answered.v1",
        "reopened.v1",
        "followed_up.v1",
        "answered.v1",
        "closed.v1",
    ]
    assert [e["sequence"] for e in mine] == list(range(1, 9))
    assert mine[-1]["data"]["rating"] == 4
    assert mine[0]["data"]["submission"]["title"] == "Antrean puskesmas terlalu lama"
    raw = json.dumps(events)
    assert CONTACT not in raw and "Budi" not in raw
    assert all(e["actor"] == "warga" for e in mine if e["type"].endswith("received.v1"))

    board = (await city.public("GET", "/public/board?month=2026-11")).json()
    item = next(i for i in board["items"] if i["code"] == code)
    assert item["status"] == "closed" and item["answer"] == "Loket kedua dibuka."
    assert CONTACT not in json.dumps(board) and "Budi" not in json.dumps(board)
    assert set(item) >= {"title", "text", "unit_code", "status", "received_at"}
    assert "reporter_name" not in item and "location" not in item
    dinkes = next(u for u in board["units"] if u["unit_code"] == "dinkes")
    assert dinkes["received"] == 1 and dinkes["resolved"] == 1
    assert dinkes["reopen_rate"] == 0.5 and dinkes["average_rating"] == 4.0


async def test_a_rahasia_ticket_stays_out_of_the_board_and_the_events(city: Service):
    secret_words = "Pungutan liar di loket KTP kelurahan."
    sub = await city.submit(
        privacy="rahasia", title="Pungli di kelurahan", text=secret_words, kind="pengaduan"
    )
    await city.answered(sub)
    events = await city.published_events(4)
    mine = [e for e in events if e["_key"] == sub["code"]]
    assert len(mine) == 4
    raw = json.dumps(mine)
    assert secret_words not in raw and "Pungli" not in raw
    assert "Jadwal dokter ditambah." not in raw  # the answer neither
    assert all(e["data"]["submission"]["title"] is None for e in mine)

    board = (await city.public("GET", "/public/board")).json()
    assert sub["code"] not in json.dumps(board)
    # The coordinator and the unit read it; an auditor sees that it exists, not its words.
    assert (await city.staff("GET", f"/submissions/{sub['id']}")).json()["text"] == secret_words
    unit_view = (await city.unit_admin("GET", f"/submissions/{sub['id']}")).json()
    assert unit_view["text"] == secret_words
    audit = await city.staff(
        "GET", f"/submissions/{sub['id']}", as_="197901012005011004", roles=("auditor",)
    )
    assert audit.status_code == 200
    assert audit.json()["text"] is None and audit.json()["redacted"] is True
    assert all(h["note"] is None for h in audit.json()["history"])


async def test_misrouted_return_once_per_unit(city: Service):
    sub = await city.submit()
    sid = sub["id"]
    assert (
        await city.staff("POST", f"/submissions/{sid}/route", {"unit_code": "disdik"})
    ).status_code == 200
    back = await city.unit_admin(
        "POST", f"/submissions/{sid}/return", {"reason": "Urusan kesehatan."}, unit="disdik"
    )
    assert back.status_code == 200, back.text
    assert back.json()["status"] == "returned" and back.json()["unit_code"] is None
    assert (
        await city.staff("POST", f"/submissions/{sid}/route", {"unit_code": "disdik"})
    ).status_code == 200
    twice = await city.unit_admin(
        "POST", f"/submissions/{sid}/return", {"reason": "Tetap bukan kami."}, unit="disdik"
    )
    assert twice.status_code == 409 and twice.json()["code"] == "already_returned"
    events = await city.published_events(4)
    returned = [e for e in events if e["type"] == "aspirasi.submission.returned.v1"]
    assert len(returned) == 1 and returned[0]["data"]["from_unit_code"] == "disdik"


async def test_coordinator_decisions_hold_refer_archive(city: Service):
    held, referred, spam = [await city.submit() for _ in range(3)]
    r = await city.staff(
        "POST", f"/submissions/{held['id']}/hold", {"reason": "Lokasi kurang jelas."}
    )
    assert r.status_code == 200 and r.json()["status"] == "held"
    r = await city.staff(
        "POST", f"/submissions/{referred['id']}/refer", {"referral": "Hubungi BPN Kota Sawahlunto."}
    )
    assert r.status_code == 200 and r.json()["status"] == "referred"
    r = await city.staff("POST", f"/submissions/{spam['id']}/archive", {"reason": "spam"})
    assert r.status_code == 200 and r.json()["status"] == "archived"
    late = await city.staff("POST", f"/submissions/{spam['id']}/route", {"unit_code": "dinkes"})
    assert late.status_code == 409
    seen = await city.public(
        "GET", f"/public/submissions/{referred['code']}", secret=referred["secret"]
    )
    assert seen.json()["history"][-1]["note"] == "Hubungi BPN Kota Sawahlunto."
    verified = await city.staff("POST", f"/submissions/{held['id']}/route", {"unit_code": "dinkes"})
    assert verified.status_code == 200 and verified.json()["status"] == "routed"

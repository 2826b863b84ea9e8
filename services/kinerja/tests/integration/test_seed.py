"""The demo (`python -m kinerja.seed`) on a real database and Kafka: a team's predikat
history over two years, this year's SKPs in every state in the supervisor's inbox,
appraisals waiting to be rated, feedback; the same events as the commands publish; a
rerun adds no row and no event."""

from __future__ import annotations

from datetime import date

import pytest
from aiokafka import AIOKafkaProducer
from asn_schemas import CONTENT_TYPE, new_event
from asn_schemas.pegawai import EmployeeRegisteredV1, UnitCreatedV1
from kinerja.seed.load import load, predikat_ratings, this_year_state
from kinerja_testkit import (
    BKPSDM_NIP,
    DINKES,
    DINKES_P2P,
    HEAD,
    MID,
    Service,
    approved_skp,
    eventually,
    rating,
    snapshot,
    submitted_appraisal,
    unit_snapshot,
)

pytestmark = pytest.mark.integration

TODAY = date(2026, 11, 20)  # the third quarter is over: its appraisals are due
TEAM = [f"199002022015032{n:03d}" for n in range(1, 31)]  # report to MID, appointed 2015
NEWCOMER = "199804042026012001"  # appointed this year: no history before it
BY_HAND = "199203032016031001"  # goes through the commands over HTTP, before the seed


async def _city(service: Service) -> None:
    """HEAD ← MID ← TEAM and NEWCOMER, as pegawai events on the test's topic."""
    producer = AIOKafkaProducer(bootstrap_servers=service.bootstrap, acks="all")
    await producer.start()
    try:
        sends = [(UnitCreatedV1(unit=unit_snapshot(DINKES)), "dinkes")]
        sends.append((UnitCreatedV1(unit=unit_snapshot(DINKES_P2P, DINKES)), "dinkes-p2p"))
        people = [(HEAD, DINKES, None), (MID, DINKES_P2P, HEAD)]
        people += [(nip, DINKES_P2P, MID) for nip in [*TEAM, NEWCOMER, BY_HAND]]
        for nip, unit_id, boss in people:
            sends.append((EmployeeRegisteredV1(employee=snapshot(nip, unit_id, boss)), nip))
        for payload, subject in sends:
            envelope = new_event(payload, subject=subject, actor=BKPSDM_NIP,
                                 source="/sawahlunto/pegawai", sequence=1)  # fmt: skip
            await producer.send_and_wait(
                service.settings.pegawai_topic,
                value=envelope.to_json_bytes(),
                key=subject.encode(),
                headers=[("content-type", CONTENT_TYPE.encode())],
            )
    finally:
        await producer.stop()

    async def arrived() -> bool:
        return int(await service.scalar("SELECT count(*) FROM employee")) == len(people)

    await eventually(arrived, what="the team in the replica")


async def _by_hand(service: Service) -> None:
    """BY_HAND's 2025: SKP agreed, annual appraisal rated, feedback — through the API."""
    skp = await approved_skp(service, BY_HAND, 2025, rater=MID)
    appraisal = await submitted_appraisal(service, skp)
    final = await service.call("POST", f"/appraisals/{appraisal['id']}/finalize", rating(), as_=MID)
    assert final.status_code == 200, final.text
    body = {"nip": BY_HAND, "rhk_id": skp["rhk"][0]["id"], "text": "Bagus."}
    assert (await service.call("POST", "/feedback", body, as_=MID)).status_code == 201


def _shape(events: list[dict], nip: str) -> dict[str, tuple[frozenset[str], bool]]:
    """Per event type about `nip`: the keys of its data, and whether the employee (rather
    than the supervisor) is its actor."""
    return {
        e["type"]: (frozenset(e["data"]), e["actor"] == nip) for e in events if e["subject"] == nip
    }


async def test_demo_histories_inboxes_and_rerun(service: Service) -> None:
    await _city(service)
    await _by_hand(service)
    states = {nip: this_year_state(nip) for nip in TEAM}
    assert set(states.values()) == {"draft", "returned", "submitted", "approved"}, states

    loaded = await load(service.db, service.settings, TODAY)
    assert loaded["people"] == len(TEAM) + 2  # and MID and NEWCOMER; BY_HAND has an SKP

    # A team member's predikat history: the annual predikat of 2024 and 2025, final.
    staff = TEAM[0]
    history = await service.call("GET", f"/appraisals?nip={staff}&kind=annual", as_=staff)
    years = {a["period"]["year"]: a for a in history.json()["items"]}
    assert sorted(years) == [2024, 2025]
    for year, appraisal in years.items():
        assert appraisal["status"] == "finalized" and appraisal["rater_nip"] == MID
        hasil, perilaku = predikat_ratings(staff, year)
        assert appraisal["rating_hasil_kerja"] == hasil.value
        assert appraisal["rating_perilaku_kerja"] == perilaku.value
        assert appraisal["predikat_label"]
    # Someone appointed this year has this year's SKP and no history.
    newcomer = await service.call("GET", f"/skp?nip={NEWCOMER}", as_=NEWCOMER)
    assert [s["year"] for s in newcomer.json()["items"]] == [2026]

    # The supervisor's inbox: this year's SKPs to agree, exactly those submitted.
    inbox = await service.call("GET", "/skp?to_agree=true&limit=200", as_=MID)
    waiting = {s["nip"] for s in inbox.json()["items"]}
    reports = {**states, NEWCOMER: this_year_state(NEWCOMER)}
    assert waiting and waiting == {n for n, s in reports.items() if s == "submitted"}
    returned = next(n for n, s in states.items() if s == "returned")
    mine = (await service.call("GET", f"/skp?nip={returned}&year=2026", as_=returned)).json()
    assert mine["items"][0]["status"] == "returned" and mine["items"][0]["return_note"]
    draft = next(n for n, s in states.items() if s == "draft")
    mine = (await service.call("GET", f"/skp?nip={draft}&year=2026", as_=draft)).json()
    assert mine["items"][0]["status"] == "draft"

    # Third-quarter appraisals: some wait for MID's rating, others are final.
    to_rate = await service.call("GET", "/appraisals?to_rate=true&limit=200", as_=MID)
    periods = {(a["period"]["kind"], a["period"]["number"]) for a in to_rate.json()["items"]}
    assert periods == {("quarterly", 3)}
    assert loaded.get("periodic_final", 0) > 0 and loaded.get("feedback", 0) > 0
    given = await service.call("GET", "/feedback?limit=200", as_=MID)
    assert given.status_code == 200 and given.json()["items"]
    assert all(f["giver_nip"] == MID for f in given.json()["items"])

    # Events: one per submission, agreement, return, appraisal submission, finalization
    # and feedback — each with the actor who took the step.
    events = await service.published_events(await service.outbox_count())
    actors = {(e["type"], e["actor"]) for e in events}
    assert ("kinerja.skp.submitted.v1", staff) in actors
    assert ("kinerja.skp.approved.v1", MID) in actors
    assert ("kinerja.appraisal.finalized.v1", MID) in actors
    # The bulk path publishes what the commands publish: the same types, the same fields
    # and the same actors, numbered per NIP without gaps.
    by_hand = _shape(events, BY_HAND)
    seeded = {}
    for nip in [*TEAM, NEWCOMER]:
        seeded.update(_shape(events, nip))
    assert len(by_hand) == 5 and all(seeded[t] == by_hand[t] for t in by_hand), (by_hand, seeded)
    sequences = [e["sequence"] for e in events if e["subject"] == staff]
    assert sequences == list(range(1, len(sequences) + 1))

    rows = await service.scalar("SELECT count(*) FROM skp") + await service.scalar(
        "SELECT count(*) FROM appraisal"
    )
    outbox = await service.outbox_count()
    again = await load(service.db, service.settings, TODAY)
    assert again == {"people": 0}
    assert await service.outbox_count() == outbox
    assert (
        await service.scalar("SELECT count(*) FROM skp")
        + await service.scalar("SELECT count(*) FROM appraisal")
        == rows
    )

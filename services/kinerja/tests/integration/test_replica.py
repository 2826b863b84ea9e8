"""The employee replica from pegawai events on Kafka: idempotent, ordered, and a mutasi
mid-year opens a new SKP with the new supervisor while keeping the earlier one."""

from datetime import date

import pytest
from asn_schemas.pegawai import EmployeeTransferredV1, EmployeeUpdatedV1, UnitRef
from kinerja_testkit import (
    DINKES_P2P,
    DISDIK,
    HEAD,
    MID,
    OTHER,
    STAFF,
    approved_skp,
    eventually,
    snapshot,
)

pytestmark = pytest.mark.integration


async def test_redelivery_is_applied_once_and_older_snapshots_are_ignored(office):
    from aiokafka import AIOKafkaProducer
    from asn_schemas import CONTENT_TYPE, new_event

    renamed = snapshot(STAFF, DINKES_P2P, MID).model_copy(update={"name": "Nama Baru"})
    envelope = new_event(
        EmployeeUpdatedV1(employee=renamed, changed_fields=("name",)),
        subject=STAFF,
        actor="system:test",
        source="/sawahlunto/pegawai",
        sequence=3,
    )
    producer = AIOKafkaProducer(bootstrap_servers=office.bootstrap, acks="all")
    await producer.start()
    try:
        for _ in range(2):  # the same event twice: a redelivery
            await producer.send_and_wait(
                office.settings.pegawai_topic,
                value=envelope.to_json_bytes(),
                key=STAFF.encode(),
                headers=[("content-type", CONTENT_TYPE.encode())],
            )
    finally:
        await producer.stop()
    await office.replica_has(STAFF, name="Nama Baru", source_sequence=3)
    stale = snapshot(STAFF, DINKES_P2P, MID).model_copy(update={"name": "Nama Lama"})
    await office.publish_pegawai(
        EmployeeUpdatedV1(employee=stale, changed_fields=("name",)), STAFF, 2
    )
    marker = snapshot(OTHER, DISDIK, None).model_copy(update={"name": "Penanda"})
    await office.publish_pegawai(
        EmployeeUpdatedV1(employee=marker, changed_fields=("name",)), OTHER, 2
    )
    await office.replica_has(OTHER, name="Penanda")

    async def all_seen() -> bool:
        n = await office.scalar(
            "SELECT count(*) FROM inbox WHERE event_type = 'pegawai.employee.updated.v1'"
        )
        return int(n) == 3  # the duplicate left no second inbox row

    await eventually(all_seen, what="updates consumed")
    assert await office.scalar("SELECT name FROM employee WHERE nip = :n", n=STAFF) == "Nama Baru"


async def test_a_mutasi_mid_year_opens_a_new_skp_and_keeps_the_earlier(office):
    skp = await approved_skp(office, STAFF, 2026, rater=MID)
    moved = snapshot(STAFF, DISDIK, OTHER)
    await office.publish_pegawai(
        EmployeeTransferredV1(
            employee=moved,
            from_unit=UnitRef(unit_id=DINKES_P2P, unit_code="dinkes-p2p", name="Unit dinkes-p2p"),
            to_unit=UnitRef(unit_id=DISDIK, unit_code="disdik", name="Unit disdik"),
            tmt=date(2026, 7, 1),
            from_supervisor_nip=MID,
            to_supervisor_nip=OTHER,
        ),
        STAFF,
        2,
    )
    await office.replica_has(STAFF, supervisor_nip=OTHER)

    async def split() -> bool:
        return int(await office.scalar("SELECT count(*) FROM skp WHERE nip = :n", n=STAFF)) == 2

    await eventually(split, what="a new SKP")
    items = (await office.call("GET", f"/skp?nip={STAFF}&year=2026")).json()["items"]
    earlier = next(s for s in items if s["id"] == skp["id"])
    new = next(s for s in items if s["id"] != skp["id"])
    assert (earlier["status"], earlier["end"], earlier["closed_on"]) == (
        "approved",
        "2026-06-30",
        "2026-07-01",
    )
    assert earlier["closed_reason"] == "mutasi"
    assert earlier["rater_nip"] == MID
    assert (new["status"], new["start"], new["end"]) == ("draft", "2026-07-01", "2026-12-31")
    assert (new["rater_nip"], new["unit_code"], new["supersedes_id"]) == (
        OTHER,
        "disdik",
        skp["id"],
    )
    assert [r["title"] for r in new["rhk"]] == [r["title"] for r in earlier["rhk"]]
    # The earlier part is still appraised by the earlier supervisor, quarter by quarter.
    q2 = await office.call(
        "POST", "/appraisals", {"skp_id": skp["id"], "period": {"kind": "quarterly", "number": 2}}
    )
    assert q2.status_code == 201
    q3 = await office.call(
        "POST", "/appraisals", {"skp_id": skp["id"], "period": {"kind": "quarterly", "number": 3}}
    )
    assert q3.json()["code"] == "period_outside_skp"
    assert (await office.call("POST", f"/skp/{new['id']}/submit")).status_code == 200
    assert (await office.call("POST", f"/skp/{new['id']}/approve", as_=MID)).status_code == 403
    approved = await office.call("POST", f"/skp/{new['id']}/approve", as_=OTHER)
    assert approved.status_code == 200, approved.text
    events = await office.published_events(expected=4)
    latest = [e for e in events if e["type"] == "kinerja.skp.approved.v1"][-1]
    assert latest["data"]["supersedes_skp_id"] == skp["id"]
    assert HEAD not in {e["actor"] for e in events}

"""Across services on the real broker: pegawai's events feed kinerja's replica; kinerja's
annual predikat, through its API and relay, reach pegawai's consumer and decide promotion
eligibility (pegawai runs in-process from `pegawai.main.create_app`, with its own database)."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pegawai_testkit as pk
import pytest
from kinerja_testkit import (
    MID,
    STAFF,
    approved_skp,
    eventually,
    kinerja_settings,
    rating,
    running,
    submitted_appraisal,
)
from pegawai.main import create_app as create_pegawai
from pegawai.main import migrate as migrate_pegawai
from pegawai.settings import PegawaiSettings

pytestmark = pytest.mark.integration


@pytest.fixture
async def suite(new_database, new_topic, kafka_bootstrap, dev_keys, token_for):
    pegawai_topic, kinerja_topic = await new_topic("pegawai"), await new_topic("kinerja")
    pegawai_settings = PegawaiSettings(
        database_url=await new_database("pegawai"),
        kafka_bootstrap=kafka_bootstrap,
        jwt_public_key_file=dev_keys[1],
        environment="test",
        events_topic=pegawai_topic,
        kinerja_topic=kinerja_topic,
        consumer_group=f"pegawai-{uuid.uuid4().hex[:8]}",
        relay_poll_interval_s=0.2,
        log_json=False,
    )
    await asyncio.to_thread(migrate_pegawai, pegawai_settings)
    settings = await kinerja_settings(
        new_database,
        new_topic,
        kafka_bootstrap,
        dev_keys,
        events_topic=kinerja_topic,
        pegawai_topic=pegawai_topic,
    )
    app = create_pegawai(pegawai_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pegawai") as client:
            pegawai = pk.Service(
                client, app.state.runtime.db, pegawai_settings, kafka_bootstrap, token_for
            )
            async for kinerja in running(settings, token_for):
                await register_city(pegawai)
                for nip in (pk.HEAD, pk.MID, pk.STAFF):
                    await kinerja.replica_has(nip)
                yield pegawai, kinerja


async def register_city(pegawai: pk.Service) -> None:
    for body in (
        pk.unit_body("dinkes"),
        pk.unit_body("dinkes-p2p", parent="dinkes", kind="bidang"),
    ):
        assert (await pegawai.call("POST", "/units", body)).status_code == 201
    for body in (
        pk.employee_body(pk.HEAD, "dinkes", golongan="IV/b", education="s2"),
        pk.employee_body(pk.MID, "dinkes-p2p", pk.HEAD),
        pk.employee_body(pk.STAFF, "dinkes-p2p", pk.MID),
    ):
        response = await pegawai.call("POST", "/employees", body)
        assert response.status_code == 201, response.text


async def annual_predikat(kinerja, year: int, hasil: str, perilaku: str) -> None:
    skp = await approved_skp(kinerja, STAFF, year, rater=MID)
    annual = await submitted_appraisal(kinerja, skp)
    final = await kinerja.call(
        "POST", f"/appraisals/{annual['id']}/finalize", rating(hasil, perilaku), as_=MID
    )
    assert final.status_code == 200, final.text


def test_the_shared_nips_match():
    assert (pk.STAFF, pk.MID) == (STAFF, MID)


async def test_two_annual_baik_from_kinerja_make_the_employee_eligible(suite):
    pegawai, kinerja = suite
    url = f"/employees/{STAFF}/promotion-eligibility?period=2026-04-01"
    assert (await pegawai.call("GET", url)).json()["eligible"] is False

    await annual_predikat(kinerja, 2024, "sesuai_ekspektasi", "sesuai_ekspektasi")
    await annual_predikat(kinerja, 2025, "di_atas_ekspektasi", "sesuai_ekspektasi")
    await pk.appraisals_arrived(pegawai, STAFF, 2)

    after = await pegawai.call("GET", url)
    assert after.json() == {"nip": STAFF, "period": "2026-04-01", "eligible": True, "reasons": []}
    promoted = await pegawai.call("POST", f"/employees/{STAFF}/promotions", {"tmt": "2026-04-01"})
    assert promoted.status_code == 200, promoted.text
    assert promoted.json()["golongan"] == "III/c"

    # ...and the promotion comes back to kinerja's replica as a pegawai event.
    async def replica_updated() -> bool:
        seq = await kinerja.scalar("SELECT source_sequence FROM employee WHERE nip = :n", n=STAFF)
        return int(seq) >= 2

    await eventually(replica_updated, what="the promotion in kinerja's replica")


async def test_butuh_perbaikan_in_one_year_refuses_with_year_and_predikat(suite):
    pegawai, kinerja = suite
    await annual_predikat(kinerja, 2024, "sesuai_ekspektasi", "sesuai_ekspektasi")
    await annual_predikat(kinerja, 2025, "di_bawah_ekspektasi", "sesuai_ekspektasi")
    await pk.appraisals_arrived(pegawai, STAFF, 2)
    refused = await pegawai.call("POST", f"/employees/{STAFF}/promotions", {"tmt": "2026-04-01"})
    assert refused.status_code == 422
    assert refused.json()["reasons"] == ["predikat_below_baik"]
    message = refused.json()["errors"][0]["message"]
    assert "2025" in message and "Butuh Perbaikan" in message

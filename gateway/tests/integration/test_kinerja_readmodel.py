"""kinerja in the read model, from real events on real Kafka: the profile's SKP and predikat,
the unit's predikat distribution, the supervisor's inbox (SKPs to agree, appraisals to
rate), the rebuild and the migrations."""

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from asn_schemas.kinerja import (
    AppraisalFinalizedV1,
    AppraisalSubmittedV1,
    FeedbackGivenV1,
    SkpApprovedV1,
    SkpReturnedV1,
    SkpSubmittedV1,
)
from gateway.main import create_app, migrate
from gateway.models import create_tables
from gateway.rebuild import rebuild
from gateway_testkit import (
    HEAD,
    MID,
    OTHER,
    STAFF,
    UNIT_IDS,
    Gateway,
    city_events,
    event,
    eventually,
    free_port,
)
from servicekit.db import Database
from sqlalchemy import text

pytestmark = pytest.mark.integration

T0 = datetime(2026, 1, 10, 2, 0, tzinfo=UTC)


class Kinerja:
    """kinerja's events about one employee, numbered as kinerja numbers them (per NIP)."""

    def __init__(self, gateway: Gateway, nip: str = STAFF) -> None:
        self.gateway, self.nip, self.sequence = gateway, nip, 0

    async def send(self, payload, *, again: bool = False, actor: str = MID):
        self.sequence += 1
        envelope = event(payload, self.nip, sequence=self.sequence, actor=actor)
        topic = self.gateway.settings.kinerja_topic
        await self.gateway.publish(*[(topic, envelope)] * (2 if again else 1))
        return envelope

    async def skp(
        self,
        year: int,
        *,
        start: date | None = None,
        approver: str = MID,
        skp_id: uuid.UUID | None = None,
        **extra,
    ):
        payload = SkpApprovedV1(
            skp_id=skp_id or uuid.uuid4(),
            nip=self.nip,
            year=year,
            start=start or date(year, 1, 1),
            end=date(year, 12, 31),
            unit_id=UNIT_IDS["dinkes-p2p"],
            unit_code="dinkes-p2p",
            approver_nip=approver,
            approved_at=T0,
            rhk=({"rhk_id": uuid.uuid4(), "kind": "utama", "title": "Layanan vaksinasi"},),
            **extra,
        )
        await self.send(payload)
        return payload

    def skp_submitted(self, year: int, *, skp_id: uuid.UUID | None = None, at=T0):
        return SkpSubmittedV1(
            skp_id=skp_id or uuid.uuid4(),
            nip=self.nip,
            year=year,
            start=date(year, 1, 1),
            end=date(year, 12, 31),
            unit_id=UNIT_IDS["dinkes-p2p"],
            unit_code="dinkes-p2p",
            approver_nip=MID,
            submitted_at=at,
        )

    def skp_returned(self, submitted: SkpSubmittedV1, at=T0 + timedelta(hours=1)):
        return SkpReturnedV1(
            skp_id=submitted.skp_id,
            nip=self.nip,
            year=submitted.year,
            returned_by=MID,
            returned_at=at,
        )

    async def late(self, payload, sequence: int) -> None:
        """An old event delivered late: a new envelope with an earlier sequence."""
        envelope = event(payload, self.nip, sequence=sequence, actor=self.nip)
        await self.gateway.publish((self.gateway.settings.kinerja_topic, envelope))

    def period(self, year: int) -> dict:
        return {
            "kind": "annual",
            "year": year,
            "start": date(year, 1, 1),
            "end": date(year, 12, 31),
        }

    async def submitted(self, skp: SkpApprovedV1, rater: str = MID) -> AppraisalSubmittedV1:
        payload = AppraisalSubmittedV1(
            appraisal_id=uuid.uuid4(),
            skp_id=skp.skp_id,
            nip=self.nip,
            period=self.period(skp.year),
            rater_nip=rater,
            submitted_at=T0,
        )
        await self.send(payload, actor=self.nip)
        return payload

    def finalized(self, submitted, predikat: str, *, revision: int = 1, **extra):
        return AppraisalFinalizedV1(
            appraisal_id=submitted.appraisal_id,
            nip=self.nip,
            period=submitted.period,
            predikat=predikat,
            rating_hasil_kerja="sesuai_ekspektasi",
            rating_perilaku_kerja="sesuai_ekspektasi",
            appraiser_nip=MID,
            finalized_at=T0 + timedelta(days=revision),
            annual=True,
            revision=revision,
            skp_id=submitted.skp_id,
            unit_id=UNIT_IDS["dinkes-p2p"],
            unit_code="dinkes-p2p",
            **extra,
        )


async def _annual(gateway, year: int, unit: str = "dinkes") -> list[dict]:
    dashboard = await gateway.get(f"/api/units/{unit}/dashboard")
    return [d for d in dashboard.json()["predikat_distribution"] if d["year"] == year]


async def test_skp_appraisal_and_predikat_on_the_profile_dashboard_and_inbox(gateway):
    await gateway.publish(*city_events(gateway.settings.pegawai_topic))
    kinerja = Kinerja(gateway)
    skp = await kinerja.skp(2025)
    profile = await gateway.profile_when(
        STAFF, lambda p: p["kinerja"]["current_skp"] is not None, "the agreed SKP"
    )
    current = profile["kinerja"]["current_skp"]
    assert current["skp_id"] == str(skp.skp_id)
    assert (current["status"], current["appraisal_status"]) == ("approved", "not_started")
    assert current["approver_nip"] == MID and current["rhk"][0]["title"] == "Layanan vaksinasi"

    submitted = await kinerja.submitted(skp)
    inbox = await gateway.json_when(
        "/api/inbox",
        lambda i: any(x["kind"] == "appraisal" for x in i["items"]),
        "the appraisal to rate in the supervisor's inbox",
        as_=(MID, "pegawai"),
    )
    [item] = [x for x in inbox["items"] if x["kind"] == "appraisal"]
    assert item["appraisal_id"] == str(submitted.appraisal_id)
    assert item["action"] == f"/api/appraisals/{submitted.appraisal_id}/finalize"
    assert (item["nip"], item["name"], item["year"]) == (STAFF, f"Pegawai {STAFF[-4:]}, S.T.", 2025)
    head = (await gateway.get("/api/inbox", as_=(HEAD, "pegawai"))).json()
    assert all(x["kind"] != "appraisal" for x in head["items"])

    # Finalized as Baik, delivered twice: applied once.
    await kinerja.send(kinerja.finalized(submitted, "baik"), again=True)
    profile = await gateway.profile_when(
        STAFF, lambda p: p["kinerja"]["annual_predikat"], "the annual predikat"
    )
    section = profile["kinerja"]
    assert section["annual_predikat"] == [
        {
            "year": 2025,
            "predikat": "baik",
            "predikat_label": "Baik",
            "revision": 1,
            "finalized_at": section["annual_predikat"][0]["finalized_at"],
        }
    ]
    assert section["current_skp"]["appraisal_status"] == "annual_finalized"
    assert [h["predikat_label"] for h in section["predikat_history"]] == ["Baik"]
    mid_inbox = (await gateway.get("/api/inbox", as_=(MID, "pegawai"))).json()
    assert all(x["kind"] != "appraisal" for x in mid_inbox["items"])
    [year] = await _annual(gateway, 2025)
    assert year["counts"]["baik"] == 1 and year["total"] == 1
    assert year["labels"]["kurang_misconduct"] == "Kurang/Misconduct"

    # A keberatan decided: revision 2 wins; revision 1 coming again later changes nothing.
    revised = kinerja.finalized(submitted, "sangat_baik", revision=2, decided_by_nip=HEAD)
    await kinerja.send(revised, actor=HEAD)
    await kinerja.send(kinerja.finalized(submitted, "butuh_perbaikan", revision=1))
    feedback = FeedbackGivenV1(
        feedback_id=uuid.uuid4(),
        nip=STAFF,
        giver_nip=MID,
        value="kolaboratif",
        given_at=T0,
    )
    await kinerja.send(feedback)
    profile = await gateway.profile_when(
        STAFF, lambda p: p["kinerja"]["feedback"]["count"] == 1, "the feedback, after the rest"
    )
    assert profile["kinerja"]["annual_predikat"][0]["predikat_label"] == "Sangat Baik"
    assert profile["kinerja"]["annual_predikat"][0]["revision"] == 2
    [year] = await _annual(gateway, 2025)
    assert (year["counts"]["sangat_baik"], year["counts"]["baik"], year["total"]) == (1, 0, 1)
    # dinkes counts the unit below it; the unit itself counts the same; disdik nothing.
    assert await _annual(gateway, 2025, "dinkes-p2p") == [year]
    assert await _annual(gateway, 2025, "disdik") == []


async def test_a_mid_year_skp_supersedes_the_earlier_one_which_is_kept(gateway):
    await gateway.publish(*city_events(gateway.settings.pegawai_topic))
    kinerja = Kinerja(gateway)
    earlier = await kinerja.skp(2026)
    later = await kinerja.skp(
        2026, start=date(2026, 7, 1), approver=OTHER, supersedes_skp_id=earlier.skp_id
    )
    profile = await gateway.profile_when(
        STAFF,
        lambda p: (p["kinerja"]["current_skp"] or {}).get("skp_id") == str(later.skp_id),
        "the new SKP",
    )
    current, [before] = profile["kinerja"]["current_skp"], profile["kinerja"]["skp_history"]
    assert (current["approver_nip"], current["status"]) == (OTHER, "approved")
    assert current["supersedes_skp_id"] == str(earlier.skp_id)
    assert (before["skp_id"], before["status"]) == (str(earlier.skp_id), "superseded")
    assert before["superseded_by_skp_id"] == str(later.skp_id)


async def test_unknown_kinerja_fields_and_types_are_tolerated(gateway):
    await gateway.publish(*city_events(gateway.settings.pegawai_topic))
    payload = SkpApprovedV1(
        skp_id=uuid.uuid4(),
        nip=STAFF,
        year=2026,
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        unit_id=UNIT_IDS["dinkes-p2p"],
        unit_code="dinkes-p2p",
        approver_nip=MID,
        approved_at=T0,
        rhk=({"rhk_id": uuid.uuid4(), "kind": "utama", "title": "Layanan"},),
    )
    envelope = event(payload, STAFF, sequence=1, actor=MID)
    extended = envelope.model_copy(update={"data": {**envelope.data, "new_field": [1, 2]}})
    future = envelope.model_copy(update={"id": uuid.uuid4(), "type": "kinerja.skp.renamed.v1"})
    topic = gateway.settings.kinerja_topic
    await gateway.publish((topic, future), (topic, b"{broken"), (topic, extended))
    profile = await gateway.profile_when(
        STAFF, lambda p: p["kinerja"]["current_skp"] is not None, "the SKP despite the rest"
    )
    assert profile["kinerja"]["current_skp"]["skp_id"] == str(payload.skp_id)


def _skps(inbox: dict) -> list[dict]:
    return [x for x in inbox["items"] if x["kind"] == "skp"]


async def test_skps_to_agree_come_from_submitted_and_returned_events(gateway):
    await gateway.publish(*city_events(gateway.settings.pegawai_topic))
    kinerja = Kinerja(gateway)
    submitted = kinerja.skp_submitted(2026)
    skp_id = str(submitted.skp_id)
    await kinerja.send(submitted, again=True, actor=STAFF)  # delivered twice: applied once
    inbox = await gateway.json_when(
        "/api/inbox",
        lambda i: bool(_skps(i)),
        "the SKP to agree in the supervisor's inbox",
        as_=(MID, "pegawai"),
    )
    [item] = _skps(inbox)
    assert item["skp_id"] == skp_id
    assert item["action"] == f"/api/skp/{skp_id}/approve"
    assert (item["nip"], item["name"], item["year"]) == (STAFF, f"Pegawai {STAFF[-4:]}, S.T.", 2026)
    assert (item["start"], item["end"], item["unit_code"]) == (
        "2026-01-01",
        "2026-12-31",
        "dinkes-p2p",
    )
    assert inbox["freshness"]["services_down"] == []
    for other in (HEAD, OTHER, STAFF):
        assert _skps((await gateway.get("/api/inbox", as_=(other, "pegawai"))).json()) == []
    current = (await gateway.get(f"/api/profiles/{STAFF}")).json()["kinerja"]["current_skp"]
    assert (current["skp_id"], current["status"], current["approver_nip"]) == (
        skp_id,
        "submitted",
        MID,
    )
    assert (current["rhk"], current["approved_at"], current["appraisal_status"]) == (
        [],
        None,
        "not_started",
    )

    # Sent back: out of the inbox, `returned` on the profile (the note stays in kinerja).
    await kinerja.send(kinerja.skp_returned(submitted))
    profile = await gateway.profile_when(
        STAFF, lambda p: p["kinerja"]["current_skp"]["status"] == "returned", "the return"
    )
    assert profile["kinerja"]["current_skp"]["returned_at"] is not None
    assert _skps((await gateway.get("/api/inbox", as_=(MID, "pegawai"))).json()) == []

    # Corrected and submitted again; the return delivered late (older sequence) is ignored.
    resubmitted = kinerja.skp_submitted(2026, skp_id=submitted.skp_id, at=T0 + timedelta(hours=2))
    await kinerja.send(resubmitted, actor=STAFF)  # sequence 3
    await kinerja.late(kinerja.skp_returned(submitted), sequence=2)
    await kinerja.send(
        FeedbackGivenV1(
            feedback_id=uuid.uuid4(), nip=STAFF, giver_nip=MID, value="adaptif", given_at=T0
        )
    )  # sequence 4: once it shows, everything before it was applied
    profile = await gateway.profile_when(
        STAFF, lambda p: p["kinerja"]["feedback"]["count"] == 1, "the events before the feedback"
    )
    assert profile["kinerja"]["current_skp"]["status"] == "submitted"
    inbox = (await gateway.get("/api/inbox", as_=(MID, "pegawai"))).json()
    assert [x["skp_id"] for x in _skps(inbox)] == [skp_id]

    # Agreed: out of the inbox for good; late submissions never bring it back.
    await kinerja.skp(2026, skp_id=submitted.skp_id)  # sequence 5
    profile = await gateway.profile_when(
        STAFF, lambda p: p["kinerja"]["current_skp"]["status"] == "approved", "the agreement"
    )
    current = profile["kinerja"]["current_skp"]
    assert current["rhk"][0]["title"] == "Layanan vaksinasi"
    assert current["submitted_at"] is not None and current["approved_at"] is not None
    await kinerja.late(resubmitted, sequence=3)
    await kinerja.late(kinerja.skp_submitted(2026, skp_id=submitted.skp_id), sequence=None)
    await kinerja.send(
        FeedbackGivenV1(
            feedback_id=uuid.uuid4(), nip=STAFF, giver_nip=MID, value="loyal", given_at=T0
        )
    )
    profile = await gateway.profile_when(
        STAFF, lambda p: p["kinerja"]["feedback"]["count"] == 2, "the late submissions"
    )
    assert profile["kinerja"]["current_skp"]["status"] == "approved"
    assert profile["kinerja"]["skp_history"] == []
    assert _skps((await gateway.get("/api/inbox", as_=(MID, "pegawai"))).json()) == []


async def test_a_returned_skp_without_its_submission_is_ignored(gateway):
    await gateway.publish(*city_events(gateway.settings.pegawai_topic))
    kinerja = Kinerja(gateway)
    await kinerja.send(kinerja.skp_returned(kinerja.skp_submitted(2026)))
    skp = await kinerja.skp(2025)
    profile = await gateway.profile_when(
        STAFF, lambda p: p["kinerja"]["current_skp"] is not None, "the agreed SKP"
    )
    assert profile["kinerja"]["current_skp"]["skp_id"] == str(skp.skp_id)
    assert profile["kinerja"]["skp_history"] == []


async def test_the_inbox_needs_no_live_kinerja(gateway_settings, stub, token_for):
    dead = f"http://127.0.0.1:{free_port()}"
    settings = await gateway_settings(pegawai_url=stub.url, presensi_url=stub.url, kinerja_url=dead)
    await asyncio.to_thread(migrate, settings)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway") as client,
    ):
        gw = Gateway(client, settings, settings.kafka_bootstrap, token_for, app)
        await gw.publish(*city_events(settings.pegawai_topic))
        kinerja = Kinerja(gw)
        to_agree = kinerja.skp_submitted(2026)
        await kinerja.send(to_agree, actor=STAFF)
        submitted = await kinerja.submitted(await kinerja.skp(2025))
        inbox = await gw.json_when(
            "/api/inbox",
            lambda i: len(i["items"]) == 2 and i["freshness"]["services_down"] == ["kinerja"],
            "the SKP to agree and the appraisal to rate, kinerja down",
            as_=(MID, "pegawai"),
        )
        assert [x.get("skp_id") for x in inbox["items"] if x["kind"] == "skp"] == [
            str(to_agree.skp_id)
        ]
        assert [x.get("appraisal_id") for x in inbox["items"] if x["kind"] == "appraisal"] == [
            str(submitted.appraisal_id)
        ]
        assert inbox["freshness"]["stale"] is True
        assert "kinerja_unavailable" in inbox["freshness"]["reasons"]
        refused = await gw.client.get("/api/skp", headers=gw.auth())
        assert refused.status_code == 503 and refused.json()["service"] == "kinerja"


async def test_kinerja_is_in_the_lag_and_the_rebuild(gateway):
    await gateway.publish(*city_events(gateway.settings.pegawai_topic))
    kinerja = Kinerja(gateway)
    submitted = await kinerja.submitted(await kinerja.skp(2025))
    await kinerja.send(kinerja.finalized(submitted, "baik"))
    before = await gateway.profile_when(
        STAFF, lambda p: p["kinerja"]["annual_predikat"], "kinerja projected"
    )
    topic = gateway.settings.kinerja_topic

    async def caught_up() -> bool:
        lag = (await gateway.client.get("/health/ready")).json()["read_model"]["lag"]
        return lag is not None and lag.get(topic, {}).get("events_behind") == 0

    await eventually(caught_up, what="kinerja's lag back to zero")
    assert (
        f'gateway_readmodel_lag_events{{topic="{topic}"}} 0.0'
        in (await gateway.client.get("/metrics")).text
    )

    result = await rebuild(gateway.settings)
    assert result.applied == 7 + 3  # the city, then the SKP, submission and finalization
    after = (await gateway.get(f"/api/profiles/{STAFF}")).json()
    assert after["kinerja"] == before["kinerja"]
    [year] = await _annual(gateway, 2025)
    assert year["counts"]["baik"] == 1


async def test_migrations_make_the_tables_the_rebuild_makes(gateway):
    """The migrated read model and a rebuild's fresh tables have the same columns."""
    db = Database(gateway.settings.database_url.get_secret_value(), pool_size=1)
    columns = text(
        "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_schema = :schema ORDER BY 1, 2"
    )
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(create_tables, "readmodel_check")
            migrated = (await conn.execute(columns, {"schema": "readmodel"})).all()
            fresh = (await conn.execute(columns, {"schema": "readmodel_check"})).all()
            await conn.execute(text("DROP SCHEMA readmodel_check CASCADE"))
    finally:
        await db.dispose()
    assert migrated == fresh
    assert {"skp", "appraisal", "feedback"} <= {row[0] for row in migrated}


async def test_0003_upgrades_a_read_model_of_agreed_skps(gateway):
    """A database migrated before 0003 (SKPs only agreed ones) keeps its rows as `approved`
    and ends with the columns a fresh migration or a rebuild makes."""
    from alembic.script import ScriptDirectory
    from gateway.main import MIGRATIONS
    from servicekit.migrations import alembic_config, upgrade_async

    url = gateway.settings.database_url.get_secret_value()
    db = Database(url, pool_size=1)
    skp_id = uuid.uuid4()
    columns = text(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_schema = 'readmodel' AND table_name = 'skp' ORDER BY 1"
    )
    try:
        async with db.engine.begin() as conn:
            migrated = (await conn.execute(columns)).all()
            # Back to the shape 0002 made before this change, holding one agreed SKP.
            for statement in (
                "DROP INDEX readmodel.ix_skp_to_agree",
                "ALTER TABLE readmodel.skp DROP COLUMN status, DROP COLUMN submitted_at, "
                "DROP COLUMN returned_at, ALTER COLUMN approved_at SET NOT NULL, "
                "ALTER COLUMN rhk SET NOT NULL",
                "UPDATE alembic_version SET version_num = '0002'",
            ):
                await conn.execute(text(statement))
            await conn.execute(
                text(
                    'INSERT INTO readmodel.skp (skp_id, nip, year, start, "end", unit_code, '
                    "approver_nip, approved_at, rhk) VALUES (:id, :nip, 2025, '2025-01-01', "
                    "'2025-12-31', 'dinkes-p2p', :mid, now(), '[]')"
                ),
                {"id": skp_id, "nip": STAFF, "mid": MID},
            )
        await upgrade_async(MIGRATIONS, url)
        async with db.engine.begin() as conn:
            assert (await conn.execute(columns)).all() == migrated
            status = await conn.execute(
                text("SELECT status FROM readmodel.skp WHERE skp_id = :id"), {"id": skp_id}
            )
            assert status.scalar() == "approved"
            version = await conn.execute(text("SELECT version_num FROM alembic_version"))
            # Upgraded through 0003 to whatever is the head now (later migrations follow it).
            head = ScriptDirectory.from_config(alembic_config(MIGRATIONS, url)).get_current_head()
            assert version.scalar() == head
    finally:
        await db.dispose()

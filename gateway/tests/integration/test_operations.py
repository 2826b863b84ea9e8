"""Dev tokens, lag on /metrics and /health/ready, staleness, and the rebuild."""

import asyncio

import httpx
import pytest
from gateway.main import create_app, migrate
from gateway.rebuild import rebuild
from gateway_testkit import (
    MID,
    OTHER,
    STAFF,
    Gateway,
    city_events,
    eventually,
    free_port,
    promoted,
    registered,
)

pytestmark = pytest.mark.integration


async def _serve(settings):
    await asyncio.to_thread(migrate, settings)
    return create_app(settings)


@pytest.mark.parametrize(("environment", "exists"), [("dev", True), ("test", False)])
async def test_dev_token_only_in_dev(gateway_settings, stub, environment, exists):
    settings = await gateway_settings(
        environment=environment, pegawai_url=stub.url, presensi_url=stub.url, kinerja_url=stub.url
    )
    app = await _serve(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway") as client,
    ):
        body = {"nip": STAFF, "roles": ["pegawai"]}
        response = await client.post("/auth/dev-token", json=body)
        paths = (await client.get("/openapi.json")).json()["paths"]
        if not exists:
            assert response.status_code == 404
            assert "/auth/dev-token" not in paths
            return
        assert response.status_code == 200
        assert "/auth/dev-token" in paths
        token = response.json()["access_token"]
        inbox = await client.get("/api/inbox", headers={"Authorization": f"Bearer {token}"})
        assert inbox.status_code == 200
        bad = await client.post("/auth/dev-token", json={"nip": "123", "roles": ["raja"]})
        assert bad.status_code == 422


async def test_lag_is_on_metrics_and_ready(gateway):
    await gateway.publish(*city_events(gateway.settings.pegawai_topic))
    await gateway.profile_when(STAFF, lambda p: True, "registered")

    async def caught_up() -> bool:
        ready = (await gateway.client.get("/health/ready")).json()
        lag = ready["read_model"]["lag"]
        return lag is not None and lag[gateway.settings.pegawai_topic]["events_behind"] == 0

    await eventually(caught_up, what="lag back to zero")
    ready = await gateway.client.get("/health/ready")
    assert ready.status_code == 200
    body = ready.json()
    assert body["checks"] == {"database": "ok", "kafka": "ok"}
    assert body["read_model"]["stale"] is False
    assert body["services"]["pegawai"]["up"] is True
    metrics = (await gateway.client.get("/metrics")).text
    topic = gateway.settings.pegawai_topic
    assert f'gateway_readmodel_lag_events{{topic="{topic}"}} 0.0' in metrics
    assert f'gateway_readmodel_lag_seconds{{topic="{topic}"}}' in metrics
    assert 'gateway_upstream_up{service="presensi"} 1.0' in metrics


async def test_reads_go_on_marked_stale_when_a_source_service_is_down(
    gateway_settings, stub, token_for
):
    dead = f"http://127.0.0.1:{free_port()}"
    settings = await gateway_settings(pegawai_url=stub.url, presensi_url=dead, kinerja_url=stub.url)
    app = await _serve(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway") as client,
    ):
        gw = Gateway(client, settings, settings.kafka_bootstrap, token_for, app)
        await gw.publish(*city_events(settings.pegawai_topic))
        profile = await gw.profile_when(OTHER, lambda p: True, "registered")
        assert profile["freshness"]["stale"] is True
        assert profile["freshness"]["services_down"] == ["presensi"]
        assert "presensi_unavailable" in profile["freshness"]["reasons"]
        search = (await gw.get("/api/search?q=pegawai")).json()
        assert search["freshness"]["services_down"] == []  # search reads pegawai's data only


async def test_rebuild_replays_into_fresh_tables_and_swaps_them_in(gateway):
    topic = gateway.settings.pegawai_topic
    await gateway.publish(*city_events(topic))
    await gateway.publish((topic, promoted(STAFF, "dinkes-p2p", MID, sequence=2)))
    before = await gateway.profile_when(
        STAFF, lambda p: p["golongan"] == "III/c" and p["unit"]["name"], "promotion and unit"
    )

    result = await rebuild(gateway.settings)
    assert result.applied == 8
    after = (await gateway.get(f"/api/profiles/{STAFF}")).json()
    for key in ("golongan", "history", "supervisor", "unit"):
        assert after[key] == before[key]

    # The live consumer goes on into the swapped-in tables, without repeating anything.
    await gateway.publish((topic, registered("200001012022011001", "disdik", OTHER)))
    newcomer = await gateway.profile_when("200001012022011001", lambda p: True, "newcomer")
    assert newcomer["supervisor"]["nip"] == OTHER
    again = (await gateway.get(f"/api/profiles/{STAFF}")).json()
    assert again["history"] == before["history"]

    # Rebuilding again, with the gateway live, gives the same picture.
    second = await rebuild(gateway.settings)
    assert second.applied == 9
    assert (await gateway.get(f"/api/profiles/{STAFF}")).json()["history"] == before["history"]


async def test_lag_counts_unapplied_events_and_their_age(kafka_bootstrap, new_topic):
    from gateway.lag import LagMonitor
    from gateway_testkit import new_group, publish

    topic = await new_topic("lagging", partitions=2)
    events = city_events(topic)
    await publish(kafka_bootstrap, *events)
    monitor = LagMonitor(kafka_bootstrap, new_group(), [topic], interval_s=1)
    try:
        await monitor.check()
    finally:
        await monitor.stop()
    assert monitor.lag is not None
    assert monitor.lag[topic].events_behind == len(events)
    assert monitor.lag[topic].seconds_behind >= 0
    assert monitor.total_events_behind() == len(events)


async def test_applied_event_ids_are_purged_with_the_inbox(gateway):
    """The read model's own event-id guard ages out as servicekit's inbox does (400 days)."""
    import uuid as _uuid

    runtime = gateway.app.state.runtime
    # The purge at start-up holds the purge lock for its moment: let it finish first.
    await eventually(lambda: _purged_once(runtime), what="the start-up purge")
    pool = await runtime.db.raw_pool()
    old, recent = _uuid.uuid4(), _uuid.uuid4()
    await pool.execute(
        "INSERT INTO readmodel.applied_event (event_id, applied_at) VALUES "
        "($1, now() - interval '401 days'), ($2, now() - interval '399 days')",
        old,
        recent,
    )
    deleted = await runtime.housekeeper.purge()
    assert deleted["readmodel.applied_event"] == 1
    left = {r[0] for r in await pool.fetch("SELECT event_id FROM readmodel.applied_event")}
    assert recent in left and old not in left


async def _purged_once(runtime) -> bool:
    return bool(runtime.housekeeper.rounds >= 1)

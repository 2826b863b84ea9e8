"""The built portal at `/` with the single-page fallback, and the dev sign-in's people."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from gateway.main import create_app, migrate
from gateway_testkit import (
    HEAD,
    MID,
    OTHER,
    STAFF,
    city_events,
    eventually,
    publish,
    registered,
)

pytestmark = pytest.mark.integration
NEWCOMER = "199204042017051006"


@pytest.fixture
def built(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>Portal ASN</title>")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log('portal')")
    (tmp_path / "manifest.webmanifest").write_text("{}")
    (tmp_path.parent / "secret.txt").write_text("not for the web")
    return tmp_path


@pytest.fixture
async def client(gateway_settings, stub, built) -> AsyncIterator[httpx.AsyncClient]:
    settings = await gateway_settings(
        environment="dev",
        portal_dir=built,
        pegawai_url=stub.url,
        presensi_url=stub.url,
        kinerja_url=stub.url,
    )
    await asyncio.to_thread(migrate, settings)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway") as http,
    ):
        http.app = app  # type: ignore[attr-defined]
        yield http


async def test_pages_are_the_portal_and_files_are_served_as_built(client):
    home = await client.get("/")
    assert home.status_code == 200
    assert "Portal ASN" in home.text
    assert home.headers["cache-control"] == "no-cache"
    # A page the router knows only in the browser still gets the app, which routes it.
    deep = await client.get("/cuti/pengajuan")
    assert deep.status_code == 200 and "Portal ASN" in deep.text
    asset = await client.get("/assets/index-abc123.js")
    assert asset.status_code == 200 and "portal" in asset.text
    assert "immutable" in asset.headers["cache-control"]
    manifest = await client.get("/manifest.webmanifest")
    assert manifest.status_code == 200


async def test_api_paths_and_missing_files_never_become_the_page(client):
    for path in ("/auth/nothing", "/health/nothing", "/metrics/a", "/api", "/assets/gone-123.js"):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json", path
    # Whatever the method: a POST to a path the gateway doesn't route is a 404, and a
    # page is only read.
    assert (await client.post("/auth/nothing", json={})).status_code == 404
    posted = await client.post("/cuti", json={})
    assert posted.status_code == 405 and posted.json()["code"] == "method_not_allowed"
    escaped = await client.get("/..%2Fsecret.txt")
    assert escaped.status_code == 404
    assert "not for the web" not in escaped.text
    # The gateway's own routes keep their meaning.
    assert (await client.get("/health/live")).status_code == 200
    assert (await client.get("/metrics")).status_code == 200
    assert (await client.get("/api/inbox")).status_code == 401
    assert "/{path}" not in (await client.get("/openapi.json")).json()["paths"]


async def test_dev_people_lists_each_kind_from_the_read_model(client):
    settings = client.app.state.gateway.settings
    topic = settings.pegawai_topic
    await publish(
        settings.kafka_bootstrap,
        *city_events(topic),
        (topic, registered(NEWCOMER, "disdik", OTHER)),
    )

    async def listed() -> bool:
        body = (await client.get("/auth/dev-people")).json()
        return len(body["staff"]) == 2 and len(body["supervisor"]) == 2

    await eventually(listed, what="the city in the read model")
    body = (await client.get("/auth/dev-people")).json()
    assert [p["nip"] for p in body["supervisor"]] == [MID, OTHER]  # HEAD leads a leader
    assert [p["nip"] for p in body["staff"]] == [STAFF, NEWCOMER]
    assert [(p["nip"], p["unit"], p["roles"]) for p in body["admin_opd"]] == [
        (NEWCOMER, "disdik", ["pegawai", "admin_opd"])
    ]
    assert body["bkpsdm"] == []  # this city has no BKPSDM unit
    assert HEAD not in {p["nip"] for kind in body.values() for p in kind}
    token = await client.post("/auth/dev-token", json={"nip": MID, "roles": ["pegawai"]})
    assert token.status_code == 200

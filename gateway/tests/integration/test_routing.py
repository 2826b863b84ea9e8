"""Commands and service reads are forwarded to the owning service, unchanged both ways."""

import asyncio

import httpx
import pytest
from gateway.main import create_app, migrate
from gateway_testkit import BKPSDM_NIP, free_port

pytestmark = pytest.mark.integration

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


async def test_a_command_reaches_the_owner_with_token_request_id_and_trace(gateway):
    headers = {
        **gateway.auth(),
        "X-Request-ID": "req-123",
        "traceparent": TRACEPARENT,
        "Idempotency-Key": "k-1",
        "If-Match": '"3"',
    }
    response = await gateway.client.post(
        "/api/employees/198001012005011003/promotions?dry=1", json={"a": 1}, headers=headers
    )
    assert response.status_code == 201
    assert response.headers["etag"] == '"7"'
    assert response.headers["location"] == "/api/employees/198001012005011003/promotions/x"
    assert "x-internal" not in response.headers
    echoed = response.json()
    assert echoed["path"] == "/employees/198001012005011003/promotions"
    assert echoed["query"] == "dry=1"
    assert echoed["body"] == '{"a":1}'
    sent = echoed["headers"]
    assert sent["authorization"] == headers["Authorization"]
    assert sent["x-request-id"] == "req-123"
    assert sent["idempotency-key"] == "k-1"
    assert sent["if-match"] == '"3"'
    # Same trace, a new span of the gateway's.
    assert sent["traceparent"].split("-")[1] == TRACEPARENT.split("-")[1]
    assert sent["traceparent"] != TRACEPARENT


@pytest.mark.parametrize(
    ("resource", "service"),
    [
        ("units", "pegawai"),
        ("employees", "pegawai"),
        ("reports", "pegawai"),
        ("attendance", "presensi"),
        ("leave-requests", "presensi"),
        ("leave-balances", "presensi"),
        ("holidays", "presensi"),
        ("schedules", "presensi"),
        ("shift-types", "presensi"),
        ("rosters", "presensi"),
        ("attendance-corrections", "presensi"),
        ("flexible-work", "presensi"),
        ("devices", "presensi"),
        ("skp", "kinerja"),
        ("appraisals", "kinerja"),
        ("feedback", "kinerja"),
        ("distribution", "kinerja"),
        ("submissions", "aspirasi"),
        ("forums", "aspirasi"),
        ("signals", "aspirasi"),
        ("enrollments", "pelatihan"),
    ],
)
async def test_every_resource_has_its_owner(gateway_settings, token_for, resource, service):
    dead = f"http://127.0.0.1:{free_port()}"
    settings = await gateway_settings(
        pegawai_url=dead,
        presensi_url=dead,
        kinerja_url=dead,
        aspirasi_url=dead,
        pelatihan_url=dead,
    )
    await asyncio.to_thread(migrate, settings)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway") as client,
    ):
        headers = {"Authorization": f"Bearer {token_for(BKPSDM_NIP, 'bkpsdm')}"}
        response = await client.get(f"/api/{resource}/x", headers=headers)
    assert response.status_code == 503
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["code"] == "service_unavailable"
    assert problem["service"] == service
    assert service in problem["detail"]


async def test_the_service_problem_comes_back_unchanged(gateway):
    response = await gateway.client.put("/api/units/problem", json={}, headers=gateway.auth())
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "x",
        "title": "Ditolak",
        "status": 409,
        "code": "some_conflict",
    }


async def test_the_gateway_verifies_the_token_itself(gateway):
    response = await gateway.client.get("/api/units")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    forged = {"Authorization": "Bearer not.a.token"}
    assert (await gateway.client.get("/api/units", headers=forged)).status_code == 401


async def test_an_unknown_resource_is_404(gateway):
    response = await gateway.client.get("/api/nothing/here", headers=gateway.auth())
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_resource"


async def test_a_slow_service_gives_503_naming_it_and_the_gateway_stays_up(
    gateway_settings, stub, token_for
):
    settings = await gateway_settings(
        pegawai_url=stub.url, presensi_url=stub.url, kinerja_url=stub.url, upstream_timeout_s=0.5
    )
    await asyncio.to_thread(migrate, settings)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway") as client,
    ):
        headers = {"Authorization": f"Bearer {token_for(BKPSDM_NIP, 'bkpsdm')}"}
        slow = await client.get("/api/attendance/slow", headers=headers)
        assert slow.status_code == 503
        assert slow.json()["service"] == "presensi"
        assert slow.headers["retry-after"]
        fine = await client.get("/api/attendance/today", headers=headers)
        assert fine.status_code == 200
        assert (await client.get("/health/live")).status_code == 200


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/api/units/dinkes/organisation-predikat/2025", "kinerja"),
        ("/api/units/dinkes/organisation-predikat", "kinerja"),
        ("/api/units/dinkes", "pegawai"),
        ("/api/units/dinkes/children", "pegawai"),
        ("/api/units", "pegawai"),
    ],
)
async def test_a_sub_resource_of_another_service_goes_to_its_owner(
    gateway_settings, stub, token_for, path, service
):
    """kinerja owns `/units/{code}/organisation-predikat`; the rest of `/units` is pegawai's."""
    dead = f"http://127.0.0.1:{free_port()}"
    urls = {"pegawai_url": dead, "kinerja_url": dead, "presensi_url": stub.url}
    urls[f"{service}_url"] = stub.url
    settings = await gateway_settings(**urls)
    await asyncio.to_thread(migrate, settings)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway") as client,
    ):
        headers = {"Authorization": f"Bearer {token_for(BKPSDM_NIP, 'bkpsdm')}"}
        response = await client.put(path, json={"predikat": "baik"}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["path"] == path.removeprefix("/api")


async def test_the_query_string_and_a_body_without_content_type_go_on_as_sent(gateway):
    response = await gateway.client.post(
        "/api/employees/x/notes?q=siti%20a&tag=1&tag=2", content=b"plain", headers=gateway.auth()
    )
    assert response.status_code == 201
    echoed = response.json()
    assert echoed["query"] == "q=siti%20a&tag=1&tag=2"
    assert echoed["body"] == "plain"
    assert "content-type" not in echoed["headers"]


async def _hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read(1)
    writer.close()


async def test_a_service_that_hangs_up_gives_503_naming_it_and_is_marked_down(
    gateway_settings, token_for
):
    server = await asyncio.start_server(_hang_up, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    settings = await gateway_settings(pegawai_url=url, presensi_url=url, kinerja_url=url)
    await asyncio.to_thread(migrate, settings)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://gateway") as client,
        ):
            upstreams = app.state.gateway.upstreams
            upstreams.mark("presensi", True)  # as if its last health check had answered
            headers = {"Authorization": f"Bearer {token_for(BKPSDM_NIP, 'bkpsdm')}"}
            response = await client.post("/api/attendance/check-in", json={}, headers=headers)
            assert response.status_code == 503
            problem = response.json()
            assert problem["code"] == "service_unavailable"
            assert problem["service"] == "presensi"
            assert "presensi" in problem["detail"]
            assert response.headers["retry-after"] == "5"
            assert upstreams.state["presensi"].up is False
            assert "presensi" in upstreams.down()
    finally:
        server.close()
        await server.wait_closed()


async def test_public_routes_need_no_token_and_carry_the_client_address(gateway):
    response = await gateway.client.post(
        "/api/public/submissions?x=1",
        json={"kind": "aspirasi"},
        headers={"X-Ticket-Secret": "AB01-CD23"},
    )
    assert response.status_code == 201, response.text
    echoed = response.json()
    assert echoed["path"] == "/public/submissions"
    assert echoed["query"] == "x=1"
    assert "authorization" not in echoed["headers"]
    assert echoed["headers"]["x-ticket-secret"] == "AB01-CD23"
    assert echoed["headers"]["x-forwarded-for"] == "127.0.0.1"  # the ASGI test client
    assert response.headers["location"] == "/api/public/submissions/x"
    # Everything else still needs a token.
    assert (await gateway.client.get("/api/submissions")).status_code == 401


async def test_public_routes_are_rate_limited_at_the_gateway(gateway_settings, stub):
    settings = await gateway_settings(
        aspirasi_url=stub.url, public_submission_limit=2, public_limit=5
    )
    await asyncio.to_thread(migrate, settings)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway") as client,
    ):
        posts = [
            (await client.post("/api/public/submissions", json={})).status_code for _ in range(3)
        ]
        gets = [(await client.get("/api/public/board")).status_code for _ in range(3)]
    assert posts == [201, 201, 429]
    assert gets == [200, 200, 429]  # 5 public requests in all

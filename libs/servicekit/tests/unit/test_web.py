"""Web defaults: problem+json for every error, request ids, health and metrics endpoints."""

import asyncpg
import pytest
import sqlalchemy.exc
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel
from servicekit.auth import CurrentIdentity, JwtVerifier
from servicekit.devkeys import DEV_AUDIENCE, DEV_ISSUER, ensure_dev_keys, mint_token
from servicekit.errors import ProblemError
from servicekit.web import install_web_defaults


class Body(BaseModel):
    nip: str
    count: int


@pytest.fixture
def app_and_keys(tmp_path):
    private, public = ensure_dev_keys(tmp_path)
    healthy = {"database": True}

    async def database_check() -> None:
        if not healthy["database"]:
            raise ConnectionError("down")

    app = FastAPI()
    app.state.jwt_verifier = JwtVerifier(
        issuer=DEV_ISSUER,
        audience=DEV_AUDIENCE,
        algorithms=("RS256",),
        public_key_pem=public.read_bytes(),
    )
    install_web_defaults(app, {"database": database_check})
    router = APIRouter()

    @router.post("/things")
    async def create(body: Body, who: CurrentIdentity) -> dict[str, str]:
        if body.count > 10:
            raise ProblemError(409, "too_many", "Terlalu banyak", "Maksimal 10.")
        return {"by": who.sub}

    @router.get("/crash")
    async def crash() -> None:
        raise ZeroDivisionError

    @router.get("/database-down")
    async def database_down() -> None:
        raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 15432)")

    @router.get("/database-restarting")
    async def database_restarting() -> None:
        cause = asyncpg.CannotConnectNowError("the database system is starting up")
        raise sqlalchemy.exc.OperationalError("SELECT 1", {}, cause) from cause

    @router.get("/duplicate")
    async def duplicate() -> None:
        cause = asyncpg.UniqueViolationError("duplicate key value violates unique constraint")
        raise sqlalchemy.exc.IntegrityError("INSERT", {}, cause) from cause

    @router.get("/names/{name}")
    async def name(name: str, q: str = "") -> dict[str, str]:
        return {"name": name, "q": q}

    app.include_router(router)
    return app, private.read_bytes(), healthy


def test_validation_errors_are_problem_json_with_fields(app_and_keys):
    app, private, _ = app_and_keys
    token = mint_token(private, sub="198503152010011001", roles=["pegawai"])
    response = TestClient(app).post(
        "/things", json={"nip": 1}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "validation_error"
    assert {e["field"] for e in body["errors"]} == {"body.nip", "body.count"}


def test_missing_token_is_401_problem(app_and_keys):
    app, _, _ = app_and_keys
    response = TestClient(app).post("/things", json={"nip": "x", "count": 1})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_domain_problems_keep_their_code_and_the_request_id_is_echoed(app_and_keys):
    app, private, _ = app_and_keys
    token = mint_token(private, sub="198503152010011001", roles=["pegawai"])
    response = TestClient(app).post(
        "/things",
        json={"nip": "x", "count": 11},
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "abc-123"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "too_many"
    assert response.headers["x-request-id"] == "abc-123"


def test_unexpected_errors_are_a_problem_not_a_stack_trace(app_and_keys):
    app, _, _ = app_and_keys
    response = TestClient(app, raise_server_exceptions=False).get("/crash")
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert "Traceback" not in response.text


@pytest.mark.parametrize("path", ["/database-down", "/database-restarting"])
def test_a_lost_database_is_a_503_to_retry_not_a_500(app_and_keys, path):
    app, _, _ = app_and_keys
    response = TestClient(app, raise_server_exceptions=False).get(path)
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"
    assert response.headers["retry-after"] == "5"


def test_unknown_route_is_a_404_problem(app_and_keys):
    app, _, _ = app_and_keys
    response = TestClient(app).get("/nope")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_ready_reflects_dependencies_and_metrics_count_requests(app_and_keys):
    app, _, healthy = app_and_keys
    client = TestClient(app)
    assert client.get("/health/live").json() == {"status": "ok"}
    assert client.get("/health/ready").status_code == 200
    healthy["database"] = False
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("unavailable")
    metrics = client.get("/metrics").text
    assert 'http_requests_total{method="GET",route="/health/ready",status="503"}' in metrics


def test_a_unique_violation_is_a_409_with_a_code_not_a_500(app_and_keys):
    app, _, _ = app_and_keys
    response = TestClient(app, raise_server_exceptions=False).get("/duplicate")
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "already_exists"


def _nul_fields(response):
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "validation_error"
    assert {e["code"] for e in body["errors"]} == {"nul_character"}
    return {e["field"] for e in body["errors"]}


def test_nul_in_a_body_is_refused_naming_the_field_before_the_route_runs(app_and_keys):
    app, private, _ = app_and_keys
    token = mint_token(private, sub="198503152010011001", roles=["pegawai"])
    client = TestClient(app)
    auth = {"Authorization": f"Bearer {token}"}
    response = client.post("/things", json={"nip": "19\x0085", "count": 11}, headers=auth)
    # 422 and not the route's 409: the route never ran.
    assert _nul_fields(response) == {"body.nip"}
    nested = {"nip": "x", "count": 1, "extra": [{"k\x00": "v"}, "a\x00"]}
    assert _nul_fields(client.post("/things", json=nested, headers=auth)) == {
        "body.extra.0.k\x00",
        "body.extra.1",
    }
    raw = b'{"nip": "x\x00", "count": 1}'
    response = client.post("/things", content=raw, headers=auth | {"content-type": "text/plain"})
    assert _nul_fields(response) == {"body"}
    # A literal backslash followed by u0000 is text, not NUL: the route answers.
    escaped = b'{"nip": "x\\\\u0000", "count": 1}'
    response = client.post(
        "/things", content=escaped, headers=auth | {"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text


def test_nul_in_path_and_query_values_is_refused_naming_the_parameter(app_and_keys):
    app, _, _ = app_and_keys
    client = TestClient(app)
    assert _nul_fields(client.get("/names/a%00b")) == {"path.name"}
    assert _nul_fields(client.get("/names/ab", params={"q": "x\x00"})) == {"query.q"}
    assert _nul_fields(client.get("/names/ab?q%00=1")) == {"query.q\x00"}
    assert client.get("/names/ab", params={"q": "x"}).json() == {"name": "ab", "q": "x"}

"""Sign-in settings and `GET /auth/config`, against a discovery document served on loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from gateway.api import signin
from gateway.oidc import Discovery
from gateway.settings import GatewaySettings
from pydantic import ValidationError
from servicekit.errors import install_problem_handlers

BASE = {"database_url": "postgresql+asyncpg://x@127.0.0.1/gw", "jwt_jwks_url": "http://idp/jwks"}


def settings(**values: Any) -> GatewaySettings:
    return GatewaySettings(**{**BASE, **values})


class Idp:
    """A loopback HTTP server answering the discovery path with `document` (or `status`)."""

    def __init__(self) -> None:
        self.document: dict[str, Any] = {}
        self.status = 200
        self.fetches = 0
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                idp.fetches += 1
                ok = self.path == "/.well-known/openid-configuration" and idp.status == 200
                body = json.dumps(idp.document).encode()
                self.send_response(200 if ok else idp.status if idp.status != 200 else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.document = {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/auth",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/session/end",
            "response_types_supported": ["code", "id_token"],
            "code_challenge_methods_supported": ["S256"],
        }


@pytest.fixture
def idp() -> Iterator[Idp]:
    server = Idp()
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.server.shutdown()


async def auth_config(config: GatewaySettings) -> httpx.Response:
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(signin.router)
    app.state.gateway = SimpleNamespace(settings=config)
    app.state.discovery = Discovery(config.jwt_issuer, ttl_s=config.oidc_discovery_ttl_s)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        return await client.get("/auth/config")


# Settings


def test_development_offers_the_demo_people_and_production_the_idp() -> None:
    dev = settings(environment="dev")
    assert dev.dev_sign_in and not dev.oidc_sign_in
    production = settings(environment="production", jwt_issuer="https://sso.sawahlunto.go.id")
    assert production.oidc_sign_in and not production.dev_sign_in
    # The city's defaults, documented in gateway/README.md.
    assert production.oidc_client_id == "asn-portal"
    assert production.oidc_scope == "openid profile"
    assert (production.jwt_nip_claim, production.jwt_roles_claim, production.jwt_unit_claim) == (
        "sub",
        "roles",
        "unit_id",
    )


def test_the_idp_is_configured_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "ASN_ENVIRONMENT": "dev",
        "ASN_DATABASE_URL": BASE["database_url"],
        "ASN_JWT_JWKS_URL": "https://sso.example/jwks",
        "ASN_JWT_ISSUER": "https://sso.example/realms/pemkot",
        "ASN_OIDC_ENABLED": "true",
        "ASN_OIDC_CLIENT_ID": "portal-asn",
        "ASN_OIDC_SCOPE": "openid profile asn",
        "ASN_JWT_NIP_CLAIM": "nip",
        "ASN_JWT_ROLES_CLAIM": "realm_access.roles",
        "ASN_JWT_UNIT_CLAIM": "opd",
    }.items():
        monkeypatch.setenv(name, value)
    read = GatewaySettings()
    assert read.oidc_sign_in and read.dev_sign_in  # dev: both, as a local test of the IdP
    assert read.oidc_client_id == "portal-asn"
    assert read.oidc_scope == "openid profile asn"
    assert read.jwt_roles_claim == "realm_access.roles"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"environment": "production", "oidc_enabled": False}, "cannot be false"),
        ({"oidc_enabled": True, "oidc_scope": "profile email"}, "must include 'openid'"),
        (
            {"environment": "production", "jwt_issuer": "http://sso.sawahlunto.go.id"},
            "must be https",
        ),
        ({"oidc_enabled": True, "oidc_client_id": ""}, "oidc_client_id"),
    ],
)
def test_sign_in_settings_that_cannot_work_are_refused_at_start(
    values: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        settings(**values)


# GET /auth/config


async def test_development_without_the_idp_lists_only_the_demo_people(idp: Idp) -> None:
    response = await auth_config(settings(environment="dev", jwt_issuer=idp.issuer))
    assert response.status_code == 200
    assert response.json() == {"dev": True, "oidc": None}
    assert idp.fetches == 0  # nothing asked of an IdP that is not used


async def test_the_idp_endpoints_come_from_its_discovery_document(idp: Idp) -> None:
    config = settings(
        environment="test", jwt_issuer=idp.issuer, oidc_enabled=True, jwt_nip_claim="nip"
    )
    response = await auth_config(config)
    assert response.status_code == 200
    assert response.json() == {
        "dev": False,
        "oidc": {
            "issuer": idp.issuer,
            "authorization_endpoint": f"{idp.issuer}/auth",
            "token_endpoint": f"{idp.issuer}/token",
            "end_session_endpoint": f"{idp.issuer}/session/end",
            "client_id": "asn-portal",
            "scope": "openid profile",
            "claims": {"nip": "nip", "roles": "roles", "unit": "unit_id"},
        },
    }


async def test_an_idp_without_logout_says_so() -> None:
    idp = Idp()
    del idp.document["end_session_endpoint"]
    thread = threading.Thread(target=idp.server.serve_forever, daemon=True)
    thread.start()
    try:
        response = await auth_config(settings(jwt_issuer=idp.issuer, oidc_enabled=True))
    finally:
        idp.server.shutdown()
    assert response.status_code == 200
    assert response.json()["oidc"]["end_session_endpoint"] is None


async def test_the_discovery_document_is_fetched_once_and_kept(idp: Idp) -> None:
    config = settings(jwt_issuer=idp.issuer, oidc_enabled=True)
    discovery = Discovery(config.jwt_issuer, ttl_s=60)
    first = await signin.sign_in_config(config, discovery)
    idp.status = 500  # the IdP goes away: the kept document still serves
    second = await signin.sign_in_config(config, discovery)
    assert first == second and idp.fetches == 1


async def test_an_unreachable_idp_is_a_503_with_a_code(idp: Idp) -> None:
    idp.status = 500
    response = await auth_config(settings(jwt_issuer=idp.issuer, oidc_enabled=True))
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "idp_unavailable"


@pytest.mark.parametrize(
    "change",
    [
        {"issuer": "https://another.example"},  # not the provider the services trust
        {"code_challenge_methods_supported": ["plain"]},  # no PKCE S256
        {"response_types_supported": ["id_token"]},  # no authorization code
        {"token_endpoint": None},  # incomplete
    ],
)
async def test_a_discovery_document_that_cannot_serve_the_portal_is_a_502(
    idp: Idp, change: dict[str, Any]
) -> None:
    idp.document.update(change)
    response = await auth_config(settings(jwt_issuer=idp.issuer, oidc_enabled=True))
    assert response.status_code == 502
    assert response.json()["code"] == "idp_misconfigured"

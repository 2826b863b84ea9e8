"""`GET /auth/config`: how the portal's sign-in page signs people in (public, no token)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from gateway.oidc import Discovery
from gateway.settings import GatewaySettings

router = APIRouter(tags=["auth"])


class ClaimNames(BaseModel):
    """Where the access token carries who someone is (dots: nested claims)."""

    nip: str
    roles: str
    unit: str


class OidcConfig(BaseModel):
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    end_session_endpoint: str | None = Field(
        description="RP-initiated logout at the IdP; null when the IdP has none."
    )
    client_id: str
    scope: str
    claims: ClaimNames


class SignInConfig(BaseModel):
    dev: bool = Field(description="Demo people and /auth/dev-token (development only).")
    oidc: OidcConfig | None = Field(description="The city's identity provider; null when off.")


async def sign_in_config(settings: GatewaySettings, discovery: Discovery) -> SignInConfig:
    oidc = None
    if settings.oidc_sign_in:
        found = await discovery.metadata()
        oidc = OidcConfig(
            issuer=found.issuer,
            authorization_endpoint=found.authorization_endpoint,
            token_endpoint=found.token_endpoint,
            end_session_endpoint=found.end_session_endpoint,
            client_id=settings.oidc_client_id,
            scope=settings.oidc_scope,
            claims=ClaimNames(
                nip=settings.jwt_nip_claim,
                roles=settings.jwt_roles_claim,
                unit=settings.jwt_unit_claim,
            ),
        )
    return SignInConfig(dev=settings.dev_sign_in, oidc=oidc)


@router.get("/auth/config")
async def auth_config(request: Request) -> SignInConfig:
    """How to sign in here: demo people (development), the city's IdP, or both."""
    return await sign_in_config(request.app.state.gateway.settings, request.app.state.discovery)

"""`POST /auth/dev-token`: a signed token for local runs. Mounted only in environment dev."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from servicekit.devkeys import ensure_dev_keys, mint_token
from servicekit.identity import Role

from gateway.settings import GatewaySettings

router = APIRouter(tags=["auth"])


class DevTokenRequest(BaseModel):
    nip: str = Field(pattern=r"^[0-9]{18}$", examples=["198503152010011001"])
    roles: list[Role] = Field(default_factory=lambda: [Role.PEGAWAI])
    unit: str | None = Field(default=None, description="Unit code, for admin_opd.")
    ttl_s: int = Field(default=8 * 3600, ge=60, le=24 * 3600)


@router.post("/auth/dev-token")
async def dev_token(body: DevTokenRequest, request: Request) -> dict[str, Any]:
    """Mint a development token (dev mode only; production uses the city's IdP)."""
    settings: GatewaySettings = request.app.state.gateway.settings
    private, _ = ensure_dev_keys(settings.dev_keys_dir)
    token = mint_token(
        private.read_bytes(),
        sub=body.nip,
        roles=[str(r) for r in body.roles],
        unit_id=body.unit,
        ttl_s=body.ttl_s,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )
    return {"access_token": token, "token_type": "Bearer", "expires_in": body.ttl_s}

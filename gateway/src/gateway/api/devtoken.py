"""`POST /auth/dev-token`: a signed token for local runs. Mounted only in environment dev."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from servicekit.devkeys import ensure_dev_keys, mint_token
from servicekit.identity import Role

from gateway.api.answers import DevToken
from gateway.settings import GatewaySettings
from gateway.state import State

router = APIRouter(tags=["auth"])


class DevTokenRequest(BaseModel):
    nip: str = Field(pattern=r"^[0-9]{18}$", examples=["198503152010011001"])
    roles: list[Role] = Field(default_factory=lambda: [Role.PEGAWAI])
    unit: str | None = Field(default=None, description="Unit code, for admin_opd.")
    ttl_s: int = Field(default=8 * 3600, ge=60, le=24 * 3600)


@router.post("/auth/dev-token")
async def dev_token(body: DevTokenRequest, request: Request) -> DevToken:
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
    # The OAuth token type, not a secret.
    return DevToken(access_token=token, token_type="Bearer", expires_in=body.ttl_s)  # noqa: S106


class DevPerson(BaseModel):
    nip: str
    name: str
    position: str | None
    unit: str
    roles: list[Role]
    """The roles the sign-in page asks a token for."""


class DevPeople(BaseModel):
    bkpsdm: list[DevPerson]
    admin_opd: list[DevPerson]
    supervisor: list[DevPerson]
    staff: list[DevPerson]


# The demo's people differ per year (the seed draws ages from today), so the sign-in page
# asks the read model for a few of each kind rather than holding NIPs of its own.
_PICK = """
SELECT e.nip, e.name, e.position->>'name' AS position, e.unit_code
FROM readmodel.employee e
JOIN readmodel.unit u ON u.code = e.unit_code
WHERE e.status = 'aktif' AND ({where})
ORDER BY {order} e.nip
LIMIT $1
"""
_KINDS: dict[str, tuple[str, str, tuple[Role, ...]]] = {
    "bkpsdm": ("e.unit_code = 'bkpsdm'", "(e.supervisor_nip IS NOT NULL),", (Role.BKPSDM,)),
    # An OPD's staff member keeps its people's records: a top-level unit other than BKPSDM.
    "admin_opd": (
        "u.parent_code IS NULL AND e.unit_code <> 'bkpsdm' AND e.supervisor_nip IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM readmodel.employee r WHERE r.supervisor_nip = e.nip)",
        "e.unit_code,",
        (Role.ADMIN_OPD,),
    ),
    # Supervisor rights come from the data: someone whose reports lead no one themselves.
    "supervisor": (
        "EXISTS (SELECT 1 FROM readmodel.employee r WHERE r.supervisor_nip = e.nip)"
        " AND NOT EXISTS (SELECT 1 FROM readmodel.employee r JOIN readmodel.employee rr"
        " ON rr.supervisor_nip = r.nip WHERE r.supervisor_nip = e.nip)",
        "",
        (),
    ),
    "staff": (
        "e.supervisor_nip IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM readmodel.employee r WHERE r.supervisor_nip = e.nip)",
        "",
        (),
    ),
}


@router.get("/auth/dev-people")
async def dev_people(state: State, per_kind: int = Query(default=3, ge=1, le=20)) -> DevPeople:
    """A few people of each kind for the development sign-in page (dev mode only)."""
    found: dict[str, list[DevPerson]] = {}
    async with state.read_pool.acquire() as conn:
        for kind, (where, order, roles) in _KINDS.items():
            rows = await conn.fetch(_PICK.format(where=where, order=order), per_kind)
            found[kind] = [
                DevPerson(
                    nip=row["nip"],
                    name=row["name"],
                    position=row["position"],
                    unit=row["unit_code"],
                    roles=[Role.PEGAWAI, *roles],
                )
                for row in rows
            ]
    return DevPeople(**found)

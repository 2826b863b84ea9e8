"""JWT verification as a FastAPI dependency; every service verifies tokens itself.

Algorithms are pinned by settings (never taken from the token's header), and
issuer, audience and expiry are always checked. Keys come from a PEM file or the
identity provider's JWKS URL.
"""

from __future__ import annotations

import asyncio
import time
from typing import Annotated, Any

import jwt
from cryptography.hazmat.primitives import serialization
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from servicekit.errors import ProblemError
from servicekit.identity import Identity
from servicekit.settings import ServiceSettings

_CACHE_SIZE = 10_000
_bearer = HTTPBearer(auto_error=False, description="JWT dari penyedia identitas Kota Sawahlunto")


def _unauthenticated(detail: str) -> ProblemError:
    return ProblemError(
        401,
        "unauthenticated",
        "Perlu login",
        detail,
        headers={"WWW-Authenticate": 'Bearer realm="asn-suite"'},
    )


class JwtVerifier:
    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        algorithms: tuple[str, ...],
        public_key_pem: bytes | None = None,
        jwks_url: str | None = None,
        nip_claim: str = "sub",
        roles_claim: str = "roles",
        unit_claim: str = "unit_id",
    ) -> None:
        if (public_key_pem is None) == (jwks_url is None):
            raise ValueError("give exactly one of public_key_pem and jwks_url")
        self._issuer = issuer
        self._audience = audience
        self._algorithms = list(algorithms)
        self._nip_claim, self._roles_claim, self._unit_claim = nip_claim, roles_claim, unit_claim
        # Parsed once: PyJWT would otherwise parse the PEM again on every request.
        self._key: Any = (
            serialization.load_pem_public_key(public_key_pem) if public_key_pem else None
        )
        # A token verified once stays valid until its `exp`: re-checking its signature on
        # every request of a session is CPU spent for nothing (bench/gateway: ~10 % a read).
        self._verified: dict[str, tuple[Identity, float]] = {}
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True) if jwks_url else None

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> JwtVerifier:
        pem = settings.jwt_public_key_file.read_bytes() if settings.jwt_public_key_file else None
        return cls(
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            algorithms=settings.jwt_algorithms,
            public_key_pem=pem,
            jwks_url=None if pem else settings.jwt_jwks_url,
            nip_claim=settings.jwt_nip_claim,
            roles_claim=settings.jwt_roles_claim,
            unit_claim=settings.jwt_unit_claim,
        )

    async def verify(self, token: str) -> Identity:
        cached = self._verified.get(token)
        if cached is not None and time.time() < cached[1]:
            return cached[0]
        identity, expires_at = await self._verify(token)
        if len(self._verified) >= _CACHE_SIZE:
            self._verified.pop(next(iter(self._verified)))  # the oldest entry
        self._verified[token] = (identity, expires_at)
        return identity

    async def _verify(self, token: str) -> tuple[Identity, float]:
        try:
            key: Any = self._key
            if self._jwks is not None:
                # PyJWKClient fetches over blocking HTTP (cached afterwards): keep it off the loop.
                key = (await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)).key
            claims = jwt.decode(
                token,
                key,
                algorithms=self._algorithms,
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise _unauthenticated("Sesi login sudah berakhir; silakan login ulang.") from exc
        except jwt.PyJWTError as exc:
            raise _unauthenticated(f"Token tidak dapat diverifikasi: {exc}") from exc
        nip = _claim(claims, self._nip_claim)
        if not isinstance(nip, str) or not nip:
            raise _unauthenticated(f"Token tidak membawa NIP pada klaim `{self._nip_claim}`.")
        roles = _claim(claims, self._roles_claim)
        roles = [] if roles is None else roles
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise _unauthenticated(f"Klaim `{self._roles_claim}` harus berupa daftar teks.")
        unit = _claim(claims, self._unit_claim)
        if unit is not None and not isinstance(unit, str):
            raise _unauthenticated(f"Klaim `{self._unit_claim}` harus berupa teks.")
        identity = Identity(sub=nip, roles=frozenset(roles), unit_id=unit)
        return identity, float(claims["exp"])


def _claim(claims: dict[str, Any], name: str) -> Any:
    """A claim by name; dots walk into nested objects (`realm_access.roles`)."""
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


async def current_identity(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Identity:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthenticated("Sertakan header `Authorization: Bearer <token>`.")
    verifier: JwtVerifier = request.app.state.jwt_verifier
    return await verifier.verify(credentials.credentials)


CurrentIdentity = Annotated[Identity, Depends(current_identity)]


async def request_identity(request: Request) -> Identity:
    """`current_identity` for a route that resolves nothing through FastAPI (hot paths)."""
    return await current_identity(request, await _bearer(request))
